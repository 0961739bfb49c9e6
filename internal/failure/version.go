package failure

// Stale is the answer of a compare-and-set write whose version is no
// longer the stored one: another write came first. A read-modify-write
// reads again, re-applies its change and retries; after a few losses it
// gives up with a Conflict of its own ("edit_conflict").
func Stale(what string) *Error {
	return &Error{Kind: Conflict, Code: CodeStale, Detail: what + " was changed by another request"}
}

// CodeStale is the code of Stale.
const CodeStale = "stale_version"

// IsStale reports whether err is a lost compare-and-set (Stale).
func IsStale(err error) bool {
	e, ok := As(err)
	return ok && e.Code == CodeStale
}

// EditAttempts bounds how often a read-modify-write retries after losing
// its compare-and-set to another write.
const EditAttempts = 8

// EditConflict is the answer of a read-modify-write that lost
// EditAttempts times in a row.
func EditConflict(what string) *Error {
	return New(Conflict, "edit_conflict", "%s was changed by other requests meanwhile; reload it and try again", what)
}
