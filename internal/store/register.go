package store

import (
	"context"
	"fmt"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
	"go.mongodb.org/mongo-driver/v2/bson"
)

// Employers keeps employers; the EIK is unique by index. Every write takes
// the next value of the "employers" sequence, which every replica's index
// follows (a verification granted or withdrawn shows everywhere).
type Employers struct {
	c   Collection
	seq Counters
}

// Employers returns the employers collection.
func (s *Store) Employers() Employers {
	return Employers{s.Collection("employers", "employer"), s.Counters()}
}

type geoDoc struct {
	Lat float64 `bson:"lat"`
	Lon float64 `bson:"lon"`
}

type verificationDoc struct {
	Verified bool      `bson:"verified"`
	Note     string    `bson:"note,omitempty"`
	Reason   string    `bson:"reason,omitempty"`
	By       string    `bson:"by"`
	At       time.Time `bson:"at"`
}

type employerDoc struct {
	ID           string           `bson:"_id"`
	Name         string           `bson:"name"`
	EIK          string           `bson:"eik"`
	Sector       string           `bson:"sector"`
	Municipality string           `bson:"municipality"`
	Location     geoDoc           `bson:"location"`
	Address      string           `bson:"address,omitempty"`
	Website      string           `bson:"website,omitempty"`
	Verified     bool             `bson:"verified"`
	Verification *verificationDoc `bson:"verification,omitempty"`
	Members      []string         `bson:"members"`
	CreatedAt    time.Time        `bson:"createdAt"`
	UpdatedAt    time.Time        `bson:"updatedAt"`
	Version      int64            `bson:"v,omitempty"` // absent (0) before the first change of a bulk-loaded one
	Seq          int64            `bson:"seq"`
}

func toEmployerDoc(e register.Employer) employerDoc {
	d := employerDoc{ID: e.ID, Name: e.Name, EIK: e.EIK, Sector: e.Sector, Municipality: e.Municipality,
		Location: geoDoc(e.Location), Address: e.Address, Website: e.Website, Verified: e.Verified,
		Members: e.Members, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt, Version: e.Version, Seq: e.Seq}
	if v := e.Verification; v != nil {
		d.Verification = &verificationDoc{Verified: v.Verified, Note: v.Note, Reason: v.Reason, By: v.By, At: v.At}
	}
	return d
}

func (d employerDoc) toDomain() register.Employer {
	e := register.Employer{ID: d.ID, Name: d.Name, EIK: d.EIK, Sector: d.Sector, Municipality: d.Municipality,
		Location: register.GeoPoint(d.Location), Address: d.Address, Website: d.Website, Verified: d.Verified,
		Members: d.Members, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, Version: d.Version, Seq: d.Seq}
	if v := d.Verification; v != nil {
		e.Verification = &register.Verification{Verified: v.Verified, Note: v.Note, Reason: v.Reason, By: v.By, At: v.At}
	}
	return e
}

func (e Employers) ensure(ctx context.Context) error {
	if err := e.c.Unique(ctx, "eik_unique", "eik"); err != nil {
		return err
	}
	return e.c.Ordered(ctx, "seq")
}

// InsertEmployer adds an employer; a taken EIK is failure.Conflict.
func (e Employers) InsertEmployer(ctx context.Context, x register.Employer) error {
	seq, err := e.seq.Next(ctx, "employers")
	if err != nil {
		return fmt.Errorf("insert employer %s: %w", x.ID, err)
	}
	x.Seq = seq
	return e.c.Insert(ctx, toEmployerDoc(x))
}

// Employer returns the employer with id, or failure.NotFound.
func (e Employers) Employer(ctx context.Context, id string) (register.Employer, error) {
	var d employerDoc
	if err := e.c.Get(ctx, id, &d); err != nil {
		return register.Employer{}, err
	}
	return d.toDomain(), nil
}

// UpdateEmployer replaces the stored employer if its version is still
// x.Version, and returns it with the next version: failure.Stale if
// another write came first, failure.NotFound if there is none. It never
// creates one.
func (e Employers) UpdateEmployer(ctx context.Context, x register.Employer) (register.Employer, error) {
	seq, err := e.seq.Next(ctx, "employers")
	if err != nil {
		return register.Employer{}, fmt.Errorf("update employer %s: %w", x.ID, err)
	}
	next := x
	next.Version, next.Seq = x.Version+1, seq
	ok, err := e.c.ReplaceIf(ctx, versionFilter(x.ID, x.Version), toEmployerDoc(next))
	if err != nil {
		return register.Employer{}, fmt.Errorf("update employer %s: %w", x.ID, err)
	}
	if !ok {
		return register.Employer{}, e.c.lostWrite(ctx, x.ID, "")
	}
	return next, nil
}

