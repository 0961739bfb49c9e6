package web

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/careget/skillsmatch/internal/age"
	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/opportunity"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/gin-gonic/gin"
)

// The profile page is one plain form in steps (fieldsets), so that with
// JavaScript off nothing is lost between steps: the whole profile travels
// in the form, and the buttons that search occupations or skills post the
// same form back (action=occupation / findskill), which only shows it again
// with the findings added and never saves. Only action=save calls
// profile.Service.Put, the use case of PUT /api/v1/profiles/me: a profile
// is saved whole or not at all. With htmx the skill search fills its list
// as the person types (/me/profile/suggest), inside the same form.
//
// Evidence: the domain keeps declared or certified (certified only by a
// Care Career Path stage). Whatever the person says they can do is
// declared; the page says so in plain words. Beside each skill's level the
// form asks where they did it, "at work, in training or at school"
// (profile.Skill.Source, one of profile.Sources, or not said); it travels in
// the form as source-<skill id>, like the level. It is asked for the
// person's own skills, those the form brought back ticked, not for the ones
// an occupation or a search offers: an occupation's list is up to a hundred
// skills, and a select on each would take the page over its 100 KB. A skill
// ticked from an offer gets its question once the form comes back (after
// saving, or any search).

// Step anchors of the profile page, by profile.Missing's parts.
var partAnchor = map[string]string{
	profile.PartAbout: "step-about", profile.PartSkills: "step-skills", profile.PartLanguages: "step-languages",
	profile.PartPlace: "step-place", profile.PartAvailable: "step-available", profile.PartConsent: "step-consent",
}

// languages offered on the form (ISO 639-1) and CEFR levels.
var (
	formLanguages = []string{"bg", "en", "tr", "de", "ru", "el", "fr", "it", "es", "ro"}
	cefrLevels    = []string{"A1", "A2", "B1", "B2", "C1", "C2"}
	workModes     = []string{"onsite", "hybrid", "remote"}
	hoursChoices  = []string{"any", "full_time", "part_time"}
	formSectors   = []string{"healthcare", "care", "medtech", "wellness", "digital", "green", "agriculture",
		"manufacturing", "public", "trade", "hospitality", "transport", "construction"}
	monthRE = regexp.MustCompile(`^\d{4}-\d{2}$`)
)

const maxFormSkills = 100

// skillRow is one skill on the form: ticked or offered.
type skillRow struct {
	Key        string // the id of its inputs: "s" + its place in the list, "sug" + place in the autocomplete's
	ID         string
	Label      label
	Checked    bool
	Level      int
	Err        string
	LevelLabel string
	Levels     []levelOpt
	Source     string // profile.Skill.Source: "" is not said
	AskSource  bool   // the person's own skill: the form asks where they did it
	SourceOf   string // the legend of its sources
	Sources    []sourceOpt
}

// sourceOpt is one source a skill may have, as an option of its select.
type sourceOpt struct {
	Value, Label string
}

type levelOpt struct {
	Value int
	Label string
}

type occRow struct{ ID, Label string }

type choice struct {
	Value, Label string
	On           bool
}

type langRow struct {
	Code, Name, Level string
}

type profilePage struct {
	Skills      []skillRow
	Occupations []occRow
	Occupation  string // the chosen occupation's label
	Languages   []langRow
	Levels      []string
	Places      []option
	WorkModes   []choice
	Hours       []option
	Kinds       []choice
	Sectors     []choice
	Education   []option
	Minor       bool // under 18 by the birth date given: the simpler consent text
	Child       bool // under 14: the profile is held for a guardian's consent
	Fragment    bool

	OccupationsTitle string
}

