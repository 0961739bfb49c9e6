package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/gin-gonic/gin"
)

// The need form: an occupation first (its essential skills pre-filled),
// then each skill kept as required, marked preferred or dropped, at a level
// in words, and the rest of the need. It posts to register.Service's
// CreateNeed or UpdateNeed, the use cases of POST and PATCH /api/v1/needs.

// Skill uses a need's form offers for each skill.
const (
	useRequired  = "required"
	usePreferred = "preferred"
	useDrop      = "drop"
)

var skillUses = []string{useRequired, usePreferred, useDrop}

// needFormPage is the need form's data.
type needFormPage struct {
	ID          string // "" for a new need
	Step        int    // 1: choose an occupation; 2: the need
	Occupation  string // the chosen occupation's label
	Occupations []occRow
	Searched    bool
	Skills      []needFormSkill
	Kinds       []option
	WorkModes   []option
	Hours       []option
	Places      []option
	Sectors     []option
	Fragment    bool
}

// needFormSkill is one skill row of the form; Key is its inputs' id suffix.
type needFormSkill struct {
	Key, ID, Use string
	Label        label
	Uses, Levels []option
	Err          string
}

// newNeed is step 1 (find the occupation; htmx fills the results as they
// are typed) or, with ?occupation=, step 2 with its essential skills.
func (p employerPages) newNeed(c *gin.Context) {
	if !p.verified(c) {
		return
	}
	t := trOf(c)
	form := url.Values{"occq": {strings.TrimSpace(c.Query("occq"))}}
	if id := c.Query("occupation"); id != "" {
		if o, ok := p.d.Taxonomy.Occupation(id); ok {
			form = occupationForm(t, o.ID, o.Label(t.lang), o.Essential)
			p.showNeed(c, http.StatusOK, "", form, nil)
			return
		}
	}
	pd := needFormPage{Step: 1, Occupations: p.findOccupations(t, form.Get("occq")), Searched: form.Get("occq") != ""}
	v := p.view(c, pd)
	v.Form = form
	if c.GetHeader("HX-Request") == "true" {
		pd.Fragment = true
		v.Data = pd
		p.renderView(c, http.StatusOK, "employer_need", "occupationResults", v)
		return
	}
	p.renderView(c, http.StatusOK, "employer_need", "layout", v)
}

// verified lets the need pages through only for a member of a verified
// organisation; anyone else is sent back to /employer, which says why.
func (p employerPages) verified(c *gin.Context) bool {
	s, _ := sessionOf(c)
	e, err := p.desk.Organisation(c.Request.Context(), s.Principal())
	if err != nil {
		p.fail(c, err)
		return false
	}
	if e == nil || !e.Verified {
		c.Redirect(http.StatusSeeOther, "/employer")
		return false
	}
	c.Set("web.employer", e.ID)
	return true
}

// occupationForm starts a need from an occupation: its title, and its
// essential skills kept as required at "on their own".
func occupationForm(t tr, id, title string, essential []string) url.Values {
	form := url.Values{"occupation": {id}, "title": {title}, "kind": {register.KindJob}, "positions": {"1"},
		"workMode": {"onsite"}, "hours": {"full_time"}}
	for i, s := range essential {
		if i >= maxFormSkills {
			break
		}
		form.Add("skill", s)
		form.Set("use-"+strconv.Itoa(i), useRequired)
		form.Set("level-"+strconv.Itoa(i), "2")
	}
	return form
}

// showNeed renders step 2 of the form with its values and errors.
func (p employerPages) showNeed(c *gin.Context, status int, id string, form url.Values, errs []fieldError) {
	t := trOf(c)
	v := p.view(c, nil)
	v.Form, v.Errors = form, errs
	if c.Query("done") == "copied" {
		v.Notice = v.T("employer.done_copied")
	}
	pd := needFormPage{ID: id, Step: 2, Occupation: p.d.Taxonomy.Label(form.Get("occupation"), t.lang),
		Kinds: choices(t, register.Kinds, "kind_", form.Get("kind")), WorkModes: choices(t, workModes, "workmode.", form.Get("workMode")),
		Hours:  choices(t, []string{"full_time", "part_time"}, "hours.", form.Get("hours")),
		Places: placeOptions(t, form.Get("place")), Sectors: sectorOptions(t, form.Get("sector"))}
	for i, sid := range form["skill"] {
		key := strconv.Itoa(i)
		lbl := p.label(t, sid)
		row := needFormSkill{Key: key, ID: sid, Label: lbl, Use: form.Get("use-" + key), Err: v.ErrFor("use-" + key)}
		row.Uses = choices(t, skillUses, "employer.use_", row.Use)
		row.Levels = choices(t, []string{"1", "2", "3", "4"}, "employer.level_", form.Get("level-"+key))
		pd.Skills = append(pd.Skills, row)
	}
	v.Data = pd
	p.renderView(c, status, "employer_need", "layout", v)
}

