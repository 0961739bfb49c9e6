package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/careget/skillsmatch/internal/mirror"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// watermarkKey is the internal key under which the needs index keeps the
// highest sequence number up to which it holds every change. It is written
// in the same Bleve batch as the documents, so the two move together.
var watermarkKey = []byte("skillsmatch:watermark")

// layoutKey holds the version of the documents' and mappings' layout. An
// index of another layout answers queries wrongly, not with an error, so
// it is rebuilt from the store: the watermark starts again at zero. Bump
// layoutVersion with every change to docs.go, cells.go or mapping.go.
var layoutKey = []byte("skillsmatch:layout")

// 8: needs carry age-suitability terms, the profiles index holds no summary, and the
// stemmer drops a final ъ like а (search/analysis).
// 9: no profiles index (retrieval is the in-memory pool); Open deletes the
// profiles.bleve an older version left.
// 10: the needs document holds only what the public search reads (no cells, youth, start, S@L, groups, visible terms); one facets field.
const layoutVersion = "10"

// oldProfilesIndex is the profiles index of layouts before 9. Nothing has
// read it since the pool retrieves candidates; Open deletes it, so an
// upgraded data dir does not keep its disk space (most of the index's).
const oldProfilesIndex = "profiles.bleve"

// Index holds the needs index and what the ranking derives from the
// replica's followed register (internal/mirror): the pool (pool.go), the
// skill frequencies behind rarity and the prepared documents of the
// rankers. It holds no copy of a need, profile or employer: it reads the
// register's, and subscribes to it, so that every change the register
// accepts reaches Bleve, the pool and rarity in the same step, under the
// register's lock (mu). The needs index's watermark — how far its stored
// documents are complete — is the index's own.
type Index struct {
	needs bleve.Index
	tx    Taxonomy
	reg   *mirror.Register

	// mu is the register's lock: the index's state below moves under its
	// write lock (the register tells the index its changes holding it),
	// and the ranking read-locks it to read the register and the index
	// together.
	mu *sync.RWMutex
	// needSet, profSet and verified are the register's own maps
	// (mirror.Held), never copies: read them under mu.
	needSet  map[string]register.Need
	profSet  map[string]profile.Profile
	verified map[string]bool // employer id → verified
	needMark *mirror.Mark    // stored in the needs index with its documents
	caught   CatchUpCounts   // what the last CatchUp did

	// Skill frequencies among consenting profiles, for rarity.
	holders     map[string]int
	consenting  int
	rarityEpoch int64              // moves whenever holders or consenting do
	rankers     map[string]*ranker // by label language
	pool        *pool              // the ranking's retrieval (pool.go), moved with needSet and profSet
	rank        rankCache          // candidate rankings while the profiles stay (rankcache.go)

	closeOnce sync.Once
	closeErr  error
}

// Open opens (or creates) the needs index under dir, deletes the profiles
// index of an older layout, and opens the replica's register beside it
// (its start-up snapshot lives in dir too), subscribed to by the index.
// Both are filled by CatchUp; services read the register (Register).
func Open(dir string, tx Taxonomy, log *slog.Logger) (*Index, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.RemoveAll(filepath.Join(dir, oldProfilesIndex)); err != nil {
		return nil, fmt.Errorf("remove the old profiles index: %w", err)
	}
	reg, err := mirror.New(dir, log)
	if err != nil {
		return nil, err
	}
	needs, err := openOrCreate(filepath.Join(dir, "needs.bleve"), needMapping)
	if err != nil {
		return nil, err
	}
	needs = countWrites(needs) // public searches kept until the next write (searchcache.go)
	held := reg.Held()
	ix := &Index{needs: needs, tx: tx, reg: reg, mu: reg.Mutex(),
		needSet: held.Needs, profSet: held.Profiles, verified: held.Verified,
		holders: map[string]int{}, pool: newPool(tx)}
	if ix.rankers, err = newRankers(ix); err != nil {
		return nil, errors.Join(err, ix.Close())
	}
	if ix.needMark, err = loadWatermark(needs); err != nil {
		return nil, errors.Join(err, ix.Close())
	}
	reg.Subscribe(subscriber{ix})
	return ix, nil
}

// Register is the replica's followed register the index subscribes to:
// what services read documents from, and whose followers and Poll apply
// writes (to it and, through it, to the index).
func (ix *Index) Register() *mirror.Register { return ix.reg }

func openOrCreate(path string, mapping func() (mapping.IndexMapping, error)) (bleve.Index, error) {
	if _, err := os.Stat(path); err == nil {
		idx, err := bleve.Open(path)
		if err != nil {
			return nil, fmt.Errorf("open index %s (rebuild it with `skillsmatch reindex`): %w", path, err)
		}
		v, err := idx.GetInternal(layoutKey)
		if err == nil && string(v) == layoutVersion {
			return idx, nil
		}
		if err := errors.Join(err, idx.Close(), os.RemoveAll(path)); err != nil {
			return nil, fmt.Errorf("replace index %s of an old layout: %w", path, err)
		}
	}
	m, err := mapping()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create index dir: %w", err)
	}
	idx, err := bleve.New(path, m)
	if err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	if err := idx.SetInternal(layoutKey, []byte(layoutVersion)); err != nil {
		return nil, errors.Join(fmt.Errorf("create index %s: %w", path, err), idx.Close())
	}
	return idx, nil
}