// finish gives the rows the texts their sub-templates show.
func (pd *profilePage) finish(t tr) {
	levels := make([]levelOpt, 4)
	for i := range levels {
		levels[i] = levelOpt{Value: i + 1, Label: t.T("level_short." + strconv.Itoa(i+1))}
	}
	sources := []sourceOpt{{Value: "", Label: t.T("profile_source_none")}}
	for _, src := range profile.Sources {
		sources = append(sources, sourceOpt{Value: src, Label: t.T("profile_source_" + src)})
	}
	for i := range pd.Skills {
		// Short ids keep a page of an occupation's hundred skills small.
		// The list htmx fills sits beside the ticked skills: its inputs
		// need ids of their own.
		pd.Skills[i].Key = "s" + strconv.Itoa(i)
		if pd.Fragment {
			pd.Skills[i].Key = "sug" + strconv.Itoa(i)
		}
		pd.Skills[i].Levels = levels
		pd.Skills[i].LevelLabel = t.T("profile_level_of", "Skill", pd.Skills[i].Label.Text)
		pd.Skills[i].Sources = sources
		pd.Skills[i].SourceOf = t.T("profile_source_of", "Skill", pd.Skills[i].Label.Text)
	}
	pd.OccupationsTitle = t.T("profile_occupations_found")
}

// Opt is an optional labelled field (Input marks fields required).
func (v view) Opt(id, labelID, typ, autocomplete, hintID string) input {
	in := v.Input(id, labelID, typ, autocomplete, hintID)
	in.Required = false
	return in
}

// profileForm shows the profile: the saved one, or an empty form.
func (a *App) profileForm(c *gin.Context) {
	s, _ := sessionOf(c)
	form := url.Values{}
	p, err := a.d.Profiles.Mine(c.Request.Context(), s.Principal())
	switch {
	case err == nil:
		form = profileToForm(p)
	case failure.Is(err, failure.NotFound):
		form.Set("workModes", "onsite")
		form.Set("maxTravelKm", "25")
		form.Set("hours", "any")
	case failure.Is(err, failure.Forbidden):
		// An employer's or officer's account keeps no profile: say so.
		v := a.view(c, nil)
		v.Errors = []fieldError{{Message: v.T("error.forbidden")}}
		v.Form = form
		v.Data = a.profileData(c, form, nil, nil)
		a.renderView(c, http.StatusForbidden, "profile", "layout", v)
		return
	default:
		a.fail(c, err)
		return
	}
	v := a.view(c, nil)
	if c.Query("done") == "saved" {
		v.Notice = v.T("profile_saved")
		if err == nil && p.Held() {
			v.Notice = v.T("profile_held")
		}
	}
	v.Form = form
	v.Data = a.profileData(c, form, nil, nil)
	a.renderView(c, http.StatusOK, "profile", "layout", v)
}

// saveProfile saves the whole profile (action=save), or shows the form
// again with what a search found (the other actions), keeping every value.
func (a *App) saveProfile(c *gin.Context) { a.postProfileForm(c, "profile", a.putProfile) }

// postProfileForm answers a post of a profile form on page: save calls
// the form's use case (action=save); every other action shows the form
// again with what its search found, keeping every value.
func (a *App) postProfileForm(c *gin.Context, page string, save func(*gin.Context, url.Values)) {
	t := trOf(c)
	if err := c.Request.ParseForm(); err != nil {
		a.fail(c, err)
		return
	}
	form := c.Request.PostForm
	form.Del("csrf")
	var offered []skillRow
	var occs []occRow
	switch {
	case form.Get("occ") != "":
		offered = a.occupationSkills(t, form.Get("occ"), form)
	case form.Get("action") == "occupation":
		occs = a.findOccupations(t, form.Get("occq"))
		if len(occs) == 0 {
			a.profileError(c, page, form, []fieldError{{Field: "occq", Message: t.T("profile_nothing_found")}}, offered, occs)
			return
		}
	case form.Get("action") == "findskill":
		offered, occs = a.findSkills(t, form.Get("skillq"))
		if len(offered) == 0 && len(occs) == 0 {
			a.profileError(c, page, form, []fieldError{{Field: "skillq", Message: t.T("profile_nothing_found")}}, offered, occs)
			return
		}
	case form.Get("action") == "save":
		save(c, form)
		return
	default:
		// Enter pressed in any field: the form's first (default) button
		// runs the searches that have text, and never saves.
		if form.Get("occq") != "" {
			occs = a.findOccupations(t, form.Get("occq"))
		}
		if form.Get("skillq") != "" {
			var more []occRow
			offered, more = a.findSkills(t, form.Get("skillq"))
			occs = append(occs, more...)
		}
	}
	v := a.view(c, nil)
	v.Form = form
	v.Data = a.profileData(c, form, offered, occs)
	a.renderView(c, http.StatusOK, page, "layout", v)
}

