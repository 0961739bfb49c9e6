package round

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/careget/skillsmatch/internal/allocation"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/follow"
	"github.com/careget/skillsmatch/internal/match"
)

// Service runs rounds. Rounds are few next to the register, so they are
// kept in memory (a follow.Set: loaded at start-up, following the other
// replicas' writes) as well as in the store.
type Service struct {
	store    Store
	needs    Needs
	scorer   Scorer
	proposer Proposer
	now      func() time.Time
	// identities reads names for an officer's Board (ReadNamesWith).
	identities Identities

	changing sync.Mutex // one change to a round at a time in this process
	rounds   *follow.Set[Round]
	prefs    *follow.Set[Preference] // grouped by round id

	needsMu sync.Mutex
	needSet map[string]map[string]bool // round id → its needs (which never change), for checking rankings
}

// NewService wires rounds.
func NewService(st Store, needs Needs, scorer Scorer, proposer Proposer, now func() time.Time) *Service {
	rounds := follow.NewSet("rounds", st.RoundsAfter, follow.Rules[Round]{
		ID:      func(r Round) string { return r.ID },
		Version: func(r Round) int64 { return r.Version },
	})
	prefs := follow.NewSet("round preferences", st.PreferencesAfter, follow.Rules[Preference]{
		ID:      Preference.Key,
		Version: func(p Preference) int64 { return p.Version },
		Group:   func(p Preference) string { return p.RoundID },
	})
	return &Service{store: st, needs: needs, scorer: scorer, proposer: proposer, now: now, rounds: rounds, prefs: prefs,
		needSet: map[string]map[string]bool{}}
}

// Load reads every round and preference into memory.
func (s *Service) Load(ctx context.Context) error {
	if err := s.rounds.Load(ctx); err != nil {
		return err
	}
	return s.prefs.Load(ctx)
}

// Poll reads the rounds and preferences other replicas wrote since the
// last poll and keeps each one newer than the version held; it returns
// how many.
func (s *Service) Poll(ctx context.Context) (int, error) {
	now := s.now()
	n, err := s.rounds.Poll(ctx, now)
	if err != nil {
		return n, err
	}
	m, err := s.prefs.Poll(ctx, now)
	return n + m, err
}

// withPreferences is r with every job-seeker's ranking: those its document
// kept from before preferences had their own, and each one stored on its
// own since, which is newer.
func (s *Service) withPreferences(r Round) Round {
	own := s.prefs.InGroup(r.ID)
	if len(own) == 0 {
		return r
	}
	all := make(map[string][]string, len(r.Preferences)+len(own))
	maps.Copy(all, r.Preferences)
	for _, p := range own {
		if len(p.NeedIDs) == 0 {
			delete(all, p.ProfileID) // forgotten (Forget): the old inline ranking goes too
			continue
		}
		all[p.ProfileID] = p.NeedIDs
	}
	r.Preferences = all
	return r
}

// preference is one person's ranking in r, without gathering everyone's.
func (s *Service) preference(r Round, profileID string) ([]string, bool) {
	if p, ok := s.prefs.Get(PreferenceKey(r.ID, profileID)); ok {
		return p.NeedIDs, len(p.NeedIDs) > 0
	}
	ids, ok := r.Preferences[profileID]
	return ids, ok
}

// Create opens a round over needs of the programme's kind (officers).
func (s *Service) Create(ctx context.Context, by auth.Principal, r Round) (Round, error) {
	if by.Role != auth.RoleOfficer {
		return Round{}, failure.Forbiddenf("only officers open rounds")
	}
	fields := checkNew(r)
	first := firstPositions(r.NeedIDs)
	for i, id := range r.NeedIDs {
		n, err := s.needs.ManagedNeed(ctx, by, id)
		switch {
		case failure.Is(err, failure.NotFound):
			fields = append(fields, failure.FieldError{Field: fmt.Sprintf("needIds[%d]", i), Code: "not_found"})
		case err != nil:
			return Round{}, err
		case n.Kind != r.Programme:
			fields = append(fields, failure.FieldError{Field: fmt.Sprintf("needIds[%d]", i), Code: "oneof", Param: r.Programme})
		case first[id] != i:
			fields = append(fields, failure.FieldError{Field: fmt.Sprintf("needIds[%d]", i), Code: "unique"})
		}
	}
	if len(fields) > 0 {
		return Round{}, failure.Fields(fields...)
	}
	now := s.now().UTC()
	r.ID, r.Status, r.CreatedBy, r.CreatedAt, r.Version = auth.NewID(), StatusOpen, by.UserID, now, 1
	r.Preferences, r.NeedRankings = map[string][]string{}, map[string][]string{}
	if err := s.store.InsertRound(ctx, r); err != nil {
		return Round{}, fmt.Errorf("create round: %w", err)
	}
	s.rounds.Keep(r)
	return r, nil
}

