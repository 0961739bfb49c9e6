package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/pathway"
	"github.com/gin-gonic/gin"
)

// The Care Career Path cohort board: each pathway's participants with
// their status, stage, mentor and next step, and progress with a click.
// Every button is a small POST form (CSRF) that works without script;
// htmx, when it runs, swaps the board in place. Each action is the use
// case of the API's /pathways/{id}/participants/... route.
//
// Participants are shown by profile id: the board is about progress, and
// a name would be an officer's read of the person's identity, which is
// audited one person at a time (profile.Service.ReadFull).
func (a *App) mountOfficePathways(g *gin.RouterGroup) {
	g.GET("/pathways", a.officePathways)
	g.GET("/pathways/:id", a.officeCohort)
	g.POST("/pathways/:id/participants/:profileId/acceptance", a.officeAccept)
	g.POST("/pathways/:id/participants/:profileId/progress", a.officeProgress)
	g.POST("/pathways/:id/participants/:profileId/checks", a.officeCheck)
}

type pathwaySummary struct {
	ID     string
	Name   label
	Counts string
}

// officePathways lists the pathways with the size of each cohort.
func (a *App) officePathways(c *gin.Context) {
	t := trOf(c)
	s, _ := sessionOf(c)
	ctx := c.Request.Context()
	pws, err := a.d.Pathways.List(ctx)
	if err != nil {
		a.fail(c, err)
		return
	}
	var out []pathwaySummary
	for _, pw := range pws {
		cohort, err := a.d.Pathways.Cohort(ctx, s.Principal(), pw.ID)
		if err != nil {
			a.cohortFailure(c, err)
			return
		}
		pending := 0
		for _, p := range cohort {
			if p.Status == pathway.StatusPending {
				pending++
			}
		}
		out = append(out, pathwaySummary{ID: pw.ID, Name: named(t, pw.Name),
			Counts: t.T("cohort_counts", "All", t.Number(len(cohort)), "Pending", t.Number(pending))})
	}
	a.render(c, "office_pathways", out)
}

type stageState struct {
	Name, State string
}

type checkView struct {
	Key, Name, State string
}

type participantView struct {
	ProfileID, Action       string
	Status, StatusKey       string
	Stage, Mentor, NextStep string
	Stages                  []stageState
	Checks                  []checkView
	Pending                 bool
	// The next stage, offered to start (when not started) and to complete.
	NextKey, NextName string
	NextStarted       bool
	// The current stage and its status, which the mentor and next-step
	// form sends back unchanged.
	CurrentKey, CurrentStatus string
	CanCheck                  bool
}

type cohortPage struct {
	ID, Notice   string
	Name         label
	Participants []participantView
	Today        string
}

// officeCohort is the cohort board of one pathway
// (pathway.Service.Cohort, as GET /api/v1/pathways/{id}/participants).
func (a *App) officeCohort(c *gin.Context) {
	a.showCohort(c, http.StatusOK, nil)
}

func (a *App) showCohort(c *gin.Context, status int, errs []fieldError) {
	t := trOf(c)
	s, _ := sessionOf(c)
	ctx := c.Request.Context()
	pw, err := a.d.Pathways.Get(ctx, c.Param("id"))
	if err != nil {
		a.cohortFailure(c, err)
		return
	}
	cohort, err := a.d.Pathways.Cohort(ctx, s.Principal(), pw.ID)
	if err != nil {
		a.cohortFailure(c, err)
		return
	}
	p := cohortPage{ID: pw.ID, Name: named(t, pw.Name), Today: a.now().UTC().Format(time.DateOnly)}
	if done := c.Query("done"); errs == nil && (done == "accepted" || done == "progress" || done == "check") {
		p.Notice = t.T("cohort_done_" + done)
	}
	for _, pt := range cohort {
		p.Participants = append(p.Participants, participantOf(t, pw, pt))
	}
	v := a.view(c, p)
	v.Errors = errs
	a.renderView(c, status, "office_pathway", "layout", v)
}

