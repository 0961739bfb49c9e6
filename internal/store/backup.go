package store

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// A backup is one gzip stream of JSON lines: a header, then for each
// collection a line naming it followed by its documents in canonical
// Extended JSON (so types such as dates and 64-bit integers survive), in
// _id order, and last the manifest: each collection's count and the
// SHA-256 of its document lines. Restore checks the whole manifest before
// it writes anything, so a truncated or altered file changes nothing.
//
// Each collection is read consistently: on the embedded store under the
// write lock (no write lands while it is read), on MongoDB in a snapshot
// session (a replica set's point-in-time read). Collections are not
// consistent with each other; the index and the services do not need it:
// they follow each collection by its own sequence.
const backupFormat = "skillsmatch-backup"

// BackupManifest says what a backup holds.
type BackupManifest struct {
	Format      string             `json:"format"`
	Version     int                `json:"version"`
	Database    string             `json:"database"`
	CreatedAt   time.Time          `json:"createdAt"`
	Collections []BackupCollection `json:"collections"`
}

// BackupCollection is one collection's entry in the manifest.
type BackupCollection struct {
	Name   string `json:"name"`
	Count  int    `json:"count"`
	SHA256 string `json:"sha256"`
}

// Documents is the number of documents of every collection.
func (m BackupManifest) Documents() int {
	n := 0
	for _, c := range m.Collections {
		n += c.Count
	}
	return n
}

// backupLine is one line of the stream; exactly one field is set.
type backupLine struct {
	Header     *BackupManifest `json:"header,omitempty"`
	Collection string          `json:"collection,omitempty"`
	Manifest   *BackupManifest `json:"manifest,omitempty"`
}

// Backup writes every collection of the database to w. progress, if set,
// is told each collection's name and its count once written.
func (s *Store) Backup(ctx context.Context, w io.Writer, now time.Time, progress func(coll string, n int)) (BackupManifest, error) {
	names, err := s.collectionNames(ctx)
	if err != nil {
		return BackupManifest{}, err
	}
	m := BackupManifest{Format: backupFormat, Version: 1, Database: s.db.Name(), CreatedAt: now.UTC()}
	zw := gzip.NewWriter(w)
	bw := bufio.NewWriterSize(zw, 1<<16)
	if err := writeJSONLine(bw, backupLine{Header: &m}); err != nil {
		return m, err
	}
	for _, name := range names {
		c, err := s.backupCollection(ctx, bw, name)
		if err != nil {
			return m, fmt.Errorf("back up %s: %w", name, err)
		}
		m.Collections = append(m.Collections, c)
		if progress != nil {
			progress(name, c.Count)
		}
	}
	if err := writeJSONLine(bw, backupLine{Manifest: &m}); err != nil {
		return m, err
	}
	if err := bw.Flush(); err != nil {
		return m, fmt.Errorf("write backup: %w", err)
	}
	if err := zw.Close(); err != nil {
		return m, fmt.Errorf("write backup: %w", err)
	}
	return m, nil
}

// collectionNames lists the database's collections but the server's own.
func (s *Store) collectionNames(ctx context.Context) ([]string, error) {
	names, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("list collections: %w", err)
	}
	names = slices.DeleteFunc(names, func(n string) bool { return strings.HasPrefix(n, "system.") })
	slices.Sort(names)
	return names, nil
}

// backupCollection writes one collection's name line and documents.
func (s *Store) backupCollection(ctx context.Context, w io.Writer, name string) (BackupCollection, error) {
	c := BackupCollection{Name: name}
	if err := writeJSONLine(w, backupLine{Collection: name}); err != nil {
		return c, err
	}
	sum := sha256.New()
	dump := func(ctx context.Context) error {
		cur, err := s.db.Collection(name).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
		if err != nil {
			return err
		}
		defer cur.Close(ctx)
		for cur.Next(ctx) {
			line, err := bson.MarshalExtJSON(cur.Current, true, false)
			if err != nil {
				return fmt.Errorf("encode document: %w", err)
			}
			line = append(line, '\n')
			sum.Write(line)
			if _, err := w.Write(line); err != nil {
				return fmt.Errorf("write backup: %w", err)
			}
			c.Count++
		}
		return cur.Err()
	}
	err := s.readConsistently(ctx, dump)
	c.SHA256 = hex.EncodeToString(sum.Sum(nil))
	return c, err
}

// readConsistently runs read so that no write changes what it reads: under
// the write lock on the embedded store, in a snapshot session on MongoDB.
func (s *Store) readConsistently(ctx context.Context, read func(context.Context) error) error {
	if s.embedded {
		return s.write(func() error { return read(ctx) })
	}
	sess, err := s.client.StartSession(options.Session().SetSnapshot(true))
	if err != nil {
		return fmt.Errorf("start snapshot session: %w", err)
	}
	defer sess.EndSession(ctx)
	return read(mongo.NewSessionContext(ctx, sess))
}

func writeJSONLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode backup line: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write backup: %w", err)
	}
	return nil
}

