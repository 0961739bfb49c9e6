package mirror

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync"
	"time"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// Source is the store as the register reads it at start-up: every
// document, tombstones included. A Source that is also Changes (the
// store) lets a start that finds a snapshot read only what was written
// past it.
type Source interface {
	EachEmployer(ctx context.Context, fn func(register.Employer) error) error
	EachNeed(ctx context.Context, fn func(n register.Need, deleted bool) error) error
	EachProfile(ctx context.Context, fn func(p profile.Profile, erased bool) error) error
}

// NeedChange is one need's change that a start-up load read past the
// subscriber's mark (Load's needMark): the subscriber stores the held
// version of the need, or its absence.
type NeedChange struct {
	ID      string
	Seq     int64
	Deleted bool
}

// Loaded is what a start-up load read: the needs changed past the
// subscriber's mark, in no order, and how many profiles it read from the
// store (not from the snapshot).
type Loaded struct {
	Needs          []NeedChange
	ProfilesLoaded int
}

// Load fills the register at start-up: every employer, then the needs and
// profiles of the start-up snapshot (snapshot.go) when src can read past a
// sequence, then every need and profile the store holds past the
// snapshot's marks — or every one, without a usable snapshot. needMark is
// how far a subscriber (the search index, whose documents are stored) is
// complete: needs are read from no later than it, and every need past it
// is listed in Loaded for the subscriber to store again. then runs under
// the register's lock before any write can be applied, so the subscriber
// builds its state from exactly what was loaded. A needMark below zero
// means no subscriber stores needs: they are read from the snapshot's mark
// and none is listed. Snapshots are written once StartSnapshots is called.
func (r *Register) Load(ctx context.Context, src Source, needMark int64, then func(Loaded) error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	empDone := r.empMark.Done()
	if err := src.EachEmployer(ctx, func(e register.Employer) error {
		r.held.Employers[e.ID], r.held.Verified[e.ID] = e, e.Verified
		empDone = max(empDone, e.Seq)
		return nil
	}); err != nil {
		return fmt.Errorf("load employers: %w", err)
	}
	r.empMark.Reset(empDone) // every employer is read: polling starts past them
	needFrom, profFrom := r.loadSnapshotLocked(src, needMark)
	var out Loaded
	// A need past the subscriber's mark is listed even when the snapshot
	// holds it already: the snapshot may be newer than what the subscriber
	// stored before a crash. What it stores is the version held.
	needsDone := max(needFrom, 0)
	if err := eachNeedAfter(ctx, src, needFrom, func(n register.Need, deleted bool) error {
		if newerLocked(r.needSeq, n.ID, n.Seq) {
			r.holdNeedLocked(n, deleted)
		}
		if needMark >= 0 && n.Seq > needMark {
			out.Needs = append(out.Needs, NeedChange{ID: n.ID, Seq: n.Seq, Deleted: deleted})
		}
		needsDone = max(needsDone, n.Seq)
		return nil
	}); err != nil {
		return fmt.Errorf("load needs: %w", err)
	}
	// Every need and profile past the snapshot's marks (or every one) is
	// read, so what is held is complete up to the highest sequence read.
	profsDone := max(profFrom, 0)
	if err := eachProfileAfter(ctx, src, profFrom, func(p profile.Profile, erased bool) error {
		if newerLocked(r.profSeq, p.ID, p.Seq) {
			r.holdProfileLocked(p, erased)
		}
		profsDone, out.ProfilesLoaded = max(profsDone, p.Seq), out.ProfilesLoaded+1
		return nil
	}); err != nil {
		return fmt.Errorf("load profiles: %w", err)
	}
	r.needMark.Reset(max(needsDone, needMark))
	r.profMark.Reset(profsDone)
	if then != nil {
		if err := then(out); err != nil {
			return err
		}
	}
	r.ready = true
	return nil
}

// loadSnapshotLocked fills the register from the start-up snapshot when
// src can read past a sequence, and returns the sequences to read the
// needs and the profiles from: for needs the lower of the snapshot's and
// the subscriber's marks, for profiles the snapshot's (-1: read
// everything). Anything unusable is logged and ignored.
func (r *Register) loadSnapshotLocked(src Source, needMark int64) (needFrom, profFrom int64) {
	if _, ok := src.(Changes); !ok || r.dir == "" {
		return -1, -1
	}
	path := filepath.Join(r.dir, snapshotName)
	snapNeed, snapProf, err := loadSnapshot(path, snapshotSink{
		need: func(n register.Need) {
			if newerLocked(r.needSeq, n.ID, n.Seq) {
				r.holdNeedLocked(n, false)
			}
		},
		profile: func(p profile.Profile) {
			if newerLocked(r.profSeq, p.ID, p.Seq) {
				r.holdProfileLocked(p, false)
			}
		},
	})
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			r.log.Warn("start-up snapshot unusable: reading every need and profile", "err", err)
		}
		r.dropHeldLocked()
		return -1, -1
	}
	if needMark < 0 {
		needMark = snapNeed
	}
	return from(snapNeed, needMark), from(snapProf, snapProf)
}