// participantOf puts one participant into words, with the moves the
// rules allow now.
func participantOf(t tr, pw pathway.Pathway, pt pathway.Participant) participantView {
	v := participantView{ProfileID: pt.ProfileID, StatusKey: pt.Status, Status: t.T("cohort_status_" + pt.Status),
		Mentor: pt.Mentor, NextStep: pt.NextStep, Pending: pt.Status == pathway.StatusPending,
		Action:   "/office/pathways/" + url.PathEscape(pw.ID) + "/participants/" + url.PathEscape(pt.ProfileID),
		CanCheck: pt.Status != pathway.StatusWithdrawn, Stage: t.T("cohort_not_started")}
	for _, st := range pw.Stages {
		state := t.T("cohort_stage_todo")
		if sp, ok := pt.Stages[st.Key]; ok {
			state = t.T("cohort_stage_" + sp.Status)
		}
		v.Stages = append(v.Stages, stageState{Name: named(t, st.Name).Text, State: state})
		if st.Key == pt.Stage {
			v.Stage = named(t, st.Name).Text
			v.CurrentKey, v.CurrentStatus = st.Key, pt.Stages[st.Key].Status
		}
		for _, r := range st.Requirements {
			cv := checkView{Key: r.Key, Name: named(t, r.Name).Text, State: t.T("cohort_check_none")}
			if ch, ok := pt.Checks[r.Key]; ok {
				id := "cohort_check_failed"
				if ch.Checked {
					id = "cohort_check_ok"
				}
				cv.State = t.T(id, "Date", t.Date(ch.On))
			}
			v.Checks = append(v.Checks, cv)
		}
	}
	if pt.Status == pathway.StatusActive {
		if st, ok := pw.NextStage(pt); ok {
			v.NextKey, v.NextName = st.Key, named(t, st.Name).Text
			v.NextStarted = pt.Stages[st.Key].Status == pathway.StageStarted
		}
	} else {
		v.CurrentKey = "" // the mentor and next step change only while active
	}
	return v
}

// officeAccept accepts a pending participant (pathway.Service.Accept).
func (a *App) officeAccept(c *gin.Context) {
	s, _ := sessionOf(c)
	_, err := a.d.Pathways.Accept(c.Request.Context(), s.Principal(), c.Param("id"), c.Param("profileId"))
	a.afterMove(c, "accepted", err)
}

// officeProgress records a stage started or completed, or the mentor and
// next step (pathway.Service.Progress). A text field left out of the form
// is left as it is.
func (a *App) officeProgress(c *gin.Context) {
	s, _ := sessionOf(c)
	m := pathway.Move{Stage: c.PostForm("stage"), Status: c.PostForm("status")}
	if v, ok := c.GetPostForm("mentor"); ok {
		m.Mentor = &v
	}
	if v, ok := c.GetPostForm("nextStep"); ok {
		m.NextStep = &v
	}
	_, err := a.d.Pathways.Progress(c.Request.Context(), s.Principal(), c.Param("id"), c.Param("profileId"), m)
	a.afterMove(c, "progress", err)
}

// officeCheck records an entry requirement as checked, or not, on a day
// (pathway.Service.SetCheck).
func (a *App) officeCheck(c *gin.Context) {
	s, _ := sessionOf(c)
	_, err := a.d.Pathways.SetCheck(c.Request.Context(), s.Principal(), c.Param("id"), c.Param("profileId"),
		c.PostForm("requirement"), c.PostForm("checked") == "true", c.PostForm("on"))
	a.afterMove(c, "check", err)
}

// afterMove sends the officer back to the board (303, so a reload does
// not post again), or shows it with the refusal in the error summary.
// For htmx the board comes back whole with 200, so it is swapped in.
func (a *App) afterMove(c *gin.Context, done string, err error) {
	if err == nil {
		c.Redirect(http.StatusSeeOther, "/office/pathways/"+url.PathEscape(c.Param("id"))+"?done="+done+"#p-"+c.Param("profileId"))
		return
	}
	fe, ok := failure.As(err)
	if !ok || fe.Kind == failure.NotFound || fe.Kind == failure.Forbidden {
		a.cohortFailure(c, err)
		return
	}
	t := trOf(c)
	anchor := "p-" + c.Param("profileId")
	var errs []fieldError
	if len(fe.Fields) > 0 {
		errs, _, _ = formErrors(t, err, anchor)
		for i := range errs {
			errs[i].Field = anchor // one participant's small form: its row is the place to look
		}
	} else {
		msg := t.T("cohort_error_" + fe.Code)
		if msg == "cohort_error_"+fe.Code {
			msg = t.T("cohort_error_other")
		}
		errs = []fieldError{{Field: anchor, Message: msg}}
	}
	status := http.StatusUnprocessableEntity
	if c.GetHeader("HX-Request") == "true" {
		status = http.StatusOK // htmx swaps only a 2xx answer
	}
	a.showCohort(c, status, errs)
}

// cohortFailure answers an unknown pathway or participant with the 404
// page, a refusal with the 403 page, anything else with the error page.
func (a *App) cohortFailure(c *gin.Context, err error) {
	switch {
	case failure.Is(err, failure.NotFound):
		a.renderStatus(c, http.StatusNotFound, "notfound", nil)
	case failure.Is(err, failure.Forbidden):
		a.renderStatus(c, http.StatusForbidden, "forbidden", nil)
	default:
		a.fail(c, err)
	}
}
