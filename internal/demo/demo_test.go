package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/careget/skillsmatch/internal/age"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/internal/translit"
)

var (
	txOnce sync.Once
	txVal  *taxonomy.Taxonomy
	txErr  error
)

func loadTaxonomy(tb testing.TB) *taxonomy.Taxonomy {
	tb.Helper()
	txOnce.Do(func() { txVal, txErr = taxonomy.Load() })
	if txErr != nil {
		tb.Fatalf("taxonomy.Load() = %v", txErr)
	}
	return txVal
}

// large is one data set big enough for the proportions, shared by the
// tests that only read it.
var (
	largeOnce sync.Once
	largeData Data
)

var largeConfig = Config{Profiles: 6000, Needs: 4500, Seed: 42, Today: time.Date(2026, time.May, 4, 15, 30, 0, 0, time.UTC)}

func large(t *testing.T) Data {
	t.Helper()
	tx := loadTaxonomy(t)
	largeOnce.Do(func() { largeData = Generate(tx, largeConfig) })
	return largeData
}

// nationalConfig is a national-scope data set large enough for the
// provinces' shares; both scopes describe the same day.
var (
	nationalOnce   sync.Once
	nationalData   Data
	nationalConfig = Config{Profiles: 20_000, Needs: 4500, Seed: 42, Today: largeConfig.Today, Scope: ScopeNational}
)

func national(t *testing.T) Data {
	t.Helper()
	tx := loadTaxonomy(t)
	nationalOnce.Do(func() { nationalData = Generate(tx, nationalConfig) })
	return nationalData
}

// forEachScope runs check on the city and the national data set.
func forEachScope(t *testing.T, check func(t *testing.T, d Data)) {
	t.Run("city", func(t *testing.T) { check(t, large(t)) })
	t.Run("national", func(t *testing.T) { check(t, national(t)) })
}

func TestGenerateIsDeterministic(t *testing.T) {
	tx := loadTaxonomy(t)
	cfg := Config{Profiles: 400, Needs: 300, Seed: 7}
	a, b := Generate(tx, cfg), Generate(tx, cfg)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("Generate(same seed) twice gave different data")
	}
	cfg.Seed = 8
	c := Generate(tx, cfg)
	if c.Profiles[0].ID == a.Profiles[0].ID || c.Needs[0].ID == a.Needs[0].ID || c.Employers[0].EIK == a.Employers[0].EIK {
		t.Fatal("Generate(seed 8) starts like Generate(seed 7)")
	}
	same := 0
	for i := range a.Profiles {
		if a.Profiles[i].DisplayName == c.Profiles[i].DisplayName && a.Profiles[i].BirthYear == c.Profiles[i].BirthYear {
			same++
		}
	}
	if same > len(a.Profiles)/10 {
		t.Fatalf("seeds 7 and 8: %d of %d profiles share name and birth year; want few", same, len(a.Profiles))
	}
}

func TestMorePeopleOnlyAddToTheList(t *testing.T) {
	tx := loadTaxonomy(t)
	small := Generate(tx, Config{Profiles: 100, Needs: 60, Seed: 3})
	more := Generate(tx, Config{Profiles: 250, Needs: 60, Seed: 3})
	if !reflect.DeepEqual(small.Profiles, more.Profiles[:100]) || !reflect.DeepEqual(small.Needs, more.Needs) ||
		!reflect.DeepEqual(small.Employers, more.Employers) {
		t.Fatal("Generate with 250 profiles does not start with the data of 100")
	}
}

func TestGenerateSizes(t *testing.T) {
	tx := loadTaxonomy(t)
	for _, cfg := range []Config{{Profiles: 0, Needs: 0}, {Profiles: 5, Needs: 10}, {Profiles: 10, Needs: 300}} {
		d := Generate(tx, cfg)
		wantEmployers := max(3, cfg.Needs/15)
		if len(d.Employers) != wantEmployers || len(d.Needs) != cfg.Needs || len(d.Profiles) != cfg.Profiles ||
			len(d.Users) != cfg.Profiles+wantEmployers {
			t.Errorf("Generate(%+v): %d employers, %d needs, %d profiles, %d users; want %d, %d, %d, %d", cfg,
				len(d.Employers), len(d.Needs), len(d.Profiles), len(d.Users), wantEmployers, cfg.Needs, cfg.Profiles, cfg.Profiles+wantEmployers)
		}
	}
}

// share returns the fraction of xs for which f holds.
func share[T any](xs []T, f func(T) bool) float64 {
	n := 0
	for _, x := range xs {
		if f(x) {
			n++
		}
	}
	return float64(n) / float64(len(xs))
}

func within(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.3f, want %.3f ± %.3f", what, got, want, tol)
	}
}

