package search_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
	"github.com/careget/skillsmatch/search/eval"
	"github.com/careget/skillsmatch/search/score"
)

// ESCO skills of the retrieval tests.
const (
	nursingPrinciples = "8b3aefd2-5021-418f-b069-828fb7abc598" // group 0913, nursing and midwifery
	personCentredCare = "8168333b-8257-48f6-82c5-6b5128c21ecc" // group 0913: a sibling of nursing principles
	disabilityTypes   = "6b28bb69-a6ef-42d4-84df-46e498f09297" // group 0921: unrelated to both
)

// Places of the retrieval tests, with distances from Haskovo.
var (
	haskovo      = register.GeoPoint{Lat: 41.9344, Lon: 25.5556}
	dimitrovgrad = register.GeoPoint{Lat: 42.0573, Lon: 25.5931} // 14 km
	plovdiv      = register.GeoPoint{Lat: 42.1354, Lon: 24.7453} // 71 km
	sofia        = register.GeoPoint{Lat: 42.6977, Lon: 23.3219} // 202 km
)

const matchDay = "2026-06-01" // the day needs are matched on

var loadTaxonomy = sync.OnceValues(taxonomy.Load)

func escoTaxonomy(t *testing.T) *taxonomy.Taxonomy {
	t.Helper()
	if testing.Short() {
		t.Skip("loading the taxonomy takes seconds")
	}
	tx, err := loadTaxonomy()
	if err != nil {
		t.Fatalf("taxonomy.Load: %v", err)
	}
	return tx
}

// openIndex opens a fresh index on disk and catches up with set.
func openIndex(t *testing.T, tx *taxonomy.Taxonomy, set *eval.Set) *search.Index {
	t.Helper()
	ix, err := search.Open(t.TempDir(), tx, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := ix.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if err := ix.CatchUp(context.Background(), eval.NewSource(set), nil); err != nil {
		t.Fatalf("CatchUp: %v", err)
	}
	return ix
}

var employer = register.Employer{ID: "e1", Name: "Clinic", Verified: true}

// careNeed is an open on-site job at place asking for skills (required, at
// level 2).
func careNeed(id string, seq int64, place register.GeoPoint, skills ...string) register.Need {
	n := register.Need{ID: id, EmployerID: employer.ID, Kind: register.KindJob, Title: "Nurse", Description: "Care work.",
		Location: register.Location{Lat: place.Lat, Lon: place.Lon}, WorkMode: "onsite", Positions: 1, Hours: "full_time",
		StartDate: "2026-09-01", Status: register.StatusOpen, Seq: seq}
	for _, s := range skills {
		n.Skills = append(n.Skills, register.SkillRequirement{ID: s, Level: 2, Required: true})
	}
	return n
}

// seeker is an adult at place who travels km, consents to matching and
// holds skills at level 3.
func seeker(id string, seq int64, place register.GeoPoint, km int, skills ...string) profile.Profile {
	p := profile.Profile{ID: id, BirthYear: 1990, Lat: place.Lat, Lon: place.Lon, MaxTravelKm: km,
		WorkModes: []string{"onsite"}, EducationLevel: 3, Hours: "any", Consent: profile.Consent{Matching: true}, Seq: seq}
	for _, s := range skills {
		p.Skills = append(p.Skills, profile.Skill{ID: s, Level: 3, Evidence: profile.EvidenceDeclared})
	}
	return p
}

func candidateIDs(ms []search.CandidateMatch) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Profile.ID
	}
	return out
}

func needIDs(ms search.NeedMatches) []string {
	var out []string
	for _, m := range append(slices.Clone(ms.Items), ms.NearMisses...) {
		out = append(out, m.Need.ID)
	}
	return out
}

