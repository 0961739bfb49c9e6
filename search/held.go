package search

import "github.com/careget/skillsmatch/internal/register"

// Employer returns an employer from memory, if the index follows it: the
// replica's copy, kept by the same followers and Poll as its needs (see
// register.Followed for how fresh that is).
func (ix *Index) Employer(id string) (register.Employer, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	e, ok := ix.employers[id]
	return e, ok
}
