//go:build race

package insight

// raceEnabled: the race detector changes allocation and speed, so memory
// bounds are not checked under it.
const raceEnabled = true