// TestRelatedSkillsOnlyWhenFewHoldTheSkill: a need whose skill no one holds
// still finds the person holding a sibling skill of its ESCO group (and the
// person finds the need), but not someone with unrelated skills; once
// enough people hold the skill itself, the sibling's holder is left out.
func TestRelatedSkillsOnlyWhenFewHoldTheSkill(t *testing.T) {
	tx := escoTaxonomy(t)
	ctx := context.Background()
	// The premise: the two skills are related only through their group.
	g := tx.GroupOf(nursingPrinciples)
	if g == "" || tx.GroupOf(personCentredCare) != g || tx.GroupOf(disabilityTypes) == g ||
		slices.Contains(tx.Ancestors(personCentredCare), nursingPrinciples) || slices.Contains(tx.Ancestors(nursingPrinciples), personCentredCare) {
		t.Fatalf("ESCO: %s and %s are not siblings of one group (%q) apart from %s", nursingPrinciples, personCentredCare, g, disabilityTypes)
	}
	need := careNeed("n1", 1, haskovo, nursingPrinciples)
	set := &eval.Set{Employers: []register.Employer{employer}, Needs: []register.Need{need},
		Candidates: []profile.Profile{
			seeker("sibling", 1, haskovo, 30, personCentredCare),
			seeker("stranger", 2, haskovo, 30, disabilityTypes),
		}}
	ix := openIndex(t, tx, set)

	got, err := ix.MatchCandidates(ctx, need, 10, "en")
	if err != nil {
		t.Fatalf("MatchCandidates: %v", err)
	}
	if ids := candidateIDs(got); !slices.Equal(ids, []string{"sibling"}) {
		t.Fatalf("MatchCandidates(need for %s) = %v, want [sibling]", tx.Label(nursingPrinciples, "en"), ids)
	}
	if m := got[0].Explanation.MatchedSkills; len(m) != 1 || m[0].Via != score.ViaRelated || m[0].Relation != score.RelationSameGroup {
		t.Errorf("MatchCandidates: sibling's matched skills = %+v, want %s through the same group", m, nursingPrinciples)
	}
	p, _ := ix.Profile("sibling")
	needs, err := ix.MatchNeeds(ctx, p, "", 10, "en", matchDay)
	if err != nil {
		t.Fatalf("MatchNeeds: %v", err)
	}
	if ids := needIDs(needs); !slices.Equal(ids, []string{"n1"}) {
		t.Errorf("MatchNeeds(sibling) items and near misses = %v, want [n1]", ids)
	}

	// Once ten people hold the skill itself, related skills are not looked
	// for, even when there is room for more.
	for i := range 10 {
		if err := ix.Register().ApplyProfile(seeker("exact"+string(rune('a'+i)), int64(10+i), haskovo, 30, nursingPrinciples), false); err != nil {
			t.Fatalf("ProfileChanged: %v", err)
		}
	}
	got, err = ix.MatchCandidates(ctx, need, 20, "en")
	if err != nil {
		t.Fatalf("MatchCandidates: %v", err)
	}
	if ids := candidateIDs(got); len(ids) != 10 || slices.Contains(ids, "sibling") {
		t.Errorf("MatchCandidates(limit 20) with ten exact holders = %v, want the ten of them", ids)
	}
}

// TestTravelCircles: only people whose travel circle holds an on-site
// need are matched to it, in both directions; for remote work, a person
// who works remotely is matched however far away they live. Someone who
// has not consented to matching is never matched.
func TestTravelCircles(t *testing.T) {
	tx := escoTaxonomy(t)
	ctx := context.Background()
	onsite := careNeed("onsite", 1, haskovo, nursingPrinciples)
	remote := careNeed("remote", 2, haskovo, nursingPrinciples)
	remote.WorkMode = score.ModeRemote
	farRemote := seeker("sofia-remote", 4, sofia, 20, nursingPrinciples)
	farRemote.WorkModes = []string{score.ModeRemote}
	unwilling := seeker("haskovo-no-consent", 6, haskovo, 30, nursingPrinciples)
	unwilling.WorkModes = []string{"onsite", score.ModeRemote}
	unwilling.Consent.Matching = false
	set := &eval.Set{Employers: []register.Employer{employer}, Needs: []register.Need{onsite, remote},
		Candidates: []profile.Profile{
			seeker("dimitrovgrad-30", 1, dimitrovgrad, 30, nursingPrinciples), // 14 km: in reach
			seeker("dimitrovgrad-10", 2, dimitrovgrad, 10, nursingPrinciples), // just out of reach
			seeker("plovdiv-30", 3, plovdiv, 30, nursingPrinciples),           // 71 km: out of reach
			farRemote,
			seeker("haskovo-0", 5, haskovo, 0, nursingPrinciples), // at the very place, going nowhere
			unwilling, // in reach of both, but never matched
		}}
	ix := openIndex(t, tx, set)

	for _, tt := range []struct {
		need register.Need
		want []string
	}{
		{onsite, []string{"dimitrovgrad-30", "haskovo-0"}},
		{remote, []string{"dimitrovgrad-30", "haskovo-0", "sofia-remote"}},
	} {
		got, err := ix.MatchCandidates(ctx, tt.need, 10, "en")
		if err != nil {
			t.Fatalf("MatchCandidates(%s): %v", tt.need.ID, err)
		}
		ids := candidateIDs(got)
		slices.Sort(ids)
		if !slices.Equal(ids, tt.want) {
			t.Errorf("MatchCandidates(%s) = %v, want %v", tt.need.ID, ids, tt.want)
		}
	}
	for _, tt := range []struct {
		profile string
		want    []string
	}{
		{"dimitrovgrad-30", []string{"onsite", "remote"}},
		{"dimitrovgrad-10", nil},
		{"plovdiv-30", nil},
		{"sofia-remote", []string{"remote"}},
		{"haskovo-0", []string{"onsite", "remote"}},
		{"haskovo-no-consent", nil},
	} {
		p, _ := ix.Profile(tt.profile)
		got, err := ix.MatchNeeds(ctx, p, "", 10, "en", matchDay)
		if err != nil {
			t.Fatalf("MatchNeeds(%s): %v", tt.profile, err)
		}
		ids := needIDs(got)
		slices.Sort(ids)
		if !slices.Equal(ids, tt.want) {
			t.Errorf("MatchNeeds(%s) = %v, want %v", tt.profile, ids, tt.want)
		}
	}
}

