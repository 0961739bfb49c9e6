package round

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/careget/skillsmatch/internal/allocation"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// Identities reads a person's name for an officer, writing the read to the
// person's audit log (profile.Service.ReadFull).
type Identities interface {
	ReadFull(ctx context.Context, by auth.Principal, id string, a profile.Asked) (profile.Profile, error)
}

// ReadNamesWith sets who reads the participants' names for Board: the
// profiles are wired after the rounds (they erase a person's matches).
func (s *Service) ReadNamesWith(ids Identities) { s.identities = ids }

// List answers the rounds a caller has a part in, newest first, from
// memory: officers every round; a job-seeker the rounds taking
// preferences now and those they ranked needs in; an employer's member
// the rounds holding a need of their organisation. Only officers see
// preferences, rankings and runs (as Get). Administrators manage accounts,
// not rounds: forbidden.
func (s *Service) List(ctx context.Context, by auth.Principal) ([]Round, error) {
	if by.Role == auth.RoleAdmin {
		return nil, failure.Forbiddenf("administrators take no part in rounds")
	}
	all := s.rounds.Values()
	slices.SortFunc(all, func(a, b Round) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	keep, err := s.partOf(ctx, by, all)
	if err != nil {
		return nil, err
	}
	out := make([]Round, 0, len(all))
	for _, r := range all {
		if keep(r) {
			out = append(out, s.viewFor(by, r))
		}
	}
	return out, nil
}

// partOf tells which rounds the caller has a part in.
func (s *Service) partOf(ctx context.Context, by auth.Principal, all []Round) (func(Round) bool, error) {
	switch by.Role {
	case auth.RoleOfficer:
		return func(Round) bool { return true }, nil
	case auth.RoleJobseeker:
		now := s.now()
		return func(r Round) bool {
			_, ranked := s.preference(r, by.UserID)
			return ranked || (r.Status == StatusOpen && now.Before(r.ClosesAt))
		}, nil
	case auth.RoleEmployer:
		mine, err := s.managedEmployers(ctx, by, all)
		if err != nil {
			return nil, err
		}
		return func(r Round) bool {
			return slices.ContainsFunc(r.NeedIDs, func(id string) bool {
				n, ok := s.scorer.Need(id)
				return ok && mine[n.EmployerID]
			})
		}, nil
	}
	return nil, failure.Forbiddenf("no part in rounds")
}

// managedEmployers finds which employers of the rounds' needs the caller
// manages: the needs come from memory, and one need per employer is asked
// (register.Service.ManagedNeed, two key reads), not every need.
func (s *Service) managedEmployers(ctx context.Context, by auth.Principal, all []Round) (map[string]bool, error) {
	mine := map[string]bool{}
	for _, r := range all {
		for _, id := range r.NeedIDs {
			n, ok := s.scorer.Need(id)
			if !ok {
				continue
			}
			if _, asked := mine[n.EmployerID]; asked {
				continue
			}
			_, err := s.needs.ManagedNeed(ctx, by, id)
			switch {
			case err == nil:
				mine[n.EmployerID] = true
			case failure.Is(err, failure.Forbidden) || failure.Is(err, failure.NotFound):
				mine[n.EmployerID] = false
			default:
				return nil, fmt.Errorf("rounds of employer: %w", err)
			}
		}
	}
	return mine, nil
}

// viewFor is what the caller may see of r: officers all of it, others the
// round's needs and dates and their own preferences.
func (s *Service) viewFor(by auth.Principal, r Round) Round {
	if by.Role == auth.RoleOfficer {
		return s.withPreferences(r)
	}
	mine, _ := s.preference(r, by.UserID)
	r.Preferences, r.NeedRankings, r.Pins, r.Forbidden, r.LastRun = map[string][]string{}, map[string][]string{}, nil, nil, nil
	if mine != nil {
		r.Preferences[by.UserID] = mine
	}
	return r
}

// Board is an officer's view of one round: the round, its needs as the
// register holds them now, and (when asked for) the participants' names.
type Board struct {
	Round Round
	Needs map[string]register.Need // need id → need; a need deleted since is missing
	// People are everyone the round mentions: who ranked, who was ranked,
	// pinned, forbidden or placed, by profile id.
	People []string
	// Names are the people's names, read only when the officer asked to
	// see them, each read written to the person's audit log.
	Names map[string]string
}

// Board shows a round to an officer; with names, every participant's name
// is read through Identities for the purpose "placement_round".
func (s *Service) Board(ctx context.Context, by auth.Principal, id string, names bool, requestID string) (Board, error) {
	if by.Role != auth.RoleOfficer {
		return Board{}, failure.Forbiddenf("only officers see a round's board")
	}
	r, err := s.Get(ctx, by, id)
	if err != nil {
		return Board{}, err
	}
	b := Board{Round: r, Needs: map[string]register.Need{}, People: people(r), Names: map[string]string{}}
	for _, nid := range r.NeedIDs {
		if n, ok := s.scorer.Need(nid); ok {
			b.Needs[nid] = n
		}
	}
	if !names || s.identities == nil {
		return b, nil
	}
	for _, pid := range b.People {
		p, err := s.identities.ReadFull(ctx, by, pid, profile.Asked{Purpose: profile.PurposePlacementRound, RequestID: requestID})
		switch {
		case failure.Is(err, failure.NotFound):
			continue // erased since: no name
		case err != nil:
			return Board{}, fmt.Errorf("name of %s: %w", pid, err)
		}
		b.Names[pid] = p.DisplayName
	}
	return b, nil
}

// people lists every profile id the round mentions, sorted.
func people(r Round) []string {
	seen := map[string]bool{}
	for pid := range r.Preferences {
		seen[pid] = true
	}
	for _, ids := range r.NeedRankings {
		for _, pid := range ids {
			seen[pid] = true
		}
	}
	for _, p := range append(slices.Clone(r.Pins), r.Forbidden...) {
		seen[p.Candidate] = true
	}
	if r.LastRun != nil {
		for _, a := range r.LastRun.Assignments {
			for _, pid := range append(slices.Clone(a.Pinned), a.Candidates...) {
				seen[pid] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for pid := range seen {
		out = append(out, pid)
	}
	slices.Sort(out)
	return out
}

// Changes an officer makes to a round's pairs before running it again.
const (
	ChangePin     = "pin"     // place the person in the need, whatever the ranks say
	ChangeForbid  = "forbid"  // never place the person in the need
	ChangeRelease = "release" // drop the pair's pin or ban
)

// Change is one officer's change to a pair; a zero Change runs the round
// again as it is.
type Change struct {
	Op   string
	Pair allocation.Pair
}

// Rerun applies the change to the round's pins and forbidden pairs and
// runs the allocation again with them (officers). A person keeps at most
// one pin, and a pair is pinned or forbidden, not both.
func (s *Service) Rerun(ctx context.Context, by auth.Principal, id string, ch Change) (Round, error) {
	if by.Role != auth.RoleOfficer {
		return Round{}, failure.Forbiddenf("only officers run rounds")
	}
	return s.change(ctx, id, func(r *Round) error {
		pins, forbidden, err := changed(*r, ch)
		if err != nil {
			return err
		}
		return s.run(r, pins, forbidden)
	})
}

// changed returns the round's pins and bans after ch.
func changed(r Round, ch Change) (pins, forbidden []allocation.Pair, err error) {
	pins, forbidden = slices.Clone(r.Pins), slices.Clone(r.Forbidden)
	if ch.Op == "" {
		return pins, forbidden, nil
	}
	var fields []failure.FieldError
	if _, ok := r.Preferences[ch.Pair.Candidate]; !ok {
		fields = append(fields, failure.FieldError{Field: "profileId", Code: "not_in_round"})
	}
	if !slices.Contains(r.NeedIDs, ch.Pair.Need) {
		fields = append(fields, failure.FieldError{Field: "needId", Code: "not_in_round"})
	}
	if len(fields) > 0 {
		return nil, nil, failure.Fields(fields...)
	}
	same := func(p allocation.Pair) bool { return p == ch.Pair }
	pins, forbidden = slices.DeleteFunc(pins, same), slices.DeleteFunc(forbidden, same)
	switch ch.Op {
	case ChangePin:
		pins = slices.DeleteFunc(pins, func(p allocation.Pair) bool { return p.Candidate == ch.Pair.Candidate })
		pins = append(pins, ch.Pair)
	case ChangeForbid:
		forbidden = append(forbidden, ch.Pair)
	case ChangeRelease:
	default:
		return nil, nil, failure.Field("op", "oneof", ChangePin+" "+ChangeForbid+" "+ChangeRelease)
	}
	return pins, forbidden, nil
}