func choices(t tr, values []string, prefix, selected string) []option {
	out := make([]option, len(values))
	for i, val := range values {
		out[i] = option{Value: val, Label: t.T(prefix + val), Selected: val == selected}
	}
	return out
}

// createNeed adds the need (register.Service.CreateNeed), published or as
// a draft as the button said.
func (p employerPages) createNeed(c *gin.Context) {
	if !p.verified(c) {
		return
	}
	form, ok := p.postedNeed(c)
	if !ok {
		return
	}
	n, keys, errs := needFromForm(trOf(c), form)
	if errs != nil {
		p.showNeed(c, http.StatusUnprocessableEntity, "", form, errs)
		return
	}
	n.EmployerID, n.Status = c.GetString("web.employer"), register.StatusOpen
	if form.Get("action") == "draft" {
		n.Status = register.StatusDraft
	}
	s, _ := sessionOf(c)
	if _, err := p.d.Register.CreateNeed(c.Request.Context(), s.Principal(), n); err != nil {
		p.needError(c, "", form, keys, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/employer?done=created#my-needs")
}

func (p employerPages) postedNeed(c *gin.Context) (url.Values, bool) {
	if err := c.Request.ParseForm(); err != nil {
		p.fail(c, err)
		return nil, false
	}
	form := c.Request.PostForm
	form.Del("csrf")
	if len(form["skill"]) > maxFormSkills {
		form["skill"] = form["skill"][:maxFormSkills]
	}
	return form, true
}

// needError shows a domain failure on the form: the register names a
// skill by its place among the kept skills (skills[k].id), the form by its
// row.
func (p employerPages) needError(c *gin.Context, id string, form url.Values, keys []string, err error) {
	errs, status, ok := formErrors(trOf(c), err, "title")
	if !ok || failure.Is(err, failure.Forbidden) || failure.Is(err, failure.NotFound) {
		p.needAction(c, err)
		return
	}
	for i, e := range errs {
		if k, ok := parseIndexed(e.Field, "skills[", "].id"); ok && k < len(keys) {
			errs[i].Field = "use-" + keys[k]
		} else if f, ok := map[string]string{"pay.min": "payMin", "pay.max": "payMax"}[e.Field]; ok {
			errs[i].Field = f
		} else if e.Field == "employerId" || e.Field == "occupation" {
			errs[i].Field = "title"
		}
	}
	p.showNeed(c, status, id, form, errs)
}

// editNeed shows a need its caller manages (register.Service.ManagedNeed):
// another employer's is the 403 page if public, else the 404 page.
func (p employerPages) editNeed(c *gin.Context) {
	s, _ := sessionOf(c)
	n, err := p.d.Register.ManagedNeed(c.Request.Context(), s.Principal(), c.Param("id"))
	if err != nil {
		p.needAction(c, err)
		return
	}
	p.showNeed(c, http.StatusOK, n.ID, p.needToForm(n), nil)
}

// updateNeed saves the whole form as a patch (register.Service.UpdateNeed);
// the status stays as it was.
func (p employerPages) updateNeed(c *gin.Context) {
	form, ok := p.postedNeed(c)
	if !ok {
		return
	}
	id := c.Param("id")
	n, keys, errs := needFromForm(trOf(c), form)
	if errs != nil {
		p.showNeed(c, http.StatusUnprocessableEntity, id, form, errs)
		return
	}
	s, _ := sessionOf(c)
	if _, err := p.d.Register.UpdateNeed(c.Request.Context(), s.Principal(), id, patchOf(n)); err != nil {
		p.needError(c, id, form, keys, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/employer?done=saved#my-needs")
}

// patchOf changes every field the form shows.
func patchOf(n register.Need) register.NeedPatch {
	return register.NeedPatch{Kind: &n.Kind, Title: &n.Title, Description: &n.Description, Occupation: &n.Occupation,
		Sector: &n.Sector, WorkMode: &n.WorkMode, Hours: &n.Hours, StartDate: &n.StartDate, EndDate: &n.EndDate,
		ApplyBy: &n.ApplyBy, Skills: &n.Skills, Location: &n.Location, Positions: &n.Positions, Pay: &n.Pay}
}

// needToForm fills the form from a saved need: its skills as kept, then
// the occupation's essential skills it dropped, offered again as dropped.
func (p employerPages) needToForm(n register.Need) url.Values {
	form := url.Values{"occupation": {n.Occupation}, "title": {n.Title}, "kind": {n.Kind}, "description": {n.Description},
		"positions": {strconv.Itoa(n.Positions)}, "startDate": {n.StartDate}, "endDate": {n.EndDate}, "applyBy": {n.ApplyBy},
		"workMode": {n.WorkMode}, "hours": {n.Hours}, "sector": {n.Sector}}
	if n.Pay != nil {
		form.Set("payMin", strconv.Itoa(n.Pay.Min))
		form.Set("payMax", strconv.Itoa(n.Pay.Max))
	}
	for _, pl := range places {
		if pl.BG == n.Location.Municipality {
			form.Set("place", pl.Key)
		}
	}
	add := func(id, use string, level int) {
		key := strconv.Itoa(len(form["skill"]))
		form.Add("skill", id)
		form.Set("use-"+key, use)
		form.Set("level-"+key, strconv.Itoa(level))
	}
	for _, s := range n.Skills {
		use := usePreferred
		if s.Required {
			use = useRequired
		}
		add(s.ID, use, s.Level)
	}
	if o, ok := p.d.Taxonomy.Occupation(n.Occupation); ok {
		for _, id := range o.Essential {
			if !slices.ContainsFunc(n.Skills, func(s register.SkillRequirement) bool { return s.ID == id }) && len(form["skill"]) < maxFormSkills {
				add(id, useDrop, 2)
			}
		}
	}
	return form
}

// needFromForm binds the form: what a request body's tags check on the
// API (required fields, numbers, dates, known choices) is checked here;
// the register's rules (known skills, end after start) by the use case.
// keys are the rows of the kept skills, in order.
func needFromForm(t tr, form url.Values) (register.Need, []string, []fieldError) {
	var errs []fieldError
	bad := func(field, msgID string) { errs = append(errs, fieldError{Field: field, Message: t.T(msgID)}) }
	errs = append(errs, required(t, form, labelled{"title", "employer.need_title"}, labelled{"startDate", "employer.start_date"},
		labelled{"place", "employer.place"}, labelled{"sector", "employer.sector"})...)
	n := register.Need{Title: strings.TrimSpace(form.Get("title")), Description: strings.TrimSpace(form.Get("description")),
		Occupation: form.Get("occupation"), Kind: form.Get("kind"), WorkMode: form.Get("workMode"), Hours: form.Get("hours"),
		Sector: form.Get("sector"), StartDate: form.Get("startDate"), EndDate: form.Get("endDate"), ApplyBy: form.Get("applyBy")}
	if len([]rune(n.Title)) > 200 || len([]rune(n.Description)) > 10000 {
		bad("title", "field.too_long")
	}
	if !slices.Contains(register.Kinds, n.Kind) {
		bad("kind", "field.invalid")
	}
	if !slices.Contains(workModes, n.WorkMode) {
		bad("workMode", "field.invalid")
	}
	if n.Hours != "full_time" && n.Hours != "part_time" {
		bad("hours", "field.invalid")
	}
	for _, f := range []string{"startDate", "endDate", "applyBy"} {
		if v := form.Get(f); v != "" && !isDate(v) {
			bad(f, "field.date")
		}
	}
	if pos, err := strconv.Atoi(form.Get("positions")); err != nil || pos < 1 || pos > 10000 {
		bad("positions", "employer.positions_range")
	} else {
		n.Positions = pos
	}
	n.Pay = payFromForm(form, bad)
	if pl, ok := placeByKey(form.Get("place")); ok {
		n.Location = register.Location{Municipality: pl.BG, Lat: pl.At.Lat, Lon: pl.At.Lon}
	}
	var keys []string
	for i, id := range form["skill"] {
		key := strconv.Itoa(i)
		use := form.Get("use-" + key)
		if use == useDrop || !slices.Contains(skillUses, use) {
			continue
		}
		keys = append(keys, key)
		n.Skills = append(n.Skills, register.SkillRequirement{ID: id, Level: levelOf(form, key), Required: use == useRequired})
	}
	if len(n.Skills) == 0 {
		field := "title"
		if len(form["skill"]) > 0 {
			field = "use-0"
		}
		bad(field, "employer.keep_a_skill")
	}
	return n, keys, errs
}

// payFromForm reads the optional pay range: both figures or neither, whole
// euros; the register checks the range itself.
func payFromForm(form url.Values, bad func(field, msgID string)) *register.PayRange {
	lo, hi := strings.TrimSpace(form.Get("payMin")), strings.TrimSpace(form.Get("payMax"))
	if lo == "" && hi == "" {
		return nil
	}
	least, err := strconv.Atoi(lo)
	if err != nil {
		bad("payMin", "employer.pay_number")
	}
	most, err2 := strconv.Atoi(hi)
	if err2 != nil {
		bad("payMax", "employer.pay_number")
	}
	if err != nil || err2 != nil {
		return nil
	}
	return &register.PayRange{Min: least, Max: most}
}