// Restore loads a backup into this database, which must hold no document
// of the collections it restores (restoring over data would mix two
// histories and their sequences). It reads the backup twice through open:
// first to check the manifest — counts and checksums of every collection —
// and only then to insert, a thousand documents at a time.
func (s *Store) Restore(ctx context.Context, open func() (io.ReadCloser, error), progress func(coll string, n int)) (BackupManifest, error) {
	m, err := readBackup(open, nil)
	if err != nil {
		return m, err
	}
	if err := s.EnsureIndexes(ctx); err != nil {
		return m, fmt.Errorf("restore: %w", err)
	}
	for _, c := range m.Collections {
		if err := s.mustBeEmpty(ctx, c.Name); err != nil {
			return m, err
		}
	}
	ins := &restorer{s: s, ctx: ctx, progress: progress}
	if _, err := readBackup(open, ins.add); err != nil {
		return m, err
	}
	return m, ins.flush()
}

// mustBeEmpty refuses to restore into a collection that has documents.
func (s *Store) mustBeEmpty(ctx context.Context, coll string) error {
	err := s.db.Collection(coll).FindOne(ctx, bson.D{}).Err()
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return nil
	case err != nil:
		return fmt.Errorf("restore: look into %s: %w", coll, err)
	default:
		return failure.New(failure.Conflict, "store_not_empty",
			fmt.Sprintf("collection %s already has documents: restore only into an empty store", coll))
	}
}

// restorer inserts the documents readBackup hands it, in batches.
type restorer struct {
	s        *Store
	ctx      context.Context
	progress func(coll string, n int)
	coll     string
	batch    []any
}

func (r *restorer) add(coll string, doc bson.Raw) error {
	if coll != r.coll || len(r.batch) == bulkBatch {
		if err := r.flush(); err != nil {
			return err
		}
		r.coll = coll
	}
	r.batch = append(r.batch, doc)
	return nil
}

func (r *restorer) flush() error {
	if len(r.batch) == 0 {
		return nil
	}
	n := len(r.batch)
	err := r.s.write(func() error {
		if err := r.s.prepare(r.ctx, r.coll); err != nil {
			return err
		}
		_, err := r.s.db.Collection(r.coll).InsertMany(r.ctx, r.batch)
		return err
	})
	if err != nil {
		return fmt.Errorf("restore %s: %w", r.coll, err)
	}
	r.batch = r.batch[:0]
	if r.progress != nil {
		r.progress(r.coll, n)
	}
	return nil
}

// readBackup reads a whole backup, checks it against its manifest and
// hands each document to each (when set). It returns the manifest.
func readBackup(open func() (io.ReadCloser, error), each func(coll string, doc bson.Raw) error) (BackupManifest, error) {
	f, err := open()
	if err != nil {
		return BackupManifest{}, fmt.Errorf("open backup: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return BackupManifest{}, invalidBackup("not a gzip stream: %v", err)
	}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 0, 1<<16), 64<<20) // a document is at most 16 MiB of BSON
	seen := map[string]*BackupCollection{}
	var (
		header, manifest *BackupManifest
		cur              *BackupCollection
		sum              = sha256.New()
	)
	closeColl := func() {
		if cur != nil {
			cur.SHA256 = hex.EncodeToString(sum.Sum(nil))
		}
	}
	for sc.Scan() {
		line := sc.Bytes()
		if manifest != nil {
			return BackupManifest{}, invalidBackup("lines after the manifest")
		}
		if bytes.HasPrefix(line, []byte(`{"header"`)) || bytes.HasPrefix(line, []byte(`{"collection"`)) || bytes.HasPrefix(line, []byte(`{"manifest"`)) {
			var l backupLine
			if err := json.Unmarshal(line, &l); err != nil {
				return BackupManifest{}, invalidBackup("bad line: %v", err)
			}
			switch {
			case l.Header != nil && header == nil && cur == nil:
				header = l.Header
			case l.Collection != "" && header != nil && seen[l.Collection] == nil:
				closeColl()
				cur = &BackupCollection{Name: l.Collection}
				seen[l.Collection] = cur
				sum.Reset()
			case l.Manifest != nil && header != nil:
				closeColl()
				manifest = l.Manifest
			default:
				return BackupManifest{}, invalidBackup("line out of place: %.80s", line)
			}
			continue
		}
		if cur == nil {
			return BackupManifest{}, invalidBackup("a document before any collection")
		}
		sum.Write(line)
		sum.Write([]byte{'\n'})
		cur.Count++
		if each == nil {
			continue
		}
		var doc bson.Raw
		if err := bson.UnmarshalExtJSON(line, true, &doc); err != nil {
			return BackupManifest{}, invalidBackup("document %d of %s: %v", cur.Count, cur.Name, err)
		}
		if err := each(cur.Name, doc); err != nil {
			return BackupManifest{}, err
		}
	}
	if err := sc.Err(); err != nil {
		return BackupManifest{}, invalidBackup("read: %v", err)
	}
	if manifest == nil {
		return BackupManifest{}, invalidBackup("no manifest: the file is cut short")
	}
	if manifest.Format != backupFormat || manifest.Version != 1 {
		return BackupManifest{}, invalidBackup("format %q version %d, want %s version 1", manifest.Format, manifest.Version, backupFormat)
	}
	if len(manifest.Collections) != len(seen) {
		return BackupManifest{}, invalidBackup("the manifest lists %d collections, the file holds %d", len(manifest.Collections), len(seen))
	}
	for _, want := range manifest.Collections {
		got := seen[want.Name]
		if got == nil || *got != want {
			return BackupManifest{}, invalidBackup("collection %s does not match the manifest (count or checksum)", want.Name)
		}
	}
	return *manifest, nil
}

func invalidBackup(format string, args ...any) error {
	return failure.New(failure.Invalid, "invalid_backup", "backup: "+fmt.Sprintf(format, args...))
}
