// Package mirror is the replica's one followed copy of the register's
// needs and employers and of the job-seekers' profiles: what the hot
// reads, the ranking's pre-filter and every service read instead of the
// store. It holds the newest version of each document it has seen (by the
// store's change sequence, tombstones included), applies this replica's
// writes before the request returns (the Follow* decorators), polls the
// store for other replicas' writes (Poll), and starts from a snapshot of
// itself plus what was written past it (Load, snapshot.go).
//
// Subscribers — the search index — are told every accepted change
// synchronously, in order and under the register's lock, so that what
// they derive (documents, the ranking's pool, rarity) moves in the same
// step as the register: an erasure or a loss of consent takes effect
// everywhere at once.
package mirror

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// Subscriber is told every change the register accepts, under the
// register's write lock, in the order the register applies them. old is
// the version held before (nil: none). A subscriber must not call the
// register's locking methods; it reads the register through Held.
type Subscriber interface {
	NeedChanged(old *register.Need, n register.Need, deleted bool) error
	// NeedPassed: a change of a need that the register holds a newer
	// version of (or has seen) is done; a subscriber keeping a mark of the
	// needs' sequence may pass it.
	NeedPassed(seq int64) error
	ProfileChanged(old *profile.Profile, p profile.Profile, erased bool) error
	EmployerChanged(old *register.Employer, e register.Employer) error
}

// Register is the replica's followed copy (see the package comment).
type Register struct {
	log *slog.Logger
	dir string // where the start-up snapshot is ("": none)

	// mu guards everything below, and the subscribers' state: a subscriber
	// that reads its own state together with the register's (the search
	// index's ranking) read-locks it (Mutex).
	mu        sync.RWMutex
	held      Held
	needSeq   map[string]int64 // the sequence of each need's held version, tombstones included
	profSeq   map[string]int64
	needMark  *Mark
	profMark  *Mark
	empMark   *Mark // every start reads every employer
	intern    *interner
	subs      []Subscriber
	ready     bool
	lagging   int // subscriber writes that failed since start
	closeOnce sync.Once
	closeErr  error
	snap      snapState
}

// Held is the register's contents, to be read only under its lock (a
// read lock of Mutex). The maps are the register's own, never replaced,
// and their values are never changed in place (a change replaces a whole
// value), so a value read may be kept after the lock is released.
type Held struct {
	Needs     map[string]register.Need
	Profiles  map[string]profile.Profile
	Employers map[string]register.Employer
	Verified  map[string]bool // employer id → verified
}

// New returns an empty register whose start-up snapshot lives in dir
// ("": none). It removes the temporary files of interrupted snapshot
// writes, which may hold people erased since.
func New(dir string, log *slog.Logger) (*Register, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Register{log: log, dir: dir,
		held: Held{Needs: map[string]register.Need{}, Profiles: map[string]profile.Profile{},
			Employers: map[string]register.Employer{}, Verified: map[string]bool{}},
		needSeq: map[string]int64{}, profSeq: map[string]int64{},
		needMark: NewMark(0), profMark: NewMark(0), empMark: NewMark(0), intern: newInterner()}
	if err := r.openSnapshot(); err != nil {
		return nil, err
	}
	return r, nil
}

// Subscribe adds a subscriber; call it before Load.
func (r *Register) Subscribe(s Subscriber) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.subs = append(r.subs, s)
}

// Mutex is the register's lock, under which subscribers keep their state.
func (r *Register) Mutex() *sync.RWMutex { return &r.mu }

// Held returns the register's maps (read them under Mutex's read lock).
func (r *Register) Held() Held { return r.held }

// Need returns a need held (not deleted).
func (r *Register) Need(id string) (register.Need, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	n, ok := r.held.Needs[id]
	return n, ok
}

// Profile returns a profile held (not erased).
func (r *Register) Profile(id string) (profile.Profile, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	p, ok := r.held.Profiles[id]
	return p, ok
}

// Employer returns an employer held.
func (r *Register) Employer(id string) (register.Employer, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	e, ok := r.held.Employers[id]
	return e, ok
}

// Employers returns copies of every employer, for the office's employer
// list and its verification queue, without copying needs and profiles.
func (r *Register) Employers() []register.Employer {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Collect(maps.Values(r.held.Employers))
}

// Contents returns copies of every current need, profile and employer,
// for the office's insights, which count over everything.
func (r *Register) Contents() (needs []register.Need, profiles []profile.Profile, employers []register.Employer) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Collect(maps.Values(r.held.Needs)), slices.Collect(maps.Values(r.held.Profiles)),
		slices.Collect(maps.Values(r.held.Employers))
}

