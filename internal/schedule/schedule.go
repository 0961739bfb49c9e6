// Package schedule makes the speed-interview schedule of a Career & Skills
// Day: which person meets which employer, at which of its tables, in which
// slot.
//
// It works in two steps. First it selects the interviews as a maximum-weight
// b-matching between people and employers (each person at most their limit,
// each employer at most tables × per-table limit, each pair at most once),
// solved exactly as a min-cost flow by successive shortest paths. Each
// person's first interview carries a bonus larger than all fit together, so
// the flow first covers as many people as the capacity allows and only then
// maximises the fit. Second it spreads each employer's interviews over its
// tables and gives every interview a slot by colouring the edges of the
// person × table bipartite graph: by König's theorem Δ colours suffice, and
// the limits keep Δ ≤ slots, so every selected interview gets a slot.
//
// Everything runs in index order with deterministic tie-breaks, so the same
// input always gives the same schedule.
package schedule

import "sort"

// Employer is one employer at the event.
type Employer struct {
	// Tables is the number of interview tables it staffs.
	Tables int
	// TableLimit caps the interviews at one table; 0 or more than the slots
	// means one per slot.
	TableLimit int
}

// Person is one registered job-seeker.
type Person struct {
	// Limit caps the person's interviews; 0 or more than the slots means one
	// per slot.
	Limit int
}

// Pair is an allowed meeting of People[Person] with Employers[Employer] and
// its weight (mutual fit plus the wish bonus). Pairs not listed, listed in
// Forbidden, or with a negative weight never meet.
type Pair struct {
	Person, Employer int
	Weight           int64
}

// Input is one event's scheduling problem.
type Input struct {
	Slots     int
	Employers []Employer
	People    []Person
	Pairs     []Pair
	Forbidden []Pair // only Person and Employer matter
}

// Interview is one person at one employer's table in one slot (all 0-based).
type Interview struct {
	Person, Employer, Table, Slot int
	Weight                        int64
}

// Reasons a person got no interview.
const (
	ReasonNoAllowedPair = "no_allowed_pair"
	ReasonNoCapacity    = "no_capacity"
)

// Unscheduled is a person without an interview and why.
type Unscheduled struct {
	Person int
	Reason string
}

// Stats summarise a schedule.
type Stats struct {
	Interviews int   `json:"interviews"`
	Covered    int   `json:"covered"`
	People     int   `json:"people"`
	Fit        int64 `json:"fit"`
	SlotsUsed  int   `json:"slotsUsed"`
}

// Result is a schedule, interviews ordered by slot, employer, table.
type Result struct {
	Interviews  []Interview
	Unscheduled []Unscheduled
	Stats       Stats
}

// Make computes the schedule with the most people covered and, among those,
// the highest total weight.
func Make(in Input) Result {
	pairs := allowedPairs(in)
	return finish(in, pairs, selectPairs(in, pairs, true))
}

// MaxFit computes the schedule with the highest total weight, ignoring
// coverage; it shows what covering everyone costs in fit.
func MaxFit(in Input) Result {
	pairs := allowedPairs(in)
	return finish(in, pairs, selectPairs(in, pairs, false))
}

// Greedy is the baseline: pairs by descending weight, each taken while both
// sides have room. It is what the flow is measured against.
func Greedy(in Input) Result {
	pairs := allowedPairs(in)
	order := make([]int, len(pairs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return pairs[order[a]].Weight > pairs[order[b]].Weight })
	personLeft, employerLeft := capacities(in)
	var chosen []int
	for _, i := range order {
		p := pairs[i]
		if personLeft[p.Person] > 0 && employerLeft[p.Employer] > 0 {
			personLeft[p.Person]--
			employerLeft[p.Employer]--
			chosen = append(chosen, i)
		}
	}
	sort.Ints(chosen)
	return finish(in, pairs, chosen)
}

// personLimit is the person's effective limit.
func personLimit(in Input, p int) int {
	if l := in.People[p].Limit; l > 0 && l < in.Slots {
		return l
	}
	return max(in.Slots, 0)
}

// tableLimit is the employer's effective per-table limit.
func tableLimit(in Input, e int) int {
	if l := in.Employers[e].TableLimit; l > 0 && l < in.Slots {
		return l
	}
	return max(in.Slots, 0)
}

