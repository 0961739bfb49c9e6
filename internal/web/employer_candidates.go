package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/candidate"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/search/score"
	"github.com/gin-gonic/gin"
)

// The employer's candidates for one of its needs: the pseudonymous cards
// (candidate.Service.Cards, the use case of GET /api/v1/needs/{id}/matches)
// put into words, "ask the labour office to refer this candidate"
// (match.Referrals.Ask), and the candidates referred to the need with the
// contact details the referral opened (profile.Service.ReadFull), each
// moved through interview, offer and placement or rejected
// (match.Service.Move).
func (a *App) mountEmployerCandidates(g *gin.RouterGroup) {
	g.GET("/needs/:id/candidates", a.employerCandidates)
	g.POST("/needs/:id/referral-requests", a.employerAskReferral)
	g.POST("/matches/:id/move", a.employerMoveMatch)
}

// cardsPerPage is how many cards the page shows: one read of the day's
// bound (candidate.DefaultLimits) whatever the number.
const cardsPerPage = 20

type cardSkillItem struct {
	Label    label
	Level    string
	Evidence string
}

type cardItem struct {
	ID        string // the pseudonym (or, for officers, the profile id)
	Name      string // officers only: the person's name, read through ReadFull
	Phone     string
	Skills    []cardSkillItem
	Why       []string // the ranking's explanation in words
	Missing   []label
	Languages []string
	Education string
	Place     string
	Available string
	Hours     string
	Request   string // the employer's request for this card: "", pending, accepted, declined
	Reason    string // why the office declined it
	Matched   string // officers: the state of the person's match with the need, if any
	FieldID   string
}

type moveItem struct{ To, Label string }

type eventRow struct {
	When, State, Who, Note, Visibility, Reason string
	IsNote                                     bool
}

type referredItem struct {
	ID, Title, NeedID, State, Name, Phone string
	Contact                               bool // the referral still opens the contact details
	Due, DueFlag                          string
	Events                                []eventRow
	Moves                                 []moveItem
	CanReject                             bool
	Reasons                               []moveItem
}

type requestRow struct {
	CandidateID, State, Reason, When string
}

type candidatesPage struct {
	Need     register.Need
	Refused  string // why no cards are shown, in words
	Cards    []cardItem
	Requests []requestRow
	Referred []referredItem
}

// employerCandidates shows a need's candidates to a member of its employer.
func (a *App) employerCandidates(c *gin.Context) {
	a.showCandidates(c, http.StatusOK, nil)
}

func (a *App) showCandidates(c *gin.Context, status int, errs []fieldError) {
	t := trOf(c)
	s, _ := sessionOf(c)
	by, ctx, id := s.Principal(), c.Request.Context(), c.Param("id")
	n, err := a.d.Register.ManagedNeed(ctx, by, id)
	if a.pageRefusal(c, err) {
		return
	}
	p := candidatesPage{Need: n}
	reqs, err := a.d.Referrals.ForNeed(ctx, by, id)
	if err != nil {
		a.fail(c, err)
		return
	}
	byCard := map[string]match.Request{}
	for _, r := range reqs {
		byCard[r.CandidateID] = r
		p.Requests = append(p.Requests, requestRow{CandidateID: r.CandidateID, State: t.T("ref.request_state." + string(r.State)),
			Reason: r.Reason, When: t.Date(r.CreatedAt.UTC().Format(time.DateOnly))})
	}
	cards, err := a.d.Candidates.Cards(ctx, by, id, candidate.Query{Limit: cardsPerPage, Lang: t.lang, RequestID: requestID(c)})
	if fe, ok := failure.As(err); ok && (fe.Kind == failure.Forbidden || fe.Kind == failure.TooMany) {
		p.Refused = t.T("ref.refused." + fe.Code)
	} else if err != nil {
		a.fail(c, err)
		return
	}
	for _, m := range cards {
		it := a.cardItem(t, n, m)
		if r, ok := byCard[m.Card.ID]; ok {
			it.Request, it.Reason = string(r.State), r.Reason
		}
		p.Cards = append(p.Cards, it)
	}
	if p.Referred, err = a.referredItems(c, by, match.Filter{NeedID: n.ID}); err != nil {
		a.fail(c, err)
		return
	}
	v := a.view(c, p)
	v.Errors = errs
	v.Notice = doneNotice(t, c.Query("done"))
	a.renderView(c, status, "employer_candidates", "layout", v)
}

