package search

// SetTailSlack sets the length past which the pool's tail is ordered
// again (tailSlack), for tests that move documents, and returns the undo.
func SetTailSlack(n int32) func() {
	old := tailSlack
	tailSlack = n
	return func() { tailSlack = old }
}
