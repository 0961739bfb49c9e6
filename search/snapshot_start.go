package search

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"sync"
	"time"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// loadSnapshotLocked fills the sets from the start-up snapshot when src
// can read past a sequence, and returns the sequences to read the needs
// and the profiles from: for needs the lower of the snapshot's and the
// needs index's marks, for profiles the snapshot's (-1: read everything). Anything unusable is logged and ignored.
func (ix *Index) loadSnapshotLocked(src Source) (needFrom, profFrom int64) {
	if _, ok := src.(Changes); !ok || ix.dir == "" {
		return -1, -1
	}
	path := filepath.Join(ix.dir, snapshotName)
	needMark, profMark, err := loadSnapshot(path, snapshotSink{
		need: func(n register.Need) {
			if ix.newerLocked(ix.needSeq, n.ID, n.Seq) {
				ix.holdNeedLocked(n, false)
			}
		},
		profile: func(p profile.Profile) {
			if ix.newerLocked(ix.profSeq, p.ID, p.Seq) {
				ix.holdProfileLocked(p, false)
			}
		},
	})
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			ix.log.Warn("start-up snapshot unusable: reading every need and profile", "err", err)
		}
		ix.dropHeldLocked()
		return -1, -1
	}
	// No index stores profiles: the snapshot's mark is all there is.
	return from(needMark, ix.needMark.done), from(profMark, profMark)
}

// from is where to read a collection from: the lower of the snapshot's
// mark and the index's. An index at zero may miss documents stored before
// sequences were (bulk loads of old, seq 0), which only a whole read sees.
func from(snapMark, indexMark int64) int64 {
	if indexMark <= 0 || snapMark <= 0 {
		return -1
	}
	return min(snapMark, indexMark)
}

// dropHeldLocked forgets what a damaged snapshot put into the sets (start
// only: nothing else is held yet).
func (ix *Index) dropHeldLocked() {
	clear(ix.needSet)
	clear(ix.profSet)
	clear(ix.needSeq)
	clear(ix.profSeq)
	clear(ix.holders)
	ix.consenting = 0
	ix.rarityEpoch++
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

// startSnapshots starts the writer once the index has caught up, and asks
// for a first snapshot if the one on disk is behind.
func (ix *Index) startSnapshots() {
	if ix.dir == "" || ix.snaps != nil {
		return
	}
	w := &snapshotWriter{erased: make(chan struct{}, 1), quit: make(chan struct{})}
	ix.mu.Lock()
	ix.snaps = w // ProfileChanged reads it under the lock
	ix.mu.Unlock()
	w.done.Go(func() { ix.writeSnapshots(w) })
}

func (ix *Index) writeSnapshots(w *snapshotWriter) {
	save := func() {
		if err := ix.SaveSnapshot(); err != nil {
			ix.log.Warn("start-up snapshot", "err", err)
		}
	}
	if ix.snapshotStale() {
		save()
	}
	tick := time.NewTicker(snapshotEvery)
	defer tick.Stop()
	for {
		select {
		case <-w.quit:
			return
		case <-tick.C:
			if ix.snapshotStale() {
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

// snapshotErased asks for a snapshot without an erased profile.
func (ix *Index) snapshotErased() {
	if ix.snaps == nil {
		return
	}
	select {
	case ix.snaps.erased <- struct{}{}:
	default: // one is pending already
	}
}

// snapshotStale reports whether the index moved past the snapshot on disk.
func (ix *Index) snapshotStale() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.ready && (!ix.snapped || ix.snapNeed != ix.needMark.done || ix.snapProf != ix.profMark.done)
}