func (a *App) putProfile(c *gin.Context, form url.Values) {
	s, _ := sessionOf(c)
	a.writeProfileForm(c, "profile", form, "displayName", inputOf, func(p profile.Profile) (string, error) {
		_, err := a.d.Profiles.Put(c.Request.Context(), s.Principal(), p)
		return "/me/profile?done=saved", err
	})
}

// writeProfileForm reads the profile form on page and saves it with write
// (the form's one use case), then follows the address write returns. The
// form's and the domain's errors show on the form again, each linked to
// the input fieldOf names (a refusal, to the whole form; other failures
// to fallback).
func (a *App) writeProfileForm(c *gin.Context, page string, form url.Values, fallback string,
	fieldOf func(string, profile.Profile) string, write func(profile.Profile) (string, error)) {
	t := trOf(c)
	p, errs := a.formToProfile(t, form)
	if len(errs) > 0 {
		a.profileError(c, page, form, errs, nil, nil)
		return
	}
	next, err := write(p)
	if err != nil {
		errs, _, ok := formErrors(t, err, fallback)
		if !ok {
			a.failPage(c, err)
			return
		}
		for i, e := range errs {
			errs[i].Field = fieldOf(e.Field, p)
		}
		if failure.Is(err, failure.Forbidden) {
			errs[0].Field = ""
		}
		a.profileError(c, page, form, errs, nil, nil)
		return
	}
	c.Redirect(http.StatusSeeOther, next)
}

// inputOf is the form input a domain field error names. The ticked
// skills are the page's first rows, in the order of p.Skills.
func inputOf(field string, p profile.Profile) string {
	if n, ok := parseIndexed(field, "skills[", "].id"); ok && n < len(p.Skills) {
		return "s" + strconv.Itoa(n)
	}
	if field == "birthYear" {
		return "birthDate"
	}
	return field
}

func parseIndexed(s, pre, post string) (int, bool) {
	if !strings.HasPrefix(s, pre) || !strings.HasSuffix(s, post) {
		return -1, false
	}
	n, err := strconv.Atoi(s[len(pre) : len(s)-len(post)])
	if err != nil {
		return -1, false
	}
	return n, true
}

func (a *App) profileError(c *gin.Context, page string, form url.Values, errs []fieldError, offered []skillRow, occs []occRow) {
	v := a.view(c, nil)
	v.Form, v.Errors = form, errs
	pd := a.profileData(c, form, offered, occs)
	for i := range pd.Skills {
		pd.Skills[i].Err = v.ErrFor("s" + strconv.Itoa(i))
	}
	v.Data = pd
	a.renderView(c, http.StatusUnprocessableEntity, page, "layout", v)
}

// suggest is the autocomplete of the skill step: skills whose names start
// with what was typed (Cyrillic or Latin, phone style), and occupations,
// which have Bulgarian names far more often than skills do.
func (a *App) suggest(c *gin.Context) {
	t := trOf(c)
	var pd profilePage
	if q := c.Query("occq"); q != "" {
		// The occupation step's box: occupations only.
		pd.Occupations = a.findOccupations(t, q)
	} else {
		q = c.Query("skillq")
		if q == "" {
			q = c.Query("q")
		}
		pd.Skills, pd.Occupations = a.findSkills(t, q)
	}
	pd.Levels, pd.Fragment = cefrLevels, true
	pd.finish(t)
	v := a.view(c, pd)
	a.renderView(c, http.StatusOK, "profile", "suggestions", v)
}

