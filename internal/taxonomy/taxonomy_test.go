package taxonomy

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Real ids from the embedded data, used across the tests.
const (
	idTendElderly     = "261e740b-d32d-4356-94a8-3ea29128b70b" // tend to elderly people
	idFirstAid        = "f7464f30-662b-4177-85a0-3df9693e9e58" // first aid (knowledge)
	idProvideFirstAid = "1d21f6ad-340f-45da-a0a3-4e83867f47a6" // provide first aid
	idMedicalDevices  = "df958b10-9e1c-4a80-9170-5572a5366e84" // medical devices
	idMusicalStaff    = "0005c151-5b5a-4a66-8aac-60e734beb1ab" // manage musical staff
	idSuspended       = "00831ebb-bac3-4bd1-8dae-2bca67be958d" // handle equipment while suspended (broader: a skill)
	idHealthcareAsst  = "d38c2107-98f2-47b7-8bb4-f69750d51082" // healthcare assistant, санитар/санитарка
	idGeneralNurse    = "8d3e8aaa-791b-4c75-a465-f3f827028f50" // nurse responsible for general care
	idISCEDGeneric    = "00"                                   // isced-f/00 generic programmes and qualifications
)

var (
	loadOnce sync.Once
	loaded   *Taxonomy
	errLoad  error
)

// mustLoad returns the taxonomy shared by the read-only tests; tests that
// change it (Apply) call Load themselves.
func mustLoad(tb testing.TB) *Taxonomy {
	tb.Helper()
	loadOnce.Do(func() { loaded, errLoad = Load() })
	if errLoad != nil {
		tb.Fatalf("Load() error = %v", errLoad)
	}
	return loaded
}

func TestLoadCountsMatchManifest(t *testing.T) {
	tx := mustLoad(t)
	raw, err := os.ReadFile("esco/MANIFEST.json")
	if err != nil {
		t.Fatal(err)
	}
	var man struct {
		Records map[string]int `json:"records"`
	}
	if err := json.Unmarshal(raw, &man); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want int
	}{
		{"SkillCount()", tx.SkillCount(), man.Records["skill"]},
		{"OccupationCount()", tx.OccupationCount(), man.Records["occ"]},
		{"GroupCount()", tx.GroupCount(), man.Records["sgroup"]},
		{"ISCO groups", len(tx.isco), man.Records["isco"]},
		{"NKPD positions", len(tx.nkpd), man.Records["nkpd"]},
		// The figures the product was specified with, in case MANIFEST changes.
		{"SkillCount() vs spec", tx.SkillCount(), 13896},
		{"OccupationCount() vs spec", tx.OccupationCount(), 3007},
		{"GroupCount() vs spec", tx.GroupCount(), 640},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %d, want %d", tt.name, tt.got, tt.want)
		}
	}
}

func TestAttribution(t *testing.T) {
	a := mustLoad(t).Attribution()
	if want := "This service uses the ESCO classification of the European Commission."; a.Text != want {
		t.Errorf("Attribution().Text = %q, want %q", a.Text, want)
	}
	if !strings.Contains(a.Modified, "Modified") || !strings.Contains(a.Licence, "2011/833/EU") {
		t.Errorf("Attribution() = %+v, want the modification notice and the licence decision", a)
	}
}

func TestLookupByID(t *testing.T) {
	tx := mustLoad(t)
	s, ok := tx.Skill(idProvideFirstAid)
	if !ok {
		t.Fatalf("Skill(%q) not found", idProvideFirstAid)
	}
	if s.URI != "http://data.europa.eu/esco/skill/"+idProvideFirstAid || s.Labels["en"] != "provide first aid" ||
		s.Type != TypeSkill || s.Reuse != "cross-sector" || len(s.Groups) == 0 || s.Description["en"] == "" {
		t.Errorf("Skill(%q) = %+v", idProvideFirstAid, s)
	}
	if s.LabelSources["en"] != SourceESCO {
		t.Errorf("Skill(%q).LabelSources[en] = %q, want %q", idProvideFirstAid, s.LabelSources["en"], SourceESCO)
	}

	g, ok := tx.Group(idISCEDGeneric)
	if !ok || g.URI != "http://data.europa.eu/esco/isced-f/00" || g.Labels["en"] != "generic programmes and qualifications" {
		t.Errorf("Group(%q) = %+v, %v", idISCEDGeneric, g, ok)
	}
	o, ok := tx.Occupation(idHealthcareAsst)
	if !ok || o.ISCO != "5321" || o.Code != "5321.1" || o.Labels["bg"] != "санитар/санитарка" {
		t.Errorf("Occupation(%q) = %+v, %v", idHealthcareAsst, o, ok)
	}

	// Each lookup answers only for its own kind.
	if _, ok := tx.Skill(idISCEDGeneric); ok {
		t.Errorf("Skill(%q) found a group", idISCEDGeneric)
	}
	if _, ok := tx.Group(idProvideFirstAid); ok {
		t.Errorf("Group(%q) found a skill", idProvideFirstAid)
	}
	if _, ok := tx.Occupation(idProvideFirstAid); ok {
		t.Errorf("Occupation(%q) found a skill", idProvideFirstAid)
	}
	for _, id := range []string{"", "nope", "http://data.europa.eu/esco/skill/" + idProvideFirstAid} {
		if _, ok := tx.Skill(id); ok {
			t.Errorf("Skill(%q) found, want not found", id)
		}
	}
}

