package search

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
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
const layoutVersion = "9"

// oldProfilesIndex is the profiles index of layouts before 9. Nothing has
// read it since the pool retrieves candidates; Open deletes it, so an
// upgraded data dir does not keep its disk space (most of the index's).
const oldProfilesIndex = "profiles.bleve"

// Index holds the needs index and, beside it, the current needs, profiles
// and employer verifications in memory, which the hard filters, the pool's
// retrieval and the explained re-rank read without touching the store.
// Profiles are in memory only: their mark's durable value is the start-up
// snapshot's (snapshot.go).
type Index struct {
	needs bleve.Index
	tx    Taxonomy
	log   *slog.Logger
	dir   string // where the index and the start-up snapshot are

	mu        sync.RWMutex
	needSet   map[string]register.Need
	profSet   map[string]profile.Profile
	verified  map[string]bool // employer id → verified
	employers map[string]register.Employer
	// The sequence of the version of each need and profile the index
	// holds, tombstones included: writes to one document that race reach
	// the index in any order, and only a newer one may replace what it holds.
	needSeq  map[string]int64
	profSeq  map[string]int64
	needMark *watermark // stored in the needs index with its documents
	// profMark is how far the profiles held are complete. It lives in
	// memory only (no index stores profiles); what survives a restart is
	// the start-up snapshot's profile mark, from which the start reads.
	profMark *watermark
	// empMark is how far the employers' change sequence has been followed
	// (in memory only: every start reads every employer).
	empMark *watermark
	ready   bool
	lagging int           // index writes that failed since start
	caught  CatchUpCounts // what the last CatchUp did

	// Skill frequencies among consenting profiles, for rarity.
	holders     map[string]int
	consenting  int
	rarityEpoch int64              // moves whenever holders or consenting do
	rankers     map[string]*ranker // by label language
	pool        *pool              // the ranking's retrieval (pool.go), moved with needSet and profSet
	rank        rankCache          // candidate rankings while the profiles stay (rankcache.go)

	// The start-up snapshot (snapshot.go): the marks of the last one on
	// disk (snapped: there is one), and its writer.
	snapMu             sync.Mutex // one write at a time
	snapNeed, snapProf int64
	snapped            bool
	snaps              *snapshotWriter
	intern             *interner // shared copies of the values held documents repeat (compact.go)
	closeOnce          sync.Once
	closeErr           error
}

// Open opens (or creates) the needs index under dir, and deletes the
// profiles index of an older layout.
func Open(dir string, tx Taxonomy, log *slog.Logger) (*Index, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.RemoveAll(filepath.Join(dir, oldProfilesIndex)); err != nil {
		return nil, fmt.Errorf("remove the old profiles index: %w", err)
	}
	needs, err := openOrCreate(filepath.Join(dir, "needs.bleve"), needMapping)
	if err != nil {
		return nil, err
	}
	ix := &Index{needs: needs, tx: tx, log: log, dir: dir,
		needSet: map[string]register.Need{}, profSet: map[string]profile.Profile{},
		verified: map[string]bool{}, employers: map[string]register.Employer{}, holders: map[string]int{},
		needSeq: map[string]int64{}, profSeq: map[string]int64{}, empMark: &watermark{above: map[int64]bool{}},
		profMark: &watermark{above: map[int64]bool{}}, intern: newInterner(), pool: newPool(tx)}
	if ix.rankers, err = newRankers(ix); err != nil {
		return nil, errors.Join(err, ix.Close())
	}
	if ix.needMark, err = loadWatermark(needs); err != nil {
		return nil, errors.Join(err, ix.Close())
	}
	if err := removeSnapshotTemps(dir); err != nil {
		return nil, errors.Join(err, ix.Close())
	}
	ix.snapNeed, ix.snapProf, ix.snapped = readSnapshotMarks(filepath.Join(dir, snapshotName))
	if ix.snapped {
		ix.profMark.done = ix.snapProf // until the catch-up says where it is
	}
	return ix, nil
}

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