// Close writes the register's last start-up snapshot (if anything
// changed since the last one) and closes the needs index. Closing again
// does nothing.
func (ix *Index) Close() error {
	ix.closeOnce.Do(func() {
		ix.closeErr = errors.Join(ix.reg.Close(), ix.needs.Close())
	})
	return ix.closeErr
}

// Ready reports whether the start-up catch-up has finished and no index
// write failed since.
func (ix *Index) Ready() error { return ix.reg.Ready() }

// Watermarks returns the sequences up to which the needs index and the
// profiles held are complete.
func (ix *Index) Watermarks() (needs, profiles int64) {
	_, profiles = ix.reg.Marks()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.needMark.Done(), profiles
}

// DurableWatermarks is the register's DurableMarks, with needs never past
// the needs index's own watermark: retention may remove a tombstone only
// once a restart cannot need it, from the snapshot or from the index.
func (ix *Index) DurableWatermarks() (needs, profiles int64) {
	needs, profiles = ix.reg.DurableMarks()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return min(needs, ix.needMark.Done()), profiles
}

// CatchUp loads the register (mirror.Register.Load: every employer, the
// start-up snapshot and what the store holds past it), indexes every need
// changed past the needs index's watermark, in sequence order and in
// batches that carry the watermark, and starts the register's snapshot
// writer. It is the crash recovery: a need written to the store but not
// to the index before a crash is indexed here. progress, if set, is told how many documents were made
// searchable, one call at a time: profiles read from the store into
// memory, then needs (re)indexed; LastCatchUp splits the two.
func (ix *Index) CatchUp(ctx context.Context, src mirror.Source, progress func(n int)) error {
	ix.mu.RLock()
	from := ix.needMark.Done()
	ix.mu.RUnlock()
	err := ix.reg.Load(ctx, src, from, func(l mirror.Loaded) error { return ix.loadedLocked(ctx, l, progress) })
	if err != nil {
		return err
	}
	// The catch-up's garbage (decoded documents, Bleve's batches) is the
	// most the process ever makes at once; hand it back to the system now
	// rather than at the scavenger's pace, so the memory at ready is what
	// is held (the served binary's RSS at ready was twice its live heap).
	debug.FreeOSMemory()
	ix.reg.StartSnapshots()
	return nil
}

// CatchUpCounts is what the last CatchUp did: the needs it (re)indexed
// and the profiles it read from the store into memory.
type CatchUpCounts struct{ NeedsIndexed, ProfilesLoaded int }

// LastCatchUp returns the counts of the last CatchUp.
func (ix *Index) LastCatchUp() CatchUpCounts {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.caught
}

// loadedLocked builds the index's state from what the register loaded:
// rarity and the pool from every profile and need held, and the needs
// index from the needs changed past its watermark.
func (ix *Index) loadedLocked(ctx context.Context, l mirror.Loaded, progress func(int)) error {
	ix.profilesMoved()
	clear(ix.holders)
	ix.consenting = 0
	for _, p := range ix.profSet {
		ix.countLocked(p, 1)
	}
	ix.rarityEpoch++
	ix.pool.rebuild(ix.needSet, ix.profSet)
	if progress != nil && l.ProfilesLoaded > 0 {
		progress(l.ProfilesLoaded)
	}
	err := ix.replay(ix.needs, ix.needMark, l.Needs, ix.needDocLocked, progress)
	if err = errors.Join(err, compactAfter(ctx, ix.needs, len(l.Needs))); err != nil {
		return err
	}
	ix.caught = CatchUpCounts{NeedsIndexed: len(l.Needs), ProfilesLoaded: l.ProfilesLoaded}
	return nil
}

// batchSize: batches of about a thousand are as fast as larger ones with a
// quarter of the heap (measured while planning).
const batchSize = 1000

// replay indexes the changes in sequence order, in batches that carry the
// watermark of their last change. (Two batches of one index built at once
// were slower on the two shared cores measured: BenchmarkReindexDemo.)
func (ix *Index) replay(idx bleve.Index, mark *mirror.Mark, changes []mirror.NeedChange, doc func(id string) (any, bool), progress func(int)) error {
	slices.SortFunc(changes, func(a, b mirror.NeedChange) int { return int(a.Seq - b.Seq) })
	for start := 0; start < len(changes); start += batchSize {
		end := min(start+batchSize, len(changes))
		last := changes[end-1].Seq
		if err := indexBatch(idx, changes[start:end], doc, last); err != nil {
			return err
		}
		mark.Reset(last)
		if progress != nil {
			progress(end - start)
		}
	}
	return nil
}

