package allocation_test

import (
	"math"
	"slices"
	"testing"

	"github.com/careget/skillsmatch/internal/allocation"
	"github.com/careget/skillsmatch/internal/failure"
)

// cand and need keep the hand-made rounds short.
func cand(id string, prefs ...string) allocation.Candidate {
	return allocation.Candidate{ID: id, Preferences: prefs}
}

func need(id string, positions int, ranking ...string) allocation.Need {
	if ranking == nil {
		ranking = []string{}
	}
	return allocation.Need{ID: id, Positions: positions, Ranking: ranking}
}

func scored(id string, positions int, scores map[string]float64) allocation.Need {
	return allocation.Need{ID: id, Positions: positions, Score: allocation.ScoreMap(scores)}
}

// textbook is the example of Gale and Shapley (1962) with three stable
// matchings: everyone's first choice (candidate-optimal), everyone's second
// and everyone's third (need-optimal).
func textbook() allocation.Input {
	return allocation.Input{
		Candidates: []allocation.Candidate{
			cand("alpha", "A", "B", "C"),
			cand("beta", "B", "C", "A"),
			cand("gamma", "C", "A", "B"),
		},
		Needs: []allocation.Need{
			need("A", 1, "beta", "gamma", "alpha"),
			need("B", 1, "gamma", "alpha", "beta"),
			need("C", 1, "alpha", "beta", "gamma"),
		},
	}
}

// chain has a rejection chain over four rounds: c1 is turned down by A,
// displaces c3 at B, who displaces c2 at A, who is turned down by B.
func chain() allocation.Input {
	return allocation.Input{
		Candidates: []allocation.Candidate{cand("c1", "A", "B"), cand("c2", "A", "B"), cand("c3", "B", "A")},
		Needs:      []allocation.Need{need("A", 1, "c3", "c2", "c1"), need("B", 1, "c1", "c3", "c2")},
	}
}

