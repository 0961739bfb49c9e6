package search_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
	"github.com/careget/skillsmatch/search/eval"
	"github.com/careget/skillsmatch/search/score"
)

// exactConfig: 20 occupations with 20 needs each, about 1,000 job-seekers.
var exactConfig = eval.Config{Seed: 11, Occupations: 20, NeedsPerOccupation: 20, PerOccupation: 30, Siblings: 4,
	Others: 300, Ineligible: 12, Today: eval.DefaultToday}

const exactLimit = 20

// scatter varies what the evaluation set keeps uniform, so that every
// hard filter and the related-skill fallback come up: places over four
// towns with radii from 0 to 150 km and remote work; kinds wanted and
// offered; minors of every age, unknown ages and held profiles; no
// consent; availability windows and closing dates on either side of the
// day; closed needs and unverified employers; night, hazardous, light and
// part-time work; skills below, at and above the wanted level.
func scatter(set *eval.Set, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 99))
	towns := []register.GeoPoint{haskovo, haskovo, haskovo, haskovo, dimitrovgrad, plovdiv, sofia} // most in one town
	kinds := []string{register.KindJob, register.KindInternship, register.KindApprenticeship, register.KindCarePathway}
	place := func() (float64, float64) {
		t := towns[rng.IntN(len(towns))]
		return t.Lat + (rng.Float64()-0.5)*0.2, t.Lon + (rng.Float64()-0.5)*0.2
	}
	day := func(from, spread int) string {
		return eval.DefaultToday.AddDate(0, 0, from+rng.IntN(spread)).Format(time.DateOnly)
	}
	for i := range set.Employers {
		set.Employers[i].Verified = rng.IntN(5) > 0
	}
	for i := range set.Needs {
		n := &set.Needs[i]
		n.Location.Lat, n.Location.Lon = place()
		n.Kind = register.KindJob
		if rng.IntN(3) == 0 {
			n.Kind = kinds[rng.IntN(len(kinds))]
		}
		n.WorkMode = []string{"onsite", "hybrid", score.ModeRemote}[rng.IntN(3)]
		n.Hours = []string{score.FullTime, score.PartTime}[rng.IntN(2)]
		n.NightWork, n.Hazardous, n.LightWork = rng.IntN(6) == 0, rng.IntN(6) == 0, rng.IntN(3) == 0
		n.StartDate = day(10, 200)
		n.EndDate = ""
		if rng.IntN(2) == 0 {
			n.EndDate = day(220, 200)
		}
		n.ApplyBy = ""
		if rng.IntN(4) == 0 {
			n.ApplyBy = day(-30, 90)
		}
		if rng.IntN(8) == 0 {
			n.Status = register.StatusClosed
		}
		if i%8 == 0 { // the skills of someone at random: often few hold them, and related skills widen the search
			p := set.Candidates[rng.IntN(len(set.Candidates))]
			n.Skills = nil
			for _, s := range p.Skills[:min(3, len(p.Skills))] {
				n.Skills = append(n.Skills, register.SkillRequirement{ID: s.ID})
			}
		}
		for j := range n.Skills {
			n.Skills[j].Level = []int{1, 1, 2, 2, 2, 3, 4}[rng.IntN(7)]
			n.Skills[j].Required = rng.IntN(6) == 0 // most people hold a few of the skills: good matches need few required
		}
	}
	for i := range set.Candidates {
		p := &set.Candidates[i]
		p.Lat, p.Lon = place()
		p.MaxTravelKm = []int{0, 5, 10, 20, 30, 30, 50, 50, 80, 150, 300}[rng.IntN(11)]
		p.WorkModes = []string{"onsite"}
		if rng.IntN(4) == 0 {
			p.WorkModes = append(p.WorkModes, score.ModeRemote)
		}
		p.Interests.Kinds = nil
		for _, k := range kinds {
			if rng.IntN(5) == 0 {
				p.Interests.Kinds = append(p.Interests.Kinds, k)
			}
		}
		p.Consent.Matching = rng.IntN(10) > 0
		p.AvailableFrom, p.AvailableTo = "", ""
		if rng.IntN(3) == 0 {
			p.AvailableFrom = day(0, 300)
		}
		if rng.IntN(4) == 0 {
			p.AvailableTo = day(300, 300)
		}
		p.Hours = []string{"any", score.FullTime, score.PartTime}[rng.IntN(3)]
		switch rng.IntN(12) {
		case 0: // a minor, 13 to 17 on the day
			p.BirthDate = eval.DefaultToday.AddDate(-13-rng.IntN(5), -rng.IntN(12), 0).Format(time.DateOnly)
			p.BirthYear, _ = fmt.Sscan(p.BirthDate[:4])
			p.NeedsGuardian = p.BirthDate > eval.DefaultToday.AddDate(-14, 0, 0).Format(time.DateOnly) && rng.IntN(2) == 0
		case 1: // age unknown
			p.BirthDate, p.BirthYear = "", 0
		}
		for j := range p.Skills {
			p.Skills[j].Level = []int{1, 2, 3, 3, 4, 4, 4}[rng.IntN(7)]
		}
	}
}

