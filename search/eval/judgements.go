package eval

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/search"
)

// A judgement is what any labour officer would sign: two candidates for a
// need (or two needs for a job-seeker) that differ in one respect, and
// which of them must rank first. Each is ranked by the product itself — a
// real index on disk holding only the judgement's documents, retrieval,
// hard filters and the explained score — so a judgement fails when the
// score orders the pair wrongly, and also when retrieval loses the one that
// should win.

// Directions of a judgement.
const (
	NeedToCandidates = "need→candidates"
	ProfileToNeeds   = "profile→needs"
)

// Judgement is a pair and the order it must rank in.
type Judgement struct {
	Name      string
	Direction string // NeedToCandidates or ProfileToNeeds
	// Set holds every document the index holds for the judgement: the
	// employer, the need or needs, the candidates.
	Set Set
	// Query is the need (NeedToCandidates) or the profile
	// (ProfileToNeeds) whose ranking is judged.
	Query string
	// Better must be ranked, and above Worse (which may be left out).
	Better, Worse string
}

// Verdict is a judgement's outcome.
type Verdict struct {
	Judgement Judgement
	Held      bool
	Ranking   []string // the ids ranked, best first
}

// JudgementDay is the day the judgements' needs are matched on.
const JudgementDay = "2026-06-01"

// ESCO skills of the judgements: care skills of different groups, none
// related to another (TestJudgementSkillsAreUnrelated), and a sibling of
// the first in its ESCO group.
const (
	SkillNursing     = "8b3aefd2-5021-418f-b069-828fb7abc598" // principles of nursing, group 0913
	SkillPersonCare  = "8168333b-8257-48f6-82c5-6b5128c21ecc" // person-centred care, group 0913: nursing's sibling
	SkillVitalSigns  = "60f826be-0c1b-413b-aad5-4f7546622e16" // monitor patient's vital signs
	SkillMedicines   = "2d6904db-9e16-42a5-bc12-c5acb8bfab18" // safe management of medicines
	SkillSignLang    = "e2088cd0-b174-468a-adc0-921efdadb337" // sign language
	SkillDriving     = "2a82241a-216e-44d8-bb50-6b9a0ef82084" // drive vehicles
	SkillCookFish    = "d01ea580-9718-4299-a6fd-08ea6d171a1b" // cook fish: unrelated to care
	SkillDisabilites = "6b28bb69-a6ef-42d4-84df-46e498f09297" // types of disability, group 0921
)

// UnrelatedSkills are the judgements' skills that must be unrelated to
// each other (all but the sibling).
var UnrelatedSkills = []string{SkillNursing, SkillVitalSigns, SkillMedicines, SkillSignLang, SkillDriving, SkillCookFish, SkillDisabilites}

// Places of the judgements.
var (
	jHaskovo      = register.GeoPoint{Lat: 41.9344, Lon: 25.5556}
	jDimitrovgrad = register.GeoPoint{Lat: 42.0573, Lon: 25.5931} // 14 km from Haskovo
)

var judgeEmployer = register.Employer{ID: "e1", Name: "Care home", Verified: true}

// jNeed is an open, open-ended on-site care job in Haskovo starting on
// 2026-09-01, asking for Bulgarian at B2 and for skills.
func jNeed(id string, skills ...register.SkillRequirement) register.Need {
	return register.Need{ID: id, EmployerID: judgeEmployer.ID, Kind: register.KindJob, Title: "Care assistant",
		Description: "Care work.", Location: register.Location{Municipality: "Хасково", Lat: jHaskovo.Lat, Lon: jHaskovo.Lon},
		WorkMode: "onsite", Positions: 1, Hours: "full_time", StartDate: "2026-09-01", Status: register.StatusOpen,
		Languages: []register.Language{{Code: "bg", Level: "B2"}}, Skills: skills, Seq: 1}
}

// jPerson is a consenting adult in Haskovo who travels 50 km, speaks
// Bulgarian at C1, is available now and holds skills.
func jPerson(id string, skills ...profile.Skill) profile.Profile {
	return profile.Profile{ID: id, BirthYear: 1990, Municipality: "Хасково", Lat: jHaskovo.Lat, Lon: jHaskovo.Lon,
		MaxTravelKm: 50, WorkModes: []string{"onsite"}, EducationLevel: 3, Hours: "any",
		Languages: []profile.Language{{Code: "bg", Level: "C1"}}, Consent: profile.Consent{Matching: true},
		Skills: skills, Seq: 1}
}