// Needs keeps the register's needs. Every write takes the next value of
// the "needs" sequence, which the search indexer follows; a delete leaves a
// tombstone without content so that the indexer sees it.
type Needs struct {
	c   Collection
	seq Counters
}

// Needs returns the needs collection.
func (s *Store) Needs() Needs { return Needs{s.Collection("needs", "need"), s.Counters()} }

type skillReqDoc struct {
	ID       string `bson:"id"`
	Level    int    `bson:"level"`
	Required bool   `bson:"required"`
}

type languageDoc struct {
	Code  string `bson:"code"`
	Level string `bson:"level"`
}

type locationDoc struct {
	Municipality string  `bson:"municipality"`
	Lat          float64 `bson:"lat"`
	Lon          float64 `bson:"lon"`
}

// payDoc is a need's pay range, gross euros a month.
type payDoc struct {
	Min int `bson:"min"`
	Max int `bson:"max"`
}

type needDoc struct {
	ID             string        `bson:"_id"`
	Seq            int64         `bson:"seq"`
	Deleted        bool          `bson:"deleted,omitempty"`
	EmployerID     string        `bson:"employerId"`
	Kind           string        `bson:"kind,omitempty"`
	Title          string        `bson:"title,omitempty"`
	Description    string        `bson:"description,omitempty"`
	Occupation     string        `bson:"occupation,omitempty"`
	Sector         string        `bson:"sector,omitempty"`
	Skills         []skillReqDoc `bson:"skills,omitempty"`
	Languages      []languageDoc `bson:"languages,omitempty"`
	EducationLevel *int          `bson:"educationLevel,omitempty"`
	Location       locationDoc   `bson:"location"`
	WorkMode       string        `bson:"workMode,omitempty"`
	Positions      int           `bson:"positions,omitempty"`
	Hours          string        `bson:"hours,omitempty"`
	StartDate      string        `bson:"startDate,omitempty"`
	EndDate        string        `bson:"endDate,omitempty"`
	ApplyBy        string        `bson:"applyBy,omitempty"`
	Status         string        `bson:"status,omitempty"`
	NightWork      bool          `bson:"nightWork,omitempty"`
	Hazardous      bool          `bson:"hazardous,omitempty"`
	LightWork      bool          `bson:"lightWork,omitempty"`
	Pay            *payDoc       `bson:"pay,omitempty"`
	CreatedBy      string        `bson:"createdBy,omitempty"`
	CreatedAt      time.Time     `bson:"createdAt"`
	UpdatedAt      time.Time     `bson:"updatedAt"`
	Version        int64         `bson:"v,omitempty"` // absent (0) before the first change of a bulk-loaded one
}

func toNeedDoc(n register.Need) needDoc {
	d := needDoc{ID: n.ID, Seq: n.Seq, EmployerID: n.EmployerID, Kind: n.Kind, Title: n.Title, Description: n.Description,
		Occupation: n.Occupation, Sector: n.Sector, EducationLevel: n.EducationLevel,
		Location: locationDoc(n.Location), WorkMode: n.WorkMode, Positions: n.Positions, Hours: n.Hours,
		StartDate: n.StartDate, EndDate: n.EndDate, ApplyBy: n.ApplyBy, Status: n.Status, NightWork: n.NightWork,
		Hazardous: n.Hazardous, CreatedBy: n.CreatedBy, CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt, Version: n.Version}
	d.LightWork = n.LightWork
	if n.Pay != nil {
		d.Pay = &payDoc{Min: n.Pay.Min, Max: n.Pay.Max}
	}
	for _, s := range n.Skills {
		d.Skills = append(d.Skills, skillReqDoc(s))
	}
	for _, l := range n.Languages {
		d.Languages = append(d.Languages, languageDoc(l))
	}
	return d
}