func (a *App) findSkills(t tr, q string) ([]skillRow, []occRow) {
	q = strings.TrimSpace(q)
	if q == "" || len(q) > 100 {
		return nil, nil
	}
	var rows []skillRow
	for _, h := range a.d.Taxonomy.SuggestSkills(q, t.lang, 8) {
		rows = append(rows, skillRow{ID: h.ID, Label: a.label(t, h.ID), Level: 2})
	}
	return rows, a.findOccupations(t, q)
}

func (a *App) findOccupations(t tr, q string) []occRow {
	q = strings.TrimSpace(q)
	if q == "" || len(q) > 100 {
		return nil
	}
	var out []occRow
	for _, o := range a.d.Taxonomy.SearchOccupations(q, t.lang, 8) {
		out = append(out, occRow{ID: o.ID, Label: o.Label(t.lang)})
	}
	return out
}

// occupationSkills offers the occupation's skills: the essential ones
// ticked, the optional ones to tick. It records the choice in the form.
func (a *App) occupationSkills(t tr, id string, form url.Values) []skillRow {
	o, ok := a.d.Taxonomy.Occupation(id)
	if !ok {
		return nil
	}
	form.Set("occupation", o.Label(t.lang))
	var rows []skillRow
	for _, s := range o.Essential {
		rows = append(rows, skillRow{ID: s, Label: a.label(t, s), Checked: true, Level: 2})
	}
	for _, s := range o.Optional {
		rows = append(rows, skillRow{ID: s, Label: a.label(t, s), Level: 2})
	}
	return rows
}

// profileData builds the page's lists from the form: the ticked skills
// first, then the ones offered by a search, without repeats.
func (a *App) profileData(c *gin.Context, form url.Values, offered []skillRow, occs []occRow) profilePage {
	t := trOf(c)
	pd := profilePage{Occupations: occs, Occupation: form.Get("occupation"), Levels: cefrLevels}
	seen := map[string]bool{}
	for _, id := range form["skill"] {
		if seen[id] || len(seen) >= maxFormSkills {
			continue
		}
		seen[id] = true
		pd.Skills = append(pd.Skills, skillRow{ID: id, Label: a.label(t, id), Checked: true, Level: levelOf(form, id),
			Source: sourceOf(form, id), AskSource: true})
	}
	for _, r := range offered {
		if !seen[r.ID] {
			seen[r.ID] = true
			pd.Skills = append(pd.Skills, r)
		}
	}
	for _, code := range formLanguages {
		pd.Languages = append(pd.Languages, langRow{Code: code, Name: t.T("lang." + code), Level: form.Get("lang-" + code)})
	}
	for _, pl := range places {
		l := pl.BG
		if t.lang == langEN {
			l = pl.EN
		}
		pd.Places = append(pd.Places, option{Value: pl.Key, Label: l, Selected: pl.Key == form.Get("place")})
	}
	for _, m := range workModes {
		pd.WorkModes = append(pd.WorkModes, choice{Value: m, Label: t.T("workmode." + m), On: slices.Contains(form["workModes"], m)})
	}
	for _, h := range hoursChoices {
		pd.Hours = append(pd.Hours, option{Value: h, Label: t.T("hours." + h), Selected: form.Get("hours") == h})
	}
	for _, k := range opportunity.Kinds {
		pd.Kinds = append(pd.Kinds, choice{Value: k, Label: t.T("kind_" + k), On: slices.Contains(form["kinds"], k)})
	}
	for _, s := range formSectors {
		pd.Sectors = append(pd.Sectors, choice{Value: s, Label: t.T("sector." + s), On: slices.Contains(form["sectors"], s)})
	}
	for e := 0; e <= 8; e++ {
		v := strconv.Itoa(e)
		pd.Education = append(pd.Education, option{Value: v, Label: t.T("education." + v), Selected: form.Get("educationLevel") == v})
	}
	if b, err := age.Parse(form.Get("birthDate")); err == nil {
		years := b.On(age.DateOf(a.now().UTC()))
		pd.Minor, pd.Child = years < age.Adult, years < age.DigitalConsent
	}
	pd.finish(t)
	return pd
}