func capacities(in Input) (person, employer []int) {
	person = make([]int, len(in.People))
	for p := range person {
		person[p] = personLimit(in, p)
	}
	employer = make([]int, len(in.Employers))
	for e := range employer {
		employer[e] = max(in.Employers[e].Tables, 0) * tableLimit(in, e)
	}
	return person, employer
}

// allowedPairs drops forbidden, negative, out-of-range and repeated pairs
// (the first listing wins) and orders the rest by person, then employer.
func allowedPairs(in Input) []Pair {
	type key struct{ p, e int }
	forbidden := make(map[key]bool, len(in.Forbidden))
	for _, f := range in.Forbidden {
		forbidden[key{f.Person, f.Employer}] = true
	}
	seen := make(map[key]bool, len(in.Pairs))
	out := make([]Pair, 0, len(in.Pairs))
	for _, p := range in.Pairs {
		k := key{p.Person, p.Employer}
		if p.Person < 0 || p.Person >= len(in.People) || p.Employer < 0 || p.Employer >= len(in.Employers) ||
			p.Weight < 0 || forbidden[k] || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, p)
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Person != out[b].Person {
			return out[a].Person < out[b].Person
		}
		return out[a].Employer < out[b].Employer
	})
	return out
}

// finish turns the chosen pairs (indexes into pairs) into a timed schedule.
func finish(in Input, pairs []Pair, chosen []int) Result {
	edges := assignTables(in, pairs, chosen)
	slots := colour(len(in.People), tableCount(in), edges, in.Slots)
	res := Result{Stats: Stats{People: len(in.People)}}
	covered := make([]bool, len(in.People))
	hasPair := make([]bool, len(in.People))
	for _, p := range pairs {
		hasPair[p.Person] = true
	}
	used := map[int]bool{}
	for i, e := range edges {
		res.Interviews = append(res.Interviews, Interview{
			Person: e.person, Employer: e.employer, Table: e.local, Slot: slots[i], Weight: e.weight,
		})
		covered[e.person] = true
		res.Stats.Fit += e.weight
		used[slots[i]] = true
	}
	sort.Slice(res.Interviews, func(a, b int) bool {
		x, y := res.Interviews[a], res.Interviews[b]
		if x.Slot != y.Slot {
			return x.Slot < y.Slot
		}
		if x.Employer != y.Employer {
			return x.Employer < y.Employer
		}
		return x.Table < y.Table
	})
	for p, ok := range covered {
		switch {
		case ok:
			res.Stats.Covered++
		case !hasPair[p]:
			res.Unscheduled = append(res.Unscheduled, Unscheduled{Person: p, Reason: ReasonNoAllowedPair})
		default:
			res.Unscheduled = append(res.Unscheduled, Unscheduled{Person: p, Reason: ReasonNoCapacity})
		}
	}
	res.Stats.Interviews = len(res.Interviews)
	res.Stats.SlotsUsed = len(used)
	return res
}

func tableCount(in Input) int {
	n := 0
	for _, e := range in.Employers {
		n += max(e.Tables, 0)
	}
	return n
}

// edge is a chosen interview on its table (table is a global table index
// for the colouring, local is the table within the employer).
type edge struct {
	person, employer, table, local int
	weight                         int64
}

// assignTables spreads each employer's interviews over its tables, the
// next one to the least loaded table, so no table exceeds
// ceil(interviews/tables) ≤ the per-table limit.
func assignTables(in Input, pairs []Pair, chosen []int) []edge {
	first := make([]int, len(in.Employers))
	for e := 1; e < len(in.Employers); e++ {
		first[e] = first[e-1] + max(in.Employers[e-1].Tables, 0)
	}
	load := make([]int, tableCount(in))
	edges := make([]edge, 0, len(chosen))
	for _, i := range chosen {
		p := pairs[i]
		best := 0
		for t := 1; t < in.Employers[p.Employer].Tables; t++ {
			if load[first[p.Employer]+t] < load[first[p.Employer]+best] {
				best = t
			}
		}
		load[first[p.Employer]+best]++
		edges = append(edges, edge{person: p.Person, employer: p.Employer,
			table: first[p.Employer] + best, local: best, weight: p.Weight})
	}
	return edges
}
