package eval

import (
	"bytes"
	"context"
	"slices"
	"testing"
)

// TestJudgementSkillsAreUnrelated checks the premise of the judgements:
// their skills are unrelated in ESCO (no shared group, neither an
// ancestor of another), but for the sibling, which shares the nursing
// skill's group. Otherwise a judgement could hold for another reason than
// the one it names.
func TestJudgementSkillsAreUnrelated(t *testing.T) {
	tx := esco(t)
	related := func(a, b string) bool {
		g := tx.GroupOf(a)
		return (g != "" && g == tx.GroupOf(b)) || slices.Contains(tx.Ancestors(a), b) || slices.Contains(tx.Ancestors(b), a)
	}
	for i, a := range UnrelatedSkills {
		if _, ok := tx.Skill(a); !ok {
			t.Errorf("skill %s is not in ESCO", a)
		}
		for _, b := range UnrelatedSkills[i+1:] {
			if related(a, b) {
				t.Errorf("%s (%s) and %s (%s) are related", a, tx.Label(a, "en"), b, tx.Label(b, "en"))
			}
		}
		if a != SkillNursing && related(a, SkillPersonCare) {
			t.Errorf("the sibling %s is related to %s (%s)", SkillPersonCare, a, tx.Label(a, "en"))
		}
	}
	if tx.GroupOf(SkillPersonCare) != tx.GroupOf(SkillNursing) {
		t.Errorf("%s and %s: not of one ESCO group", SkillPersonCare, SkillNursing)
	}
}

// TestJudgements runs every judgement through the product's ranking: a
// real index on disk, retrieval, hard filters, the explained score. The
// first one failed before the score's level credit (ranking v2): a person
// holding every required skill at the wanted level ranked below one holding
// them a level too low plus a preferred skill.
func TestJudgements(t *testing.T) {
	tx := esco(t)
	js := Judgements()
	if len(js) < 20 {
		t.Fatalf("%d judgements, want the issue's eleven in both directions", len(js))
	}
	for _, j := range js {
		t.Run(j.Direction+"/"+j.Name, func(t *testing.T) {
			v, err := Judge(context.Background(), tx, j)
			if err != nil {
				t.Fatal(err)
			}
			if !v.Held {
				t.Errorf("ranked %v, want %s ranked and above %s", v.Ranking, j.Better, j.Worse)
			}
		})
	}
}

// TestJudgeSeesAWrongOrder: a judgement turned round must fail, or the
// suite could not fail at all.
func TestJudgeSeesAWrongOrder(t *testing.T) {
	tx := esco(t)
	j := Judgements()[0]
	j.Better, j.Worse = j.Worse, j.Better
	v, err := Judge(context.Background(), tx, j)
	if err != nil {
		t.Fatal(err)
	}
	if v.Held {
		t.Errorf("the judgement turned round holds (ranked %v)", v.Ranking)
	}
}

func TestPrintVerdicts(t *testing.T) {
	vs := []Verdict{
		{Judgement: Judgement{Name: "a", Direction: NeedToCandidates, Better: "better", Worse: "worse"}, Held: true},
		{Judgement: Judgement{Name: "b", Direction: ProfileToNeeds, Better: "better", Worse: "worse"},
			Ranking: []string{"worse", "better"}},
	}
	var out bytes.Buffer
	if err := PrintVerdicts(&out, vs); err != nil {
		t.Fatal(err)
	}
	want := "judgements: 1 of 2 hold\n  FAILS profile→needs: b (ranked worse, better; want better above worse)\n"
	if out.String() != want {
		t.Errorf("PrintVerdicts =\n%s\nwant\n%s", out.String(), want)
	}
}