// indexBatch indexes the held version of each changed document, or
// deletes it when none is held, in one batch with the watermark.
func indexBatch(idx bleve.Index, changes []mirror.NeedChange, doc func(id string) (any, bool), watermark int64) error {
	b := idx.NewBatch()
	for _, c := range changes {
		if d, ok := doc(c.ID); ok {
			if err := b.Index(c.ID, d); err != nil {
				return fmt.Errorf("index %s: %w", c.ID, err)
			}
		} else {
			b.Delete(c.ID)
		}
	}
	b.SetInternal(watermarkKey, []byte(strconv.FormatInt(watermark, 10)))
	if err := idx.Batch(b); err != nil {
		return fmt.Errorf("index batch: %w", err)
	}
	return nil
}

func (ix *Index) needDocLocked(id string) (any, bool) {
	n, ok := ix.needSet[id]
	if !ok {
		return nil, false
	}
	return toNeedDoc(n, ix.verified[n.EmployerID], ix.tx), true
}

// subscriber is the index as the register tells it its changes
// (mirror.Subscriber), under the register's write lock.
type subscriber struct{ ix *Index }

// NeedChanged indexes a need the register accepted (or its deletion) with
// the watermark it allows, and moves it in the pool.
func (s subscriber) NeedChanged(_ *register.Need, n register.Need, deleted bool) error {
	ix := s.ix
	ix.forgetNeedLocked(n.ID)
	ix.pool.setNeed(n, deleted)
	return ix.applyLocked(ix.needs, ix.needMark, n.ID, n.Seq, deleted, ix.needDocLocked)
}

// NeedPassed counts a superseded change as indexed.
func (s subscriber) NeedPassed(seq int64) error {
	return s.ix.passLocked(s.ix.needs, s.ix.needMark, seq)
}

// ProfileChanged moves a profile the register accepted (or its erasure)
// in the pool and the skill frequencies, where the ranking finds it at
// once. Profiles are indexed nowhere else: nothing to write, nothing to
// fail.
func (s subscriber) ProfileChanged(old *profile.Profile, p profile.Profile, erased bool) error {
	ix := s.ix
	if old != nil {
		ix.countLocked(*old, -1)
	}
	ix.forgetPreparedLocked(p.ID)
	ix.profilesMoved()
	if !erased {
		ix.countLocked(p, 1)
	}
	ix.pool.setProfile(p, erased)
	return nil
}

// EmployerChanged reindexes the employer's needs when its verification
// changed, so they appear or vanish at once.
func (s subscriber) EmployerChanged(old *register.Employer, e register.Employer) error {
	ix := s.ix
	if old != nil && old.Verified == e.Verified {
		return nil
	}
	b := ix.needs.NewBatch()
	for id, n := range ix.needSet {
		if n.EmployerID != e.ID {
			continue
		}
		d, _ := ix.needDocLocked(id)
		if err := b.Index(id, d); err != nil {
			return fmt.Errorf("reindex need %s: %w", id, err)
		}
	}
	if b.Size() == 0 {
		return nil
	}
	return ix.needs.Batch(b) // no sequence moves: the watermark stays
}

// applyLocked indexes one change with the watermark it allows.
func (ix *Index) applyLocked(idx bleve.Index, mark *mirror.Mark, id string, seq int64, deleted bool, doc func(string) (any, bool)) error {
	b := idx.NewBatch()
	if d, ok := doc(id); ok && !deleted {
		if err := b.Index(id, d); err != nil {
			return fmt.Errorf("index %s: %w", id, err)
		}
	} else {
		b.Delete(id)
	}
	next := mark.Advance(seq, time.Now())
	b.SetInternal(watermarkKey, []byte(strconv.FormatInt(next, 10)))
	if err := idx.Batch(b); err != nil {
		mark.Fail(seq)
		return fmt.Errorf("index %s: %w", id, err)
	}
	mark.Commit()
	return nil
}

// passLocked counts a superseded change as indexed: its sequence is done
// (a newer version of its document is in), so the watermark may pass it.
func (ix *Index) passLocked(idx bleve.Index, mark *mirror.Mark, seq int64) error {
	b := idx.NewBatch()
	next := mark.Advance(seq, time.Now())
	b.SetInternal(watermarkKey, []byte(strconv.FormatInt(next, 10)))
	if err := idx.Batch(b); err != nil {
		mark.Fail(seq)
		return fmt.Errorf("index watermark: %w", err)
	}
	mark.Commit()
	return nil
}

// compactFrom is the number of documents a catch-up must have indexed for
// the index to be merged into one segment afterwards.
const compactFrom = 10_000

// compactAfter merges the index into one segment after a catch-up of n
// documents. A bulk catch-up leaves tens of segments, and every query term
// is looked up in each: at 100,000 profiles that look-up was a quarter of a
// ranking's time. Later writes add small segments, which Bleve merges as
// usual.
func compactAfter(ctx context.Context, idx bleve.Index, n int) error {
	if n < compactFrom {
		return nil
	}
	adv, err := idx.Advanced()
	if err != nil {
		return fmt.Errorf("compact index: %w", err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	if err := s.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions); err != nil {
		return fmt.Errorf("compact index: %w", err)
	}
	return nil
}