func TestGenerateProportions(t *testing.T) {
	d := large(t)
	year := largeConfig.Today.Year()
	for _, k := range needKinds {
		within(t, "share of "+k.value+" needs", share(d.Needs, func(n register.Need) bool { return n.Kind == k.value }), float64(k.weight)/100, 0.03)
	}
	for _, s := range needStatuses {
		within(t, "share of "+s.value+" needs", share(d.Needs, func(n register.Need) bool { return n.Status == s.value }), float64(s.weight)/100, 0.03)
	}
	within(t, "consent share", share(d.Profiles, func(p profile.Profile) bool { return p.Consent.Matching }), 0.9, 0.02)
	within(t, "verified employers", share(d.Employers, func(e register.Employer) bool { return e.Verified }), 0.9, 0.05)
	within(t, "Bulgarian need titles", share(d.Needs, func(n register.Need) bool { return translit.HasCyrillic(n.Title) }), 2.0/3, 0.08)
	within(t, "positions of 1", share(d.Needs, func(n register.Need) bool { return n.Positions == 1 }), 0.55, 0.03)

	if got := share(d.Profiles, func(p profile.Profile) bool { a := year - p.Birth().Year; return a >= 15 && a <= 29 }); got < 0.7 {
		t.Errorf("share of profiles aged 15–29 = %.3f, want ≥ 0.70", got)
	}
	if got := share(d.Profiles, func(p profile.Profile) bool { return year-p.Birth().Year >= 30 }); got < 0.1 {
		t.Errorf("share of profiles aged 30+ = %.3f, want ≥ 0.10: some older people too", got)
	}
	if got := share(d.Profiles, func(p profile.Profile) bool { return p.AgeOn(largeConfig.Today) < 18 }); got < 0.02 {
		t.Errorf("share of minors = %.3f, want ≥ 0.02: the young-worker rules need some", got)
	}
	if got := share(d.Needs, func(n register.Need) bool { return n.LightWork }); got < 0.01 {
		t.Errorf("share of light-work needs = %.3f, want ≥ 0.01: 15-year-olds need some", got)
	}
	if got := share(d.Profiles, func(p profile.Profile) bool { return inProvince(p.Municipality) }); got < 0.8 || got > 0.9 {
		t.Errorf("share of profiles in Haskovo province = %.3f, want 0.80–0.90", got)
	}
	if got := share(d.Employers, func(e register.Employer) bool { return inProvince(e.Municipality) }); got < 0.82 || got > 0.96 {
		t.Errorf("share of employers in Haskovo province = %.3f, want 0.82–0.96", got)
	}
	if got := share(d.Profiles, func(p profile.Profile) bool { return p.MaxTravelKm >= 20 && p.MaxTravelKm <= 30 }); got < 0.35 {
		t.Errorf("share of profiles travelling 20–30 km = %.3f, want ≥ 0.35", got)
	}
	if got := share(d.Profiles, func(p profile.Profile) bool { return len(p.Interests.Kinds) == 0 }); got < 0.45 {
		t.Errorf("share of profiles open to any kind = %.3f, want ≥ 0.45", got)
	}
	if got := share(d.Profiles, func(p profile.Profile) bool { return hasLanguage(p.Languages, "en") }); got < 0.4 {
		t.Errorf("share of profiles with English = %.3f, want ≥ 0.40", got)
	}

	// The pilot's priority: health and care, then digital.
	tx := loadTaxonomy(t)
	isco := func(n register.Need) string { o, _ := tx.Occupation(n.Occupation); return o.ISCO }
	if got := share(d.Needs, func(n register.Need) bool { return hasPrefix(isco(n), []string{"22", "32", "53", "2635", "3412"}) }); got < 0.25 {
		t.Errorf("share of health and care needs (ISCO 22, 32, 53, 2635, 3412) = %.3f, want ≥ 0.25", got)
	}
	if got := share(d.Needs, func(n register.Need) bool { return hasPrefix(isco(n), []string{"25", "35"}) }); got < 0.05 {
		t.Errorf("share of digital needs (ISCO 25, 35) = %.3f, want ≥ 0.05", got)
	}
	priority := []string{SectorHealthcare, SectorCare, SectorMedTech, SectorWellness, SectorDigital, SectorGreen}
	if got := share(d.Needs, func(n register.Need) bool { return slices.Contains(priority, n.Sector) }); got < 0.55 {
		t.Errorf("share of needs of the priority sectors = %.3f, want ≥ 0.55", got)
	}
	if got := share(d.Needs, func(n register.Need) bool { return n.NightWork }); got < 0.02 || got > 0.2 {
		t.Errorf("share of needs with night work = %.3f, want 0.02–0.20", got)
	}
	if got := share(d.Needs, func(n register.Need) bool { return n.WorkMode != "onsite" }); got < 0.03 || got > 0.2 {
		t.Errorf("share of hybrid or remote needs = %.3f, want 0.03–0.20", got)
	}
}

func hasLanguage(ls []profile.Language, code string) bool {
	return slices.ContainsFunc(ls, func(l profile.Language) bool { return l.Code == code })
}

// Bulgaria's bounding box.
func inBulgaria(lat, lon float64) bool {
	return lat >= 41.2 && lat <= 44.3 && lon >= 22.3 && lon <= 28.7
}