// pageRefusal answers a need or match the caller may not see (404) or
// not manage (403) with the page for it; it reports whether it answered.
func (a *App) pageRefusal(c *gin.Context, err error) bool {
	switch {
	case err == nil:
		return false
	case failure.Is(err, failure.NotFound):
		a.renderStatus(c, http.StatusNotFound, "notfound", nil)
	case failure.Is(err, failure.Forbidden):
		a.renderStatus(c, http.StatusForbidden, "forbidden", nil)
	default:
		a.fail(c, err)
	}
	return true
}

// cardItem puts a card and its ranking's explanation into words.
func (a *App) cardItem(t tr, n register.Need, m candidate.Match) cardItem {
	card := m.Card
	it := cardItem{ID: card.ID, FieldID: "note-" + card.ID, Place: card.Municipality, Hours: t.T("hours." + orAny(card.Hours)),
		Why: explainWords(t, n, m.Explanation, m.PermitRequired)}
	if card.ProfileID != "" {
		it.ID, it.FieldID = card.ProfileID, "note-"+card.ProfileID
	}
	for _, s := range card.Skills {
		it.Skills = append(it.Skills, cardSkillItem{Label: a.label(t, s.ID), Level: t.T("level_short." + itoa(s.Level)),
			Evidence: t.T("ref.evidence." + s.Evidence)})
	}
	for _, s := range m.Explanation.MissingSkills {
		it.Missing = append(it.Missing, a.label(t, s.ID))
	}
	for _, l := range card.Languages {
		it.Languages = append(it.Languages, t.T("lang."+l.Code)+" ("+t.T("cefr."+l.Level)+")")
	}
	it.Education = t.T("education." + itoa(card.EducationLevel))
	it.Available = t.T("ref.available_from", "Date", t.Date(card.AvailableFrom))
	if card.AvailableTo != "" {
		it.Available = t.T("ref.available_between", "From", t.Date(card.AvailableFrom), "To", t.Date(card.AvailableTo))
	}
	return it
}

// explainWords says why a candidate ranks where they do, in the same
// terms the score uses (search/score): the wanted skills held, distance,
// languages, availability.
func explainWords(t tr, n register.Need, e score.Explanation, permit bool) []string {
	var out []string
	missing := map[string]bool{}
	for _, s := range e.MissingSkills {
		missing[s.ID] = true
	}
	if total := len(n.Skills); total > 0 {
		have := 0
		for _, s := range n.Skills {
			if !missing[s.ID] {
				have++
			}
		}
		out = append(out, t.NP("ref.skills_have", total, "Have", t.Number(have)))
	}
	if n.WorkMode != "remote" && e.DistanceKm > 0 {
		out = append(out, t.NP("ref.distance_km", int(math.Round(e.DistanceKm))))
	}
	out = append(out, t.T(pick(e.LanguagesOK, "ref.languages_ok", "ref.languages_missing")),
		t.T(pick(e.AvailabilityOK, "ref.available_ok", "ref.available_missing")))
	if permit {
		out = append(out, t.T("ref.permit"))
	}
	return out
}

func pick(ok bool, yes, no string) string {
	if ok {
		return yes
	}
	return no
}

func orAny(h string) string {
	if h == "" {
		return "any"
	}
	return h
}