func req(id string, level int) register.SkillRequirement {
	return register.SkillRequirement{ID: id, Level: level, Required: true}
}

func pref(id string, level int) register.SkillRequirement {
	return register.SkillRequirement{ID: id, Level: level}
}

func has(id string, level int) profile.Skill {
	return profile.Skill{ID: id, Level: level, Evidence: profile.EvidenceDeclared}
}

func certified(id string, level int) profile.Skill {
	return profile.Skill{ID: id, Level: level, Evidence: profile.EvidenceCertified}
}

// forNeed is a judgement of two candidates, a and b, for need: a must rank
// first. others are more candidates in the index (they make skills common).
func forNeed(name string, need register.Need, a, b profile.Profile, others ...profile.Profile) Judgement {
	a.ID, b.ID = "better", "worse"
	return Judgement{Name: name, Direction: NeedToCandidates, Query: need.ID, Better: a.ID, Worse: b.ID,
		Set: Set{Employers: []register.Employer{judgeEmployer}, Needs: []register.Need{need},
			Candidates: append([]profile.Profile{a, b}, others...)}}
}

// forProfile is a judgement of two needs, a and b, for the person: a must
// rank first.
func forProfile(name string, p profile.Profile, a, b register.Need) Judgement {
	a.ID, b.ID = "better", "worse"
	return Judgement{Name: name, Direction: ProfileToNeeds, Query: p.ID, Better: a.ID, Worse: b.ID,
		Set: Set{Employers: []register.Employer{judgeEmployer}, Needs: []register.Need{a, b}, Candidates: []profile.Profile{p}}}
}

// with returns p changed by fn: the one respect in which a pair differs.
func with[T any](v T, fn func(*T)) T {
	fn(&v)
	return v
}

// commonHolders are n more people holding skill at level, so that it is
// common and a skill only one person holds is rare (its weight is
// several times higher).
func commonHolders(n int, skill string, level int) []profile.Profile {
	out := make([]profile.Profile, n)
	for i := range out {
		out[i] = jPerson(fmt.Sprintf("holder%02d", i), has(skill, level))
	}
	return out
}

// Judgements returns the suite: every judgement of issue 14, in both
// directions where a direction can tell them apart.
func Judgements() []Judgement {
	return append(needJudgements(), profileJudgements()...)
}

func needJudgements() []Judgement {
	two := jNeed("need", req(SkillNursing, 2), req(SkillVitalSigns, 2), pref(SkillSignLang, 2))
	base := jPerson("", has(SkillNursing, 2), has(SkillVitalSigns, 2))
	return []Judgement{
		forNeed("every required skill at the wanted level beats all of them a level below plus a preferred one", two,
			base, jPerson("", has(SkillNursing, 1), has(SkillVitalSigns, 1), has(SkillSignLang, 2))),
		forNeed("every required skill at expert level beats all of them a level below plus a certified preferred one",
			jNeed("need", req(SkillNursing, 4), req(SkillVitalSigns, 4), pref(SkillSignLang, 2)),
			jPerson("", has(SkillNursing, 4), has(SkillVitalSigns, 4)),
			jPerson("", has(SkillNursing, 3), has(SkillVitalSigns, 3), certified(SkillSignLang, 2))),
		forNeed("every required skill at the wanted level beats all of them a level below", two,
			base, jPerson("", has(SkillNursing, 1), has(SkillVitalSigns, 1))),
		forNeed("at the wanted level beats one level below", jNeed("need", req(SkillNursing, 3)),
			jPerson("", has(SkillNursing, 3)), jPerson("", has(SkillNursing, 2))),
		forNeed("a required skill beats a preferred one", two,
			jPerson("", has(SkillNursing, 2)), jPerson("", has(SkillSignLang, 2))),
		forNeed("a required skill held three levels below the wanted one beats only preferred skills, certified",
			jNeed("need", req(SkillNursing, 4), pref(SkillSignLang, 2), pref(SkillDriving, 2)),
			jPerson("", has(SkillNursing, 1)), jPerson("", certified(SkillSignLang, 2), certified(SkillDriving, 2))),
		forNeed("a common required skill beats a rare preferred one", two,
			jPerson("", has(SkillNursing, 2)), jPerson("", has(SkillSignLang, 2)),
			commonHolders(30, SkillNursing, 1)...),
		forNeed("certified beats declared", jNeed("need", req(SkillNursing, 2)),
			jPerson("", certified(SkillNursing, 2)), jPerson("", has(SkillNursing, 2))),
		forNeed("the skill itself beats a related one (ESCO group)", jNeed("need", req(SkillNursing, 2)),
			jPerson("", has(SkillNursing, 2)), jPerson("", has(SkillPersonCare, 2))),
		forNeed("a related skill beats nothing", jNeed("need", req(SkillNursing, 2), req(SkillVitalSigns, 2)),
			jPerson("", has(SkillVitalSigns, 2), has(SkillPersonCare, 2)), jPerson("", has(SkillVitalSigns, 2), has(SkillCookFish, 2))),
		forNeed("nearer beats farther, all else equal", two,
			base, with(base, func(p *profile.Profile) { p.Lat, p.Lon = jDimitrovgrad.Lat, jDimitrovgrad.Lon })),
		forNeed("a language requirement met beats one not met", two,
			base, with(base, func(p *profile.Profile) { p.Languages = []profile.Language{{Code: "bg", Level: "A2"}} })),
		forNeed("available by the start date beats available later", two,
			with(base, func(p *profile.Profile) { p.AvailableFrom = "2026-08-15" }),
			with(base, func(p *profile.Profile) { p.AvailableFrom = "2026-11-01" })),
		forNeed("more required skills at level beats more preferred skills",
			jNeed("need", req(SkillNursing, 2), req(SkillVitalSigns, 2), req(SkillMedicines, 2),
				pref(SkillSignLang, 2), pref(SkillDriving, 2)),
			jPerson("", has(SkillNursing, 2), has(SkillVitalSigns, 2)),
			jPerson("", has(SkillNursing, 2), has(SkillSignLang, 2), has(SkillDriving, 2))),
		forNeed("a much higher level than needed never outweighs a missing required skill",
			jNeed("need", req(SkillNursing, 1), req(SkillVitalSigns, 1), req(SkillMedicines, 1)),
			jPerson("", has(SkillNursing, 1), has(SkillVitalSigns, 1), has(SkillMedicines, 1)),
			jPerson("", has(SkillNursing, 4), has(SkillVitalSigns, 4))),
	}
}