// contenderConfig is a small city: 30 needs of 30 occupations, about 700
// job-seekers, summaries that name some of their skills.
var contenderConfig = eval.Config{Seed: 7, Occupations: 30, NeedsPerOccupation: 1, PerOccupation: 16, Siblings: 4,
	Others: 100, Ineligible: 6, Today: eval.DefaultToday}

// TestFirstPlacesAreThoseOfTheFullRanking: the first ten candidates are
// exactly the first ten of ranking every candidate retrieved.
func TestFirstPlacesAreThoseOfTheFullRanking(t *testing.T) {
	tx := escoTaxonomy(t)
	ctx := context.Background()
	set := eval.Generate(tx, contenderConfig)
	ix := openIndex(t, tx, &set)
	const limit = 10
	deep := 0
	for _, n := range set.Needs {
		all, err := ix.MatchCandidates(ctx, n, 10*search.RetrieveDepth, "en")
		if err != nil {
			t.Fatalf("MatchCandidates(%s): %v", n.ID, err)
		}
		retrieved := candidateIDs(all)
		full, err := ix.RerankCandidates(ctx, n, retrieved, len(retrieved)+1, "en")
		if err != nil {
			t.Fatalf("RerankCandidates(%s): %v", n.ID, err)
		}
		want := full[:min(limit, len(full))]
		got, err := ix.MatchCandidates(ctx, n, limit, "en")
		if err != nil {
			t.Fatalf("MatchCandidates(%s): %v", n.ID, err)
		}
		sameRanking(t, "MatchCandidates("+n.ID+", 10)", got, want)
		got, err = ix.RerankCandidates(ctx, n, retrieved, limit, "en")
		if err != nil {
			t.Fatalf("RerankCandidates(%s): %v", n.ID, err)
		}
		sameRanking(t, "RerankCandidates("+n.ID+", 10)", got, want)
		if len(full) > limit {
			deep++
		}
	}
	if deep < len(set.Needs)/2 {
		t.Fatalf("only %d of %d needs have more than %d candidates: the set does not test the cut", deep, len(set.Needs), limit)
	}
}

// TestCandidateRankingIgnoresTheSummary: two candidates who differ only in
// a word of their summaries, which the employer may not read, rank with
// the same score and the same explanation for a need whose title and
// description contain that word; no part of it is text relevance.
func TestCandidateRankingIgnoresTheSummary(t *testing.T) {
	tx := escoTaxonomy(t)
	ctx := context.Background()
	need := careNeed("n1", 1, haskovo, nursingPrinciples)
	need.Title, need.Description = "Nurse, pregnant women's ward", "Care for pregnant women."
	plain := seeker("a-plain", 1, haskovo, 30, nursingPrinciples)
	plain.Summary = "Nurse with ten years on a ward."
	secret := seeker("b-secret", 2, haskovo, 30, nursingPrinciples)
	secret.Summary = "Nurse with ten years on a ward. Pregnant."
	set := &eval.Set{Employers: []register.Employer{employer}, Needs: []register.Need{need},
		Candidates: []profile.Profile{plain, secret}}
	ix := openIndex(t, tx, set)
	got, err := ix.MatchCandidates(ctx, need, 10, "en")
	if err != nil {
		t.Fatalf("MatchCandidates: %v", err)
	}
	if ids := candidateIDs(got); !slices.Equal(ids, []string{"a-plain", "b-secret"}) {
		t.Fatalf("MatchCandidates = %v, want both, tied and in id order", ids)
	}
	if got[0].Score != got[1].Score {
		t.Errorf("scores %v and %v differ by a word of the summary", got[0].Score, got[1].Score)
	}
	if a, b := fmt.Sprint(got[0].Explanation), fmt.Sprint(got[1].Explanation); a != b {
		t.Errorf("explanations differ by a word of the summary:\n%s\n%s", a, b)
	}
	for _, p := range got[1].Explanation.Parts {
		if p.Name == score.PartText && p.Weight != 0 {
			t.Errorf("text part %+v weighs in a candidate's score", p)
		}
	}
}