var (
	validCEFR  = map[string]bool{"A1": true, "A2": true, "B1": true, "B2": true, "C1": true, "C2": true}
	validModes = map[string]bool{"onsite": true, "hybrid": true, "remote": true}
	phoneRE    = regexp.MustCompile(`^\+3598[789][0-9]{7}$`)
)

func TestEmployersAreValid(t *testing.T) { forEachScope(t, checkEmployers) }

func checkEmployers(t *testing.T, d Data) {
	names, eiks := map[string]bool{}, map[string]bool{}
	for _, e := range d.Employers {
		if !register.ValidEIK(e.EIK) || len(e.EIK) != 9 {
			t.Errorf("employer %q: EIK %q is not a valid 9-digit EIK", e.Name, e.EIK)
		}
		if eiks[e.EIK] || names[e.Name] {
			t.Errorf("employer %q (EIK %s): name or EIK repeats", e.Name, e.EIK)
		}
		eiks[e.EIK], names[e.Name] = true, true
		if !inBulgaria(e.Location.Lat, e.Location.Lon) || !slices.ContainsFunc(places, func(p place) bool { return p.name == e.Municipality }) {
			t.Errorf("employer %q at %s (%v): outside Bulgaria or an unknown municipality", e.Name, e.Municipality, e.Location)
		}
		if _, ok := firmStyles[e.Sector]; !ok {
			t.Errorf("employer %q: sector %q unknown", e.Name, e.Sector)
		}
		if e.Website != "" {
			if u, err := url.Parse(e.Website); err != nil || u.Scheme != "https" || len(strings.Split(u.Host, ".")[0]) > 63 {
				t.Errorf("employer %q: website %q is not a valid https URL", e.Name, e.Website)
			}
		}
		if len(e.Members) != 1 {
			t.Errorf("employer %q: %d members, want 1", e.Name, len(e.Members))
		}
		if e.Verified != (e.Verification != nil && e.Verification.Verified) {
			t.Errorf("employer %q: Verified %v but verification %+v", e.Name, e.Verified, e.Verification)
		}
		if e.CreatedAt.After(largeConfig.Today) || e.UpdatedAt.Before(e.CreatedAt) {
			t.Errorf("employer %q: created %v, updated %v", e.Name, e.CreatedAt, e.UpdatedAt)
		}
	}
}

func TestNeedsAreValid(t *testing.T) { forEachScope(t, checkNeeds) }

func checkNeeds(t *testing.T, d Data) {
	tx := loadTaxonomy(t)
	today := largeConfig.Today.Format(time.DateOnly)
	employers := map[string]register.Employer{}
	for _, e := range d.Employers {
		employers[e.ID] = e
	}
	ids := map[string]bool{}
	for _, n := range d.Needs {
		if ids[n.ID] {
			t.Errorf("need id %s repeats", n.ID)
		}
		ids[n.ID] = true
		e, ok := employers[n.EmployerID]
		if !ok || !e.IsMember(n.CreatedBy) || n.Sector != e.Sector {
			t.Errorf("need %s: employer %s unknown, creator %s not a member, or sector %q not the employer's", n.ID, n.EmployerID, n.CreatedBy, n.Sector)
		}
		if _, ok := tx.Occupation(n.Occupation); !ok {
			t.Errorf("need %s: unknown occupation %s", n.ID, n.Occupation)
		}
		required, preferred := 0, 0
		seen := map[string]bool{}
		for _, s := range n.Skills {
			if _, ok := tx.Skill(s.ID); !ok {
				t.Errorf("need %s: skill %s unknown to the taxonomy", n.ID, s.ID)
			}
			if seen[s.ID] || s.Level < 1 || s.Level > 4 {
				t.Errorf("need %s: skill %s repeats or has level %d", n.ID, s.ID, s.Level)
			}
			seen[s.ID] = true
			if s.Required {
				required++
			} else {
				preferred++
			}
		}
		if required < 4 || required > 12 || preferred > 4 {
			t.Errorf("need %s: %d required and %d preferred skills, want 4–12 and ≤ 4", n.ID, required, preferred)
		}
		if l := utf8.RuneCountInString(n.Title); l < 3 || l > 200 || len(n.Description) > 10000 {
			t.Errorf("need %s: title %q (%d runes) or description too long", n.ID, n.Title, l)
		}
		if !inBulgaria(n.Location.Lat, n.Location.Lon) {
			t.Errorf("need %s: location %+v outside Bulgaria", n.ID, n.Location)
		}
		if !validModes[n.WorkMode] || (n.Hours != "full_time" && n.Hours != "part_time") || n.Positions < 1 || n.Positions > 5 {
			t.Errorf("need %s: work mode %q, hours %q, positions %d", n.ID, n.WorkMode, n.Hours, n.Positions)
		}
		if n.EducationLevel != nil && (*n.EducationLevel < 0 || *n.EducationLevel > 8) {
			t.Errorf("need %s: education level %d", n.ID, *n.EducationLevel)
		}
		for _, l := range n.Languages {
			if len(l.Code) != 2 || !validCEFR[l.Level] {
				t.Errorf("need %s: language %+v", n.ID, l)
			}
		}
		start := mustDate(t, n.StartDate)
		y, m, dd := largeConfig.Today.Date()
		day := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
		lo, hi := day.AddDate(0, 0, 30), day.AddDate(0, 0, 180)
		if start.Before(lo) || start.After(hi) {
			t.Errorf("need %s: start %s, want %s to %s", n.ID, n.StartDate, lo.Format(time.DateOnly), hi.Format(time.DateOnly))
		}
		if n.EndDate != "" && mustDate(t, n.EndDate).Before(start) {
			t.Errorf("need %s: ends %s before it starts %s", n.ID, n.EndDate, n.StartDate)
		}
		if n.ApplyBy != "" && (n.ApplyBy < today || n.ApplyBy >= n.StartDate || mustDate(t, n.ApplyBy).IsZero()) {
			t.Errorf("need %s: apply by %s, want from %s and before the start %s", n.ID, n.ApplyBy, today, n.StartDate)
		}
		if n.NightWork && (n.Kind == register.KindInternship || n.Kind == register.KindApprenticeship) {
			t.Errorf("need %s: a %s with night work", n.ID, n.Kind)
		}
		if n.Seq != 0 {
			t.Errorf("need %s: Seq %d, want 0 (the store assigns it)", n.ID, n.Seq)
		}
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Errorf("date %q: %v", s, err)
	}
	return d
}