// checkNew checks what an officer gives for a new round: a name of 3 to
// 200 characters, a programme, a closing time and at least one need.
func checkNew(r Round) []failure.FieldError {
	var fields []failure.FieldError
	if n := utf8.RuneCountInString(strings.TrimSpace(r.Name)); n < 3 || n > 200 {
		fields = append(fields, failure.FieldError{Field: "name", Code: "length", Param: "3..200"})
	}
	if r.Programme != ProgrammeInternship && r.Programme != ProgrammeCarePathway {
		fields = append(fields, failure.FieldError{Field: "programme", Code: "oneof", Param: ProgrammeInternship + " " + ProgrammeCarePathway})
	}
	if r.ClosesAt.IsZero() {
		fields = append(fields, failure.FieldError{Field: "closesAt", Code: "required"})
	}
	if len(r.NeedIDs) == 0 {
		fields = append(fields, failure.FieldError{Field: "needIds", Code: "required"})
	}
	return fields
}

// Get returns a round. Officers see everything; others see the round's
// needs and dates but no one else's preferences.
func (s *Service) Get(ctx context.Context, by auth.Principal, id string) (Round, error) {
	r, ok := s.rounds.Get(id)
	if !ok {
		return Round{}, failure.NotFoundf("round")
	}
	return s.viewFor(by, r), nil
}

// SetPreferences records a job-seeker's ranking of the round's needs. It
// writes the person's own preference (compare-and-set on its version),
// not the round: recording one costs the same in a round of ten people as
// in a national one. It returns the round as the caller sees it.
func (s *Service) SetPreferences(ctx context.Context, by auth.Principal, id string, needIDs []string) (Round, error) {
	if by.Role != auth.RoleJobseeker {
		return Round{}, failure.Forbiddenf("only job-seekers rank needs")
	}
	if _, ok := s.scorer.Profile(by.UserID); !ok {
		return Round{}, failure.Conflictf("no_profile", "create a profile before taking part in a round")
	}
	// Under the lock of the round's changes, so that none of this process's
	// runs or publications of the round comes between the check and the write.
	s.changing.Lock()
	defer s.changing.Unlock()
	r, ok := s.rounds.Get(id)
	if !ok {
		return Round{}, failure.NotFoundf("round")
	}
	if err := s.open(&r); err != nil {
		return Round{}, err
	}
	if err := rankedIn("needIds", needIDs, s.roundNeeds(r)); err != nil {
		return Round{}, err
	}
	cur, _ := s.prefs.Get(PreferenceKey(id, by.UserID))
	next := Preference{RoundID: id, ProfileID: by.UserID, NeedIDs: needIDs, Version: cur.Version + 1}
	stored, err := s.store.PutPreference(ctx, next, cur.Version)
	if err != nil {
		return Round{}, fmt.Errorf("set preferences in round %s: %w", id, err)
	}
	if !stored {
		return Round{}, failure.Conflictf("concurrent_change", "your preferences in round %s changed meanwhile", id)
	}
	s.prefs.Keep(next)
	return s.viewFor(by, r), nil
}

// roundNeeds is the set of r's needs, made once per round: a national
// round has 100,000, which a ranking's check would otherwise walk.
func (s *Service) roundNeeds(r Round) map[string]bool {
	s.needsMu.Lock()
	defer s.needsMu.Unlock()
	set, ok := s.needSet[r.ID]
	if !ok {
		set = make(map[string]bool, len(r.NeedIDs))
		for _, id := range r.NeedIDs {
			set[id] = true
		}
		s.needSet[r.ID] = set
	}
	return set
}

