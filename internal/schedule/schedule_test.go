package schedule

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// randomEvent is a seeded random event: some employers with one to three
// tables, people with limits, random fits with a bonus on wished pairs, and
// a few forbidden pairs. Small sizes make tight capacity common.
func randomEvent(r *rand.Rand, maxPeople, maxEmployers, maxSlots int) Input {
	in := Input{Slots: r.IntN(maxSlots + 1)}
	for range 1 + r.IntN(maxEmployers) {
		in.Employers = append(in.Employers, Employer{Tables: r.IntN(4), TableLimit: r.IntN(in.Slots + 2)})
	}
	for range r.IntN(maxPeople + 1) {
		in.People = append(in.People, Person{Limit: r.IntN(5)})
	}
	density := 0.2 + 0.8*r.Float64()
	for p := range in.People {
		for e := range in.Employers {
			if r.Float64() < density {
				w := int64(r.IntN(1000))
				if r.IntN(4) == 0 {
					w += 500 // a stated wish
				}
				in.Pairs = append(in.Pairs, Pair{Person: p, Employer: e, Weight: w})
			}
			if r.IntN(30) == 0 {
				in.Forbidden = append(in.Forbidden, Pair{Person: p, Employer: e})
			}
		}
	}
	return in
}

// check fails t unless res keeps every rule of the schedule for in.
func check(t *testing.T, in Input, res Result) {
	t.Helper()
	allowed := map[[2]int]int64{}
	for _, p := range allowedPairs(in) {
		allowed[[2]int{p.Person, p.Employer}] = p.Weight
	}
	personAt := map[[2]int]bool{}
	tableAt := map[[3]int]bool{}
	met := map[[2]int]bool{}
	perPerson := map[int]int{}
	perTable := map[[2]int]int{}
	var fit int64
	for _, iv := range res.Interviews {
		pair := [2]int{iv.Person, iv.Employer}
		w, ok := allowed[pair]
		switch {
		case !ok:
			t.Fatalf("interview %+v is not an allowed pair", iv)
		case iv.Slot < 0 || iv.Slot >= in.Slots:
			t.Fatalf("interview %+v outside the %d slots", iv, in.Slots)
		case iv.Table < 0 || iv.Table >= in.Employers[iv.Employer].Tables:
			t.Fatalf("interview %+v at a table the employer does not have", iv)
		case personAt[[2]int{iv.Person, iv.Slot}]:
			t.Fatalf("person %d in two places in slot %d", iv.Person, iv.Slot)
		case tableAt[[3]int{iv.Employer, iv.Table, iv.Slot}]:
			t.Fatalf("table %d/%d holds two people in slot %d", iv.Employer, iv.Table, iv.Slot)
		case met[pair]:
			t.Fatalf("pair %v meets twice", pair)
		case w != iv.Weight:
			t.Fatalf("interview %+v carries weight %d, pair has %d", iv, iv.Weight, w)
		}
		personAt[[2]int{iv.Person, iv.Slot}] = true
		tableAt[[3]int{iv.Employer, iv.Table, iv.Slot}] = true
		met[pair] = true
		perPerson[iv.Person]++
		perTable[[2]int{iv.Employer, iv.Table}]++
		fit += w
	}
	for p, n := range perPerson {
		if n > personLimit(in, p) {
			t.Fatalf("person %d has %d interviews, limit %d", p, n, personLimit(in, p))
		}
	}
	for k, n := range perTable {
		if n > tableLimit(in, k[0]) {
			t.Fatalf("table %v holds %d interviews, limit %d", k, n, tableLimit(in, k[0]))
		}
	}
	if fit != res.Stats.Fit || len(perPerson) != res.Stats.Covered || len(res.Interviews) != res.Stats.Interviews {
		t.Fatalf("stats %+v disagree with the interviews (fit %d, covered %d)", res.Stats, fit, len(perPerson))
	}
	if res.Stats.Covered+len(res.Unscheduled) != len(in.People) {
		t.Fatalf("%d covered + %d unscheduled ≠ %d people", res.Stats.Covered, len(res.Unscheduled), len(in.People))
	}
	for _, u := range res.Unscheduled {
		if perPerson[u.Person] > 0 {
			t.Fatalf("person %d both scheduled and unscheduled", u.Person)
		}
	}
}