func TestRunHandMadeRounds(t *testing.T) {
	tests := []struct {
		name       string
		in         allocation.Input
		want       map[string][]string // need → placed by the algorithm, in its order
		pinned     map[string][]string
		unassigned map[string]allocation.Reason
		proposals  int
		rounds     int
	}{
		{
			name:      "textbook: every candidate gets their first choice",
			in:        textbook(),
			want:      map[string][]string{"A": {"alpha"}, "B": {"beta"}, "C": {"gamma"}},
			proposals: 3, rounds: 1,
		},
		{
			name:       "rejection chain",
			in:         chain(),
			want:       map[string][]string{"A": {"c3"}, "B": {"c1"}},
			unassigned: map[string]allocation.Reason{"c2": allocation.ReasonAllChoicesFull},
			proposals:  6, rounds: 4,
		},
		{
			name: "capacities: two places kept in the need's order",
			in: allocation.Input{
				Candidates: []allocation.Candidate{
					cand("c1", "H1", "H2"), cand("c2", "H1", "H2"), cand("c3", "H1", "H2"), cand("c4", "H1", "H2"),
				},
				Needs: []allocation.Need{need("H1", 2, "c2", "c1", "c3", "c4"), need("H2", 1, "c4", "c3", "c2", "c1")},
			},
			want:       map[string][]string{"H1": {"c2", "c1"}, "H2": {"c4"}},
			unassigned: map[string]allocation.Reason{"c3": allocation.ReasonAllChoicesFull},
			proposals:  6, rounds: 2,
		},
		{
			name: "a place held in round one is lost to a better candidate later",
			in: allocation.Input{
				Candidates: []allocation.Candidate{cand("a", "X"), cand("b", "Y", "X"), cand("c", "Y")},
				Needs:      []allocation.Need{need("X", 1, "b", "a"), need("Y", 1, "c", "b")},
			},
			want:       map[string][]string{"X": {"b"}, "Y": {"c"}},
			unassigned: map[string]allocation.Reason{"a": allocation.ReasonAllChoicesFull},
			proposals:  4, rounds: 2,
		},
		{
			name: "unacceptable: left out of a ranking, or turned down by a score",
			in: allocation.Input{
				Candidates: []allocation.Candidate{cand("c1", "A"), cand("c2", "A"), cand("c3", "B"), cand("c4", "A", "B")},
				Needs: []allocation.Need{
					need("A", 2, "c1"),
					scored("B", 1, map[string]float64{"c4": 0.7}),
				},
			},
			want: map[string][]string{"A": {"c1"}, "B": {"c4"}},
			unassigned: map[string]allocation.Reason{
				"c2": allocation.ReasonNotAcceptable,
				"c3": allocation.ReasonNotAcceptable,
			},
			proposals: 2, rounds: 1,
		},
		{
			name: "a need with neither ranking nor score accepts nobody",
			in: allocation.Input{
				Candidates: []allocation.Candidate{cand("c1", "A")},
				Needs:      []allocation.Need{{ID: "A", Positions: 3}},
			},
			unassigned: map[string]allocation.Reason{"c1": allocation.ReasonNotAcceptable},
		},
		{
			name: "people ranked who are not in the round are ignored",
			in: allocation.Input{
				Candidates: []allocation.Candidate{cand("c1", "A"), cand("c2", "A")},
				Needs:      []allocation.Need{need("A", 1, "gone", "c2", "c1")},
			},
			want:       map[string][]string{"A": {"c2"}},
			unassigned: map[string]allocation.Reason{"c1": allocation.ReasonAllChoicesFull},
			proposals:  2, rounds: 1,
		},
		{
			name: "equal scores go to the smaller id in byte order",
			in: allocation.Input{
				Candidates: []allocation.Candidate{cand("c9", "N"), cand("c10", "N"), cand("c2", "N")},
				Needs:      []allocation.Need{scored("N", 1, map[string]float64{"c9": 0.8, "c10": 0.8, "c2": 0.5})},
			},
			want: map[string][]string{"N": {"c10"}},
			unassigned: map[string]allocation.Reason{
				"c9": allocation.ReasonAllChoicesFull,
				"c2": allocation.ReasonAllChoicesFull,
			},
			proposals: 3, rounds: 1,
		},
		{
			name: "ties keep the need's order in the assignment",
			in: allocation.Input{
				Candidates: []allocation.Candidate{cand("x", "M"), cand("a", "M"), cand("b", "M")},
				Needs:      []allocation.Need{scored("M", 2, map[string]float64{"x": 0.5, "a": 0.5, "b": 0.9})},
			},
			want:       map[string][]string{"M": {"b", "a"}},
			unassigned: map[string]allocation.Reason{"x": allocation.ReasonAllChoicesFull},
			proposals:  3, rounds: 1,
		},
		{
			name: "scores a hair apart are not ties",
			in: allocation.Input{
				Candidates: []allocation.Candidate{cand("a", "N"), cand("b", "N"), cand("c", "N")},
				Needs:      []allocation.Need{scored("N", 2, map[string]float64{"c": 0.5 + 1e-12, "b": 0.5, "a": 0.5})},
			},
			want:       map[string][]string{"N": {"c", "a"}},
			unassigned: map[string]allocation.Reason{"b": allocation.ReasonAllChoicesFull},
			proposals:  3, rounds: 1,
		},
		{
			name: "negative scores, infinities and signed zeros",
			in: allocation.Input{
				Candidates: []allocation.Candidate{
					cand("p", "N"), cand("z1", "N"), cand("z2", "N"), cand("m", "N"), cand("i", "N"), cand("j", "N"),
				},
				Needs: []allocation.Need{scored("N", 5, map[string]float64{
					"p": 1, "z1": math.Copysign(0, -1), "z2": 0, "m": -2, "i": math.Inf(1), "j": math.Inf(-1),
				})},
			},
			want:       map[string][]string{"N": {"i", "p", "z1", "z2", "m"}},
			unassigned: map[string]allocation.Reason{"j": allocation.ReasonAllChoicesFull},
			proposals:  6, rounds: 1,
		},
		{
			name: "a pin takes the only place",
			in: allocation.Input{
				Candidates: []allocation.Candidate{cand("c1"), cand("c2", "H")},
				Needs:      []allocation.Need{need("H", 1, "c2", "c1")},
				Pins:       []allocation.Pair{{Candidate: "c1", Need: "H"}},
			},
			pinned:     map[string][]string{"H": {"c1"}},
			unassigned: map[string]allocation.Reason{"c2": allocation.ReasonNoPlaces},
		},
		{
			name: "a pin overrides both sides and takes one of two places",
			in: allocation.Input{
				Candidates: []allocation.Candidate{cand("c1", "H"), cand("c2", "H"), cand("c3", "G", "H"), cand("c4")},
				Needs: []allocation.Need{
					need("H", 2, "c1", "c2", "c3"),
					need("G", 1, "c3"),
					need("P", 1), // accepts nobody, yet a pin puts someone there
				},
				Pins: []allocation.Pair{{Candidate: "c3", Need: "H"}, {Candidate: "c4", Need: "P"}},
			},
			want:       map[string][]string{"H": {"c1"}},
			pinned:     map[string][]string{"H": {"c3"}, "P": {"c4"}},
			unassigned: map[string]allocation.Reason{"c2": allocation.ReasonAllChoicesFull},
			proposals:  2, rounds: 1,
		},
		{
			name: "forbidden pairs are never assigned",
			in: allocation.Input{
				Candidates: []allocation.Candidate{
					cand("c1", "A", "B"), cand("c2", "A"), cand("c3", "A"), cand("c4", "A", "B"),
				},
				Needs: []allocation.Need{need("A", 1, "c1", "c3", "c4", "c2"), need("B", 1, "c1")},
				Forbidden: []allocation.Pair{
					{Candidate: "c1", Need: "A"}, {Candidate: "c3", Need: "A"}, {Candidate: "c4", Need: "A"},
					{Candidate: "c2", Need: "B"}, // c2 never listed B: harmless
				},
			},
			want: map[string][]string{"A": {"c2"}, "B": {"c1"}},
			unassigned: map[string]allocation.Reason{
				"c3": allocation.ReasonForbidden,
				"c4": allocation.ReasonNotAcceptable, // A forbidden, B does not rank them
			},
			proposals: 2, rounds: 1,
		},
		{
			name: "no preferences, and a need without places",
			in: allocation.Input{
				Candidates: []allocation.Candidate{cand("c1"), cand("c2", "Z"), cand("c3", "Z", "W"), cand("c4", "W")},
				Needs:      []allocation.Need{need("Z", 0, "c2", "c3"), need("W", 1, "c4", "c3")},
			},
			want: map[string][]string{"W": {"c4"}},
			unassigned: map[string]allocation.Reason{
				"c1": allocation.ReasonNoPreferences,
				"c2": allocation.ReasonNoPlaces,
				"c3": allocation.ReasonAllChoicesFull, // W would take them, but holds c4
			},
			proposals: 2, rounds: 1, // nobody proposes to Z: it has no place
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := allocation.Run(tt.in)
			if err != nil {
				t.Fatalf("Run() error = %v", err)
			}
			for _, a := range res.Assignments {
				if !slices.Equal(a.Candidates, tt.want[a.Need]) {
					t.Errorf("Run(): need %s got %v, want %v", a.Need, a.Candidates, tt.want[a.Need])
				}
				if !slices.Equal(a.Pinned, tt.pinned[a.Need]) {
					t.Errorf("Run(): need %s pinned %v, want %v", a.Need, a.Pinned, tt.pinned[a.Need])
				}
			}
			if len(res.Assignments) != len(tt.in.Needs) {
				t.Errorf("Run(): %d assignments, want one per need (%d)", len(res.Assignments), len(tt.in.Needs))
			}
			got := map[string]allocation.Reason{}
			for _, u := range res.Unassigned {
				got[u.Candidate] = u.Reason
			}
			if len(got) != len(tt.unassigned) {
				t.Errorf("Run(): unassigned %v, want %v", got, tt.unassigned)
			}
			for c, want := range tt.unassigned {
				if got[c] != want {
					t.Errorf("Run(): %s unassigned for %q, want %q", c, got[c], want)
				}
			}
			if res.Stats.Proposals != tt.proposals || res.Stats.Rounds != tt.rounds {
				t.Errorf("Run(): %d proposals in %d rounds, want %d in %d",
					res.Stats.Proposals, res.Stats.Rounds, tt.proposals, tt.rounds)
			}
			if n := allocation.BlockingPairs(res); n != 0 {
				t.Errorf("BlockingPairs(Run()) = %d, want 0", n)
			}
			if v := newModel(tt.in).violations(res); len(v) > 0 {
				t.Errorf("Run() breaks the contract: %v", v)
			}
		})
	}
}

