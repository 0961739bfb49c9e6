package schedule

import "container/heap"

// arc is one residual arc; arcs come in pairs, arc i^1 being the reverse.
type arc struct {
	to, cap int
	cost    int64
}

type network struct {
	arcs []arc
	out  [][]int // node → arc indexes, in insertion order
}

func (n *network) add(from, to, capacity int, cost int64) int {
	n.arcs = append(n.arcs, arc{to: to, cap: capacity, cost: cost}, arc{to: from, cost: -cost})
	i := len(n.arcs) - 2
	n.out[from] = append(n.out[from], i)
	n.out[to] = append(n.out[to], i+1)
	return i
}

// selectPairs returns the indexes of the chosen pairs: most people covered
// (if coverFirst), then most weight, by successive shortest paths on the network
// source → person → employer → sink.
func selectPairs(in Input, pairs []Pair, coverFirst bool) []int {
	nP, nE := len(in.People), len(in.Employers)
	source, sink := 0, nP+nE+1
	person := func(p int) int { return 1 + p }
	employer := func(e int) int { return 1 + nP + e }
	net := &network{out: make([][]int, nP+nE+2)}
	personCap, employerCap := capacities(in)

	// The first-interview bonus outweighs every fit together, so covering
	// one more person always beats any gain in fit.
	var bonus int64
	if coverFirst {
		bonus = 1
		for _, p := range pairs {
			bonus += p.Weight
		}
	}
	for p := range nP {
		if personCap[p] > 0 {
			net.add(source, person(p), 1, -bonus)
			if personCap[p] > 1 {
				net.add(source, person(p), personCap[p]-1, 0)
			}
		}
	}
	pairArc := make([]int, len(pairs))
	for i, p := range pairs {
		pairArc[i] = -1
		if personCap[p.Person] > 0 && employerCap[p.Employer] > 0 {
			pairArc[i] = net.add(person(p.Person), employer(p.Employer), 1, -p.Weight)
		}
	}
	for e := range nE {
		if employerCap[e] > 0 {
			net.add(employer(e), sink, employerCap[e], 0)
		}
	}
	net.run(source, sink, initialPotentials(net, nP+nE+2))

	var chosen []int
	for i, a := range pairArc {
		if a >= 0 && net.arcs[a].cap == 0 {
			chosen = append(chosen, i)
		}
	}
	return chosen
}

// initialPotentials are shortest distances from the source in the initial
// network, a DAG whose nodes are numbered in topological order; nodes the
// source cannot reach keep 0, which keeps every reduced cost non-negative
// because reachable nodes all lie at or below 0.
func initialPotentials(net *network, nodes int) []int64 {
	pot := make([]int64, nodes)
	reached := make([]bool, nodes)
	reached[0] = true
	for u := range nodes {
		if !reached[u] {
			continue
		}
		for _, i := range net.out[u] {
			a := net.arcs[i]
			if a.cap == 0 {
				continue
			}
			if d := pot[u] + a.cost; !reached[a.to] || d < pot[a.to] {
				pot[a.to], reached[a.to] = d, true
			}
		}
	}
	return pot
}

// run augments along shortest paths (Dijkstra on reduced costs) while a
// path still lowers the cost; the cost as a function of the flow is
// convex, so stopping there gives the minimum over all flow values.
func (n *network) run(source, sink int, pot []int64) {
	nodes := len(n.out)
	dist := make([]int64, nodes)
	via := make([]int, nodes)
	done := make([]bool, nodes)
	for {
		if !n.shortest(source, sink, pot, dist, via, done) {
			return
		}
		if dist[sink]+pot[sink]-pot[source] >= 0 {
			return
		}
		// Potentials move by min(dist, dist[sink]) so reduced costs stay
		// non-negative for nodes Dijkstra did not settle.
		for v := range nodes {
			if done[v] && dist[v] < dist[sink] {
				pot[v] += dist[v]
			} else {
				pot[v] += dist[sink]
			}
		}
		push := int(^uint(0) >> 1)
		for v := sink; v != source; v = n.arcs[via[v]^1].to {
			push = min(push, n.arcs[via[v]].cap)
		}
		for v := sink; v != source; v = n.arcs[via[v]^1].to {
			n.arcs[via[v]].cap -= push
			n.arcs[via[v]^1].cap += push
		}
	}
}

// shortest runs Dijkstra from source until sink is settled; ties settle
// the lower node first, so the paths are deterministic.
func (n *network) shortest(source, sink int, pot, dist []int64, via []int, done []bool) bool {
	for v := range dist {
		dist[v], via[v], done[v] = -1, -1, false
	}
	dist[source] = 0
	q := &queue{{node: source}}
	for q.Len() > 0 {
		it := heap.Pop(q).(item)
		u := it.node
		if done[u] {
			continue
		}
		done[u] = true
		if u == sink {
			return true
		}
		for _, i := range n.out[u] {
			a := n.arcs[i]
			if a.cap == 0 || done[a.to] {
				continue
			}
			d := it.dist + a.cost + pot[u] - pot[a.to]
			if dist[a.to] < 0 || d < dist[a.to] {
				dist[a.to], via[a.to] = d, i
				heap.Push(q, item{dist: d, node: a.to})
			}
		}
	}
	return false
}

type item struct {
	dist int64
	node int
}

type queue []item

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if q[i].dist != q[j].dist {
		return q[i].dist < q[j].dist
	}
	return q[i].node < q[j].node
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(item)) }
func (q *queue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}