func profileJudgements() []Judgement {
	person := jPerson("person", has(SkillNursing, 2), has(SkillVitalSigns, 2), has(SkillSignLang, 2))
	atLevel := jNeed("", req(SkillNursing, 2), req(SkillVitalSigns, 2))
	return []Judgement{
		forProfile("a need whose every required skill the person holds at level beats one wanting them a level higher plus a preferred one the person holds",
			person, atLevel, jNeed("", req(SkillNursing, 3), req(SkillVitalSigns, 3), pref(SkillSignLang, 2))),
		forProfile("a need wanting the person's level beats one wanting a level higher", person,
			jNeed("", req(SkillNursing, 2)), jNeed("", req(SkillNursing, 3))),
		forProfile("a need requiring the person's skill beats one only preferring it", person,
			jNeed("", req(SkillNursing, 2), pref(SkillMedicines, 2)), jNeed("", req(SkillMedicines, 2), pref(SkillNursing, 2))),
		forProfile("a need asking for the person's own skill beats one asking for a related one", person,
			jNeed("", req(SkillNursing, 2)), jNeed("", req(SkillPersonCare, 2))),
		forProfile("a need asking for a related skill beats one asking for nothing the person holds", person,
			jNeed("", req(SkillVitalSigns, 2), req(SkillPersonCare, 2)), jNeed("", req(SkillVitalSigns, 2), req(SkillCookFish, 2))),
		forProfile("a nearer need beats a farther one, all else equal", person,
			atLevel, with(atLevel, func(n *register.Need) {
				n.Location = register.Location{Municipality: "Димитровград", Lat: jDimitrovgrad.Lat, Lon: jDimitrovgrad.Lon}
			})),
		forProfile("a need whose language requirement the person meets beats one they do not", person,
			atLevel, with(atLevel, func(n *register.Need) { n.Languages = []register.Language{{Code: "de", Level: "B2"}} })),
		forProfile("a need starting once the person is available beats one starting before", with(person, func(p *profile.Profile) {
			p.AvailableFrom = "2026-08-15"
		}), atLevel, with(atLevel, func(n *register.Need) { n.StartDate = "2026-08-01" })),
		forProfile("a need where more of the person's skills are required beats one where more are only preferred", person,
			jNeed("", req(SkillNursing, 2), req(SkillVitalSigns, 2), req(SkillMedicines, 2)),
			jNeed("", req(SkillNursing, 2), req(SkillMedicines, 2), req(SkillDriving, 2), pref(SkillVitalSigns, 2), pref(SkillSignLang, 2))),
		forProfile("a need the person meets beats one where a much higher level held cannot make up for a missing skill",
			with(person, func(p *profile.Profile) { p.Skills = []profile.Skill{has(SkillNursing, 4), has(SkillVitalSigns, 1)} }),
			jNeed("", req(SkillNursing, 4), req(SkillVitalSigns, 1)),
			jNeed("", req(SkillNursing, 1), req(SkillVitalSigns, 1), req(SkillMedicines, 1))),
	}
}