// referredItems are the matches the caller sees under the filter, in
// words, with the person's contact details while the employer's access
// lasts (each read written to the person's log by ReadFull).
func (a *App) referredItems(c *gin.Context, by auth.Principal, f match.Filter) ([]referredItem, error) {
	ms, err := a.d.Matches.List(c.Request.Context(), by, f)
	if err != nil {
		return nil, err
	}
	var out []referredItem
	for _, m := range ms {
		it, err := a.referredItem(c, by, m)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, nil
}

func (a *App) referredItem(c *gin.Context, by auth.Principal, m match.Match) (referredItem, error) {
	t := trOf(c)
	now := a.now()
	it := referredItem{ID: m.ID, NeedID: m.NeedID, State: t.T("ref.state." + string(m.State)),
		Events: a.eventRows(t, by, m), DueFlag: m.Due(now)}
	if m.State == match.Referred && m.OutcomeDue != "" {
		it.Due = t.T(pick(by.Role == auth.RoleOfficer, "ref.outcome_due_office", "ref.outcome_due"), "Date", t.Date(m.OutcomeDue))
	}
	if by.Role == auth.RoleOfficer || m.EmployerMayRead(now) {
		p, err := a.d.Profiles.ReadFull(c.Request.Context(), by, m.ProfileID,
			profile.Asked{Purpose: profile.PurposeReferral, RequestID: requestID(c)})
		switch {
		case err == nil:
			it.Contact, it.Name, it.Phone = true, p.DisplayName, p.Phone
		case !failure.Is(err, failure.NotFound): // an erased person, or access that ended meanwhile
			return referredItem{}, err
		}
	}
	for _, mv := range match.Moves {
		if mv.From != m.State || mv.To == match.Rejected || match.Decide(mv.From, mv.To, by.Role) != match.Allowed {
			continue
		}
		it.Moves = append(it.Moves, moveItem{To: string(mv.To), Label: t.T("ref.move." + string(mv.To))})
	}
	it.CanReject = match.Decide(m.State, match.Rejected, by.Role) == match.Allowed
	if it.CanReject {
		for _, r := range match.RejectionReasons {
			it.Reasons = append(it.Reasons, moveItem{To: r, Label: t.T("js.rejection_" + r)})
		}
	}
	return it, nil
}

// eventRows words a match's history as by may see it (Match.ViewFor was
// applied by the service): who in words, the note with its visibility.
func (a *App) eventRows(t tr, by auth.Principal, m match.Match) []eventRow {
	var out []eventRow
	for _, e := range m.History {
		r := eventRow{When: t.Date(e.At.UTC().Format(time.DateOnly)), State: t.T("ref.state." + string(e.To)),
			Note: e.Note, IsNote: e.IsNote()}
		r.Who = whoDid(t, by, e)
		if e.Note != "" {
			r.Visibility = t.T("ref.visibility." + orInternal(e.Visibility))
		}
		if e.Reason != "" {
			r.Reason = t.T("js.reason", "Reason", t.T("js.rejection_"+e.Reason))
		}
		out = append(out, r)
	}
	return out
}

func orInternal(v string) string {
	if v == "" {
		return match.NoteInternal
	}
	return v
}

// employerAskReferral is "ask the labour office to refer this candidate"
// (match.Referrals.Ask, as POST /api/v1/needs/{id}/referral-requests).
func (a *App) employerAskReferral(c *gin.Context) {
	s, _ := sessionOf(c)
	cand := c.PostForm("candidate")
	_, _, err := a.d.Referrals.Ask(c.Request.Context(), s.Principal(), c.Param("id"), cand)
	if err != nil {
		a.referralFormError(c, err, "card-"+cand, func(errs []fieldError) {
			a.showCandidates(c, http.StatusUnprocessableEntity, errs)
		})
		return
	}
	c.Redirect(http.StatusSeeOther, "/employer/needs/"+url.PathEscape(c.Param("id"))+"/candidates?done=asked#card-"+url.QueryEscape(cand))
}

// referralFormError shows a refusal as the page's error summary (field
// errors at their field, anything else at fallback), a need or match not
// found or not the caller's as its page, and a server failure as the
// error page.
func (a *App) referralFormError(c *gin.Context, err error, fallback string, show func([]fieldError)) {
	fe, ok := failure.As(err)
	if !ok || fe.Kind == failure.Internal {
		a.fail(c, err)
		return
	}
	if len(fe.Fields) == 0 && (fe.Kind == failure.NotFound || fe.Kind == failure.Forbidden) && !strings.HasPrefix(fe.Code, "need_") && fe.Code != "employer_not_verified" {
		a.pageRefusal(c, err)
		return
	}
	t := trOf(c)
	var errs []fieldError
	for _, f := range fe.Fields {
		field := f.Field
		if field == "candidateId" {
			field = fallback
		}
		id := "ref.field." + f.Field + "_" + f.Code
		msg := t.T(id, "Param", f.Param)
		if msg == id {
			msg = t.T("field.invalid")
		}
		errs = append(errs, fieldError{Field: field, Message: msg})
	}
	if len(errs) == 0 {
		msg := t.T("ref.error." + fe.Code)
		if msg == "ref.error."+fe.Code {
			msg = t.T("ref.error.unknown")
		}
		errs = []fieldError{{Field: fallback, Message: msg}}
	}
	show(errs)
}

// employerMoveMatch records interview, offer, placement or a rejection
// with its reason (match.Service.Move, as POST
// /api/v1/matches/{id}/transitions), then shows the need's page again.
func (a *App) employerMoveMatch(c *gin.Context) {
	a.moveMatch(c, func(m match.Match) string {
		return "/employer/needs/" + url.PathEscape(m.NeedID) + "/candidates?done=moved#match-" + m.ID
	}, func(m match.Match, errs []fieldError) {
		c.Params = append(c.Params, gin.Param{Key: "id", Value: m.NeedID})
		a.showCandidates(c, http.StatusUnprocessableEntity, errs)
	})
}

// moveMatch is the one handler of a move, for the employer's and the
// office's pages: done says where to go after it, again shows the page
// with the refusal.
func (a *App) moveMatch(c *gin.Context, done func(match.Match) string, again func(match.Match, []fieldError)) {
	s, _ := sessionOf(c)
	by, ctx, id := s.Principal(), c.Request.Context(), c.Param("id")
	st := match.Step{To: match.State(c.PostForm("to")), Note: strings.TrimSpace(c.PostForm("note")),
		Visibility: c.PostForm("visibility"), Reason: c.PostForm("reason")}
	m, err := a.d.Matches.Move(ctx, by, id, st)
	if err == nil {
		c.Redirect(http.StatusSeeOther, done(m))
		return
	}
	cur, gerr := a.d.Matches.Get(ctx, by, id)
	if gerr != nil {
		a.pageRefusal(c, gerr)
		return
	}
	a.referralFormError(c, err, "reason-"+id, func(errs []fieldError) {
		for i := range errs {
			if errs[i].Field == "reason" || errs[i].Field == "note" || errs[i].Field == "visibility" {
				errs[i].Field = "reason-" + id // the move's form: its one field
			}
		}
		c.Params = slicesWithout(c.Params, "id")
		again(cur, errs)
	})
}

// slicesWithout drops a path parameter, so that a page shown again reads
// the one its caller sets.
func slicesWithout(ps gin.Params, key string) gin.Params {
	out := gin.Params{}
	for _, p := range ps {
		if p.Key != key {
			out = append(out, p)
		}
	}
	return out
}

// requestID is the id the engine gave the request (X-Request-ID), for the
// audit entries of the reads it makes.
func requestID(c *gin.Context) string { return c.Writer.Header().Get("X-Request-ID") }

func itoa(n int) string { return strconv.Itoa(n) }

// refCardArgs gives the "refCardBody" template the page's view with one card.
type refCardArgs struct {
	V view
	X cardItem
}

// RefCard pairs the view with one card.
func (v view) RefCard(x cardItem) refCardArgs { return refCardArgs{V: v, X: x} }

// refMatchArgs gives the "refMatch" template the view, one match and the
// path its move forms post under.
type refMatchArgs struct {
	V    view
	X    referredItem
	Base string
}

// RefMatch pairs the view with one referred match.
func (v view) RefMatch(x referredItem, base string) refMatchArgs {
	return refMatchArgs{V: v, X: x, Base: base}
}

// refNoteArgs gives "refNoteFields" the view, the suffix of its ids and
// whether the note is required (a note alone) or optional (with a referral).
type refNoteArgs struct {
	V        view
	Suffix   string
	Required bool
}

// RefNote pairs the view with an optional note's id suffix.
func (v view) RefNote(suffix string) refNoteArgs { return refNoteArgs{V: v, Suffix: suffix} }

// RefNoteRequired pairs the view with a required note's id suffix.
func (v view) RefNoteRequired(suffix string) refNoteArgs {
	return refNoteArgs{V: v, Suffix: suffix, Required: true}
}

// doneNotice is the confirmation after a redirect (?done=), or "".
func doneNotice(t tr, done string) string {
	switch done {
	case "asked", "moved", "accepted", "declined", "referred", "noted":
		return t.T("ref.done." + done)
	}
	return ""
}

// whoDid words who made a move or wrote a note, as by sees it: "you", the
// office, the employer or the person (the service hid what by may not see).
func whoDid(t tr, by auth.Principal, e match.Event) string {
	switch {
	case e.By != "" && e.By == by.UserID:
		return t.T("js.by_you")
	case e.Role == auth.RoleOfficer:
		return t.T("js.by_office")
	case e.Role == auth.RoleEmployer:
		return t.T("js.by_employer")
	case e.Role == auth.RoleJobseeker:
		return t.T("ref.by_person")
	}
	return ""
}