// TestRetrievalIsExact: on generated data, the first 20 of MatchCandidates
// and MatchNeeds (the pool's retrieval and its pruned re-rank) are those
// of the exhaustive re-rank (RerankCandidates, RerankNeeds) of every
// document that holds the query's skills (or, when fewer than five fit, a
// related one) and passes the retrieval's filters, in order and with the
// same scores; the near misses and next skills too. Hundreds of queries,
// every hard filter and the related-skill fallback among them.
func TestRetrievalIsExact(t *testing.T) {
	tx := escoTaxonomy(t)
	set := eval.Generate(tx, exactConfig)
	scatter(&set, 5)
	ix := openIndex(t, tx, &set)
	wider, widerNeeds, shown, minors := sameAsOracle(t, ix, oracle{tx: tx, set: &set})
	// The set must test what it claims: rankings cut at 20, the fallback,
	// minors shown.
	queries := len(set.Needs) + len(set.Candidates)
	if wider < 50 || queries-wider < 50 || widerNeeds < 10 || shown < 5000 || minors == 0 {
		t.Fatalf("%d of %d queries fell back to related skills, %d results shown, %d to minors: the set does not test the retrieval",
			wider, queries, shown, minors)
	}
	t.Logf("%d queries, %d fell back to related skills (%d of %d needs), %d results shown, %d to minors",
		queries, wider, widerNeeds, len(set.Needs), shown, minors)
}