// sameRanking compares two rankings: the same people in the same order
// with the same scores. Scores may differ in their last bits: the BM25
// score Bleve gives a document for the same text varies that much with the
// other ids asked about in the same query.
func sameRanking(t *testing.T, what string, got, want []search.CandidateMatch) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s = %v, want %v", what, candidateIDs(got), candidateIDs(want))
		return
	}
	for i := range got {
		if got[i].Profile.ID != want[i].Profile.ID || math.Abs(got[i].Score-want[i].Score) > 1e-12 {
			t.Errorf("%s: place %d = %s %v, want %s %v", what, i+1, got[i].Profile.ID, got[i].Score, want[i].Profile.ID, want[i].Score)
			return
		}
	}
}

// TestEditedProfileRanksAtOnce: a profile edited after it was ranked (and
// so prepared and cached) ranks by its new skills at once, exactly as in an
// index that never saw the old version; an erased one is gone.
func TestEditedProfileRanksAtOnce(t *testing.T) {
	tx := escoTaxonomy(t)
	ctx := context.Background()
	need := careNeed("n1", 1, haskovo, nursingPrinciples, disabilityTypes)
	rival := seeker("rival", 1, haskovo, 30, nursingPrinciples, disabilityTypes)
	rival.Skills[0].Level = 2
	editor := seeker("editor", 2, haskovo, 30, nursingPrinciples)
	editor.Skills[0].Level = 1
	set := &eval.Set{Employers: []register.Employer{employer}, Needs: []register.Need{need},
		Candidates: []profile.Profile{rival, editor}}
	ix := openIndex(t, tx, set)

	before, err := ix.MatchCandidates(ctx, need, 10, "en")
	if err != nil {
		t.Fatalf("MatchCandidates: %v", err)
	}
	if ids := candidateIDs(before); !slices.Equal(ids, []string{"rival", "editor"}) {
		t.Fatalf("MatchCandidates before the edit = %v, want [rival editor]", ids)
	}

	edited := seeker("editor", 3, haskovo, 30, nursingPrinciples, disabilityTypes)
	for i := range edited.Skills {
		edited.Skills[i].Level, edited.Skills[i].Evidence = 4, profile.EvidenceCertified
	}
	if err := ix.Register().ApplyProfile(edited, false); err != nil {
		t.Fatalf("ProfileChanged: %v", err)
	}
	after, err := ix.MatchCandidates(ctx, need, 10, "en")
	if err != nil {
		t.Fatalf("MatchCandidates: %v", err)
	}
	if ids := candidateIDs(after); !slices.Equal(ids, []string{"editor", "rival"}) {
		t.Fatalf("MatchCandidates after the edit = %v, want [editor rival]", ids)
	}
	fresh := openIndex(t, tx, &eval.Set{Employers: set.Employers, Needs: set.Needs, Candidates: []profile.Profile{rival, edited}})
	want, err := fresh.MatchCandidates(ctx, need, 10, "en")
	if err != nil {
		t.Fatalf("MatchCandidates on a fresh index: %v", err)
	}
	sameRanking(t, "MatchCandidates after the edit", after, want)

	// Edited again to skills the need does not ask for, then erased.
	if err := ix.Register().ApplyProfile(seeker("editor", 4, haskovo, 30, personCentredCare), false); err != nil {
		t.Fatalf("ProfileChanged: %v", err)
	}
	got, err := ix.MatchCandidates(ctx, need, 10, "en")
	if err != nil {
		t.Fatalf("MatchCandidates: %v", err)
	}
	if len(got) != 2 || got[1].Profile.ID != "editor" || len(got[1].Explanation.MatchedSkills) != 1 ||
		got[1].Explanation.MatchedSkills[0].Via != score.ViaRelated {
		t.Errorf("MatchCandidates after the second edit = %v, want rival, then editor through a related skill only", candidateIDs(got))
	}
	if err := ix.Register().ApplyProfile(seeker("editor", 5, haskovo, 30), true); err != nil {
		t.Fatalf("ProfileChanged(erased): %v", err)
	}
	got, err = ix.MatchCandidates(ctx, need, 10, "en")
	if err != nil {
		t.Fatalf("MatchCandidates: %v", err)
	}
	if ids := candidateIDs(got); !slices.Equal(ids, []string{"rival"}) {
		t.Errorf("MatchCandidates after erasure = %v, want [rival]", ids)
	}
}