func TestProfilesAreValid(t *testing.T) { forEachScope(t, checkProfiles) }

func checkProfiles(t *testing.T, d Data) {
	tx := loadTaxonomy(t)
	first, last := largeConfig.Today.Format(time.DateOnly), largeConfig.Today.AddDate(0, 0, 90).Format(time.DateOnly)
	females := map[string]bool{}
	for _, n := range slices.Concat(femaleNames, turkishFemaleNames) {
		females[n] = true
	}
	for _, p := range d.Profiles {
		if n := len(p.Skills); n < 5 || n > 20 {
			t.Errorf("profile %s: %d skills, want 5–20", p.ID, n)
		}
		seen := map[string]bool{}
		for _, s := range p.Skills {
			if _, ok := tx.Skill(s.ID); !ok || seen[s.ID] || s.Level < 1 || s.Level > 4 || s.Evidence != profile.EvidenceDeclared {
				t.Errorf("profile %s: skill %+v unknown, repeated or malformed", p.ID, s)
			}
			seen[s.ID] = true
		}
		if a := p.AgeOn(largeConfig.Today); a < profile.MinAge || a > 70 {
			t.Errorf("profile %s: age %d", p.ID, a)
		}
		if b, err := age.Parse(p.BirthDate); err != nil || b.Year != p.BirthYear || p.Held() {
			t.Errorf("profile %s: birth date %q (year %d), held %v", p.ID, p.BirthDate, p.BirthYear, p.Held())
		}
		if !inBulgaria(p.Lat, p.Lon) {
			t.Errorf("profile %s: at %v,%v outside Bulgaria", p.ID, p.Lat, p.Lon)
		}
		if p.MaxTravelKm < 5 || p.MaxTravelKm > 80 || len(p.WorkModes) == 0 {
			t.Errorf("profile %s: travels %d km, work modes %v", p.ID, p.MaxTravelKm, p.WorkModes)
		}
		for _, m := range p.WorkModes {
			if !validModes[m] {
				t.Errorf("profile %s: work mode %q", p.ID, m)
			}
		}
		for _, k := range p.Interests.Kinds {
			if k == register.KindForecast || !slices.ContainsFunc(needKinds, func(o option[string]) bool { return o.value == k }) {
				t.Errorf("profile %s: interest kind %q", p.ID, k)
			}
		}
		if !hasLanguage(p.Languages, "bg") {
			t.Errorf("profile %s: no Bulgarian in %v", p.ID, p.Languages)
		}
		for _, l := range p.Languages {
			if len(l.Code) != 2 || !validCEFR[l.Level] {
				t.Errorf("profile %s: language %+v", p.ID, l)
			}
		}
		if p.EducationLevel < 0 || p.EducationLevel > 8 {
			t.Errorf("profile %s: education %d", p.ID, p.EducationLevel)
		}
		if p.AvailableFrom < first || p.AvailableFrom > last || mustDate(t, p.AvailableFrom).IsZero() ||
			(p.AvailableTo != "" && p.AvailableTo <= p.AvailableFrom) {
			t.Errorf("profile %s: available %s to %q, want from %s–%s", p.ID, p.AvailableFrom, p.AvailableTo, first, last)
		}
		if p.Phone != "" && !phoneRE.MatchString(p.Phone) {
			t.Errorf("profile %s: phone %q", p.ID, p.Phone)
		}
		if p.Hours != "any" && p.Hours != "full_time" && p.Hours != "part_time" {
			t.Errorf("profile %s: hours %q", p.ID, p.Hours)
		}
		firstName, surname, ok := strings.Cut(p.DisplayName, " ")
		if !ok || strings.Contains(surname, " ") {
			t.Errorf("profile %s: display name %q is not first name and surname", p.ID, p.DisplayName)
		} else if females[firstName] != (strings.HasSuffix(surname, "а")) {
			t.Errorf("profile %s: %q: surname's gender does not match the first name's", p.ID, p.DisplayName)
		}
		if p.CreatedAt.After(largeConfig.Today) || p.UpdatedAt.Before(p.CreatedAt) || p.Seq != 0 {
			t.Errorf("profile %s: created %v, updated %v, seq %d", p.ID, p.CreatedAt, p.UpdatedAt, p.Seq)
		}
	}
}