// Close writes a last start-up snapshot (if anything changed since the
// last one) and closes the needs index. Closing again does nothing.
func (ix *Index) Close() error {
	ix.closeOnce.Do(func() {
		ix.mu.RLock()
		snaps := ix.snaps
		ix.mu.RUnlock()
		if snaps != nil {
			snaps.stop()
			if ix.snapshotStale() {
				ix.closeErr = ix.SaveSnapshot()
			}
		}
		ix.closeErr = errors.Join(ix.closeErr, ix.needs.Close())
	})
	return ix.closeErr
}

// Ready reports whether the start-up catch-up has finished.
func (ix *Index) Ready() error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if !ix.ready {
		return errors.New("index catching up with the store")
	}
	if ix.lagging > 0 {
		return fmt.Errorf("%d index writes failed; restart to catch up", ix.lagging)
	}
	return nil
}

// Watermarks returns the sequences up to which the needs index and the
// profiles held are complete.
func (ix *Index) Watermarks() (needs, profiles int64) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.needMark.done, ix.profMark.done
}

// DurableWatermarks is what Watermarks is, but never past the marks of the
// start-up snapshot on disk: a tombstone below it may be removed from the
// store (retention) without a later start, which replays from the
// snapshot's marks, missing it and bringing an erased person back. The
// profiles' mark is in memory only, so without a snapshot on disk nothing
// of it is durable (0: retention keeps every profile tombstone).
func (ix *Index) DurableWatermarks() (needs, profiles int64) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if !ix.snapped {
		return ix.needMark.done, 0
	}
	return min(ix.needMark.done, ix.snapNeed), min(ix.profMark.done, ix.snapProf)
}

// Source is the store as the index reads it at start-up: every document,
// tombstones included. A Source that is also Changes (the store) lets a
// start that finds a snapshot read only what was written past it.
type Source interface {
	EachEmployer(ctx context.Context, fn func(register.Employer) error) error
	EachNeed(ctx context.Context, fn func(n register.Need, deleted bool) error) error
	EachProfile(ctx context.Context, fn func(p profile.Profile, erased bool) error) error
}

// CatchUp loads every employer, need and profile into memory and indexes
// every need changed past the needs index's watermark, in sequence order
// and in batches that carry the watermark. It is the crash recovery: a need
// written to the store but not to the index before a crash is indexed
// here. Profiles are only held (the pool retrieves them): with a start-up
// snapshot (snapshot.go) and a src that can read past a sequence, the
// needs and profiles come from the snapshot and only what was written past
// its marks is read from the store. progress, if set, is told how many
// documents were made searchable, one call at a time: needs (re)indexed and
// profiles read from the store into memory; LastCatchUp splits the two.
func (ix *Index) CatchUp(ctx context.Context, src Source, progress func(n int)) error {
	if err := ix.catchUp(ctx, src, progress); err != nil {
		return err
	}
	// The catch-up's garbage (decoded documents, Bleve's batches) is the
	// most the process ever makes at once; hand it back to the system now
	// rather than at the scavenger's pace, so the memory at ready is what
	// is held (the served binary's RSS at ready was twice its live heap).
	debug.FreeOSMemory()
	ix.startSnapshots()
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

func (ix *Index) catchUp(ctx context.Context, src Source, progress func(n int)) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if err := src.EachEmployer(ctx, func(e register.Employer) error {
		ix.employers[e.ID], ix.verified[e.ID] = e, e.Verified
		ix.empMark.done = max(ix.empMark.done, e.Seq) // every employer is read: polling starts past them
		return nil
	}); err != nil {
		return fmt.Errorf("catch up employers: %w", err)
	}
	needFrom, profFrom := ix.loadSnapshotLocked(src)
	var needChanges []change
	// A need past the index's watermark is indexed again even when the
	// snapshot holds it already: the snapshot may be newer than what the
	// index stored before a crash. What is indexed is the version held.
	if err := eachNeedAfter(ctx, src, needFrom, func(n register.Need, deleted bool) error {
		if ix.newerLocked(ix.needSeq, n.ID, n.Seq) {
			ix.holdNeedLocked(n, deleted)
		}
		if n.Seq > ix.needMark.done {
			needChanges = append(needChanges, change{id: n.ID, seq: n.Seq, deleted: deleted})
		}
		return nil
	}); err != nil {
		return fmt.Errorf("catch up needs: %w", err)
	}
	// Every profile past the snapshot's mark (or every one) is read, so the
	// profiles held are complete up to the highest sequence read.
	profMark, loaded := max(profFrom, 0), 0
	if err := eachProfileAfter(ctx, src, profFrom, func(p profile.Profile, erased bool) error {
		if ix.newerLocked(ix.profSeq, p.ID, p.Seq) {
			ix.holdProfileLocked(p, erased)
		}
		profMark, loaded = max(profMark, p.Seq), loaded+1
		return nil
	}); err != nil {
		return fmt.Errorf("catch up profiles: %w", err)
	}
	ix.profMark.reset(profMark)
	ix.pool.rebuild(ix.needSet, ix.profSet)
	if progress != nil && loaded > 0 {
		progress(loaded)
	}
	err := ix.replay(ix.needs, ix.needMark, needChanges, ix.needDocLocked, progress)
	if err = errors.Join(err, compactAfter(ctx, ix.needs, len(needChanges))); err != nil {
		return err
	}
	ix.caught = CatchUpCounts{NeedsIndexed: len(needChanges), ProfilesLoaded: loaded}
	ix.ready = true
	return nil
}