// maxCoverage is the most people who can each get one interview, found
// independently of the flow by augmenting paths (Kuhn) with employer
// capacities.
func maxCoverage(in Input) int {
	personCap, employerCap := capacities(in)
	adj := make([][]int, len(in.People))
	for _, p := range allowedPairs(in) {
		if personCap[p.Person] > 0 {
			adj[p.Person] = append(adj[p.Person], p.Employer)
		}
	}
	holders := make([][]int, len(in.Employers))
	var try func(p int, seen []bool) bool
	try = func(p int, seen []bool) bool {
		for _, e := range adj[p] {
			if seen[e] {
				continue
			}
			seen[e] = true
			if len(holders[e]) < employerCap[e] {
				holders[e] = append(holders[e], p)
				return true
			}
			for i, q := range holders[e] {
				if try(q, seen) {
					holders[e][i] = p
					return true
				}
			}
		}
		return false
	}
	n := 0
	for p := range in.People {
		if try(p, make([]bool, len(in.Employers))) {
			n++
		}
	}
	return n
}

func TestScheduleKeepsTheRulesOnRandomEvents(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 2026))
	for i := range 400 {
		in := randomEvent(r, 30, 6, 8)
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			res := Make(in)
			check(t, in, res)
			if want := maxCoverage(in); res.Stats.Covered != want {
				t.Fatalf("covered %d people, %d could each have had an interview", res.Stats.Covered, want)
			}
			g := Greedy(in)
			check(t, in, g)
			if g.Stats.Covered > res.Stats.Covered ||
				g.Stats.Covered == res.Stats.Covered && g.Stats.Fit > res.Stats.Fit {
				t.Fatalf("greedy beats the flow: greedy %+v, flow %+v", g.Stats, res.Stats)
			}
			best := MaxFit(in)
			check(t, in, best)
			if best.Stats.Fit < g.Stats.Fit || best.Stats.Fit < res.Stats.Fit {
				t.Fatalf("max fit %d below greedy %d or the covering schedule %d", best.Stats.Fit, g.Stats.Fit, res.Stats.Fit)
			}
			if again := Make(in); !reflect.DeepEqual(again, res) {
				t.Fatal("the same input gave a different schedule")
			}
		})
	}
}

// TestScheduleIsOptimalOnSmallEvents compares the flow with every subset of
// the allowed pairs on events small enough to enumerate: it must reach the
// best (people covered, then fit) of all feasible selections.
func TestScheduleIsOptimalOnSmallEvents(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 12))
	for i := 0; i < 300; {
		in := randomEvent(r, 5, 3, 3)
		pairs := allowedPairs(in)
		if len(pairs) > 12 {
			continue
		}
		i++
		bestCovered, bestFit, maxFit := bruteForce(in, pairs)
		res := Make(in)
		if res.Stats.Covered != bestCovered || res.Stats.Fit != bestFit {
			t.Fatalf("event %d: flow covered %d with fit %d, best is %d with %d (%+v)",
				i, res.Stats.Covered, res.Stats.Fit, bestCovered, bestFit, in)
		}
		if got := MaxFit(in).Stats.Fit; got != maxFit {
			t.Fatalf("event %d: max fit %d, best is %d (%+v)", i, got, maxFit, in)
		}
	}
}

// bruteForce returns the best (covered, fit) and the best fit alone over
// every feasible selection of pairs.
func bruteForce(in Input, pairs []Pair) (covered int, fit, maxFit int64) {
	for mask := 0; mask < 1<<len(pairs); mask++ {
		personLeft, employerLeft := capacities(in)
		seen := map[int]bool{}
		var f int64
		ok := true
		for i, p := range pairs {
			if mask&(1<<i) == 0 {
				continue
			}
			personLeft[p.Person]--
			employerLeft[p.Employer]--
			if personLeft[p.Person] < 0 || employerLeft[p.Employer] < 0 {
				ok = false
				break
			}
			seen[p.Person] = true
			f += p.Weight
		}
		if ok && (len(seen) > covered || len(seen) == covered && f > fit) {
			covered, fit = len(seen), f
		}
		if ok {
			maxFit = max(maxFit, f)
		}
	}
	return covered, fit, maxFit
}