// SetNeedRanking records an employer's (or officer's) ranking of the
// candidates for one of the round's needs.
func (s *Service) SetNeedRanking(ctx context.Context, by auth.Principal, id, needID string, profileIDs []string) (Round, error) {
	if _, err := s.needs.ManagedNeed(ctx, by, needID); err != nil {
		return Round{}, err
	}
	return s.change(ctx, id, func(r *Round) error {
		if err := s.open(r); err != nil {
			return err
		}
		if !slices.Contains(r.NeedIDs, needID) {
			return failure.NotFoundf("need in this round")
		}
		if err := ranked("profileIds", profileIDs); err != nil {
			return err
		}
		r.NeedRankings = maps.Clone(r.NeedRankings)
		r.NeedRankings[needID] = profileIDs
		return nil
	})
}

// RunRound allocates the places with the officer's pins and forbidden
// pairs and keeps the result on the round (officers).
func (s *Service) RunRound(ctx context.Context, by auth.Principal, id string, pins, forbidden []allocation.Pair) (Round, error) {
	if by.Role != auth.RoleOfficer {
		return Round{}, failure.Forbiddenf("only officers run rounds")
	}
	return s.change(ctx, id, func(r *Round) error { return s.run(r, pins, forbidden) })
}

// run allocates the open round r with the pins and forbidden pairs and
// keeps them and the result on r.
func (s *Service) run(r *Round, pins, forbidden []allocation.Pair) error {
	if r.Status != StatusOpen {
		return failure.Conflictf("round_published", "round %s is published", r.ID)
	}
	in, err := s.input(*r, pins, forbidden)
	if err != nil {
		return err
	}
	res, err := allocation.Run(in)
	if err != nil {
		return apiFields(err)
	}
	r.Pins, r.Forbidden = pins, forbidden
	r.LastRun = &Run{At: s.now().UTC(), Assignments: res.Assignments, Unassigned: res.Unassigned,
		BlockingPairs: allocation.BlockingPairs(res), Stats: res.Stats}
	return nil
}

// input builds the allocation: the candidates' rankings, and for each
// need its employer's ranking or else the candidates' match scores.
func (s *Service) input(r Round, pins, forbidden []allocation.Pair) (allocation.Input, error) {
	in := allocation.Input{Pins: pins, Forbidden: forbidden}
	listed := map[string][]string{} // need → candidates who listed it
	for _, pid := range slices.Sorted(maps.Keys(r.Preferences)) {
		in.Candidates = append(in.Candidates, allocation.Candidate{ID: pid, Preferences: r.Preferences[pid]})
		for _, nid := range r.Preferences[pid] {
			listed[nid] = append(listed[nid], pid)
		}
	}
	for _, nid := range r.NeedIDs {
		n, ok := s.scorer.Need(nid)
		if !ok {
			continue // deleted since the round opened: nobody gets it
		}
		an := allocation.Need{ID: nid, Positions: n.Positions}
		if ranking, ok := r.NeedRankings[nid]; ok {
			an.Ranking = ranking
		} else {
			scores, err := s.scorer.ScoreCandidates(n, listed[nid])
			if err != nil {
				return allocation.Input{}, err
			}
			an.Score = allocation.ScoreMap(scores)
		}
		in.Needs = append(in.Needs, an)
	}
	now := s.now()
	for i := range in.Candidates {
		c := &in.Candidates[i]
		p, known := s.scorer.Profile(c.ID)
		c.Preferences = slices.DeleteFunc(slices.Clone(c.Preferences), func(id string) bool {
			n, ok := s.scorer.Need(id)
			// Nobody is placed where the rules for young workers (or a held
			// profile) forbid it, whatever an employer's ranking says.
			if !ok || !known {
				return true
			}
			_, _, err := match.YoungWorker(n, p, now)
			return err != nil
		})
	}
	return in, nil
}