// from is where to read a collection from: the lower of the snapshot's
// mark and the subscriber's. A subscriber at zero may miss documents
// stored before sequences were (bulk loads of old, seq 0), which only a
// whole read sees.
func from(snapMark, subMark int64) int64 {
	if subMark <= 0 || snapMark <= 0 {
		return -1
	}
	return min(snapMark, subMark)
}

// dropHeldLocked forgets what a damaged snapshot put into the register
// (start only: nothing else is held yet, and subscribers are told nothing
// until the load's then).
func (r *Register) dropHeldLocked() {
	clear(r.held.Needs)
	clear(r.held.Profiles)
	clear(r.needSeq)
	clear(r.profSeq)
}

func eachNeedAfter(ctx context.Context, src Source, seq int64, fn func(register.Need, bool) error) error {
	if seq < 0 {
		return src.EachNeed(ctx, fn)
	}
	return src.(Changes).NeedsAfter(ctx, seq, fn)
}

func eachProfileAfter(ctx context.Context, src Source, seq int64, fn func(profile.Profile, bool) error) error {
	if seq < 0 {
		return src.EachProfile(ctx, fn)
	}
	return src.(Changes).ProfilesAfter(ctx, seq, fn)
}

// snapshotWriter rewrites the start-up snapshot in the background: every
// snapshotEvery if the marks moved, and snapshotEraseDelay after an
// erasure (see snapshot.go).
type snapshotWriter struct {
	erased chan struct{} // buffered: one pending request is enough
	quit   chan struct{}
	done   sync.WaitGroup
	once   sync.Once
}

// StartSnapshots starts the snapshot writer, which writes a first
// snapshot at once if the one on disk is behind. Call it after Load, once
// the load's garbage is handed back (search.Index.CatchUp does both): a
// first snapshot written meanwhile would keep its buffers in the memory
// at ready.
func (r *Register) StartSnapshots() {
	r.mu.Lock()
	if r.dir == "" || r.snap.writer != nil {
		r.mu.Unlock()
		return
	}
	w := &snapshotWriter{erased: make(chan struct{}, 1), quit: make(chan struct{})}
	r.snap.writer = w // ApplyProfile reads it under the lock
	r.mu.Unlock()
	w.done.Go(func() { r.writeSnapshots(w) })
}

func (r *Register) writeSnapshots(w *snapshotWriter) {
	save := func() {
		if err := r.SaveSnapshot(); err != nil {
			r.log.Warn("start-up snapshot", "err", err)
		}
	}
	if r.snapshotStale() {
		save()
	}
	tick := time.NewTicker(snapshotEvery)
	defer tick.Stop()
	for {
		select {
		case <-w.quit:
			return
		case <-tick.C:
			if r.snapshotStale() {
				save()
			}
		case <-w.erased:
			select { // let erasures that come together share the write
			case <-w.quit:
				return // Close writes the last one
			case <-time.After(snapshotEraseDelay):
			}
			save()
		}
	}
}

func (w *snapshotWriter) stop() {
	w.once.Do(func() { close(w.quit) })
	w.done.Wait()
}

// snapshotErased asks for a snapshot without an erased profile (under
// the register's lock).
func (r *Register) snapshotErased() {
	if r.snap.writer == nil {
		return
	}
	select {
	case r.snap.writer.erased <- struct{}{}:
	default: // one is pending already
	}
}

// snapshotStale reports whether the register moved past the snapshot on
// disk.
func (r *Register) snapshotStale() bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.ready && (!r.snap.taken || r.snap.need != r.needMark.Done() || r.snap.prof != r.profMark.Done())
}

// Close writes a last start-up snapshot (if anything changed since the
// last one) and stops the writer. Closing again does nothing.
func (r *Register) Close() error {
	r.closeOnce.Do(func() {
		r.mu.RLock()
		w := r.snap.writer
		r.mu.RUnlock()
		if w != nil {
			w.stop()
			if r.snapshotStale() {
				r.closeErr = r.SaveSnapshot()
			}
		}
	})
	return r.closeErr
}
