// Package store is the only place that talks to MongoDB. It starts the
// embedded MongoDB-compatible server (FerretDB v1 on SQLite) when no
// MONGODB_URI is given, and serialises every write to it, because FerretDB v1
// applies an update as read → modify in Go → write back with no isolation
// (FerretDB issue #3040): two concurrent updates of one document lose one.
// One process owns the embedded store, so one in-process lock is enough.
// On a real MongoDB single-document updates are atomic and no lock is taken.
//
// Request paths read and write by key only (_id or a unique index): the
// embedded store scans the whole collection for any other filter. Even key
// look-ups scanned on FerretDB v1 as it comes; sqlite.go says how they are
// made index searches there.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/careget/skillsmatch/internal/failure"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/writeconcern"
)

// Options configures Open.
type Options struct {
	URI      string // a MongoDB URI; empty starts the embedded store in DataDir
	DataDir  string // where the embedded store keeps its SQLite files
	Database string
	Logger   *slog.Logger

	// Unserialised turns the write lock off on the embedded store. It exists
	// only so the conformance test can show what the lock prevents; never set
	// it in the product.
	Unserialised bool
}

// Store is a connected database.
type Store struct {
	client   *mongo.Client
	db       *mongo.Database
	embedded bool
	serial   bool
	mu       *sync.Mutex  // held around every write when serial; shared by WithDatabase
	files    *sqliteFiles // the embedded store's SQLite files; nil on MongoDB

	stopEmbedded context.CancelFunc
	embeddedDone chan struct{}
	uri          string // the URI the driver connected with
	socketTmp    string // a short directory of our own for the socket, removed at Close; "" if none
}

// Open connects to MongoDB, or starts the embedded store, and pings it.
func Open(ctx context.Context, o Options) (*Store, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Store{mu: new(sync.Mutex)}
	uri := o.URI
	if uri == "" {
		var err error
		if uri, err = s.startEmbedded(o); err != nil {
			return nil, err
		}
		s.embedded, s.serial = true, !o.Unserialised
	}
	copts := options.Client().ApplyURI(uri).
		SetWriteConcern(writeconcern.Majority()).
		SetTimeout(30 * time.Second).
		SetAppName("skillsmatch")
	if s.embedded {
		// The embedded server ignores write concerns and is never a replica set.
		copts.SetWriteConcern(nil).SetDirect(true)
		s.files = newSQLiteFiles(filepath.Join(o.DataDir, "store"))
	}
	client, err := mongo.Connect(copts)
	if err != nil {
		s.stop()
		return nil, fmt.Errorf("connect to store: %w", err)
	}
	s.client, s.db, s.uri = client, client.Database(o.Database), uri
	if err := s.Ping(ctx); err != nil {
		_ = s.Close(context.Background())
		return nil, fmt.Errorf("ping store: %w", err)
	}
	if !s.embedded && !o.Unserialised {
		if err := s.serialiseOnFerretDB(ctx, o.Logger); err != nil {
			_ = s.Close(context.Background())
			return nil, err
		}
	}
	if s.files != nil {
		// Collections from before this code searched their _id index get
		// it now; new ones get it when first written (Collection.write).
		if err := s.write(func() error { return s.files.idIndexAll(ctx, o.Database) }); err != nil {
			_ = s.Close(context.Background())
			return nil, fmt.Errorf("index embedded store: %w", err)
		}
	}
	return s, nil
}

// serialiseOnFerretDB turns the write lock on when MONGODB_URI names a
// FerretDB server rather than MongoDB: FerretDB v1 applies an update as
// read → modify → write back on PostgreSQL as on SQLite, so concurrent
// compare-and-sets of one document both win
// (internal/replicas: 165 of 532 won compare-and-sets from two processes
// were lost). The lock makes one process correct; several replicas on one
// FerretDB are not, and the log says so.
func (s *Store) serialiseOnFerretDB(ctx context.Context, log *slog.Logger) error {
	var info struct {
		FerretDB string `bson:"ferretdbVersion"`
	}
	if err := s.db.RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
		return fmt.Errorf("ask the store's version: %w", err)
	}
	if info.FerretDB != "" {
		s.serial = true
		log.Warn("the store is FerretDB, whose updates are not atomic: writes are serialised in this process; "+
			"run ONE API replica on it (several replicas need MongoDB)", "ferretdb", info.FerretDB)
	}
	return nil
}