// Marks returns the sequences up to which the needs and the profiles held
// are complete.
func (r *Register) Marks() (needs, profiles int64) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.needMark.Done(), r.profMark.Done()
}

// Ready reports whether the start-up load has finished and every
// subscriber write since succeeded.
func (r *Register) Ready() error {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if !r.ready {
		return errors.New("index catching up with the store")
	}
	if r.lagging > 0 {
		return fmt.Errorf("%d index writes failed; restart to catch up", r.lagging)
	}
	return nil
}

// ApplyNeed holds a need just written to the store (or its deletion) and
// tells the subscribers. A change older than the version held — two
// writes raced and the newer one arrived first — only passes the marks.
func (r *Register) ApplyNeed(n register.Need, deleted bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !newerLocked(r.needSeq, n.ID, n.Seq) {
		r.needMark.Pass(n.Seq, time.Now())
		return r.tellLocked(func(s Subscriber) error { return s.NeedPassed(n.Seq) })
	}
	old := r.holdNeedLocked(n, deleted)
	r.needMark.Pass(n.Seq, time.Now())
	if !deleted {
		n = r.held.Needs[n.ID] // the interned copy
	}
	return r.tellLocked(func(s Subscriber) error { return s.NeedChanged(old, n, deleted) })
}

// ApplyProfile is ApplyNeed for profiles: an edit that lost a race to an
// erasure must not bring the person back.
func (r *Register) ApplyProfile(p profile.Profile, erased bool) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !newerLocked(r.profSeq, p.ID, p.Seq) {
		r.profMark.Pass(p.Seq, time.Now())
		return nil
	}
	old := r.holdProfileLocked(p, erased)
	if erased {
		r.snapshotErased() // the snapshot on disk still holds them
	} else {
		p = r.held.Profiles[p.ID]
	}
	r.profMark.Pass(p.Seq, time.Now())
	return r.tellLocked(func(s Subscriber) error { return s.ProfileChanged(old, p, erased) })
}

// ApplyEmployer holds an employer just written (a verification given or
// withdrawn) and tells the subscribers, unless a newer version is held.
func (r *Register) ApplyEmployer(e register.Employer) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if held, ok := r.held.Employers[e.ID]; ok && e.Seq != 0 && e.Seq <= held.Seq {
		return nil // an older write, arriving after a newer one
	}
	old := holdLocked(r.held.Employers, e.ID, e, false)
	r.held.Verified[e.ID] = e.Verified
	return r.tellLocked(func(s Subscriber) error { return s.EmployerChanged(old, e) })
}

// tellLocked tells every subscriber, each even when one before failed.
func (r *Register) tellLocked(fn func(Subscriber) error) error {
	var errs []error
	for _, s := range r.subs {
		errs = append(errs, fn(s))
	}
	return errors.Join(errs...)
}

// holdNeedLocked makes n (or its deletion) the held version and returns
// the one it replaces.
func (r *Register) holdNeedLocked(n register.Need, deleted bool) *register.Need {
	if !deleted {
		n = r.intern.need(n)
	}
	return holdLocked(r.held.Needs, n.ID, n, deleted)
}

// holdProfileLocked is holdNeedLocked for profiles.
func (r *Register) holdProfileLocked(p profile.Profile, erased bool) *profile.Profile {
	if !erased {
		p = r.intern.profile(p)
	}
	return holdLocked(r.held.Profiles, p.ID, p, erased)
}

// holdLocked makes v (gone: no version) what m holds for id and returns
// the version it replaces (nil: none).
func holdLocked[T any](m map[string]T, id string, v T, gone bool) *T {
	var old *T
	if was, ok := m[id]; ok {
		old = new(T) // allocated only for a replacement: &was would be on every call
		*old = was
	}
	if gone {
		delete(m, id)
	} else {
		m[id] = v
	}
	return old
}

// newerLocked reports whether seq is newer than the version of document
// id recorded in seqs, and if so records it. A document never seen is
// older than anything.
func newerLocked(seqs map[string]int64, id string, seq int64) bool {
	if held, ok := seqs[id]; ok && seq <= held {
		return false
	}
	seqs[id] = seq
	return true
}

// noteFailure logs a subscriber's failed write and counts it (Ready); the
// next start-up's load repairs it (the subscriber's mark did not move).
func (r *Register) noteFailure(err error, kind, id string) {
	if err == nil {
		return
	}
	r.log.Error("index write failed; the store has it, the index will catch up at restart",
		slog.String("kind", kind), slog.String("id", id), slog.Any("err", err))
	r.mu.Lock()
	r.lagging++
	r.mu.Unlock()
}