// TestRetrievalFollowsMoves: the pool numbers documents by place and
// travel radius (poolplace.go); writes that move people and needs to
// other towns, widen or narrow a radius, or turn remote work on or off
// move them to the pool's tail, which is ordered again once it grows
// (here after 40 writes, so several times). Every ranking afterwards is
// still the exhaustive re-rank's, and the moves are seen: a person who
// moved away is no longer found near the old place.
func TestRetrievalFollowsMoves(t *testing.T) {
	defer search.SetTailSlack(40)()
	tx := escoTaxonomy(t)
	set := eval.Generate(tx, exactConfig)
	scatter(&set, 5)
	ix := openIndex(t, tx, &set)
	rng := rand.New(rand.NewPCG(17, 3))
	towns := []register.GeoPoint{haskovo, dimitrovgrad, plovdiv, sofia}
	seq := int64(1_000_000)
	for i := range set.Candidates {
		if i%3 != 0 {
			continue
		}
		p := &set.Candidates[i]
		town := towns[rng.IntN(len(towns))]
		p.Lat, p.Lon = town.Lat+(rng.Float64()-0.5)*0.2, town.Lon+(rng.Float64()-0.5)*0.2
		p.MaxTravelKm = []int{0, 10, 25, 40, 70, 150}[rng.IntN(6)]
		p.WorkModes = []string{"onsite"}
		if rng.IntN(3) == 0 {
			p.WorkModes = append(p.WorkModes, score.ModeRemote)
		}
		seq++
		p.Seq = seq
		if err := ix.Register().ApplyProfile(*p, false); err != nil {
			t.Fatal(err)
		}
	}
	for i := range set.Needs {
		if i%3 != 1 {
			continue
		}
		n := &set.Needs[i]
		town := towns[rng.IntN(len(towns))]
		n.Location.Lat, n.Location.Lon = town.Lat+(rng.Float64()-0.5)*0.2, town.Lon+(rng.Float64()-0.5)*0.2
		n.WorkMode = []string{"onsite", score.ModeRemote}[rng.IntN(2)]
		seq++
		n.Seq = seq
		if err := ix.Register().ApplyNeed(*n, false); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, shown, _ := sameAsOracle(t, ix, oracle{tx: tx, set: &set}); shown < 5000 {
		t.Fatalf("%d results shown: the set does not test the retrieval", shown)
	}
}

// sameAsOracle compares MatchCandidates and MatchNeeds for every need and
// job-seeker of the oracle's set with the exhaustive re-rank, and counts
// the queries that fell back to related skills (all, and of needs), the
// results shown and those shown to minors.
func sameAsOracle(t *testing.T, ix *search.Index, o oracle) (wider, widerNeeds, shown, minors int) {
	t.Helper()
	ctx := context.Background()
	for _, n := range o.set.Needs {
		want, related, err := o.candidates(ctx, ix, n)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ix.MatchCandidates(ctx, n, exactLimit, "en")
		if err != nil {
			t.Fatalf("MatchCandidates(%s): %v", n.ID, err)
		}
		sameRanking(t, fmt.Sprintf("MatchCandidates(%s, related %v)", n.ID, related), got, want)
		if related {
			wider++
			widerNeeds++
		}
		for _, m := range got {
			if m.PermitRequired {
				minors++
			}
		}
		shown += len(got)
	}
	today := eval.DefaultToday.Format(time.DateOnly)
	for i, p := range o.set.Candidates {
		kind := ""
		if i%5 == 0 {
			kind = register.KindJob
		}
		want, related, err := o.needs(ctx, ix, p, kind, today)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ix.MatchNeeds(ctx, p, kind, exactLimit, "en", today)
		if err != nil {
			t.Fatalf("MatchNeeds(%s): %v", p.ID, err)
		}
		what := fmt.Sprintf("MatchNeeds(%s, %q, related %v)", p.ID, kind, related)
		sameNeeds(t, what+" items", got.Items, want.Items)
		sameNeeds(t, what+" near misses", got.NearMisses, want.NearMisses)
		if a, b := fmt.Sprint(got.NextSkills), fmt.Sprint(want.NextSkills); a != b {
			t.Errorf("%s next skills = %s, want %s", what, a, b)
		}
		if related {
			wider++
		}
		for _, m := range got.Items {
			if m.PermitRequired {
				minors++
			}
		}
		shown += len(got.Items) + len(got.NearMisses)
	}
	return wider, widerNeeds, shown, minors
}

// oracle finds, by scanning every document, what the retrieval should
// hand the re-rank: the documents holding (or asking for) any of the
// query's skills, or with related any of their related terms (the group
// and direct broader concepts of each, and the skills themselves as
// such); for needs, only the open needs of verified employers, of the
// kinds wanted, still open for applications.
type oracle struct {
	tx  *taxonomy.Taxonomy
	set *eval.Set
}

// related are the terms under which skills relate to others (addGroups).
func (o oracle) related(skills []string) map[string]bool {
	out := map[string]bool{}
	for _, s := range skills {
		if g := o.tx.GroupOf(s); g != "" {
			out[g] = true
		}
		for _, b := range o.tx.Broader(s) {
			out[b] = true
		}
	}
	return out
}

// matches reports whether a document with skills answers a query for
// want, as the Bleve query of "skills" and "groups" terms did.
func (o oracle) matches(skills, want []string, related bool) bool {
	for _, s := range skills {
		if slices.Contains(want, s) {
			return true
		}
	}
	if !related {
		return false
	}
	terms := o.related(want)
	for _, s := range want {
		terms[s] = true
	}
	for _, s := range skills {
		if terms[s] {
			return true
		}
	}
	for g := range o.related(skills) {
		if terms[g] {
			return true
		}
	}
	return false
}

func (o oracle) candidates(ctx context.Context, ix *search.Index, n register.Need) ([]search.CandidateMatch, bool, error) {
	want := needSkills(n)
	for _, related := range []bool{false, true} {
		var ids []string
		for _, p := range o.set.Candidates {
			if o.matches(profileSkills(p), want, related) {
				ids = append(ids, p.ID)
			}
		}
		ms, err := ix.RerankCandidates(ctx, n, ids, exactLimit, "en")
		if err != nil || len(ms) >= min(exactLimit, 5) || related {
			return ms, related, err
		}
	}
	panic("unreachable")
}

func (o oracle) needs(ctx context.Context, ix *search.Index, p profile.Profile, kind, today string) (search.NeedMatches, bool, error) {
	verified := map[string]bool{}
	for _, e := range o.set.Employers {
		verified[e.ID] = e.Verified
	}
	kinds := search.WantedKinds(p, kind)
	want := profileSkills(p)
	for _, related := range []bool{false, true} {
		var ids []string
		for _, n := range o.set.Needs {
			if n.Status == register.StatusOpen && verified[n.EmployerID] && (n.ApplyBy == "" || n.ApplyBy >= today) &&
				(len(kinds) == 0 || slices.Contains(kinds, n.Kind)) && o.matches(needSkills(n), want, related) {
				ids = append(ids, n.ID)
			}
		}
		ms, err := ix.RerankNeeds(ctx, p, ids, exactLimit, "en")
		if err != nil || len(ms.Items) >= min(exactLimit, 5) || related {
			return ms, related, err
		}
	}
	panic("unreachable")
}

func needSkills(n register.Need) []string {
	var out []string
	for _, s := range n.Skills {
		out = append(out, s.ID)
	}
	return out
}

func profileSkills(p profile.Profile) []string {
	var out []string
	for _, s := range p.Skills {
		out = append(out, s.ID)
	}
	return out
}

// sameNeeds compares two rankings of needs: the same needs in the same
// order with the same scores and explanations. The text part's BM25 may
// differ in its last bits with the other needs asked about in the same
// query, so two needs whose scores are that close may swap.
func sameNeeds(t *testing.T, what string, got, want []search.NeedMatch) {
	t.Helper()
	ids := func(ms []search.NeedMatch) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Need.ID)
		}
		return out
	}
	if len(got) != len(want) {
		t.Errorf("%s = %v, want %v", what, ids(got), ids(want))
		return
	}
	for i := range got {
		if math.Abs(got[i].Score-want[i].Score) > 1e-9 || (got[i].Need.ID != want[i].Need.ID && !slices.Contains(ids(want), got[i].Need.ID)) {
			t.Errorf("%s: place %d = %s %v, want %s %v", what, i+1, got[i].Need.ID, got[i].Score, want[i].Need.ID, want[i].Score)
			return
		}
		if got[i].Need.ID == want[i].Need.ID && got[i].PermitRequired != want[i].PermitRequired {
			t.Errorf("%s: place %d: permit %v, want %v", what, i+1, got[i].PermitRequired, want[i].PermitRequired)
		}
	}
}