func (s *Store) startEmbedded(o Options) (string, error) {
	dir := filepath.Join(o.DataDir, "store")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create embedded store dir: %w", err)
	}
	// The embedded server has no accounts: whoever can connect reads every
	// password hash and profile. It therefore listens on a Unix socket in a
	// directory only this user may enter, never on TCP, where any local
	// process could connect.
	sock, err := s.socketPath(o)
	if err != nil {
		return "", err
	}
	// FerretDB logs every connection at info and warns about commands the
	// driver sends that it lacks (endSessions at every shutdown); keep its
	// errors only.
	logger := slog.New(o.Logger.Handler()).With("component", "ferretdb")
	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{Unix: sock},
		Handler:  "sqlite",
		// temp_store(memory): SQLite keeps each statement's journal — the
		// pages an insert of many documents may have to roll back, kept
		// for that statement only and never read after a crash — in memory
		// rather than in a temporary file; a bulk load wrote about 0.4 KB
		// of it per document, a syscall per page. Durability is untouched:
		// FerretDB's WAL with synchronous=FULL, which FerretDB sets.
		SQLiteURL: "file:" + dir + "/?_pragma=temp_store(memory)",
		Logger:    slog.New(levelFilter{h: logger.Handler(), min: slog.LevelError}),
	})
	if err != nil {
		s.removeSocketTmp()
		return "", fmt.Errorf("start embedded store on socket %s: %w", sock, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.stopEmbedded, s.embeddedDone = cancel, make(chan struct{})
	go func() {
		defer close(s.embeddedDone)
		_ = f.Run(ctx)
	}()
	// ferretdb.New has made the socket. The directory already keeps others
	// out; the socket's own mode says so too, whatever the umask was.
	if err := os.Chmod(sock, 0o600); err != nil {
		s.stop()
		return "", fmt.Errorf("restrict embedded store socket: %w", err)
	}
	// The driver wants the socket's path, percent-encoded, as the host.
	return "mongodb://" + url.PathEscape(sock) + "/", nil
}

// maxSocketPath is the longest Unix socket path Linux accepts: sun_path
// holds 108 bytes with the terminating NUL (macOS: 104).
const maxSocketPath = 103

// socketPath returns where the embedded server's socket goes: in
// <data>/socket, made 0700, or — when that path is too long for a Unix
// socket — in a fresh 0700 directory under the system's temporary
// directory, said in the log. A socket left by a process that crashed is
// removed; one that answers means another process serves this data
// directory, which must not be.
func (s *Store) socketPath(o Options) (string, error) {
	data, err := filepath.Abs(o.DataDir)
	if err != nil {
		return "", fmt.Errorf("embedded store socket: %w", err)
	}
	dir := filepath.Join(data, "socket")
	sock := filepath.Join(dir, "ferretdb.sock")
	if len(sock) > maxSocketPath {
		if dir, err = os.MkdirTemp("", "skillsmatch-"); err != nil { // MkdirTemp makes it 0700
			return "", fmt.Errorf("embedded store socket: %w", err)
		}
		s.socketTmp, sock = dir, filepath.Join(dir, "ferretdb.sock")
		o.Logger.Info("the data directory's path is too long for a Unix socket; the embedded store's socket is in a private temporary directory",
			"socket", sock, "limit", maxSocketPath)
		return sock, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create embedded store socket dir: %w", err)
	}
	// MkdirAll leaves an existing directory's mode as it was, and follows
	// a symbolic link someone may have put there: accept only a real
	// directory, and make it ours alone (chmod fails if it is not ours).
	if fi, err := os.Lstat(dir); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("embedded store socket dir %s is not a plain directory", dir)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return "", fmt.Errorf("restrict embedded store socket dir: %w", err)
	}
	if _, err := os.Lstat(sock); err == nil {
		if c, err := net.DialTimeout("unix", sock, time.Second); err == nil {
			_ = c.Close()
			return "", fmt.Errorf("embedded store socket %s answers: another process serves data directory %s", sock, o.DataDir)
		}
		if err := os.Remove(sock); err != nil {
			return "", fmt.Errorf("remove stale embedded store socket: %w", err)
		}
	}
	return sock, nil
}

func (s *Store) removeSocketTmp() {
	if s.socketTmp != "" {
		_ = os.RemoveAll(s.socketTmp)
		s.socketTmp = ""
	}
}

