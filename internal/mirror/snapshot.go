package mirror

import (
	"bufio"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// The start-up snapshot keeps what a restart needs beside the search index:
// the current needs and profiles as the register held them, and the marks
// up to which those sets are complete (every change at or below a mark is in
// them). A start loads it and reads from the store only what was written
// past its marks (Source's *After reads), instead of decoding every
// document of the register again.
//
// It is only ever a shortcut. It is written to a temporary file, synced,
// and renamed over the last one, so a crash leaves the old or the new
// whole; a file that is missing, damaged (its CRC), of another format or
// of other domain types (snapshotLayout) is ignored and the start reads
// everything, as before there were snapshots. A snapshot older than the
// needs index is fine: the start reads needs from the lower of its need
// mark and the index's watermark (Load's needMark), and a change applies
// only when newer than the version held (updates are idempotent by
// sequence). Profiles are indexed nowhere, so the snapshot's profile mark
// is the only durable mark they have: the start reads every profile past
// it.
//
// Erasure: a snapshot holds the profiles of its time, so an erased
// person's data stays in the file until the next snapshot. ApplyProfile
// therefore asks for a new snapshot after every erasure, written within
// snapshotEraseDelay (erasures that come together share one write); the
// next start cannot bring the person back in the meantime, because it
// replays the tombstone, which is newer than the snapshot's copy. And
// DurableMarks — what retention may remove tombstones below — never
// passes the last snapshot's marks, so the tombstone a replay needs is kept
// until a snapshot without the person is on disk.
const snapshotName = "startup.snapshot"

// snapshotMagic starts every snapshot file; the format of what follows is
// in snapshotLayout.
var snapshotMagic = [8]byte{'s', 'k', 'm', 's', 'n', 'a', 'p', '1'}

// snapshotFormat: bump it when the meaning of a stored field changes
// without its Go type changing (a type change is caught by
// snapshotLayout's fingerprint).
const snapshotFormat = "1"

// snapshotLayout names everything a snapshot's contents depend on: its own
// format and the shape of the domain types it stores (the search index's
// layout is not one: the index is stored apart and rebuilt from the
// register), so that a field added to register.Need or
// profile.Profile makes old snapshots unreadable rather than loading the
// new field as zero for every document.
var snapshotLayout = snapshotFormat + "/" +
	typeShape(reflect.TypeFor[register.Need]()) + "/" + typeShape(reflect.TypeFor[profile.Profile]())

// snapshotChunk is how many documents are copied under one read lock and
// encoded as one gob value: writers wait for a chunk at most.
const snapshotChunk = 1000

// How often the snapshot is rewritten while serving, if anything changed,
// and how soon after an erasure (a variable for the test that waits for it).
const snapshotEvery = 5 * time.Minute

var snapshotEraseDelay = 10 * time.Second

// snapshotHeader is the fixed-size start of the file. The CRC covers the
// marks and the body; the body is a gob stream: a snapshotHead, then
// chunks of needs up to an End chunk, then chunks of profiles likewise.
type snapshotHeader struct {
	Magic              [8]byte
	NeedMark, ProfMark int64
	BodyLen            uint64
	CRC                uint32
}

type snapshotHead struct {
	Layout string
}

// snapshotChunkOf is one gob value of the body: up to snapshotChunk
// documents, or the end of their kind.
type snapshotChunkOf[T any] struct {
	Docs []T
	End  bool
}

// snapshotSink receives a snapshot's documents as they are decoded; they
// count only if loadSnapshot then returns no error.
type snapshotSink struct {
	need    func(register.Need)
	profile func(profile.Profile)
}

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// removeSnapshotTemps removes the temporary files of snapshot writes that
// a crash or kill interrupted: they may hold people erased since.
func removeSnapshotTemps(dir string) error {
	temps, err := filepath.Glob(filepath.Join(dir, snapshotName+".*.tmp"))
	if err != nil {
		return err
	}
	for _, t := range temps {
		if err := os.Remove(t); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove an interrupted snapshot: %w", err)
		}
	}
	return nil
}

// readSnapshotMarks returns the marks of the snapshot at path without
// reading its body; ok is false when there is no readable header.
func readSnapshotMarks(path string) (needMark, profMark int64, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, false
	}
	defer f.Close()
	var h snapshotHeader
	if err := binary.Read(f, binary.LittleEndian, &h); err != nil || h.Magic != snapshotMagic {
		return 0, 0, false
	}
	return h.NeedMark, h.ProfMark, true
}