func TestUsersMatchProfilesAndEmployers(t *testing.T) { forEachScope(t, checkUsers) }

func checkUsers(t *testing.T, d Data) {
	if len(d.Users) != len(d.Profiles)+len(d.Employers) {
		t.Fatalf("%d users, want %d profiles + %d employers", len(d.Users), len(d.Profiles), len(d.Employers))
	}
	emails, ids := map[string]bool{}, map[string]bool{}
	for i, u := range d.Users {
		if email, err := auth.NormalizeEmail(u.Email); err != nil || email != u.Email || !strings.HasSuffix(email, "@example.bg") {
			t.Errorf("user %s: e-mail %q is not a normalised example.bg address (%v)", u.ID, u.Email, err)
		}
		if emails[u.Email] || ids[u.ID] {
			t.Errorf("user %s: e-mail %q or id repeats", u.ID, u.Email)
		}
		emails[u.Email], ids[u.ID] = true, true
		if u.PasswordHash != d.Users[0].PasswordHash || (u.Locale != "bg" && u.Locale != "en") {
			t.Errorf("user %s: another password hash, or locale %q", u.ID, u.Locale)
		}
		if i < len(d.Profiles) {
			p := d.Profiles[i]
			if u.ID != p.ID || u.Role != auth.RoleJobseeker || u.Name != p.DisplayName || len(u.EmployerIDs) != 0 {
				t.Errorf("user %d = %s (%s, %q), want profile %s's job-seeker account (%q)", i, u.ID, u.Role, u.Name, p.ID, p.DisplayName)
			}
			continue
		}
		e := d.Employers[i-len(d.Profiles)]
		if u.Role != auth.RoleEmployer || !slices.Equal(u.EmployerIDs, []string{e.ID}) || !e.IsMember(u.ID) {
			t.Errorf("user %d = %s (%s, employers %v), want the member of employer %s", i, u.ID, u.Role, u.EmployerIDs, e.ID)
		}
	}
	if !auth.VerifyPassword(d.Users[0].PasswordHash, DemoPassword) {
		t.Errorf("VerifyPassword(hash, %q) = false, want true", DemoPassword)
	}
	if err := auth.CheckPassword(DemoPassword, ""); err != nil {
		t.Errorf("CheckPassword(%q) = %v, want nil: the demo password must pass the policy", DemoPassword, err)
	}
}

func TestEIKCheckDigit(t *testing.T) {
	tx := loadTaxonomy(t)
	g := &generator{tx: tx, firms: employerState{eiks: map[string]bool{}}}
	rng := newRand(1, 99)
	for range 2000 {
		for _, public := range []bool{false, true} {
			eik := g.eik(rng, public)
			if !register.ValidEIK(eik) {
				t.Fatalf("eik() = %q, not valid by register.ValidEIK", eik)
			}
			wrong := eik[:8] + string(rune('0'+(eik[8]-'0'+1)%10))
			if register.ValidEIK(wrong) {
				t.Fatalf("%q with its check digit changed (%q) is still valid", eik, wrong)
			}
		}
	}
}