// Publish turns the last run's assignments into proposed matches for the
// office's review, and closes the round.
func (s *Service) Publish(ctx context.Context, by auth.Principal, id string) (Round, int, error) {
	if by.Role != auth.RoleOfficer {
		return Round{}, 0, failure.Forbiddenf("only officers publish rounds")
	}
	created := 0
	r, err := s.change(ctx, id, func(r *Round) error {
		if r.Status != StatusOpen {
			return failure.Conflictf("round_published", "round %s is published", r.ID)
		}
		if r.LastRun == nil {
			return failure.Conflictf("round_not_run", "run round %s before publishing it", r.ID)
		}
		for _, a := range r.LastRun.Assignments {
			n, ok := s.scorer.Need(a.Need)
			if !ok {
				continue
			}
			for _, pid := range append(slices.Clone(a.Pinned), a.Candidates...) {
				p, ok := s.scorer.Profile(pid)
				if !ok {
					continue // erased since the run
				}
				_, err := s.proposer.Propose(ctx, by, n, p, r.ID)
				switch {
				case err == nil:
					created++
				case !failure.Is(err, failure.Conflict):
					return err
				}
				// A conflict is a match that exists already (the person applied)
				// or one the rules forbid (a minor on night work): none is made.
			}
		}
		r.Status = StatusPublished
		return nil
	})
	return r, created, err
}

func (s *Service) open(r *Round) error {
	if r.Status != StatusOpen {
		return failure.Conflictf("round_published", "round %s is published", r.ID)
	}
	if !s.now().Before(r.ClosesAt) {
		return failure.Conflictf("round_closed", "round %s closed for preferences", r.ID)
	}
	return nil
}

// change applies fn to a copy of the round with every preference and
// stores it with a compare-and-set on its version. The round's document
// keeps only the preferences it had: the others are stored on their own.
func (s *Service) change(ctx context.Context, id string, fn func(*Round) error) (Round, error) {
	s.changing.Lock()
	defer s.changing.Unlock()
	r, ok := s.rounds.Get(id)
	if !ok {
		return Round{}, failure.NotFoundf("round")
	}
	next := s.withPreferences(r)
	if err := fn(&next); err != nil {
		return Round{}, err
	}
	next.Preferences, next.Version = r.Preferences, r.Version+1
	ok, err := s.store.UpdateRound(ctx, next, r.Version)
	if err != nil {
		return Round{}, fmt.Errorf("update round %s: %w", id, err)
	}
	if !ok {
		return Round{}, failure.Conflictf("concurrent_change", "round %s changed meanwhile", id)
	}
	s.rounds.Keep(next)
	return s.withPreferences(next), nil
}

// ranked checks a ranking: no duplicates.
func ranked(field string, ids []string) error { return rankedIn(field, ids, nil) }

// rankedIn checks a ranking: no duplicates, and (if allowed is given) only
// allowed ids.
func rankedIn(field string, ids []string, allowed map[string]bool) error {
	var fields []failure.FieldError
	for i, id := range ids {
		if slices.Index(ids, id) != i {
			fields = append(fields, failure.FieldError{Field: fmt.Sprintf("%s[%d]", field, i), Code: "unique"})
		} else if allowed != nil && !allowed[id] {
			fields = append(fields, failure.FieldError{Field: fmt.Sprintf("%s[%d]", field, i), Code: "not_in_round"})
		}
	}
	if len(fields) > 0 {
		return failure.Fields(fields...)
	}
	return nil
}

// firstPositions maps each id to its first position in ids: finding
// repeats in a national round's 100,000 needs by slices.Index would take
// five billion comparisons.
func firstPositions(ids []string) map[string]int {
	first := make(map[string]int, len(ids))
	for i, id := range ids {
		if _, ok := first[id]; !ok {
			first[id] = i
		}
	}
	return first
}

// apiFields renames the allocation's field paths to the API's names
// (pins[0].candidate → pins[0].profileId).
func apiFields(err error) error {
	fe, ok := failure.As(err)
	if !ok || len(fe.Fields) == 0 {
		return err
	}
	out := *fe
	out.Fields = slices.Clone(fe.Fields)
	for i, f := range out.Fields {
		f.Field = strings.NewReplacer(".candidate", ".profileId", ".need", ".needId").Replace(f.Field)
		out.Fields[i] = f
	}
	return &out
}