// loadSnapshot reads and checks the snapshot at path, handing its
// documents to sink, and returns its marks. On an error the sink has been
// handed some documents that must be dropped.
func loadSnapshot(path string, sink snapshotSink) (needMark, profMark int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	var h snapshotHeader
	if err := binary.Read(f, binary.LittleEndian, &h); err != nil {
		return 0, 0, fmt.Errorf("snapshot header: %w", err)
	}
	if h.Magic != snapshotMagic {
		return 0, 0, errors.New("not a snapshot")
	}
	crc := crc32.New(crcTable)
	writeMarks(crc, h.NeedMark, h.ProfMark)
	read := &countingReader{r: io.LimitReader(f, int64(h.BodyLen))}
	body := io.TeeReader(read, crc)
	defer func() { // gob should report damage as an error; be sure
		if r := recover(); r != nil {
			err = fmt.Errorf("snapshot damaged: %v", r)
		}
	}()
	if err := decodeSnapshot(bufio.NewReaderSize(body, 1<<20), sink); err != nil {
		return 0, 0, err
	}
	if _, err := io.Copy(io.Discard, body); err != nil {
		return 0, 0, fmt.Errorf("read snapshot: %w", err)
	}
	if uint64(read.n) != h.BodyLen || crc.Sum32() != h.CRC {
		return 0, 0, errors.New("snapshot damaged: checksum differs")
	}
	return h.NeedMark, h.ProfMark, nil
}

// decodeSnapshot decodes the gob body into sink.
func decodeSnapshot(r io.Reader, sink snapshotSink) error {
	dec := gob.NewDecoder(r)
	var head snapshotHead
	if err := dec.Decode(&head); err != nil {
		return fmt.Errorf("snapshot head: %w", err)
	}
	if head.Layout != snapshotLayout {
		return errSnapshotLayout
	}
	if err := decodeChunks(dec, sink.need); err != nil {
		return fmt.Errorf("snapshot needs: %w", err)
	}
	if err := decodeChunks(dec, sink.profile); err != nil {
		return fmt.Errorf("snapshot profiles: %w", err)
	}
	return nil
}

// decodeChunks decodes chunks up to the End one, handing their documents
// to fn.
func decodeChunks[T any](dec *gob.Decoder, fn func(T)) error {
	for {
		var c snapshotChunkOf[T] // a fresh value: fn keeps the documents
		if err := dec.Decode(&c); err != nil {
			return err
		}
		for _, d := range c.Docs {
			fn(d)
		}
		if c.End {
			return nil
		}
	}
}

func writeMarks(h hash.Hash32, needMark, profMark int64) {
	_ = binary.Write(h, binary.LittleEndian, [2]int64{needMark, profMark})
}

// snapState is the start-up snapshot's side of the register: the marks
// of the last one on disk (taken: there is one) and its writer.
type snapState struct {
	mu         sync.Mutex // one write at a time
	need, prof int64
	taken      bool
	writer     *snapshotWriter
}

// openSnapshot removes the temporary files of interrupted snapshot writes
// and reads the marks of the snapshot on disk: until a load says where
// they are, the register's marks are the snapshot's, so that a process
// that only reads DurableMarks (the retention command) sees what is
// durable.
func (r *Register) openSnapshot() error {
	if r.dir == "" {
		return nil
	}
	if err := removeSnapshotTemps(r.dir); err != nil {
		return err
	}
	r.snap.need, r.snap.prof, r.snap.taken = readSnapshotMarks(filepath.Join(r.dir, snapshotName))
	if r.snap.taken {
		r.needMark.Reset(r.snap.need)
		r.profMark.Reset(r.snap.prof)
	}
	return nil
}

// DurableMarks is what Marks is, but never past the marks of the start-up
// snapshot on disk: a tombstone below it may be removed from the store
// (retention) without a later start, which replays from the snapshot's
// marks, missing it and bringing an erased person back. The profiles'
// mark is in memory only, so without a snapshot on disk nothing of it is
// durable (0: retention keeps every profile tombstone).
func (r *Register) DurableMarks() (needs, profiles int64) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if !r.snap.taken {
		return r.needMark.Done(), 0
	}
	return min(r.needMark.Done(), r.snap.need), min(r.profMark.Done(), r.snap.prof)
}

