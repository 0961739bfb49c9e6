package store

import (
	"context"
	"fmt"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// Profiles keeps job-seekers' profiles, keyed by account id. Every write
// takes the next "profiles" sequence value for the search indexer; erasure
// leaves a tombstone with no personal data.
type Profiles struct {
	c   Collection
	seq Counters
}

// Profiles returns the profiles collection.
func (s *Store) Profiles() Profiles {
	return Profiles{s.Collection("profiles", "profile"), s.Counters()}
}

type profileSkillDoc struct {
	ID       string `bson:"id"`
	Level    int    `bson:"level"`
	Evidence string `bson:"evidence"`
	Source   string `bson:"source,omitempty"`
}

type profileDoc struct {
	ID             string            `bson:"_id"`
	Seq            int64             `bson:"seq"`
	Erased         bool              `bson:"erased,omitempty"`
	Version        int64             `bson:"v,omitempty"` // absent (0) before the first change of a bulk-loaded one
	DisplayName    string            `bson:"displayName,omitempty"`
	BirthYear      int               `bson:"birthYear,omitempty"`
	BirthDate      string            `bson:"birthDate,omitempty"` // absent in profiles written before birth dates
	NeedsGuardian  bool              `bson:"needsGuardian,omitempty"`
	Guardian       *guardianDoc      `bson:"guardian,omitempty"`
	Phone          string            `bson:"phone,omitempty"`
	Municipality   string            `bson:"municipality,omitempty"`
	Location       geoDoc            `bson:"location"`
	MaxTravelKm    int               `bson:"maxTravelKm,omitempty"`
	WorkModes      []string          `bson:"workModes,omitempty"`
	Skills         []profileSkillDoc `bson:"skills,omitempty"`
	Languages      []languageDoc     `bson:"languages,omitempty"`
	EducationLevel int               `bson:"educationLevel,omitempty"`
	Kinds          []string          `bson:"interestKinds,omitempty"`
	Sectors        []string          `bson:"interestSectors,omitempty"`
	AvailableFrom  string            `bson:"availableFrom,omitempty"`
	AvailableTo    string            `bson:"availableTo,omitempty"`
	Hours          string            `bson:"hours,omitempty"`
	Summary        string            `bson:"summary,omitempty"`
	ConsentMatch   bool              `bson:"consentMatching"`
	ConsentAt      time.Time         `bson:"consentUpdatedAt"`
	ConsentBy      string            `bson:"consentRecordedBy,omitempty"`   // in person: who recorded it
	ConsentByID    string            `bson:"consentRecordedById,omitempty"` // the officer's account
	Managed        bool              `bson:"managed,omitempty"`             // kept by the office: no account
	CreatedAt      time.Time         `bson:"createdAt"`
	UpdatedAt      time.Time         `bson:"updatedAt"`
}

type guardianDoc struct {
	Name       string    `bson:"name"`
	Relation   string    `bson:"relation"`
	GivenOn    string    `bson:"givenOn"`
	RecordedBy string    `bson:"recordedBy"`
	RecordedAt time.Time `bson:"recordedAt"`
}

func toProfileDoc(p profile.Profile) profileDoc {
	d := profileDoc{ID: p.ID, Seq: p.Seq, DisplayName: p.DisplayName, BirthYear: p.BirthYear, Phone: p.Phone,
		Municipality: p.Municipality, Location: geoDoc{p.Lat, p.Lon}, MaxTravelKm: p.MaxTravelKm, WorkModes: p.WorkModes,
		EducationLevel: p.EducationLevel, Kinds: p.Interests.Kinds, Sectors: p.Interests.Sectors,
		AvailableFrom: p.AvailableFrom, AvailableTo: p.AvailableTo, Hours: p.Hours, Summary: p.Summary,
		ConsentMatch: p.Consent.Matching, ConsentAt: p.Consent.UpdatedAt, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
		Version: p.Version}
	d.BirthDate, d.NeedsGuardian = p.BirthDate, p.NeedsGuardian
	d.ConsentBy, d.ConsentByID, d.Managed = p.Consent.RecordedBy, p.Consent.RecordedByID, p.Managed
	if p.Guardian != nil {
		g := guardianDoc(*p.Guardian)
		d.Guardian = &g
	}
	for _, s := range p.Skills {
		d.Skills = append(d.Skills, profileSkillDoc(s))
	}
	for _, l := range p.Languages {
		d.Languages = append(d.Languages, languageDoc(l))
	}
	return d
}

func (d profileDoc) toDomain() profile.Profile {
	p := profile.Profile{ID: d.ID, Seq: d.Seq, DisplayName: d.DisplayName, BirthYear: d.BirthYear, Phone: d.Phone,
		Municipality: d.Municipality, Lat: d.Location.Lat, Lon: d.Location.Lon, MaxTravelKm: d.MaxTravelKm,
		WorkModes: d.WorkModes, EducationLevel: d.EducationLevel,
		Interests: profile.Interests{Kinds: d.Kinds, Sectors: d.Sectors}, AvailableFrom: d.AvailableFrom,
		AvailableTo: d.AvailableTo, Hours: d.Hours, Summary: d.Summary,
		Consent: profile.Consent{Matching: d.ConsentMatch, UpdatedAt: d.ConsentAt}, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
		Version: d.Version}
	p.BirthDate, p.NeedsGuardian = d.BirthDate, d.NeedsGuardian
	p.Consent.RecordedBy, p.Consent.RecordedByID, p.Managed = d.ConsentBy, d.ConsentByID, d.Managed
	if d.Guardian != nil {
		g := profile.Guardian(*d.Guardian)
		p.Guardian = &g
	}
	for _, s := range d.Skills {
		p.Skills = append(p.Skills, profile.Skill(s))
	}
	for _, l := range d.Languages {
		p.Languages = append(p.Languages, profile.Language(l))
	}
	return p
}

// InsertProfile creates a profile with the next sequence value and
// version 1: failure.Stale if one exists (the caller reads and updates
// it), failure.NotFound if it was erased — a tombstone is final.
func (x Profiles) InsertProfile(ctx context.Context, p profile.Profile) (profile.Profile, error) {
	seq, err := x.seq.Next(ctx, "profiles")
	if err != nil {
		return profile.Profile{}, err
	}
	p.Seq, p.Version = seq, 1
	err = x.c.Insert(ctx, toProfileDoc(p))
	if failure.Is(err, failure.Conflict) {
		return profile.Profile{}, x.c.lostWrite(ctx, p.ID, "erased")
	} else if err != nil {
		return profile.Profile{}, fmt.Errorf("insert profile: %w", err)
	}
	return p, nil
}

// UpdateProfile replaces the profile with the next sequence value and
// version if its stored version is still p.Version and it is not erased:
// failure.Stale if another write came first, failure.NotFound if it is
// absent or erased. It never creates a profile, nor revives an erased one.
// (A lost write leaves a hole in the sequence: see Needs.UpdateNeed.)
func (x Profiles) UpdateProfile(ctx context.Context, p profile.Profile) (profile.Profile, error) {
	seq, err := x.seq.Next(ctx, "profiles")
	if err != nil {
		return profile.Profile{}, err
	}
	next := p
	next.Seq, next.Version = seq, p.Version+1
	ok, err := x.c.ReplaceIf(ctx, versionFilter(p.ID, p.Version, bson.E{Key: "erased", Value: nil}), toProfileDoc(next))
	if err != nil {
		return profile.Profile{}, fmt.Errorf("update profile: %w", err)
	}
	if !ok {
		return profile.Profile{}, x.c.lostWrite(ctx, p.ID, "erased")
	}
	return next, nil
}

// Profile returns the profile; an erased one is failure.NotFound.
func (x Profiles) Profile(ctx context.Context, id string) (profile.Profile, error) {
	var d profileDoc
	if err := x.c.Get(ctx, id, &d); err != nil {
		return profile.Profile{}, err
	}
	if d.Erased {
		return profile.Profile{}, failure.NotFoundf("profile")
	}
	return d.toDomain(), nil
}

// EraseProfile overwrites the profile with a tombstone holding only its
// id, sequence, version and time: nothing that identifies or describes the
// person. The tombstone is a compare-and-set on the version it read,
// retried when a write came first, so no write that read the profile
// before it lands after it. It is idempotent: an erased profile returns
// its tombstone as stored, and a missing one gets a tombstone, so that a
// creation racing the erasure cannot succeed either.
func (x Profiles) EraseProfile(ctx context.Context, id string) (profile.Profile, error) {
	for range eraseAttempts {
		var d profileDoc
		err := x.c.Get(ctx, id, &d)
		exists := err == nil
		switch {
		case exists && d.Erased:
			return profileDoc{ID: id, Seq: d.Seq, Erased: true, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
				Version: d.Version}.toDomain(), nil
		case !exists && !isNotFound(err):
			return profile.Profile{}, err
		}
		seq, err := x.seq.Next(ctx, "profiles")
		if err != nil {
			return profile.Profile{}, err
		}
		now := time.Now().UTC()
		tomb := profileDoc{ID: id, Seq: seq, Erased: true, CreatedAt: now, UpdatedAt: now, Version: d.Version + 1}
		if !exists {
			err = x.c.Insert(ctx, tomb)
			if failure.Is(err, failure.Conflict) {
				continue // created meanwhile: erase that
			} else if err != nil {
				return profile.Profile{}, fmt.Errorf("erase profile: %w", err)
			}
			return tomb.toDomain(), nil
		}
		ok, err := x.c.ReplaceIf(ctx, versionFilter(id, d.Version, bson.E{Key: "erased", Value: nil}), tomb)
		if err != nil {
			return profile.Profile{}, fmt.Errorf("erase profile: %w", err)
		}
		if ok {
			return tomb.toDomain(), nil
		}
	}
	return profile.Profile{}, fmt.Errorf("erase profile %s: %w", id, failure.EditConflict("the profile"))
}

// eraseAttempts bounds the retries of an erasure that keeps losing its
// compare-and-set to writes of the profile.
const eraseAttempts = 50

// Audit is the append-only log of full-profile reads. Entries are keyed
// "<subject>/<n>" with n from a per-subject counter, so a person's export
// reads their entries by key rather than by scanning the log. The type has
// no method to change or remove an entry.
type Audit struct {
	c   Collection
	seq Counters
}

// Audit returns the audit log.
func (s *Store) Audit() Audit { return Audit{s.Collection("audit", "audit entry"), s.Counters()} }

type viewDoc struct {
	ID           string    `bson:"_id"`
	SubjectID    string    `bson:"subjectId"`
	ActorID      string    `bson:"actorId"`
	ActorName    string    `bson:"actorName"`
	ActorRole    string    `bson:"actorRole"`
	Organisation string    `bson:"organisation"`
	EmployerID   string    `bson:"employerId,omitempty"`
	Purpose      string    `bson:"purpose"`
	At           time.Time `bson:"at"`
	RequestID    string    `bson:"requestId,omitempty"`
}

// Append writes one entry.
func (a Audit) Append(ctx context.Context, v profile.View) error {
	n, err := a.seq.Next(ctx, "audit/"+v.SubjectID)
	if err != nil {
		return err
	}
	v.ID = fmt.Sprintf("%s/%08d", v.SubjectID, n)
	return a.c.Insert(ctx, viewDoc{ID: v.ID, SubjectID: v.SubjectID, ActorID: v.ActorID, ActorName: v.ActorName,
		ActorRole: string(v.ActorRole), Organisation: v.Organisation, EmployerID: v.EmployerID, Purpose: v.Purpose,
		At: v.At, RequestID: v.RequestID})
}

// Views returns every entry about the subject, oldest first.
func (a Audit) Views(ctx context.Context, subjectID string) ([]profile.View, error) {
	n, err := a.seq.Current(ctx, "audit/"+subjectID)
	if err != nil {
		return nil, err
	}
	views := make([]profile.View, 0, n)
	for i := int64(1); i <= n; i++ {
		var d viewDoc
		err := a.c.Get(ctx, fmt.Sprintf("%s/%08d", subjectID, i), &d)
		if isNotFound(err) {
			continue // a counter value taken by an append that then failed
		} else if err != nil {
			return nil, err
		}
		views = append(views, profile.View{ID: d.ID, SubjectID: d.SubjectID, ActorID: d.ActorID, ActorName: d.ActorName,
			ActorRole: auth.Role(d.ActorRole), Organisation: d.Organisation, EmployerID: d.EmployerID, Purpose: d.Purpose,
			At: d.At, RequestID: d.RequestID})
	}
	return views, nil
}

// EnsureIndexes creates the unique indexes that the key-only access relies on.
func (s *Store) EnsureIndexes(ctx context.Context) error {
	for _, ensure := range []func(context.Context) error{s.Users().ensure, s.Employers().ensure, s.Matches().ensure} {
		if err := ensure(ctx); err != nil {
			return err
		}
	}
	// The change sequences the replicas follow (Source.*After).
	for _, c := range []Collection{s.Needs().c, s.Profiles().c, s.RoundPreferences().c} {
		if err := c.Ordered(ctx, "seq"); err != nil {
			return err
		}
	}
	return nil
}