func TestScheduleSaysWhyPeopleAreLeftOut(t *testing.T) {
	in := Input{
		Slots:     2,
		Employers: []Employer{{Tables: 1, TableLimit: 1}},
		People:    []Person{{Limit: 1}, {Limit: 1}, {Limit: 1}},
		Pairs:     []Pair{{Person: 0, Employer: 0, Weight: 5}, {Person: 1, Employer: 0, Weight: 9}, {Person: 2, Employer: 0, Weight: 1}},
		Forbidden: []Pair{{Person: 2, Employer: 0}},
	}
	res := Make(in)
	want := []Unscheduled{{Person: 0, Reason: ReasonNoCapacity}, {Person: 2, Reason: ReasonNoAllowedPair}}
	if !reflect.DeepEqual(res.Unscheduled, want) {
		t.Fatalf("unscheduled %+v, want %+v", res.Unscheduled, want)
	}
	if len(res.Interviews) != 1 || res.Interviews[0].Person != 1 {
		t.Fatalf("interviews %+v, want person 1 (the better fit) alone", res.Interviews)
	}
}

// TestScheduleCoversEveryoneBeforeFit: greedy gives the one table to the
// best fit twice over; the flow gives both people an interview.
func TestScheduleCoversEveryoneBeforeFit(t *testing.T) {
	in := Input{
		Slots:     2,
		Employers: []Employer{{Tables: 1}, {Tables: 1, TableLimit: 1}},
		People:    []Person{{Limit: 2}, {Limit: 1}},
		Pairs: []Pair{{Person: 0, Employer: 0, Weight: 100}, {Person: 0, Employer: 1, Weight: 90},
			{Person: 1, Employer: 1, Weight: 10}},
	}
	res, g := Make(in), Greedy(in)
	if res.Stats.Covered != 2 || g.Stats.Covered != 1 {
		t.Fatalf("flow covered %d (want 2), greedy %d (want 1)", res.Stats.Covered, g.Stats.Covered)
	}
}

// realisticEvent is a Career & Skills Day: 5–20 employers with 1–3
// tables, 6–12 slots, 50–400 people with 2–4 interviews each, fit with a
// share of the employers (the rest fail a hard filter) and up to three
// ranked wishes.
func realisticEvent(r *rand.Rand) Input {
	in := Input{Slots: 6 + r.IntN(7)}
	nE := 5 + r.IntN(16)
	for range nE {
		in.Employers = append(in.Employers, Employer{Tables: 1 + r.IntN(3)})
	}
	density := 0.3 + 0.7*r.Float64()
	for p := range 50 + r.IntN(351) {
		in.People = append(in.People, Person{Limit: 2 + r.IntN(3)})
		in.Pairs = append(in.Pairs, personPairs(r, p, nE, density)...)
	}
	return in
}

// personPairs are one person's eligible pairs: fit 0–999 plus 600, 400,
// 200 for their first, second, third wish.
func personPairs(r *rand.Rand, p, employers int, density float64) []Pair {
	wishes := r.Perm(employers)[:min(3, employers)]
	var out []Pair
	for e := range employers {
		w := int64(r.IntN(1000))
		for rank, x := range wishes {
			if x == e {
				w += int64(600 - 200*rank)
			}
		}
		if r.Float64() < density {
			out = append(out, Pair{Person: p, Employer: e, Weight: w})
		}
	}
	return out
}

// bigEvent is the size the issue names: 40 tables × 12 slots and 400
// registrations, each person up to 3 interviews, fit with every employer
// and three ranked wishes.
func bigEvent(seed uint64) Input {
	r := rand.New(rand.NewPCG(seed, 40))
	in := Input{Slots: 12}
	for range 20 {
		in.Employers = append(in.Employers, Employer{Tables: 2})
	}
	for p := range 400 {
		in.People = append(in.People, Person{Limit: 3})
		in.Pairs = append(in.Pairs, personPairs(r, p, 20, 1)...)
	}
	return in
}

func BenchmarkSchedule40Tables12Slots400People(b *testing.B) {
	in := bigEvent(1)
	for b.Loop() {
		Make(in)
	}
}