// SaveSnapshot writes the start-up snapshot of what the register holds
// now, if it has a directory and has loaded. Writers wait only while a
// chunk of documents is copied; concurrent saves are serialised.
func (r *Register) SaveSnapshot() error {
	if r.dir == "" {
		return nil
	}
	r.snap.mu.Lock()
	defer r.snap.mu.Unlock()
	r.mu.RLock()
	ready := r.ready
	needMark, profMark := r.needMark.Done(), r.profMark.Done()
	needIDs := slices.Collect(maps.Keys(r.held.Needs))
	profIDs := slices.Collect(maps.Keys(r.held.Profiles))
	r.mu.RUnlock()
	if !ready {
		return nil
	}
	path := filepath.Join(r.dir, snapshotName)
	if err := r.writeSnapshot(path, snapshotLayout, needMark, profMark, needIDs, profIDs); err != nil {
		return fmt.Errorf("write start-up snapshot: %w", err)
	}
	r.mu.Lock()
	r.snap.need, r.snap.prof, r.snap.taken = needMark, profMark, true
	r.mu.Unlock()
	return nil
}

// writeSnapshot writes the documents named by the ids, as held when each
// chunk is copied: a document changed or removed since the ids were taken
// is written as it is then (or left out), which the marks allow, since
// every change past them is read again at start.
func (r *Register) writeSnapshot(path, layout string, needMark, profMark int64, needIDs, profIDs []string) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), snapshotName+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(make([]byte, binary.Size(snapshotHeader{}))); err != nil {
		return err
	}
	crc := crc32.New(crcTable)
	writeMarks(crc, needMark, profMark)
	counted := &countingWriter{w: io.MultiWriter(tmp, crc)}
	buf := bufio.NewWriterSize(counted, 1<<20)
	enc := gob.NewEncoder(buf)
	if err := enc.Encode(snapshotHead{Layout: layout}); err != nil {
		return err
	}
	if err := encodeChunks(r, enc, needIDs, r.held.Needs); err != nil {
		return err
	}
	if err := encodeChunks(r, enc, profIDs, r.held.Profiles); err != nil {
		return err
	}
	if err := buf.Flush(); err != nil {
		return err
	}
	h := snapshotHeader{Magic: snapshotMagic, NeedMark: needMark, ProfMark: profMark, BodyLen: uint64(counted.n), CRC: crc.Sum32()}
	var hb strings.Builder
	if err := binary.Write(&hb, binary.LittleEndian, h); err != nil {
		return err
	}
	if _, err := tmp.WriteAt([]byte(hb.String()), 0); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// encodeChunks encodes the documents named by ids in chunks, each copied
// under one read lock and encoded before the next is copied, then the End
// chunk. The copies share their slices with the held documents, which are
// never changed in place (a change replaces the whole value).
func encodeChunks[T any](r *Register, enc *gob.Encoder, ids []string, held map[string]T) error {
	chunk := make([]T, 0, snapshotChunk)
	for start := 0; start < len(ids); start += snapshotChunk {
		chunk = chunk[:0]
		r.mu.RLock()
		for _, id := range ids[start:min(start+snapshotChunk, len(ids))] {
			if d, ok := held[id]; ok {
				chunk = append(chunk, d)
			}
		}
		r.mu.RUnlock()
		if len(chunk) == 0 {
			continue
		}
		if err := enc.Encode(snapshotChunkOf[T]{Docs: chunk}); err != nil {
			return err
		}
	}
	return enc.Encode(snapshotChunkOf[T]{End: true})
}

// errSnapshotLayout: the snapshot was written by another version.
var errSnapshotLayout = errors.New("snapshot of another layout")

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(d.Sync(), d.Close())
}

// typeShape describes t's exported structure (field names and kinds, all
// the way down), for snapshotLayout.
func typeShape(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return "*" + typeShape(t.Elem())
	case reflect.Slice:
		return "[]" + typeShape(t.Elem())
	case reflect.Map:
		return "map[" + typeShape(t.Key()) + "]" + typeShape(t.Elem())
	case reflect.Struct:
		if t == reflect.TypeFor[time.Time]() {
			return "time"
		}
		var b strings.Builder
		b.WriteString("{")
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() {
				b.WriteString(f.Name + " " + typeShape(f.Type) + ";")
			}
		}
		return b.String() + "}"
	default:
		return t.Kind().String()
	}
}