func TestIDsAreLastURISegment(t *testing.T) {
	tx := mustLoad(t)
	for _, s := range tx.skills {
		if !strings.HasSuffix(s.URI, "/"+s.ID) || strings.Contains(s.ID, "/") {
			t.Fatalf("skill id %q does not end uri %q", s.ID, s.URI)
		}
	}
	for _, g := range tx.groups {
		if !strings.HasSuffix(g.URI, "/"+g.ID) {
			t.Fatalf("group id %q does not end uri %q", g.ID, g.URI)
		}
	}
	if got := len(tx.byID); got != tx.SkillCount()+tx.GroupCount()+tx.OccupationCount() {
		t.Errorf("len(byID) = %d, want one id per skill, group and occupation", got)
	}
}

func TestLoadRejectsDuplicateIDs(t *testing.T) {
	tx := newTaxonomy()
	if err := tx.add(&record{T: "skill", URI: "http://data.europa.eu/esco/skill/S1"}); err != nil {
		t.Fatal(err)
	}
	if err := tx.add(&record{T: "sgroup", URI: "http://data.europa.eu/esco/isced-f/S1"}); err == nil {
		t.Error("add(group with a skill's id) = nil, want duplicate id error")
	}
}

func TestLabelFallback(t *testing.T) {
	tx := mustLoad(t)
	tests := []struct {
		id, lang, want string
	}{
		{idProvideFirstAid, "en", "provide first aid"},
		{idProvideFirstAid, "bg", "оказване на първа помощ"}, // project translation
		{idMusicalStaff, "bg", "manage musical staff"},       // no bg label: English
		{idMusicalStaff, "de", "manage musical staff"},
		{idHealthcareAsst, "bg", "санитар/санитарка"},
		{idISCEDGeneric, "bg", "generic programmes and qualifications"},
		{"unknown", "en", ""},
	}
	for _, tt := range tests {
		if got := tx.Label(tt.id, tt.lang); got != tt.want {
			t.Errorf("Label(%q, %q) = %q, want %q", tt.id, tt.lang, got, tt.want)
		}
	}
	// English falls back to Bulgarian.
	if got := pickLabel(map[string]string{"bg": "сестра"}, "en"); got != "сестра" {
		t.Errorf("pickLabel(bg only, en) = %q, want %q", got, "сестра")
	}
}

func TestGroupOf(t *testing.T) {
	tx := mustLoad(t)
	tests := []struct {
		skill, want string
	}{
		{idFirstAid, "0913"}, // first broader is an ISCED-F group
		{idSuspended, "b6bdf202-524f-475d-b813-2aa9af005c37"}, // only broader is a skill
		{"unknown", ""},
	}
	for _, tt := range tests {
		if got := tx.GroupOf(tt.skill); got != tt.want {
			t.Errorf("GroupOf(%q) = %q, want %q", tt.skill, got, tt.want)
		}
	}

	// A group is preferred over a broader skill that comes first.
	small := testTaxonomy(t,
		record{T: "sgroup", URI: "x/G"},
		record{T: "skill", URI: "x/P"},
		record{T: "skill", URI: "x/S", Broader: []string{"x/P", "x/G"}},
	)
	if got := small.GroupOf("S"); got != "G" {
		t.Errorf("GroupOf(S with broader [P skill, G group]) = %q, want G", got)
	}
}

func TestAncestors(t *testing.T) {
	tx := mustLoad(t)
	anc := tx.Ancestors(idFirstAid)
	if len(anc) < 2 || anc[0] != "0913" {
		t.Errorf("Ancestors(%q) = %v, want nearest first, starting 0913", idFirstAid, anc)
	}
	// Every ancestor is a known concept, listed once.
	for i, id := range anc {
		if _, ok := tx.byID[id]; !ok || slices.Index(anc, id) != i {
			t.Errorf("Ancestors(%q)[%d] = %q: unknown or repeated", idFirstAid, i, id)
		}
	}
	if got := tx.Ancestors("unknown"); got != nil {
		t.Errorf("Ancestors(unknown) = %v, want nil", got)
	}

	// Cycle: S → A → B → A, and B → S.
	small := testTaxonomy(t,
		record{T: "sgroup", URI: "x/A", Broader: []string{"x/B"}},
		record{T: "sgroup", URI: "x/B", Broader: []string{"x/A", "x/S"}},
		record{T: "skill", URI: "x/S", Broader: []string{"x/A"}},
	)
	if got, want := small.Ancestors("S"), []string{"A", "B"}; !slices.Equal(got, want) {
		t.Errorf("Ancestors(S) in a cycle = %v, want %v", got, want)
	}
}