// TestFitAgainstGreedy prints the schedule against the greedy baseline
// over 50 random Career & Skills Days (go test -v -run TestFitAgainstGreedy
// ./internal/schedule/): people covered and fit of the covering schedule,
// and the fit of the fit-only flow, which may never be below greedy's.
func TestFitAgainstGreedy(t *testing.T) {
	r := rand.New(rand.NewPCG(50, 50))
	var sum struct{ people, covered, greedyCovered, fit, greedyFit, maxFit float64 }
	for i := range 50 {
		in := realisticEvent(r)
		res, g, best := Make(in), Greedy(in), MaxFit(in)
		check(t, in, res)
		if best.Stats.Fit < g.Stats.Fit {
			t.Fatalf("event %d: max fit %d below greedy %d", i, best.Stats.Fit, g.Stats.Fit)
		}
		sum.people += float64(len(in.People))
		sum.covered += float64(res.Stats.Covered)
		sum.greedyCovered += float64(g.Stats.Covered)
		sum.fit += float64(res.Stats.Fit)
		sum.greedyFit += float64(g.Stats.Fit)
		sum.maxFit += float64(best.Stats.Fit)
		t.Logf("event %2d: %3d people, %2d tables × %2d slots: covered %3d (greedy %3d); fit %7d, fit-only %7d, greedy %7d",
			i, len(in.People), tableCount(in), in.Slots, res.Stats.Covered, g.Stats.Covered,
			res.Stats.Fit, best.Stats.Fit, g.Stats.Fit)
	}
	big := bigEvent(1)
	res, g := Make(big), Greedy(big)
	check(t, big, res)
	t.Logf("the benchmark's event (40 tables × 12 slots, 400 people): covered %d (greedy %d), fit %d (greedy %d), %d interviews in %d slots",
		res.Stats.Covered, g.Stats.Covered, res.Stats.Fit, g.Stats.Fit, res.Stats.Interviews, res.Stats.SlotsUsed)
	t.Logf("over 50 events: covered %.1f%% of people (greedy %.1f%%); fit %.4f × greedy's, fit-only flow %.4f × greedy's",
		100*sum.covered/sum.people, 100*sum.greedyCovered/sum.people, sum.fit/sum.greedyFit, sum.maxFit/sum.greedyFit)
}

// TestFillKeepsTheRules: walk-ins added to random schedules from a random
// slot on keep every rule together with those already scheduled, nobody
// already scheduled moves, and no walk-in lands before the slot.
func TestFillKeepsTheRules(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 14))
	for i := range 300 {
		in := randomEvent(r, 20, 5, 8)
		if len(in.People) < 2 {
			continue
		}
		walkIns := len(in.People) / 3
		var late []int
		for p := len(in.People) - walkIns; p < len(in.People); p++ {
			late = append(late, p)
		}
		// The schedule made before the walk-ins came: without their pairs.
		before := in
		before.Pairs = nil
		for _, p := range in.Pairs {
			if p.Person < len(in.People)-walkIns {
				before.Pairs = append(before.Pairs, p)
			}
		}
		res := Make(before)
		from := r.IntN(in.Slots + 1)
		added := Fill(in, res.Interviews, from, late)
		all := append(append([]Interview{}, res.Interviews...), added...)
		var fit int64
		covered := map[int]bool{}
		for _, iv := range all {
			fit += iv.Weight
			covered[iv.Person] = true
		}
		for _, iv := range added {
			if iv.Slot < from || iv.Person < len(in.People)-walkIns {
				t.Fatalf("event %d: walk-in interview %+v before slot %d or of someone scheduled", i, iv, from)
			}
		}
		var unscheduled []Unscheduled
		for p := range in.People {
			if !covered[p] {
				unscheduled = append(unscheduled, Unscheduled{Person: p})
			}
		}
		check(t, in, Result{Interviews: all, Unscheduled: unscheduled,
			Stats: Stats{Fit: fit, Covered: len(covered), Interviews: len(all)}})
	}
}

func TestFillUsesFreeCells(t *testing.T) {
	in := Input{Slots: 3, Employers: []Employer{{Tables: 1}}, People: []Person{{}, {}},
		Pairs: []Pair{{Person: 0, Employer: 0, Weight: 5}, {Person: 1, Employer: 0, Weight: 5}}}
	got := Fill(in, []Interview{{Person: 0, Employer: 0, Table: 0, Slot: 1, Weight: 5}}, 1, []int{1})
	want := []Interview{{Person: 1, Employer: 0, Table: 0, Slot: 2, Weight: 5}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Fill = %+v, want %+v (slot 0 is past, slot 1 is taken)", got, want)
	}
}
