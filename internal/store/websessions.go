package store

import (
	"context"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/websession"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// WebSessions keeps the web app's sessions, keyed by the SHA-256 of the id
// the browser holds (internal/websession).
type WebSessions struct{ c Collection }

// WebSessions returns the web sessions collection.
func (s *Store) WebSessions() WebSessions {
	return WebSessions{s.Collection("web_sessions", "web session")}
}

type webSessionDoc struct {
	Hash      string    `bson:"_id"`
	UserID    string    `bson:"userId"`
	Role      string    `bson:"role"`
	Epoch     int64     `bson:"epoch,omitempty"`
	CSRF      string    `bson:"csrf"`
	CreatedAt time.Time `bson:"createdAt"`
	LastSeen  time.Time `bson:"lastSeen"`
	ExpiresAt time.Time `bson:"expiresAt"`
}

func (d webSessionDoc) toDomain() websession.Session {
	return websession.Session{Hash: d.Hash, UserID: d.UserID, Role: auth.Role(d.Role), Epoch: d.Epoch, CSRF: d.CSRF,
		CreatedAt: d.CreatedAt, LastSeen: d.LastSeen, ExpiresAt: d.ExpiresAt}
}

// InsertWebSession stores a new session.
func (w WebSessions) InsertWebSession(ctx context.Context, x websession.Session) error {
	return w.c.Insert(ctx, webSessionDoc{Hash: x.Hash, UserID: x.UserID, Role: string(x.Role), Epoch: x.Epoch, CSRF: x.CSRF,
		CreatedAt: x.CreatedAt, LastSeen: x.LastSeen, ExpiresAt: x.ExpiresAt})
}

// WebSession returns the session with the hash, or failure.NotFound.
func (w WebSessions) WebSession(ctx context.Context, hash string) (websession.Session, error) {
	var d webSessionDoc
	if err := w.c.Get(ctx, hash, &d); err != nil {
		return websession.Session{}, err
	}
	return d.toDomain(), nil
}

// TouchWebSession sets the session's last-seen time (an atomic $set; a
// session deleted meanwhile stays deleted).
func (w WebSessions) TouchWebSession(ctx context.Context, hash string, at time.Time) error {
	_, err := w.c.Update(ctx, bson.D{{Key: "_id", Value: hash}}, bson.D{{Key: "$set", Value: bson.D{{Key: "lastSeen", Value: at}}}})
	return err
}

// DeleteWebSession removes the session; an absent one is not an error.
func (w WebSessions) DeleteWebSession(ctx context.Context, hash string) error {
	if err := w.c.Delete(ctx, hash); err != nil && !failure.Is(err, failure.NotFound) {
		return err
	}
	return nil
}