// WithDatabase returns a store on another database of the same server,
// sharing the connection and the write lock. Tests use it to give each test
// its own database on one embedded server.
func (s *Store) WithDatabase(name string) *Store {
	c := *s
	c.db = s.client.Database(name)
	c.stopEmbedded = nil // only the original stops the server
	return &c
}

// Embedded reports whether this store is the embedded server.
func (s *Store) Embedded() bool { return s.embedded }

// Ping checks that the store answers.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return s.db.RunCommand(ctx, bson.D{{Key: "ping", Value: 1}}).Err()
}

// Close disconnects and stops the embedded server, if any.
func (s *Store) Close(ctx context.Context) error {
	var err error
	if s.client != nil {
		err = s.client.Disconnect(ctx)
	}
	if s.files != nil && s.stopEmbedded != nil {
		err = errors.Join(err, s.files.close())
	}
	s.stop()
	return err
}

func (s *Store) stop() {
	if s.stopEmbedded == nil {
		return
	}
	s.stopEmbedded()
	select {
	case <-s.embeddedDone:
	case <-time.After(10 * time.Second):
	}
	s.removeSocketTmp()
}

// write runs fn while holding the write lock when the store needs it.
func (s *Store) write(fn func() error) error {
	if s.serial {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	return fn()
}

// DropDatabase removes every collection; tests use it.
func (s *Store) DropDatabase(ctx context.Context) error {
	return s.write(func() error {
		if s.files != nil {
			// No connection of ours may hold the file FerretDB removes.
			if err := s.files.forget(s.db.Name()); err != nil {
				return fmt.Errorf("drop database %s: %w", s.db.Name(), err)
			}
		}
		return s.db.Drop(ctx)
	})
}

// prepare makes sure, before a write on the embedded store, that the
// collection exists and that its _id index is one FerretDB's queries use
// (see sqliteFiles), so that it is in place before the first document.
// Call it holding the write lock. It costs a map look-up once done.
func (s *Store) prepare(ctx context.Context, coll string) error {
	if s.files == nil {
		return nil
	}
	if _, ok := s.files.tables.Load(s.db.Name() + "\x00" + coll); ok {
		return nil
	}
	tbl, err := s.files.table(ctx, s.db.Name(), coll)
	if err != nil {
		return err
	}
	if tbl == "" {
		var ce mongo.CommandError
		if err := s.db.CreateCollection(ctx, coll); err != nil && !(errors.As(err, &ce) && ce.Code == 48) { // 48: NamespaceExists
			return fmt.Errorf("create collection %s: %w", coll, err)
		}
	}
	return s.files.idIndex(ctx, s.db.Name(), coll)
}

// levelFilter drops log records below a level. It hands attributes and
// groups to the handler it wraps only for a record it lets through:
// FerretDB logs every SQL statement at debug level through
// logger.With(slog.Any("args", args)), and a text or JSON handler formats
// attributes as they are added — for an insert, a hundred documents as
// quoted JSON, twice. That was an eighth of a bulk load's CPU time, spent
// on records that were all dropped (skillsmatch demo: 3,400 documents/s,
// against 4,200–4,800 through the tests' discarding logger).
type levelFilter struct {
	h    slog.Handler
	min  slog.Level
	with []func(slog.Handler) slog.Handler // WithAttrs and WithGroup, in order
}

func (l levelFilter) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= l.min && l.h.Enabled(ctx, level)
}

func (l levelFilter) Handle(ctx context.Context, r slog.Record) error {
	h := l.h
	for _, w := range l.with {
		h = w(h)
	}
	return h.Handle(ctx, r)
}

func (l levelFilter) WithAttrs(attrs []slog.Attr) slog.Handler {
	return l.then(func(h slog.Handler) slog.Handler { return h.WithAttrs(attrs) })
}

func (l levelFilter) WithGroup(name string) slog.Handler {
	return l.then(func(h slog.Handler) slog.Handler { return h.WithGroup(name) })
}

func (l levelFilter) then(w func(slog.Handler) slog.Handler) levelFilter {
	l.with = append(slices.Clip(l.with), w)
	return l
}

func isNotFound(err error) bool {
	var fe *failure.Error
	return errors.As(err, &fe) && fe.Kind == failure.NotFound
}
