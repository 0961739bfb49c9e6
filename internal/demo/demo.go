// Package demo generates a realistic data set for demonstrations and load
// tests of the Haskovo labour market, or of the whole country: employers of
// the CARE-GET priority sectors (healthcare and care, MedTech, wellness,
// digital, green), of agriculture, manufacturing and the public sector, and
// nationally of trade, hospitality, transport and construction; their
// skills needs drawn from ESCO occupations; young job-seekers with Bulgarian
// names, skills, languages and travel limits; and an account for each
// person and employer.
//
// Everything is made up. People, employers, EIKs (valid check digits, random
// numbers), phone numbers and e-mails (all at example.bg) belong to no one;
// places are real municipalities (city scope: Haskovo province first;
// national scope: every province seat and a hundred more municipalities,
// weighted by the 2021 census), with points scattered around their
// centres. The same seed, configuration and taxonomy always give the same
// data (math/rand/v2 PCG, one stream each for employers, needs and people),
// so a demo can be rebuilt exactly and more people only add to the list
// (within a scope: ScopeAuto switches to national above
// AutoNationalProfiles).
//
// Every account's password is DemoPassword ("demo-parola-2026"). Its
// argon2id hash is computed once per process and shared by all accounts:
// hashing half a million passwords would take hours, and a demo needs only
// one that works.
package demo

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/taxonomy"
)

// DemoPassword is the password of every generated account.
const DemoPassword = "demo-parola-2026"

// DefaultToday is the day data is generated for when Config.Today is zero.
var DefaultToday = time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)

// Config sizes a data set.
type Config struct {
	Profiles int // job-seekers, each with an account
	Needs    int // skills needs; employers are about Needs/15, at least 3
	Seed     uint64
	// Today is the day the data describes: needs start one to six months
	// later, ages are counted from its year, and creation times fall before
	// it. Zero means DefaultToday; pass the clock's day for a live demo.
	Today time.Time
	// Scope is where the people and employers are. Zero (ScopeAuto) means
	// city scope up to AutoNationalProfiles profiles and national scope
	// above: Haskovo province has about 30,000 people aged 15 to 29, so a
	// larger data set only makes sense for the whole country.
	Scope Scope
}

// Scope is the geography of a data set.
type Scope int

const (
	// ScopeAuto chooses by size: see Config.Scope.
	ScopeAuto Scope = iota
	// ScopeCity is the pilot: nearly nine in ten people and employers in
	// the municipalities of Haskovo province, the rest in six large cities
	// (returnees, students and firms elsewhere), within 2 km of the town
	// centres; employers weighted to the pilot's priority sectors.
	ScopeCity
	// ScopeNational is the whole country: people and employers in every
	// province in proportion to its population at the 2021 census (Sofia
	// about a fifth, Haskovo province about 3 %), scattered around their
	// towns by the towns' size and into the villages; employers of every
	// large sector.
	ScopeNational
)

// AutoNationalProfiles is the largest data set ScopeAuto makes city scope.
const AutoNationalProfiles = 100_000

// String returns the scope's name, as ParseScope reads it.
func (s Scope) String() string {
	switch s {
	case ScopeCity:
		return "city"
	case ScopeNational:
		return "national"
	}
	return "auto"
}

// ParseScope returns the scope named "auto", "city" or "national".
func ParseScope(name string) (Scope, error) {
	for _, s := range []Scope{ScopeAuto, ScopeCity, ScopeNational} {
		if s.String() == name {
			return s, nil
		}
	}
	return ScopeAuto, fmt.Errorf("unknown scope %q: want auto, city or national", name)
}

// Resolve returns the scope the configuration describes: Scope, or for
// ScopeAuto the one its size chooses.
func (c Config) Resolve() Scope {
	if c.Scope != ScopeAuto {
		return c.Scope
	}
	if c.Profiles > AutoNationalProfiles {
		return ScopeNational
	}
	return ScopeCity
}

// Data is a generated data set, ready for store.BulkLoad.
type Data struct {
	Employers []register.Employer
	Needs     []register.Need
	Profiles  []profile.Profile
	// Users holds one job-seeker account per profile, in the order of
	// Profiles and with the same ids, then one employer account per
	// employer, in the order of Employers, each the employer's only member.
	Users []auth.User
}

// Stream numbers of the random sources, one per kind of record, so that
// each kind depends only on the seed and the records drawn before it.
const (
	streamEmployers = 1 + iota
	streamNeeds
	streamPeople
)