func (d needDoc) toDomain() register.Need {
	n := register.Need{ID: d.ID, Seq: d.Seq, EmployerID: d.EmployerID, Kind: d.Kind, Title: d.Title, Description: d.Description,
		Occupation: d.Occupation, Sector: d.Sector, EducationLevel: d.EducationLevel,
		Location: register.Location(d.Location), WorkMode: d.WorkMode, Positions: d.Positions, Hours: d.Hours,
		StartDate: d.StartDate, EndDate: d.EndDate, ApplyBy: d.ApplyBy, Status: d.Status, NightWork: d.NightWork,
		Hazardous: d.Hazardous, CreatedBy: d.CreatedBy, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, Version: d.Version}
	n.LightWork = d.LightWork
	if d.Pay != nil {
		n.Pay = &register.PayRange{Min: d.Pay.Min, Max: d.Pay.Max}
	}
	for _, s := range d.Skills {
		n.Skills = append(n.Skills, register.SkillRequirement(s))
	}
	for _, l := range d.Languages {
		n.Languages = append(n.Languages, register.Language(l))
	}
	return n
}

// InsertNeed adds a need with the next sequence value and version 1.
func (x Needs) InsertNeed(ctx context.Context, n register.Need) (register.Need, error) {
	seq, err := x.seq.Next(ctx, "needs")
	if err != nil {
		return register.Need{}, err
	}
	n.Seq, n.Version = seq, 1
	return n, x.c.Insert(ctx, toNeedDoc(n))
}

// Need returns the need with id; a deleted one is failure.NotFound.
func (x Needs) Need(ctx context.Context, id string) (register.Need, error) {
	var d needDoc
	if err := x.c.Get(ctx, id, &d); err != nil {
		return register.Need{}, err
	}
	if d.Deleted {
		return register.Need{}, failure.NotFoundf("need")
	}
	return d.toDomain(), nil
}

// UpdateNeed replaces the need with a new sequence value and the next
// version if its stored version is still n.Version and it is not deleted:
// failure.Stale if another write came first, failure.NotFound if it is
// gone or a tombstone. It never creates a need, nor revives a deleted one.
//
// The sequence value is taken before the compare-and-set: a write that
// loses leaves a hole in the sequence, which the index's watermark waits
// out (as for any write that fails after taking its number). Because a
// write takes its number after reading the version it replaces, one
// need's sequence values grow with its versions.
func (x Needs) UpdateNeed(ctx context.Context, n register.Need) (register.Need, error) {
	seq, err := x.seq.Next(ctx, "needs")
	if err != nil {
		return register.Need{}, err
	}
	next := n
	next.Seq, next.Version = seq, n.Version+1
	ok, err := x.c.ReplaceIf(ctx, versionFilter(n.ID, n.Version, bson.E{Key: "deleted", Value: nil}), toNeedDoc(next))
	if err != nil {
		return register.Need{}, fmt.Errorf("update need %s: %w", n.ID, err)
	}
	if !ok {
		return register.Need{}, x.c.lostWrite(ctx, n.ID, "deleted")
	}
	return next, nil
}

// DeleteNeed replaces the need with a tombstone and returns it. The
// tombstone is a compare-and-set on the version it read, retried on a
// fresh read when an edit came first: a deletion always wins, and no edit
// that read the need before it can write after it. A need already
// deleted, or absent, is failure.NotFound.
func (x Needs) DeleteNeed(ctx context.Context, id string) (register.Need, error) {
	for range deleteAttempts {
		var d needDoc
		if err := x.c.Get(ctx, id, &d); err != nil {
			return register.Need{}, err
		}
		if d.Deleted {
			return register.Need{}, failure.NotFoundf("need")
		}
		seq, err := x.seq.Next(ctx, "needs")
		if err != nil {
			return register.Need{}, err
		}
		tomb := needDoc{ID: id, Seq: seq, Deleted: true, EmployerID: d.EmployerID, CreatedAt: d.CreatedAt,
			UpdatedAt: time.Now().UTC(), Version: d.Version + 1}
		ok, err := x.c.ReplaceIf(ctx, versionFilter(id, d.Version, bson.E{Key: "deleted", Value: nil}), tomb)
		if err != nil {
			return register.Need{}, fmt.Errorf("delete need %s: %w", id, err)
		}
		if ok {
			return tomb.toDomain(), nil
		}
	}
	return register.Need{}, fmt.Errorf("delete need %s: %w", id, failure.EditConflict("the need"))
}

// deleteAttempts bounds the retries of a tombstone that keeps losing its
// compare-and-set to edits (each edit that wins must have read the need
// after the previous try, so this takes a stream of edits).
const deleteAttempts = 50