func TestRunRejectsInvalidRounds(t *testing.T) {
	two := func() []allocation.Candidate { return []allocation.Candidate{cand("c1", "A"), cand("c2", "A")} }
	needs := func() []allocation.Need { return []allocation.Need{need("A", 1, "c1", "c2")} }
	tests := []struct {
		name  string
		in    allocation.Input
		field string
		code  string
	}{
		{"candidate without id", allocation.Input{Candidates: []allocation.Candidate{cand("")}}, "candidates[0].id", "required"},
		{"candidate twice", allocation.Input{Candidates: []allocation.Candidate{cand("c1"), cand("c1")}}, "candidates[1].id", "duplicate"},
		{"need without id", allocation.Input{Needs: []allocation.Need{need("", 1)}}, "needs[0].id", "required"},
		{"need twice", allocation.Input{Needs: []allocation.Need{need("A", 1), need("A", 1)}}, "needs[1].id", "duplicate"},
		{"negative positions", allocation.Input{Needs: []allocation.Need{need("A", -1)}}, "needs[0].positions", "min"},
		{
			"ranking and score",
			allocation.Input{Needs: []allocation.Need{{ID: "A", Positions: 1, Ranking: []string{}, Score: allocation.ScoreMap(nil)}}},
			"needs[0].ranking", "exclusive",
		},
		{
			"unknown need in preferences",
			allocation.Input{Candidates: []allocation.Candidate{cand("c1", "A", "B")}, Needs: needs()},
			"candidates[0].preferences[1]", "unknown_need",
		},
		{
			"need listed twice",
			allocation.Input{Candidates: []allocation.Candidate{cand("c1", "A", "A")}, Needs: needs()},
			"candidates[0].preferences[1]", "duplicate",
		},
		{
			"need ranks a candidate twice",
			allocation.Input{Candidates: two(), Needs: []allocation.Need{need("A", 1, "c1", "c2", "c1")}},
			"needs[0].ranking[2]", "duplicate",
		},
		{
			"NaN score",
			allocation.Input{Candidates: two(), Needs: []allocation.Need{scored("A", 1, map[string]float64{"c2": math.NaN()})}},
			"needs[0].score", "nan_score",
		},
		{
			"pin of someone not in the round",
			allocation.Input{Candidates: two(), Needs: needs(), Pins: []allocation.Pair{{Candidate: "c9", Need: "A"}}},
			"pins[0].candidate", "unknown_candidate",
		},
		{
			"pin to an unknown need",
			allocation.Input{Candidates: two(), Needs: needs(), Pins: []allocation.Pair{{Candidate: "c1", Need: "B"}}},
			"pins[0].need", "unknown_need",
		},
		{
			"candidate pinned twice",
			allocation.Input{Candidates: two(), Needs: []allocation.Need{need("A", 2)},
				Pins: []allocation.Pair{{Candidate: "c1", Need: "A"}, {Candidate: "c1", Need: "A"}}},
			"pins[1].candidate", "duplicate",
		},
		{
			"more pins than places",
			allocation.Input{Candidates: two(), Needs: needs(),
				Pins: []allocation.Pair{{Candidate: "c1", Need: "A"}, {Candidate: "c2", Need: "A"}}},
			"needs[0].positions", "pins_exceed",
		},
		{
			"forbidden with someone not in the round",
			allocation.Input{Candidates: two(), Needs: needs(), Forbidden: []allocation.Pair{{Candidate: "c9", Need: "A"}}},
			"forbidden[0].candidate", "unknown_candidate",
		},
		{
			"forbidden with an unknown need",
			allocation.Input{Candidates: two(), Needs: needs(), Forbidden: []allocation.Pair{{Candidate: "c1", Need: "B"}}},
			"forbidden[0].need", "unknown_need",
		},
		{
			"a pair both pinned and forbidden",
			allocation.Input{Candidates: two(), Needs: needs(),
				Pins:      []allocation.Pair{{Candidate: "c1", Need: "A"}},
				Forbidden: []allocation.Pair{{Candidate: "c1", Need: "A"}}},
			"forbidden[0]", "pinned",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := allocation.Run(tt.in)
			if err == nil {
				t.Fatalf("Run() = %+v, want an error on %s", res, tt.field)
			}
			if k := failure.KindOf(err); k != failure.Invalid {
				t.Errorf("Run() error kind = %v, want Invalid (%v)", k, err)
			}
			fe, _ := failure.As(err)
			if !slices.ContainsFunc(fe.Fields, func(f failure.FieldError) bool { return f.Field == tt.field && f.Code == tt.code }) {
				t.Errorf("Run() error fields = %+v, want %s %s", fe.Fields, tt.field, tt.code)
			}
		})
	}
}