// TestPoolFollowsEveryWrite: the pool moves in the same call as the
// index's memory, so the next ranking after an erasure, a withdrawn
// consent, a need's deletion or closing, or an employer's lost
// verification no longer shows them; a renewed consent or verification
// shows them again.
func TestPoolFollowsEveryWrite(t *testing.T) {
	tx := escoTaxonomy(t)
	ctx := context.Background()
	other := register.Employer{ID: "e2", Name: "Home care", Verified: true, Seq: 1}
	first := careNeed("n1", 1, haskovo, nursingPrinciples)
	second := careNeed("n2", 2, dimitrovgrad, nursingPrinciples)
	second.EmployerID = other.ID
	set := &eval.Set{Employers: []register.Employer{employer, other}, Needs: []register.Need{first, second},
		Candidates: []profile.Profile{
			seeker("a", 1, haskovo, 30, nursingPrinciples),
			seeker("b", 2, haskovo, 30, nursingPrinciples),
			seeker("c", 3, haskovo, 30, nursingPrinciples),
		}}
	ix := openIndex(t, tx, set)
	candidates := func(want ...string) {
		t.Helper()
		got, err := ix.MatchCandidates(ctx, first, 10, "en")
		if err != nil {
			t.Fatalf("MatchCandidates: %v", err)
		}
		if ids := candidateIDs(got); !slices.Equal(ids, want) {
			t.Errorf("MatchCandidates = %v, want %v", ids, want)
		}
	}
	needs := func(who string, want ...string) {
		t.Helper()
		p, ok := ix.Profile(who)
		if !ok {
			p = seeker(who, 0, haskovo, 30, nursingPrinciples)
		}
		got, err := ix.MatchNeeds(ctx, p, "", 10, "en", matchDay)
		if err != nil {
			t.Fatalf("MatchNeeds: %v", err)
		}
		if ids := needIDs(got); !slices.Equal(ids, want) {
			t.Errorf("MatchNeeds(%s) = %v, want %v", who, ids, want)
		}
	}
	candidates("a", "b", "c")
	needs("c", "n1", "n2")

	if err := ix.Register().ApplyProfile(seeker("a", 4, haskovo, 30), true); err != nil {
		t.Fatal(err)
	}
	candidates("b", "c")
	withdrawn := seeker("b", 5, haskovo, 30, nursingPrinciples)
	withdrawn.Consent.Matching = false
	if err := ix.Register().ApplyProfile(withdrawn, false); err != nil {
		t.Fatal(err)
	}
	candidates("c")
	needs("b") // no consent: matched to nothing
	withdrawn.Consent.Matching, withdrawn.Seq = true, 6
	if err := ix.Register().ApplyProfile(withdrawn, false); err != nil {
		t.Fatal(err)
	}
	candidates("b", "c")

	if err := ix.Register().ApplyNeed(register.Need{ID: "n1", Seq: 3}, true); err != nil {
		t.Fatal(err)
	}
	needs("c", "n2")
	unverified := other
	unverified.Verified, unverified.Seq = false, 2
	if err := ix.Register().ApplyEmployer(unverified); err != nil {
		t.Fatal(err)
	}
	needs("c")
	unverified.Verified, unverified.Seq = true, 3
	if err := ix.Register().ApplyEmployer(unverified); err != nil {
		t.Fatal(err)
	}
	needs("c", "n2")
	closed := second
	closed.Status, closed.Seq = register.StatusClosed, 4
	if err := ix.Register().ApplyNeed(closed, false); err != nil {
		t.Fatal(err)
	}
	needs("c")
}