func TestBgTitle(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"медицинска сестра с общ профил", "медицинска сестра с общ профил"},
		{"санитар/санитарка", "санитар"},
		{"ръководител/ръководителка на ферма", "ръководител на ферма"},
		{"софтуерен изпитател/софтуерна изпитателка", "софтуерен изпитател"},
		{"чистач, сгради/чистачка, сгради", "чистач, сгради"},
	} {
		if got := bgTitle(c.in); got != c.want {
			t.Errorf("bgTitle(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFemaleSurname(t *testing.T) {
	for in, want := range map[string]string{"Иванов": "Иванова", "Георгиев": "Георгиева", "Раковски": "Раковска", "Мехмедов": "Мехмедова"} {
		if got := femaleSurname(in); got != want {
			t.Errorf("femaleSurname(%q) = %q, want %q", in, got, want)
		}
	}
}

// seatOf names each province's seat among the places: the province's
// name, but Sofia for both Sofia provinces.
func seatOf(oblast string) string {
	if oblast == "София (столица)" || oblast == "Софийска" {
		return "София"
	}
	return oblast
}

func TestPlaces(t *testing.T) {
	province := 0
	oblastPop := map[string]int{}
	for _, o := range oblasts {
		oblastPop[o.name] = o.pop
	}
	for _, p := range places {
		if !inBulgaria(p.lat, p.lon) {
			t.Errorf("%s at %v,%v: outside Bulgaria", p.name, p.lat, p.lon)
		}
		if _, ok := oblastPop[p.oblast]; !ok {
			t.Errorf("%s: province %q unknown", p.name, p.oblast)
		}
		// A coordinate typed wrong lands far from the province's seat.
		seat := places[placeIndex[seatOf(p.oblast)]]
		if d := haversineKm(p.lat, p.lon, seat.lat, seat.lon); d > 80 {
			t.Errorf("%s is %.0f km from %s, the seat of its province; want ≤ 80", p.name, d, seat.name)
		}
		if p.pop < 1 || p.pop > 1300 {
			t.Errorf("%s: population %d thousand", p.name, p.pop)
		}
		if p.oblast == haskovo {
			province++
			if p.lat < 41.4 || p.lat > 42.2 || p.lon < 25.2 || p.lon > 26.5 {
				t.Errorf("%s at %v,%v: outside Haskovo province", p.name, p.lat, p.lon)
			}
		}
	}
	if province != 11 {
		t.Errorf("%d municipalities of Haskovo province, want 11", province)
	}
	total := 0
	for _, o := range oblasts {
		total += o.pop
		if _, ok := placeIndex[seatOf(o.name)]; !ok {
			t.Errorf("province %s: its seat is not among the places", o.name)
		}
	}
	if len(oblasts) != 28 || total < 6400 || total > 6650 {
		t.Errorf("%d provinces of %d thousand people, want 28 of about 6,520 (2021 census)", len(oblasts), total)
	}
	// Well-known centres, to the 0.05° the data promise.
	for name, want := range map[string][2]float64{
		"София": {42.698, 23.322}, "Пловдив": {42.150, 24.750}, "Варна": {43.214, 27.914}, "Бургас": {42.505, 27.468},
		"Русе": {43.848, 25.954}, "Хасково": {41.934, 25.555}, "Видин": {43.991, 22.882}, "Силистра": {44.117, 27.261},
	} {
		p := places[placeIndex[name]]
		if math.Abs(p.lat-want[0]) > 0.05 || math.Abs(p.lon-want[1]) > 0.05 {
			t.Errorf("%s at %v,%v, want %v", name, p.lat, p.lon, want)
		}
	}
	rng := newRand(1, 98)
	for range 10000 {
		p := places[rng.IntN(len(places))]
		lat, lon := jitter(rng, p)
		if d := haversineKm(lat, lon, p.lat, p.lon); d > maxJitterKm+0.01 {
			t.Fatalf("jitter(%s) = %v,%v, %.2f km from the centre; want ≤ %v", p.name, lat, lon, d, maxJitterKm)
		}
	}
}

func TestScatter(t *testing.T) {
	rng := newRand(1, 97)
	for _, p := range places {
		var dists []float64
		for range 400 {
			lat, lon := scatter(rng, p)
			if !inBulgaria(lat, lon) {
				t.Fatalf("scatter(%s) = %v,%v: outside Bulgaria", p.name, lat, lon)
			}
			d := haversineKm(lat, lon, p.lat, p.lon)
			if d > maxScatterKm(p)+0.01 {
				t.Fatalf("scatter(%s) = %v,%v, %.1f km from the centre; want ≤ %.1f", p.name, lat, lon, d, maxScatterKm(p))
			}
			if p.sea != 0 { // never towards the open sea
				b := float64(p.sea) * math.Pi / 180
				north, east := (lat-p.lat)*kmPerDegree, (lon-p.lon)*kmPerDegree*math.Cos(p.lat*math.Pi/180)
				if north*math.Cos(b)+east*math.Sin(b) > 0.01 {
					t.Fatalf("scatter(%s) = %v,%v: towards the sea (bearing %d°)", p.name, lat, lon, p.sea)
				}
			}
			dists = append(dists, d)
		}
		slices.Sort(dists)
		median := dists[len(dists)/2]
		switch p.name {
		case "София": // a big city spreads: not everyone lives near the centre
			if median < 4 || median > 9 {
				t.Errorf("scatter(София): median %.1f km from the centre, want 4–9", median)
			}
		case "Хасково":
			if median < 0.8 || median > 4 {
				t.Errorf("scatter(Хасково): median %.1f km from the centre, want 0.8–4", median)
			}
		}
	}
}

func TestScope(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want Scope
	}{
		{Config{}, ScopeCity},
		{Config{Profiles: AutoNationalProfiles}, ScopeCity},
		{Config{Profiles: AutoNationalProfiles + 1}, ScopeNational},
		{Config{Profiles: 500_000, Scope: ScopeCity}, ScopeCity},
		{Config{Profiles: 10, Scope: ScopeNational}, ScopeNational},
	} {
		if got := c.cfg.Resolve(); got != c.want {
			t.Errorf("Config{Profiles: %d, Scope: %v}.Resolve() = %v, want %v", c.cfg.Profiles, c.cfg.Scope, got, c.want)
		}
	}
	for _, s := range []Scope{ScopeAuto, ScopeCity, ScopeNational} {
		if got, err := ParseScope(s.String()); got != s || err != nil {
			t.Errorf("ParseScope(%q) = %v, %v; want %v", s.String(), got, err, s)
		}
	}
	if _, err := ParseScope("europe"); err == nil {
		t.Error(`ParseScope("europe") = nil error, want one`)
	}
}

// digest is a SHA-256 of what a data set says: every generated field of
// every record, written out by name so that a field added to a domain type
// does not change it. The password hash (salted afresh per process) and
// the store's Seq are left out.
func digest(d Data) string {
	h := sha256.New()
	w := func(format string, a ...any) { fmt.Fprintf(h, format, a...) }
	for _, e := range d.Employers {
		w("E|%s|%s|%s|%s|%s|%v,%v|%s|%s|%v|%s|%s|%v\n", e.ID, e.Name, e.EIK, e.Sector, e.Municipality, e.Location.Lat, e.Location.Lon,
			e.Address, e.Website, e.Verified, e.CreatedAt.Format(time.RFC3339), e.UpdatedAt.Format(time.RFC3339), e.Members)
	}
	for _, n := range d.Needs {
		w("N|%s|%s|%s|%s|%s|%s|%s|%s|%d|%s|%v,%v|%s|%s|%s|%s|%s|%v|%v|%s|%s|%s|", n.ID, n.EmployerID, n.Kind, n.Title, n.Description,
			n.Occupation, n.Sector, n.Status, n.Positions, n.Location.Municipality, n.Location.Lat, n.Location.Lon, n.WorkMode, n.Hours,
			n.StartDate, n.EndDate, n.ApplyBy, n.NightWork, n.Hazardous, n.CreatedBy, n.CreatedAt.Format(time.RFC3339), n.UpdatedAt.Format(time.RFC3339))
		if n.EducationLevel != nil {
			w("isced %d|", *n.EducationLevel)
		}
		for _, s := range n.Skills {
			w("%s@%d/%v ", s.ID, s.Level, s.Required)
		}
		for _, l := range n.Languages {
			w("%s:%s ", l.Code, l.Level)
		}
		w("\n")
	}
	for _, p := range d.Profiles {
		w("P|%s|%s|%d|%s|%s|%v,%v|%d|%v|%d|%v|%v|%s|%s|%s|%s|%v|%s|%s|", p.ID, p.DisplayName, p.BirthYear, p.Phone, p.Municipality, p.Lat, p.Lon,
			p.MaxTravelKm, p.WorkModes, p.EducationLevel, p.Interests.Kinds, p.Interests.Sectors, p.AvailableFrom, p.AvailableTo, p.Hours,
			p.Summary, p.Consent.Matching, p.CreatedAt.Format(time.RFC3339), p.UpdatedAt.Format(time.RFC3339))
		for _, s := range p.Skills {
			w("%s@%d/%s ", s.ID, s.Level, s.Evidence)
		}
		for _, l := range p.Languages {
			w("%s:%s ", l.Code, l.Level)
		}
		w("\n")
	}
	for _, u := range d.Users {
		w("U|%s|%s|%s|%s|%s|%v|%s\n", u.ID, u.Email, u.Role, u.Name, u.Locale, u.EmployerIDs, u.CreatedAt.Format(time.RFC3339))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestCityScopeIsPinned keeps city-scope data as they were before national
// scope existed: the pilot's demos and measurements stay comparable. A
// deliberate change to generation changes the digests: check the data,
// then paste the new ones.
func TestCityScopeIsPinned(t *testing.T) {
	tx := loadTaxonomy(t)
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{largeConfig, "0f419baf305796b9c752e316fef7d204c15741d74b1e0d1b462ef8097d9d49d1"},
		{Config{Profiles: 400, Needs: 300, Seed: 7, Scope: ScopeCity}, "daaa60645baed90868257e40476430761a7b485477a647cbdfe926f0a54bdd50"},
	} {
		d := large(t)
		if c.cfg != largeConfig {
			d = Generate(tx, c.cfg)
		}
		if got := digest(d); got != c.want {
			t.Errorf("digest(Generate(%d profiles, %d needs, seed %d, %v)) = %s, want %s", c.cfg.Profiles, c.cfg.Needs, c.cfg.Seed, c.cfg.Scope, got, c.want)
		}
	}
}

func TestNationalIsDeterministic(t *testing.T) {
	tx := loadTaxonomy(t)
	cfg := Config{Profiles: 300, Needs: 200, Seed: 7, Scope: ScopeNational}
	a, b := Generate(tx, cfg), Generate(tx, cfg)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("Generate(same seed, national) twice gave different data")
	}
	if city := Generate(tx, Config{Profiles: 300, Needs: 200, Seed: 7}); digest(city) == digest(a) {
		t.Fatal("Generate(national) = Generate(city)")
	}
	more := Generate(tx, Config{Profiles: 500, Needs: 200, Seed: 7, Scope: ScopeNational})
	if !reflect.DeepEqual(a.Profiles, more.Profiles[:300]) || !reflect.DeepEqual(a.Needs, more.Needs) {
		t.Fatal("Generate(national) with 500 profiles does not start with the data of 300")
	}
}

func TestNationalProportions(t *testing.T) {
	d := national(t)
	oblastOf := func(town string) string { return places[placeIndex[town]].oblast }
	// People and employers by province, as at the census.
	if got := share(d.Profiles, func(p profile.Profile) bool { return p.Municipality == "София" }); got < 0.15 || got > 0.3 {
		t.Errorf("share of profiles in Sofia = %.3f, want 0.15–0.30", got)
	}
	for _, o := range []struct {
		name string
		want float64 // census share
	}{{"Пловдив", 0.097}, {"Варна", 0.065}, {"Бургас", 0.058}, {haskovo, 0.032}, {"Видин", 0.012}} {
		got := share(d.Profiles, func(p profile.Profile) bool { return oblastOf(p.Municipality) == o.name })
		within(t, "share of profiles in "+o.name+" province", got, o.want, 0.25*o.want+0.005)
	}
	seen := map[string]bool{}
	for _, p := range d.Profiles {
		seen[oblastOf(p.Municipality)] = true
	}
	if len(seen) != len(oblasts) {
		t.Errorf("profiles in %d provinces, want all %d", len(seen), len(oblasts))
	}
	if got := share(d.Employers, func(e register.Employer) bool { return e.Municipality == "София" }); got < 0.12 || got > 0.3 {
		t.Errorf("share of employers in Sofia = %.3f, want 0.12–0.30", got)
	}
	// Sectors: the whole economy, not the pilot's priorities.
	general := []string{SectorTrade, SectorHospitality, SectorTransport, SectorConstruction, SectorManufacturing, SectorPublic}
	if got := share(d.Needs, func(n register.Need) bool { return slices.Contains(general, n.Sector) }); got < 0.45 {
		t.Errorf("share of needs in trade, hospitality, transport, construction, manufacturing and the public sector = %.3f, want ≥ 0.45", got)
	}
	health := []string{SectorHealthcare, SectorCare, SectorMedTech, SectorWellness}
	if got := share(d.Needs, func(n register.Need) bool { return slices.Contains(health, n.Sector) }); got < 0.08 || got > 0.3 {
		t.Errorf("share of health, care, MedTech and wellness needs = %.3f, want 0.08–0.30", got)
	}
	// A need's branch is in its employer's province.
	employers := map[string]register.Employer{}
	for _, e := range d.Employers {
		employers[e.ID] = e
	}
	branches := 0
	for _, n := range d.Needs {
		e := employers[n.EmployerID]
		if n.Location.Municipality != e.Municipality {
			branches++
			if oblastOf(n.Location.Municipality) != oblastOf(e.Municipality) {
				t.Errorf("need %s in %s, its employer in %s: another province", n.ID, n.Location.Municipality, e.Municipality)
			}
		}
	}
	if f := float64(branches) / float64(len(d.Needs)); f < 0.03 || f > 0.15 {
		t.Errorf("share of needs at a branch = %.3f, want 0.03–0.15", f)
	}
}

func TestPoolsCoverEverySector(t *testing.T) {
	ps := buildPools(loadTaxonomy(t))
	for _, def := range sectorDefs {
		if n := len(ps.bySector[def.name].occs); n < 5 {
			t.Errorf("sector %s: %d occupations, want ≥ 5", def.name, n)
		}
	}
	if n := len(ps.carePath.occs); n < 5 {
		t.Errorf("Care Career Path: %d occupations, want ≥ 5", n)
	}
}

func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const earthKm, rad = 6371.0088, math.Pi / 180
	s1, s2 := math.Sin((lat2-lat1)*rad/2), math.Sin((lon2-lon1)*rad/2)
	a := s1*s1 + math.Cos(lat1*rad)*math.Cos(lat2*rad)*s2*s2
	return 2 * earthKm * math.Asin(math.Sqrt(min(1, a)))
}

// BenchmarkGenerate measures generation at the benchmark's two scales:
// the city (10,000 profiles, 3,000 needs) and, unless -short, the country
// (500,000 and 100,000; about a gigabyte).
func BenchmarkGenerate(b *testing.B) {
	tx := loadTaxonomy(b)
	demoHash() // once per process, not per data set
	for _, cfg := range []Config{{Profiles: 10_000, Needs: 3_000, Seed: 1}, {Profiles: 500_000, Needs: 100_000, Seed: 1}} {
		b.Run(fmt.Sprintf("%v-%dx%d", cfg.Resolve(), cfg.Profiles, cfg.Needs), func(b *testing.B) {
			if testing.Short() && cfg.Resolve() == ScopeNational {
				b.Skip("national scale: run without -short")
			}
			b.ReportAllocs()
			for b.Loop() {
				Generate(tx, cfg)
			}
			b.ReportMetric(float64(cfg.Profiles*b.N)/b.Elapsed().Seconds(), "profiles/s")
		})
	}
}