func TestRunCapsFieldErrors(t *testing.T) {
	in := allocation.Input{Needs: []allocation.Need{need("A", 1)}}
	for i := range 500 {
		in.Candidates = append(in.Candidates, cand(string(rune('a'+i%26))+string(rune('a'+i/26)), "missing"))
	}
	_, err := allocation.Run(in)
	fe, ok := failure.As(err)
	if !ok || len(fe.Fields) != 50 {
		t.Fatalf("Run() with 500 bad preferences = %v, want 50 field errors", err)
	}
}

func TestBlockingPairs(t *testing.T) {
	// set replaces the assignments of r by the given ones (need → candidates);
	// unassigned lists are left alone: BlockingPairs reads only assignments.
	set := func(r *allocation.Result, to map[string][]string) *allocation.Result {
		c := *r
		c.Assignments = nil
		for _, a := range r.Assignments {
			c.Assignments = append(c.Assignments, allocation.Assignment{Need: a.Need, Candidates: to[a.Need], Pinned: a.Pinned})
		}
		return &c
	}
	mustRun := func(in allocation.Input) *allocation.Result {
		t.Helper()
		r, err := allocation.Run(in)
		if err != nil {
			t.Fatalf("Run() error = %v", err)
		}
		return r
	}
	textbookRes := mustRun(textbook())
	chainRes := mustRun(chain())
	pinned := mustRun(allocation.Input{
		Candidates: []allocation.Candidate{cand("c1", "A", "B"), cand("c2", "P"), cand("c3", "P"), cand("c9")},
		Needs:      []allocation.Need{need("A", 1, "c1"), need("B", 1, "c1"), need("P", 2, "c2", "c3")},
		Pins:       []allocation.Pair{{Candidate: "c1", Need: "B"}, {Candidate: "c9", Need: "P"}},
	})

	tests := []struct {
		name string
		res  *allocation.Result
		want int
	}{
		{"textbook as run", textbookRes, 0},
		{"textbook, everyone's second choice (also stable)", set(textbookRes, map[string][]string{"A": {"gamma"}, "B": {"alpha"}, "C": {"beta"}}), 0},
		{"textbook, need-optimal (also stable)", set(textbookRes, map[string][]string{"A": {"beta"}, "B": {"gamma"}, "C": {"alpha"}}), 0},
		{
			// alpha, now without a place, prefers A (free), B (would drop
			// beta for alpha) and C (would drop gamma).
			"textbook with alpha dropped", set(textbookRes, map[string][]string{"B": {"beta"}, "C": {"gamma"}}), 3,
		},
		{"chain as run", chainRes, 0},
		{
			// c1 (at A, their first choice) is content; c2 (at B) wants A,
			// which prefers c2 to c1; c3, left out, wants B (prefers c3 to
			// c2) and A (prefers c3 to c1).
			"chain, unstable", set(chainRes, map[string][]string{"A": {"c1"}, "B": {"c2"}}), 3,
		},
		{"empty assignments leave every acceptable pair free", set(chainRes, nil), 6},
		{
			// c1 prefers A, which has a free place, but c1 is pinned; c3
			// would take P's second place, but the pin of c9 took it.
			"pins are exempt", pinned, 0,
		},
		{"nil result", nil, 0},
		{"result not made by Run", &allocation.Result{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := allocation.BlockingPairs(tt.res); got != tt.want {
				t.Errorf("BlockingPairs() = %d, want %d", got, tt.want)
			}
		})
	}
	if got := placements(pinned)["c2"]; got != "P" {
		t.Errorf("Run(pinned): c2 placed in %q, want P", got)
	}
}

func TestScoreMap(t *testing.T) {
	score := allocation.ScoreMap(map[string]float64{"c1": 0.25})
	if s, ok := score("c1"); s != 0.25 || !ok {
		t.Errorf("ScoreMap()(c1) = %v, %v, want 0.25, true", s, ok)
	}
	if _, ok := score("c2"); ok {
		t.Errorf("ScoreMap()(c2) ok = true, want false for a missing candidate")
	}
}