// TestPoolUnderConcurrentWrites: rankings in both directions run while
// profiles and needs change (run with -race): each ranking sees the pool
// whole, and the last state ranks as a fresh reading.
func TestPoolUnderConcurrentWrites(t *testing.T) {
	tx := escoTaxonomy(t)
	ctx := context.Background()
	need := careNeed("n1", 1, haskovo, nursingPrinciples)
	set := &eval.Set{Employers: []register.Employer{employer}, Needs: []register.Need{need}}
	ix := openIndex(t, tx, set)
	done := make(chan struct{})
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				if _, err := ix.MatchCandidates(ctx, need, 10, "en"); err != nil {
					errs <- err
					return
				}
				if _, err := ix.MatchNeeds(ctx, seeker("q", 0, haskovo, 30, nursingPrinciples), "", 10, "en", matchDay); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for i := range 200 {
		p := seeker(fmt.Sprintf("p%d", i%20), int64(i+1), haskovo, 30, nursingPrinciples)
		if err := ix.Register().ApplyProfile(p, i%7 == 0); err != nil {
			t.Fatal(err)
		}
		n := careNeed(fmt.Sprintf("n%d", 2+i%10), int64(i+2), dimitrovgrad, nursingPrinciples)
		if err := ix.Register().ApplyNeed(n, i%5 == 0); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	got, err := ix.MatchCandidates(ctx, need, 30, "en")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for i := range 20 {
		if last := 180 + i; last%7 != 0 { // p<i>'s last write, an erasure every seventh
			want = append(want, fmt.Sprintf("p%d", i))
		}
	}
	slices.Sort(want)
	ids := candidateIDs(got)
	slices.Sort(ids)
	if !slices.Equal(ids, want) {
		t.Errorf("after the writes MatchCandidates = %v, want %v", ids, want)
	}
}