func levelOf(form url.Values, id string) int {
	n, err := strconv.Atoi(form.Get("level-" + id))
	if err != nil || n < 1 || n > 4 {
		return 2
	}
	return n
}

// sourceOf is where the person says they did the skill. A value the form
// never offers reads as not said, as a bad level reads as the default: the
// select cannot send one.
func sourceOf(form url.Values, id string) string {
	if src := form.Get("source-" + id); profile.ValidSource(src) {
		return src
	}
	return ""
}

// formToProfile reads the form into a profile. It checks what a form
// must (filled in, numbers, choices from the lists); the profile's rules
// (birth date and age, known skills, dates in order) are
// profile.Service.Put's.
func (a *App) formToProfile(t tr, form url.Values) (profile.Profile, []fieldError) {
	var errs []fieldError
	bad := func(field, code string, kv ...any) {
		errs = append(errs, fieldError{Field: field, Message: t.T("field."+code, kv...)})
	}
	p := profile.Profile{DisplayName: strings.TrimSpace(form.Get("displayName")), BirthDate: strings.TrimSpace(form.Get("birthDate")),
		Phone: strings.TrimSpace(form.Get("phone")), AvailableFrom: form.Get("availableFrom"), AvailableTo: form.Get("availableTo"),
		Hours: form.Get("hours"), Summary: strings.TrimSpace(form.Get("summary")),
		Consent: profile.Consent{Matching: form.Get("consent") == "yes"}}
	if p.DisplayName == "" || len(p.DisplayName) > 100 {
		bad("displayName", "required", "Field", t.T("field_display_name"))
	}
	switch {
	case p.BirthDate == "":
		bad("birthDate", "required", "Field", t.T("field_birth_month"))
	case !monthRE.MatchString(p.BirthDate):
		bad("birthDate", "birth_date")
	}
	if p.Phone != "" && !phoneRE.MatchString(p.Phone) {
		bad("phone", "phone")
	}
	if pl, ok := placeByKey(form.Get("place")); ok {
		p.Municipality, p.Lat, p.Lon = pl.BG, pl.At.Lat, pl.At.Lon
	} else {
		bad("place", "required", "Field", t.T("field_place"))
	}
	if km, err := strconv.Atoi(strings.TrimSpace(form.Get("maxTravelKm"))); err == nil && km >= 0 && km <= 1000 {
		p.MaxTravelKm = km
	} else {
		bad("maxTravelKm", "km")
	}
	for _, m := range workModes {
		if slices.Contains(form["workModes"], m) {
			p.WorkModes = append(p.WorkModes, m)
		}
	}
	if len(p.WorkModes) == 0 {
		bad("workModes-onsite", "choose_one")
	}
	if e, err := strconv.Atoi(form.Get("educationLevel")); err == nil && e >= 0 && e <= 8 {
		p.EducationLevel = e
	} else {
		bad("educationLevel", "required", "Field", t.T("field_education"))
	}
	if !isDate(p.AvailableFrom) {
		bad("availableFrom", "date")
	}
	if p.AvailableTo != "" && !isDate(p.AvailableTo) {
		bad("availableTo", "date")
	}
	if !slices.Contains(hoursChoices, p.Hours) {
		p.Hours = "any"
	}
	if len(p.Summary) > 2000 {
		bad("summary", "too_long")
	}
	seen := map[string]bool{}
	for _, id := range form["skill"] {
		if seen[id] {
			continue
		}
		seen[id] = true
		p.Skills = append(p.Skills, profile.Skill{ID: id, Level: levelOf(form, id), Source: sourceOf(form, id)})
	}
	if len(p.Skills) > maxFormSkills {
		bad("skillq", "too_many_skills")
	}
	for _, code := range formLanguages {
		if lvl := form.Get("lang-" + code); slices.Contains(cefrLevels, lvl) {
			p.Languages = append(p.Languages, profile.Language{Code: code, Level: lvl})
		}
	}
	for _, k := range opportunity.Kinds {
		if slices.Contains(form["kinds"], k) {
			p.Interests.Kinds = append(p.Interests.Kinds, k)
		}
	}
	for _, s := range formSectors {
		if slices.Contains(form["sectors"], s) {
			p.Interests.Sectors = append(p.Interests.Sectors, s)
		}
	}
	return p, errs
}

var phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 ()./-]{4,24}[0-9]$`)

func isDate(s string) bool {
	_, err := age.ParseDay(s)
	return err == nil && len(s) == 10
}

// profileToForm is the saved profile as the form's values.
func profileToForm(p profile.Profile) url.Values {
	f := url.Values{}
	f.Set("displayName", p.DisplayName)
	b := p.BirthDate
	if len(b) > 7 {
		b = b[:7]
	}
	f.Set("birthDate", b)
	f.Set("phone", p.Phone)
	for _, pl := range places {
		if pl.BG == p.Municipality || pl.EN == p.Municipality {
			f.Set("place", pl.Key)
		}
	}
	f.Set("maxTravelKm", strconv.Itoa(p.MaxTravelKm))
	f["workModes"] = slices.Clone(p.WorkModes)
	f.Set("educationLevel", strconv.Itoa(p.EducationLevel))
	f.Set("availableFrom", p.AvailableFrom)
	f.Set("availableTo", p.AvailableTo)
	f.Set("hours", p.Hours)
	f.Set("summary", p.Summary)
	for _, s := range p.Skills {
		f.Add("skill", s.ID)
		f.Set("level-"+s.ID, strconv.Itoa(s.Level))
		if s.Source != "" {
			f.Set("source-"+s.ID, s.Source)
		}
	}
	for _, l := range p.Languages {
		f.Set("lang-"+l.Code, l.Level)
	}
	f["kinds"] = slices.Clone(p.Interests.Kinds)
	f["sectors"] = slices.Clone(p.Interests.Sectors)
	if p.Consent.Matching {
		f.Set("consent", "yes")
	}
	return f
}

// The signed-in home.

type missingItem struct{ Text, Anchor string }

type appItem struct {
	State string
	Date  string
}

type homePage struct {
	Name        string
	HasProfile  bool
	Held        bool
	Missing     []missingItem
	Matches     int
	Apps        []appItem
	MatchesErr  bool
	NextProfile bool
}

// me is the job-seeker's home: what the profile still lacks (each linked
// to its step), how many opportunities fit, the applications' states.
func (a *App) me(c *gin.Context) {
	t := trOf(c)
	ctx := c.Request.Context()
	s, _ := sessionOf(c)
	// The workspaces are the home of the other roles.
	switch s.Role {
	case auth.RoleEmployer:
		c.Redirect(http.StatusSeeOther, "/employer")
		return
	case auth.RoleOfficer, auth.RoleAdmin:
		c.Redirect(http.StatusSeeOther, "/office")
		return
	}
	u, err := a.d.Auth.User(ctx, s.UserID)
	if err != nil {
		a.fail(c, err)
		return
	}
	hp := homePage{Name: u.Name}
	by := s.Principal()
	p, err := a.d.Profiles.Mine(ctx, by)
	switch {
	case err == nil:
		hp.HasProfile, hp.Held = true, p.Held()
		for _, part := range p.Missing() {
			hp.Missing = append(hp.Missing, missingItem{Text: t.T("missing." + part), Anchor: partAnchor[part]})
		}
		if !hp.Held {
			m, err := a.d.Opportunities.ForMe(ctx, by, opportunity.Query{Limit: opportunity.MaxLimit, Lang: t.lang})
			if err != nil {
				a.fail(c, err)
				return
			}
			hp.Matches = len(m.Items)
		}
	case failure.Is(err, failure.NotFound), failure.Is(err, failure.Forbidden):
	default:
		a.fail(c, err)
		return
	}
	for _, m := range a.d.Matches.ForPerson(by) {
		hp.Apps = append(hp.Apps, appItem{State: stateWord(t, m.State), Date: m.UpdatedAt.UTC().Format("2006-01-02")})
	}
	a.render(c, "me", hp)
}

func stateWord(t tr, s match.State) string { return t.T("state." + string(s)) }