// Judge ranks the judgement's query with a fresh index holding only the
// judgement's documents and says whether Better ranks, above Worse.
func Judge(ctx context.Context, tx *taxonomy.Taxonomy, j Judgement) (Verdict, error) {
	v := Verdict{Judgement: j}
	err := withIndex(ctx, tx, &j.Set, func(ix *search.Index) error {
		var err error
		v.Ranking, err = rankFor(ctx, ix, j)
		return err
	})
	if err != nil {
		return v, fmt.Errorf("%s: %w", j.Name, err)
	}
	b, w := slices.Index(v.Ranking, j.Better), slices.Index(v.Ranking, j.Worse)
	v.Held = b >= 0 && (w < 0 || b < w)
	return v, nil
}

// withIndex opens a real index in a temporary directory, fills it with set
// by the start-up catch-up, calls fn, then closes and removes it.
func withIndex(ctx context.Context, tx *taxonomy.Taxonomy, set *Set, fn func(*search.Index) error) (err error) {
	dir, err := os.MkdirTemp("", "skillsmatch-eval-index-")
	if err != nil {
		return fmt.Errorf("index dir: %w", err)
	}
	defer func() {
		if rmErr := os.RemoveAll(dir); err == nil && rmErr != nil {
			err = fmt.Errorf("remove index dir: %w", rmErr)
		}
	}()
	ix, err := search.Open(filepath.Join(dir, "index"), tx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if cErr := ix.Close(); err == nil && cErr != nil {
			err = fmt.Errorf("close index: %w", cErr)
		}
	}()
	if err := ix.CatchUp(ctx, NewSource(set), nil); err != nil {
		return fmt.Errorf("catch up: %w", err)
	}
	return fn(ix)
}

// rankFor is the product's ranking for the judgement's query, best first:
// candidates for a need, or the person's needs (good matches, then near
// misses, as the job-seeker sees them).
func rankFor(ctx context.Context, ix *search.Index, j Judgement) ([]string, error) {
	var ids []string
	if j.Direction == NeedToCandidates {
		n, ok := ix.Need(j.Query)
		if !ok {
			return nil, fmt.Errorf("no need %s", j.Query)
		}
		ms, err := ix.MatchCandidates(ctx, n, depth, "en")
		for _, m := range ms {
			ids = append(ids, m.Profile.ID)
		}
		return ids, err
	}
	p, ok := ix.Profile(j.Query)
	if !ok {
		return nil, fmt.Errorf("no profile %s", j.Query)
	}
	ms, err := ix.MatchNeeds(ctx, p, "", depth, "en", JudgementDay)
	for _, m := range append(ms.Items, ms.NearMisses...) {
		ids = append(ids, m.Need.ID)
	}
	return ids, err
}

// JudgeAll judges every judgement, each with its own index.
func JudgeAll(ctx context.Context, tx *taxonomy.Taxonomy, js []Judgement) ([]Verdict, error) {
	out := make([]Verdict, 0, len(js))
	for _, j := range js {
		v, err := Judge(ctx, tx, j)
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// PrintVerdicts writes how many judgements hold, then each that does not
// with the ranking the product gave.
func PrintVerdicts(w io.Writer, vs []Verdict) error {
	held := 0
	var failed []string
	for _, v := range vs {
		if v.Held {
			held++
			continue
		}
		failed = append(failed, fmt.Sprintf("  FAILS %s: %s (ranked %s; want %s above %s)", v.Judgement.Direction,
			v.Judgement.Name, strings.Join(v.Ranking, ", "), v.Judgement.Better, v.Judgement.Worse))
	}
	if _, err := fmt.Fprintf(w, "judgements: %d of %d hold\n", held, len(vs)); err != nil {
		return err
	}
	for _, f := range failed {
		if _, err := fmt.Fprintln(w, f); err != nil {
			return err
		}
	}
	return nil
}
