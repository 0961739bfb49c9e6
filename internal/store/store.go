// Package store is the only place that talks to MongoDB. It starts the
// embedded MongoDB-compatible server (FerretDB v1 on SQLite) when no
// MONGODB_URI is given, and serialises every write to it, because FerretDB v1
// applies an update as read → modify in Go → write back with no isolation
// (FerretDB issue #3040): two concurrent updates of one document lose one.
// One process owns the embedded store, so one in-process lock is enough.
// On a real MongoDB single-document updates are atomic and no lock is taken.
//
// Request paths read and write by key only (_id or a unique index): the
// embedded store scans the whole collection for any other filter.
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
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
	mu       *sync.Mutex // held around every write when serial; shared by WithDatabase

	stopEmbedded context.CancelFunc
	embeddedDone chan struct{}
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
	}
	client, err := mongo.Connect(copts)
	if err != nil {
		s.stop()
		return nil, fmt.Errorf("connect to store: %w", err)
	}
	s.client, s.db = client, client.Database(o.Database)
	if err := s.Ping(ctx); err != nil {
		_ = s.Close(context.Background())
		return nil, fmt.Errorf("ping store: %w", err)
	}
	return s, nil
}

func (s *Store) startEmbedded(o Options) (string, error) {
	dir := filepath.Join(o.DataDir, "store")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create embedded store dir: %w", err)
	}
	// FerretDB logs every connection at info and warns about commands the
	// driver sends that it lacks (endSessions at every shutdown); keep its
	// errors only.
	logger := slog.New(o.Logger.Handler()).With("component", "ferretdb")
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
		Logger:    slog.New(levelFilter{logger.Handler(), slog.LevelError}),
	})
	if err != nil {
		return "", fmt.Errorf("start embedded store: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.stopEmbedded, s.embeddedDone = cancel, make(chan struct{})
	go func() {
		defer close(s.embeddedDone)
		_ = f.Run(ctx)
	}()
	return f.MongoDBURI(), nil
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
	return s.write(func() error { return s.db.Drop(ctx) })
}

// levelFilter drops log records below a level.
type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (l levelFilter) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= l.min && l.Handler.Enabled(ctx, level)
}

func (l levelFilter) WithAttrs(attrs []slog.Attr) slog.Handler {
	return levelFilter{l.Handler.WithAttrs(attrs), l.min}
}

func (l levelFilter) WithGroup(name string) slog.Handler {
	return levelFilter{l.Handler.WithGroup(name), l.min}
}

func isNotFound(err error) bool {
	var fe *failure.Error
	return errors.As(err, &fe) && fe.Kind == failure.NotFound
}
