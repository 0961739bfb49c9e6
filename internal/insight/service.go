package insight

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/event"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/pathway"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// What a snapshot is gathered from: memory only, never a store scan.
type (
	// Contents gives the current needs, profiles and employers
	// (mirror.Register.Contents, kept by the register's followers).
	Contents interface {
		Contents() (needs []register.Need, profiles []profile.Profile, employers []register.Employer)
	}
	// Matches gives every match (match.Service.All).
	Matches interface {
		All() []match.Match
	}
	// Pathways gives the pathways and their cohorts (pathway.Service).
	Pathways interface {
		List(ctx context.Context) ([]pathway.Pathway, error)
		Cohort(ctx context.Context, by auth.Principal, pathwayID string) ([]pathway.Participant, error)
	}
	// Events gives every Career & Skills Day with its figures
	// (event.Service.AllIndicators, computed from memory).
	Events interface {
		AllIndicators(by auth.Principal) ([]event.Figures, error)
	}
)

// Service is the office's insights: the use cases behind the skills gap,
// the indicators and the exports, wherever they are asked for. Each one
// gathers a Snapshot and computes from it.
type Service struct {
	contents Contents
	matches  Matches
	pathways Pathways
	events   Events
	labels   Labels
	now      func() time.Time
}

// NewService wires insights to the in-memory data; labels may be nil (raw
// ids are shown).
func NewService(c Contents, m Matches, p Pathways, labels Labels, now func() time.Time) *Service {
	return &Service{contents: c, matches: m, pathways: p, labels: labels, now: now}
}

// EventsWith adds the Career & Skills Days to the snapshot; without it the
// events table is empty.
func (s *Service) EventsWith(e Events) { s.events = e }

// Snapshot gathers what insights count over, from memory only. Only
// officers see insights: they count every person and every match.
func (s *Service) Snapshot(ctx context.Context, by auth.Principal) (Snapshot, error) {
	if by.Role != auth.RoleOfficer {
		return Snapshot{}, failure.Forbiddenf("only officers see insights")
	}
	needs, profiles, employers := s.contents.Contents()
	snap := Snapshot{Needs: needs, Profiles: profiles, Employers: employers, Matches: s.matches.All(),
		Today: s.now().UTC(), Labels: s.labels}
	pws, err := s.pathways.List(ctx)
	if err != nil {
		return Snapshot{}, fmt.Errorf("insights: pathways: %w", err)
	}
	for _, pw := range pws {
		cohort, err := s.pathways.Cohort(ctx, by, pw.ID)
		if err != nil {
			return Snapshot{}, fmt.Errorf("insights: cohort of %s: %w", pw.ID, err)
		}
		for _, p := range cohort {
			snap.Participants = append(snap.Participants, PathwayParticipant{PathwayID: p.PathwayID, ProfileID: p.ProfileID, Stage: p.Stage, Status: p.Status})
		}
	}
	if s.events != nil {
		if snap.Events, err = s.events.AllIndicators(by); err != nil {
			return Snapshot{}, fmt.Errorf("insights: events: %w", err)
		}
	}
	return snap, nil
}

// GapQuery asks for the skills gap rolled up by a dimension (BySkill when
// empty), of needs of a sector and kind ("" for all).
type GapQuery struct {
	By     string
	Sector string
	Kind   string
	Lang   string
}

// Gap is the skills gap of q for an officer. An unknown kind or dimension
// is a failure.Field error.
func (s *Service) Gap(ctx context.Context, by auth.Principal, q GapQuery) ([]GapRow, error) {
	if by.Role != auth.RoleOfficer {
		return nil, failure.Forbiddenf("only officers see insights")
	}
	if q.Kind != "" && !slices.Contains(needKinds, q.Kind) {
		return nil, failure.Field("kind", "oneof", strings.Join(needKinds, ", "))
	}
	if q.By == "" {
		q.By = BySkill
	}
	if !slices.Contains(Dimensions, q.By) {
		return nil, failure.Field("by", "oneof", strings.Join(Dimensions, ", "))
	}
	snap, err := s.Snapshot(ctx, by)
	if err != nil {
		return nil, err
	}
	rows, err := GapBy(snap, q.By, GapFilter{Sector: q.Sector, Kind: q.Kind, Lang: q.Lang})
	if err != nil {
		return nil, err
	}
	if rows == nil {
		rows = []GapRow{}
	}
	return rows, nil
}

// Period is a reporting period of calendar days (YYYY-MM-DD), both ends
// included. A nil From is the first of January of this year, a nil To is
// today (UTC); a given but empty day is malformed.
type Period struct {
	From *string
	To   *string
}

// Range is the period as the first and the last instant of its days
// (UTC), with the defaults filled in from now: a malformed day is a
// failure.Field error ("date"), To before From one on "to"
// ("after_start").
func (p Period) Range(now time.Time) (time.Time, time.Time, error) {
	now = now.UTC()
	from, to := fmt.Sprintf("%d-01-01", now.Year()), now.Format(time.DateOnly)
	if p.From != nil {
		from = *p.From
	}
	if p.To != nil {
		to = *p.To
	}
	var fields []failure.FieldError
	for _, f := range []struct{ name, day string }{{"from", from}, {"to", to}} {
		if _, err := time.Parse(time.DateOnly, f.day); err != nil {
			fields = append(fields, failure.FieldError{Field: f.name, Code: "date"})
		}
	}
	if len(fields) == 0 && to < from {
		fields = append(fields, failure.FieldError{Field: "to", Code: "after_start"})
	}
	if len(fields) > 0 {
		return time.Time{}, time.Time{}, failure.Fields(fields...)
	}
	return DayRange(from, to, time.UTC)
}

// Indicators is the monitoring indicators of period p for an officer.
func (s *Service) Indicators(ctx context.Context, by auth.Principal, p Period) (Figures, error) {
	from, to, err := p.Range(s.now())
	if err != nil {
		return Figures{}, err
	}
	snap, err := s.Snapshot(ctx, by)
	if err != nil {
		return Figures{}, err
	}
	return Indicators(snap, from, to), nil
}

// The tables an officer may export.
const (
	TableNeeds      = "needs"
	TableMatches    = "matches"
	TableIndicators = "indicators"
	TableSkillsGap  = "skills-gap"
	TableEvents     = "events"
)

// TableOf is the export named name (one of the Table constants; anything
// else is failure.NotFound) for an officer: the indicators of period p,
// the skills gap by skill of the needs f selects (its kind unchecked: an
// unknown kind counts nothing), or every need, match or event, labelled in
// lang.
func (s *Service) TableOf(ctx context.Context, by auth.Principal, name string, p Period, f GapFilter) (Table, error) {
	switch name {
	case TableNeeds, TableMatches, TableIndicators, TableSkillsGap, TableEvents:
	default:
		return Table{}, failure.NotFoundf("export")
	}
	from, to, err := p.Range(s.now())
	if err != nil {
		return Table{}, err
	}
	snap, err := s.Snapshot(ctx, by)
	if err != nil {
		return Table{}, err
	}
	switch name {
	case TableNeeds:
		return NeedsTable(snap, f.Lang), nil
	case TableMatches:
		return MatchesTable(snap, f.Lang), nil
	case TableIndicators:
		return IndicatorsTable(Indicators(snap, from, to), f.Lang), nil
	case TableEvents:
		return EventsTable(snap, f.Lang), nil
	}
	return GapTable(SkillsGap(snap, f), f.Lang), nil
}