// TestPreparedNeedsFollowRarity: a need's skill weights follow how many
// people hold each skill, so after others come to hold one of its skills a
// job-seeker's score for it is what a fresh index gives, not what the
// prepared need cached before.
func TestPreparedNeedsFollowRarity(t *testing.T) {
	tx := escoTaxonomy(t)
	ctx := context.Background()
	need := careNeed("n1", 1, haskovo, nursingPrinciples, disabilityTypes)
	person := seeker("p0", 1, haskovo, 30, nursingPrinciples)
	set := &eval.Set{Employers: []register.Employer{employer}, Needs: []register.Need{need}, Candidates: []profile.Profile{person}}
	ix := openIndex(t, tx, set)
	scoreOf := func(ix *search.Index) float64 {
		t.Helper()
		ms, err := ix.MatchNeeds(ctx, person, "", 10, "en", "2026-03-02")
		if err != nil {
			t.Fatalf("MatchNeeds: %v", err)
		}
		all := append(slices.Clone(ms.Items), ms.NearMisses...)
		if len(all) != 1 {
			t.Fatalf("MatchNeeds = %v, want [n1]", needIDs(ms))
		}
		return all[0].Score
	}
	before := scoreOf(ix)
	var others []profile.Profile
	for i := range 6 {
		p := seeker(fmt.Sprintf("holder%d", i), int64(2+i), haskovo, 30, disabilityTypes)
		others = append(others, p)
		if err := ix.Register().ApplyProfile(p, false); err != nil {
			t.Fatalf("ProfileChanged: %v", err)
		}
	}
	after := scoreOf(ix)
	fresh := openIndex(t, tx, &eval.Set{Employers: set.Employers, Needs: set.Needs, Candidates: append([]profile.Profile{person}, others...)})
	if want := scoreOf(fresh); math.Abs(after-want) > 1e-9 {
		t.Errorf("score after six others came to hold the other skill = %v, a fresh index gives %v (before: %v)", after, want, before)
	}
	if after == before {
		t.Errorf("score did not move (%v) though the skill the person lacks became common", after)
	}
}

// TestCandidateRankingIgnoresTheExactPlace: two candidates who differ only
// in where in one 0.1° cell they live get the same score and explanation:
// an employer, who sees a municipality on the card, cannot find a home by
// moving its need and reading distances. The travel radius still counts
// from the exact point.
func TestCandidateRankingIgnoresTheExactPlace(t *testing.T) {
	tx := escoTaxonomy(t)
	ctx := context.Background()
	need := careNeed("n1", 1, haskovo, nursingPrinciples)
	west := seeker("a-west", 1, register.GeoPoint{Lat: 41.91, Lon: 25.51}, 30, nursingPrinciples)
	east := seeker("b-east", 2, register.GeoPoint{Lat: 41.98, Lon: 25.59}, 30, nursingPrinciples)
	near := seeker("c-near", 3, register.GeoPoint{Lat: 41.98, Lon: 25.59}, 5, nursingPrinciples) // 6 km away, travels 5
	set := &eval.Set{Employers: []register.Employer{employer}, Needs: []register.Need{need},
		Candidates: []profile.Profile{west, east, near}}
	ix := openIndex(t, tx, set)
	got, err := ix.MatchCandidates(ctx, need, 10, "en")
	if err != nil {
		t.Fatalf("MatchCandidates: %v", err)
	}
	if ids := candidateIDs(got); !slices.Equal(ids, []string{"a-west", "b-east"}) {
		t.Fatalf("MatchCandidates = %v, want the two who travel far enough, tied and in id order", ids)
	}
	if a, b := fmt.Sprint(got[0].Score, got[0].Explanation), fmt.Sprint(got[1].Score, got[1].Explanation); a != b {
		t.Errorf("the exact place shows through:\n%s\n%s", a, b)
	}
	if d := got[0].Explanation.DistanceKm; math.Abs(d-1.7) > 0.1 { // Haskovo to the cell's centre (41.95, 25.55)
		t.Errorf("DistanceKm = %.2f, want about 1.7 (to the centre of the cell)", d)
	}
}
