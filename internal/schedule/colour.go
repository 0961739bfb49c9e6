package schedule

// colour gives every edge of the person × table bipartite multigraph a
// colour (slot) in [0, colours) so no two edges at a vertex share one. It
// needs every degree ≤ colours, which the limits guarantee; by König's
// theorem that is always enough. For each edge (u, v) it takes a colour a
// free at u and b free at v; if a is taken at v it swaps a and b along the
// alternating a/b path from v, which never reaches u in a bipartite graph,
// freeing a at v.
func colour(people, tables int, edges []edge, colours int) []int {
	if colours <= 0 {
		return make([]int, len(edges))
	}
	at := make([]int, (people+tables)*colours) // vertex*colours+c → edge, -1 free
	for i := range at {
		at[i] = -1
	}
	slot := make([]int, len(edges))
	ends := func(i int) (int, int) { return edges[i].person, people + edges[i].table }
	free := func(v int) int {
		for c := range colours {
			if at[v*colours+c] < 0 {
				return c
			}
		}
		panic("schedule: vertex degree above the number of slots")
	}
	set := func(i, c int) {
		u, v := ends(i)
		slot[i] = c
		at[u*colours+c], at[v*colours+c] = i, i
	}
	for i := range edges {
		u, v := ends(i)
		a, b := free(u), free(v)
		if at[v*colours+a] >= 0 {
			path := alternatingPath(at, colours, v, a, b, ends)
			for _, j := range path {
				x, y := ends(j)
				at[x*colours+slot[j]], at[y*colours+slot[j]] = -1, -1
			}
			for _, j := range path {
				if slot[j] == a {
					set(j, b)
				} else {
					set(j, a)
				}
			}
		}
		set(i, a)
	}
	return slot
}

// alternatingPath follows edges coloured a, b, a, … from v.
func alternatingPath(at []int, colours, v, a, b int, ends func(int) (int, int)) []int {
	var path []int
	for c := a; ; {
		j := at[v*colours+c]
		if j < 0 {
			return path
		}
		path = append(path, j)
		x, y := ends(j)
		if x == v {
			v = y
		} else {
			v = x
		}
		c = a + b - c
	}
}