// holdNeedLocked makes n (or its deletion) the held version.
func (ix *Index) holdNeedLocked(n register.Need, deleted bool) {
	if deleted {
		delete(ix.needSet, n.ID)
	} else {
		ix.needSet[n.ID] = ix.intern.need(n)
	}
}

// holdProfileLocked makes p (or its erasure) the held version, keeping the
// skill frequencies.
func (ix *Index) holdProfileLocked(p profile.Profile, erased bool) {
	ix.profilesMoved()
	if old, ok := ix.profSet[p.ID]; ok {
		ix.countLocked(old, -1)
		delete(ix.profSet, p.ID)
	}
	if !erased {
		p = ix.intern.profile(p)
		ix.profSet[p.ID] = p
		ix.countLocked(p, 1)
	}
}

type change struct {
	id      string
	seq     int64
	deleted bool
}

// batchSize: batches of about a thousand are as fast as larger ones with a
// quarter of the heap (measured while planning).
const batchSize = 1000

// replay indexes the changes in sequence order, in batches that carry the
// watermark of their last change. (Two batches of one index built at once
// were slower on the two shared cores measured: BenchmarkReindexDemo.)
func (ix *Index) replay(idx bleve.Index, mark *watermark, changes []change, doc func(id string) (any, bool), progress func(int)) error {
	slices.SortFunc(changes, func(a, b change) int { return int(a.seq - b.seq) })
	for start := 0; start < len(changes); start += batchSize {
		end := min(start+batchSize, len(changes))
		last := changes[end-1].seq
		if err := indexBatch(idx, changes[start:end], doc, last); err != nil {
			return err
		}
		mark.reset(last)
		if progress != nil {
			progress(end - start)
		}
	}
	return nil
}