// Generate returns a data set for the configuration. It draws occupations
// and skills from tx; every skill and occupation id in the result is one tx
// knows. 500,000 profiles and 100,000 needs (national scope) take about
// three seconds on one core and allocate about 1 GB; 10,000 and 3,000
// about 60 ms (BenchmarkGenerate).
func Generate(tx *taxonomy.Taxonomy, cfg Config) Data {
	today := cfg.Today
	if today.IsZero() {
		today = DefaultToday
	}
	y, m, d := today.Date()
	g := &generator{
		tx:      tx,
		pools:   buildPools(tx),
		today:   time.Date(y, m, d, 0, 0, 0, 0, time.UTC),
		hash:    demoHash(),
		geo:     &cityGeography,
		sectors: &citySectors,
		days:    make([]string, 2*366),
	}
	if cfg.Resolve() == ScopeNational {
		g.geo, g.sectors = &nationalGeography, &nationalSectors
	}
	var data Data
	nEmployers := max(3, cfg.Needs/15)
	empRng := newRand(cfg.Seed, streamEmployers)
	data.Employers = make([]register.Employer, 0, nEmployers)
	employerUsers := make([]auth.User, 0, nEmployers)
	for i := range nEmployers {
		e, u := g.employer(empRng, i)
		data.Employers = append(data.Employers, e)
		employerUsers = append(employerUsers, u)
	}
	g.indexEmployers(data.Employers)

	needRng := newRand(cfg.Seed, streamNeeds)
	data.Needs = make([]register.Need, 0, max(cfg.Needs, 0))
	for range cfg.Needs {
		data.Needs = append(data.Needs, g.need(needRng, data.Employers))
	}

	peopleRng := newRand(cfg.Seed, streamPeople)
	data.Profiles = make([]profile.Profile, 0, max(cfg.Profiles, 0))
	data.Users = make([]auth.User, 0, max(cfg.Profiles, 0)+nEmployers)
	for i := range cfg.Profiles {
		p, u := g.person(peopleRng, i+1)
		data.Profiles = append(data.Profiles, p)
		data.Users = append(data.Users, u)
	}
	data.Users = append(data.Users, employerUsers...)
	return data
}

func newRand(seed uint64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x636172652d676574^stream)) // "care-get"
}

// generator holds what every record draws from.
type generator struct {
	tx    *taxonomy.Taxonomy
	pools *pools
	today time.Time // midnight UTC
	hash  string
	firms employerState

	geo     *geography     // where people and employers are
	sectors *sectorOptions // which sectors they work in

	// held is the skills the last personSkills or needSkills drew, in the
	// order of the record's Skills, for its summary or description.
	held []*skill
	// Scratch space, reused from record to record.
	moved []moved  // sample's
	extra []*skill // personSkills': the skills of a second occupation
	buf   []byte   // summary's
	days  []string // day's, by offset

	sectorCount map[string]int // employers per sector so far

	// Employers by how many needs they post: all of them, and those of
	// healthcare and care, which run the Care Career Path.
	employerCum []int
	careIdx     []int
	careCum     []int
	sizes       []int
}

var (
	hashOnce sync.Once
	hashed   string
)

// demoHash returns the argon2id hash of DemoPassword, computed once per
// process. HashPassword fails only when crypto/rand does, which since Go
// 1.24 crashes the program instead of returning.
func demoHash() string {
	hashOnce.Do(func() { hashed, _ = auth.HashPassword(DemoPassword) })
	return hashed
}

// newID returns a 128-bit hex id drawn from rng: the shape of auth.NewID,
// but reproducible.
func newID(rng *rand.Rand) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], rng.Uint64())
	binary.BigEndian.PutUint64(b[8:], rng.Uint64())
	return hex.EncodeToString(b[:])
}

// day returns the date offset days from today, as YYYY-MM-DD.
func (g *generator) day(offset int) string {
	if offset < 0 || offset >= len(g.days) {
		return g.today.AddDate(0, 0, offset).Format(time.DateOnly)
	}
	if g.days[offset] == "" { // the few hundred days data sets use, formatted once
		g.days[offset] = g.today.AddDate(0, 0, offset).Format(time.DateOnly)
	}
	return g.days[offset]
}

// before returns a time between minDays and maxDays before today, to the
// second (the store keeps milliseconds).
func (g *generator) before(rng *rand.Rand, minDays, maxDays int) time.Time {
	secs := minDays*86400 + rng.IntN((maxDays-minDays)*86400+1)
	return g.today.Add(-time.Duration(secs) * time.Second)
}

// after returns a time between t and today.
func (g *generator) after(rng *rand.Rand, t time.Time) time.Time {
	span := int(g.today.Sub(t) / time.Second)
	if span <= 0 {
		return t
	}
	return t.Add(time.Duration(rng.IntN(span+1)) * time.Second)
}

// chance reports true with probability p.
func chance(rng *rand.Rand, p float64) bool { return rng.Float64() < p }

// between returns an int in [lo, hi].
func between(rng *rand.Rand, lo, hi int) int { return lo + rng.IntN(hi-lo+1) }

// choose returns one of the values, each with its weight.
func choose[T any](rng *rand.Rand, options []option[T]) T {
	total := 0
	for _, o := range options {
		total += o.weight
	}
	r := rng.IntN(total)
	for _, o := range options {
		if r < o.weight {
			return o.value
		}
		r -= o.weight
	}
	return options[len(options)-1].value
}

type option[T any] struct {
	value  T
	weight int
}

// sample appends k distinct elements of s in random order (all of them
// when k ≥ len(s)) to dst, leaving s as it was. It is a partial
// Fisher–Yates shuffle of a copy of s that is never made: g.moved holds
// the positions whose element differs from s's, at most k of them, so a
// draw costs O(k) whatever the length of s.
func (g *generator) sample(dst []*skill, rng *rand.Rand, s []*skill, k int) []*skill {
	k = min(k, len(s))
	g.moved = g.moved[:0]
	at := func(p int) (*skill, int) {
		for m, x := range g.moved {
			if x.pos == p {
				return x.val, m
			}
		}
		return s[p], -1
	}
	for i := range k {
		j := i + rng.IntN(len(s)-i)
		vi, _ := at(i) // position i is never read again
		vj, m := at(j)
		dst = append(dst, vj)
		switch {
		case j == i:
		case m >= 0:
			g.moved[m].val = vi
		default:
			g.moved = append(g.moved, moved{j, vi})
		}
	}
	return dst
}

// moved is an element of sample's virtual copy that is not where it is in
// the original.
type moved struct {
	pos int
	val *skill
}
