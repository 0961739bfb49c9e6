package schedule

import "sort"

// Fill schedules newcomers (walk-ins) into the cells an existing schedule
// leaves free, in slots from `from` on, without moving anyone: each
// newcomer in turn takes their allowed pairs, best weight first, in the
// earliest slot where they and one of the employer's tables are free,
// keeping every limit. Few people walk in, so a greedy fill is enough; it
// returns only the new interviews, in the order made.
func Fill(in Input, existing []Interview, from int, newcomers []int) []Interview {
	pairs := allowedPairs(in)
	st := newState(in, existing)
	var out []Interview
	for _, p := range newcomers {
		mine := make([]Pair, 0, len(in.Employers))
		for _, pr := range pairs {
			if pr.Person == p {
				mine = append(mine, pr)
			}
		}
		sort.SliceStable(mine, func(a, b int) bool { return mine[a].Weight > mine[b].Weight })
		for _, pr := range mine {
			if iv, ok := st.place(pr, max(from, 0)); ok {
				out = append(out, iv)
			}
		}
	}
	return out
}

// state is who is busy when in a schedule.
type state struct {
	in        Input
	personAt  map[[2]int]bool // person, slot
	tableAt   map[[3]int]bool // employer, table, slot
	perPerson map[int]int
	perTable  map[[2]int]int
	met       map[[2]int]bool
}

func newState(in Input, existing []Interview) *state {
	st := &state{in: in, personAt: map[[2]int]bool{}, tableAt: map[[3]int]bool{}, perPerson: map[int]int{},
		perTable: map[[2]int]int{}, met: map[[2]int]bool{}}
	for _, iv := range existing {
		st.take(iv)
	}
	return st
}

func (st *state) take(iv Interview) {
	st.personAt[[2]int{iv.Person, iv.Slot}] = true
	st.tableAt[[3]int{iv.Employer, iv.Table, iv.Slot}] = true
	st.perPerson[iv.Person]++
	st.perTable[[2]int{iv.Employer, iv.Table}]++
	st.met[[2]int{iv.Person, iv.Employer}] = true
}

// place puts the pair in the earliest free cell from slot from on.
func (st *state) place(pr Pair, from int) (Interview, bool) {
	if st.met[[2]int{pr.Person, pr.Employer}] || st.perPerson[pr.Person] >= personLimit(st.in, pr.Person) {
		return Interview{}, false
	}
	for slot := from; slot < st.in.Slots; slot++ {
		if st.personAt[[2]int{pr.Person, slot}] {
			continue
		}
		for t := range max(st.in.Employers[pr.Employer].Tables, 0) {
			if st.tableAt[[3]int{pr.Employer, t, slot}] || st.perTable[[2]int{pr.Employer, t}] >= tableLimit(st.in, pr.Employer) {
				continue
			}
			iv := Interview{Person: pr.Person, Employer: pr.Employer, Table: t, Slot: slot, Weight: pr.Weight}
			st.take(iv)
			return iv, true
		}
	}
	return Interview{}, false
}
