// Package allocation runs the labour office's placement rounds (internships
// and Care Career Path places): it assigns candidates to needs with
// candidate-proposing deferred acceptance with capacities, the
// hospitals/residents algorithm of Gale and Shapley (1962) as used by Roth
// for the US medical match.
//
// # The algorithm
//
// Every candidate ranks the needs they want (Candidate.Preferences, best
// first); every need has a number of places (Need.Positions) and ranks the
// candidates it would take, either explicitly (Need.Ranking) or by match
// score (Need.Score). Free candidates propose to the best need they have not
// yet tried; a need holds on to the best proposals up to its number of
// places and rejects the rest, possibly letting go of a candidate it held
// before, who then proposes further down their own list. Nothing is final
// until nobody is left to propose. Stats.Rounds counts the rounds of the
// textbook formulation, in which every free candidate proposes once per
// round.
//
// # Why candidates propose
//
// The proposing side gets the best outcome it can have in any stable
// matching: every candidate is placed at least as well as in every other
// stable matching (candidate-optimal), and no candidate can get a better
// place by ranking needs in some other order than their true one
// (strategy-proof for candidates; Dubins and Freedman 1981, Roth 1982). The
// people in a round are mostly young job-seekers, so the office can tell them
// to list the needs they really want, in the order they really want them, and
// mean it. Employers do not get that guarantee, which is the price the
// office chose. By the rural hospitals theorem, the candidates left
// unassigned and the number of places filled at each need are the same in
// every stable matching, so nobody is left out by the choice of side.
//
// # Acceptability, pins and bans
//
// A pair (c, n) is acceptable when c lists n, n ranks c (is in n's explicit
// Ranking, or Score(c) reports ok) and no officer forbade it (Input.Forbidden).
// Only acceptable pairs are ever assigned by the algorithm.
//
// An officer's pin (Input.Pins) places candidate c in need n before the
// algorithm runs, whatever either side's preferences say: c takes no part in
// the round and n offers one place fewer to everyone else.
//
// # Blocking pairs
//
// A blocking pair is an acceptable pair (c, n), c not pinned, such that c
// prefers n to the need the algorithm gave them (or got none), and n either
// has a free place or ranks c above the worst candidate the algorithm gave
// it. Pinned candidates and the places pins take are outside the count: an
// officer's pin is an override, not a preference, so a pinned candidate never
// blocks, a pinned place is never free, and a need's "worst candidate" is
// the worst of those the algorithm placed there. With that definition every
// Result of Run has zero blocking pairs (it is stable), and BlockingPairs
// checks it.
//
// # Cost
//
// With C candidates, N needs and E preference entries in all, Run takes
// O(E) time to find and score the listed needs (a need ranks its
// applicants by comparing (key, candidate) pairs, never by sorting them;
// explicit rankings take linear time), then at most E proposals of
// O(log P) each, P being the largest number of places of one need, and
// O(C log C) to number candidates in id order. Memory is O(C + N + E):
// keys are kept only for the pairs some candidate listed, never in a C×N
// table. A national round of 500,000 candidates with 20 choices each among
// 100,000 needs allocates about 235 MB, of which the Result keeps about
// 130 MB for BlockingPairs. The work per preference entry (finding the need,
// scoring) is spread over GOMAXPROCS goroutines, and so is each round of
// proposals: the free candidates pick their next need, then the needs
// decide their offers, each step split by number (see deferredAcceptance).
//
// Run is deterministic: the same round, with candidates, needs, pins and
// bans in any order, gives the same Result except for Stats.Duration.
package allocation