func TestOccupationSkills(t *testing.T) {
	tx := mustLoad(t)
	tests := []struct {
		id                   string
		essential, optional  int
		wantEssential, label string
	}{
		{idHealthcareAsst, 32, 13, "049c8caf-dd12-45fc-9bfa-b64051f32a19", "healthcare assistant"},
		{idGeneralNurse, 88, 10, "", "nurse responsible for general care"},
	}
	for _, tt := range tests {
		o, ok := tx.Occupation(tt.id)
		if !ok {
			t.Fatalf("Occupation(%q) not found", tt.id)
		}
		if o.Labels["en"] != tt.label || len(o.Essential) != tt.essential || len(o.Optional) != tt.optional {
			t.Errorf("Occupation(%q) = %q with %d essential, %d optional; want %q, %d, %d",
				tt.id, o.Labels["en"], len(o.Essential), len(o.Optional), tt.label, tt.essential, tt.optional)
		}
		if tt.wantEssential != "" && !slices.Contains(o.Essential, tt.wantEssential) {
			t.Errorf("Occupation(%q).Essential lacks %q", tt.id, tt.wantEssential)
		}
		for _, id := range slices.Concat(o.Essential, o.Optional) {
			if _, ok := tx.Skill(id); !ok {
				t.Errorf("Occupation(%q) needs unknown skill %q", tt.id, id)
			}
		}
	}
}

func TestISCOAndNKPD(t *testing.T) {
	tx := mustLoad(t)
	g, ok := tx.ISCOGroup("5321")
	if !ok || g.Parent != "532" || g.Labels["bg"] == "" {
		t.Errorf("ISCOGroup(5321) = %+v, %v", g, ok)
	}
	p, ok := tx.NKPD("53211002")
	if !ok || p.Label != "Санитар" || len(p.Matches) != 1 || p.Matches[0].ID != idHealthcareAsst || p.Matches[0].Relation != "exactMatch" {
		t.Errorf("NKPD(53211002) = %+v, %v", p, ok)
	}
}

func TestProjectTranslations(t *testing.T) {
	tx := mustLoad(t)
	var pl struct {
		About  string `json:"about"`
		Skills []struct {
			URI, EN, Label string
			Alt            []string
		} `json:"skills"`
	}
	if err := json.Unmarshal(translationsBG, &pl); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(pl.About, "not an official ESCO translation") {
		t.Errorf("translations_bg.json about = %q, want it to say it is not ESCO's translation", pl.About)
	}
	if len(pl.Skills) < 150 {
		t.Errorf("translations_bg.json has %d skills, want at least 150", len(pl.Skills))
	}
	seen := map[string]bool{}
	for _, e := range pl.Skills {
		r, ok := tx.byURI[e.URI]
		if !ok || r.kind != kindSkill {
			t.Errorf("translation for unknown skill %s (%q)", e.URI, e.EN)
			continue
		}
		s := tx.skills[r.i]
		// "en" guards against a translation attached to the wrong uri.
		if s.Labels["en"] != e.EN {
			t.Errorf("translation %s: en = %q, but the skill is %q", e.URI, e.EN, s.Labels["en"])
		}
		if s.Labels["bg"] != e.Label || s.LabelSources["bg"] != SourceProject {
			t.Errorf("Skill(%s) bg = %q from %q, want %q from project", s.ID, s.Labels["bg"], s.LabelSources["bg"], e.Label)
		}
		if seen[e.URI] {
			t.Errorf("translation for %s twice", e.URI)
		}
		seen[e.URI] = true
	}
}

// testTaxonomy builds a small taxonomy from records, through the same path
// as Load.
func testTaxonomy(t *testing.T, recs ...record) *Taxonomy {
	t.Helper()
	tx := newTaxonomy()
	for i := range recs {
		if err := tx.add(&recs[i]); err != nil {
			t.Fatalf("add(%+v) = %v", recs[i], err)
		}
	}
	tx.linkNKPD()
	tx.buildIndexes()
	return tx
}

// TestOccupationLabel: an occupation's name in the chosen language is its
// first form; without one, the English name (a visible fallback), else the
// Bulgarian one.
func TestOccupationLabel(t *testing.T) {
	both := Occupation{Labels: map[string]string{"bg": "медицинска сестра/медицински брат", "en": "nurse/male nurse"}}
	enOnly := Occupation{Labels: map[string]string{"en": "care worker/carer"}}
	bgOnly := Occupation{Labels: map[string]string{"bg": "учител"}}
	for _, tt := range []struct {
		o    Occupation
		lang string
		want string
	}{
		{both, "bg", "медицинска сестра"},
		{both, "en", "nurse"},
		{enOnly, "bg", "care worker/carer"}, // the English fallback is shown whole
		{bgOnly, "en", "учител"},
		{Occupation{}, "bg", ""},
	} {
		if got := tt.o.Label(tt.lang); got != tt.want {
			t.Errorf("Label(%v, %s) = %q, want %q", tt.o.Labels, tt.lang, got, tt.want)
		}
	}
}