// indexBatch indexes the held version of each changed document, or
// deletes it when none is held, in one batch with the watermark.
func indexBatch(idx bleve.Index, changes []change, doc func(id string) (any, bool), watermark int64) error {
	b := idx.NewBatch()
	for _, c := range changes {
		if d, ok := doc(c.id); ok {
			if err := b.Index(c.id, d); err != nil {
				return fmt.Errorf("index %s: %w", c.id, err)
			}
		} else {
			b.Delete(c.id)
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

// newerLocked reports whether seq is newer than the version of document id
// held in seqs, and if so records it as held. A document never seen is
// older than anything.
func (ix *Index) newerLocked(seqs map[string]int64, id string, seq int64) bool {
	if held, ok := seqs[id]; ok && seq <= held {
		return false
	}
	seqs[id] = seq
	return true
}

// NeedChanged indexes a need just written to the store (or deleted). A
// change older than the version the index holds — two writes raced and
// the newer one arrived first — changes nothing but the watermark.
func (ix *Index) NeedChanged(n register.Need, deleted bool) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if !ix.newerLocked(ix.needSeq, n.ID, n.Seq) {
		return ix.passLocked(ix.needs, ix.needMark, n.Seq)
	}
	ix.forgetNeedLocked(n.ID)
	if deleted {
		delete(ix.needSet, n.ID)
	} else {
		ix.needSet[n.ID] = ix.intern.need(n)
	}
	ix.pool.setNeed(n, deleted)
	return ix.applyLocked(ix.needs, ix.needMark, change{id: n.ID, seq: n.Seq, deleted: deleted}, ix.needDocLocked)
}

// ProfileChanged holds a profile just written to the store (or erased) in
// memory and in the pool, where the ranking finds it at once. A change
// older than the version the index holds changes nothing but the
// watermark: an edit that lost a race to an erasure must not bring the
// person back into search.
func (ix *Index) ProfileChanged(p profile.Profile, erased bool) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if !ix.newerLocked(ix.profSeq, p.ID, p.Seq) {
		ix.profMark.pass(p.Seq, time.Now())
		return nil
	}
	if old, ok := ix.profSet[p.ID]; ok {
		ix.countLocked(old, -1)
	}
	ix.forgetPreparedLocked(p.ID)
	ix.profilesMoved()
	if erased {
		delete(ix.profSet, p.ID)
		ix.snapshotErased() // the snapshot on disk still holds them
	} else {
		p = ix.intern.profile(p)
		ix.profSet[p.ID] = p
		ix.countLocked(p, 1)
	}
	ix.pool.setProfile(p, erased)
	ix.profMark.pass(p.Seq, time.Now()) // held in memory only: nothing more to write, nothing to fail
	return nil
}

// EmployerChanged records an employer's verification; when it changes,
// the employer's needs are reindexed so they appear or vanish at once.
func (ix *Index) EmployerChanged(e register.Employer) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if held, ok := ix.employers[e.ID]; ok && e.Seq != 0 && e.Seq <= held.Seq {
		return nil // an older write, arriving after a newer one
	}
	was, known := ix.verified[e.ID]
	ix.employers[e.ID], ix.verified[e.ID] = e, e.Verified
	if known && was == e.Verified {
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
func (ix *Index) applyLocked(idx bleve.Index, mark *watermark, c change, doc func(string) (any, bool)) error {
	b := idx.NewBatch()
	if d, ok := doc(c.id); ok && !c.deleted {
		if err := b.Index(c.id, d); err != nil {
			return fmt.Errorf("index %s: %w", c.id, err)
		}
	} else {
		b.Delete(c.id)
	}
	next := mark.advance(c.seq, time.Now())
	b.SetInternal(watermarkKey, []byte(strconv.FormatInt(next, 10)))
	if err := idx.Batch(b); err != nil {
		mark.fail(c.seq)
		return fmt.Errorf("index %s: %w", c.id, err)
	}
	mark.commit()
	return nil
}

// passLocked counts a superseded change as indexed: its sequence is done
// (a newer version of its document is in), so the watermark may pass it.
func (ix *Index) passLocked(idx bleve.Index, mark *watermark, seq int64) error {
	b := idx.NewBatch()
	next := mark.advance(seq, time.Now())
	b.SetInternal(watermarkKey, []byte(strconv.FormatInt(next, 10)))
	if err := idx.Batch(b); err != nil {
		mark.fail(seq)
		return fmt.Errorf("index watermark: %w", err)
	}
	mark.commit()
	return nil
}

// Contents returns copies of every current need, profile and employer,
// for the office's insights, which count over everything.
func (ix *Index) Contents() (needs []register.Need, profiles []profile.Profile, employers []register.Employer) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	needs = slices.Collect(maps.Values(ix.needSet))
	profiles = slices.Collect(maps.Values(ix.profSet))
	employers = slices.Collect(maps.Values(ix.employers))
	return needs, profiles, employers
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
