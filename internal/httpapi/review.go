package httpapi

import (
	"net/http"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/gin-gonic/gin"
)

type eventResponse struct {
	From       string    `json:"from,omitempty"`
	To         string    `json:"to"`
	By         string    `json:"by,omitempty"` // officers see every id; others their own (employers: their colleagues')
	Role       string    `json:"role"`
	At         time.Time `json:"at"`
	Note       string    `json:"note,omitempty"`
	Visibility string    `json:"visibility,omitempty"` // of the note
	Reason     string    `json:"reason,omitempty"`
}

// accessResponse is the period during which the employer may read the
// person's full profile; until is absent while it has no end yet.
type accessResponse struct {
	From  time.Time  `json:"from"`
	Until *time.Time `json:"until,omitempty"`
}

type matchResponse struct {
	ID             string          `json:"id"`
	NeedID         string          `json:"needId"`
	ProfileID      string          `json:"profileId"`
	EmployerID     string          `json:"employerId"`
	Programme      string          `json:"programme"`
	Origin         string          `json:"origin"`
	RoundID        string          `json:"roundId,omitempty"`
	State          string          `json:"state"`
	Reason         string          `json:"reason,omitempty"`
	ReferredAt     *time.Time      `json:"referredAt,omitempty"`
	OutcomeDue     string          `json:"outcomeDue,omitempty"`
	Overdue        bool            `json:"overdue"`
	PermitRequired bool            `json:"permitRequired"`
	AgeGroup       string          `json:"ageGroup"`
	History        []eventResponse `json:"history"`
	EmployerAccess *accessResponse `json:"employerAccess,omitempty"`
	CreatedAt      time.Time       `json:"createdAt"`
	UpdatedAt      time.Time       `json:"updatedAt"`
}

func toMatchResponse(m match.Match, today string) matchResponse {
	r := matchResponse{ID: m.ID, NeedID: m.NeedID, ProfileID: m.ProfileID, EmployerID: m.EmployerID, Programme: m.Programme,
		Origin: m.Origin, RoundID: m.RoundID, State: string(m.State), Reason: m.Reason, ReferredAt: m.ReferredAt,
		OutcomeDue: m.OutcomeDue, Overdue: m.Overdue(today), PermitRequired: m.PermitRequired, AgeGroup: m.AgeGroup,
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, History: []eventResponse{}}
	for _, e := range m.History {
		r.History = append(r.History, eventResponse{From: string(e.From), To: string(e.To), By: e.By, Role: string(e.Role),
			At: e.At, Note: e.Note, Visibility: e.Visibility, Reason: e.Reason})
	}
	if a, ok := m.Access(); ok {
		r.EmployerAccess = &accessResponse{From: a.From, Until: a.Until}
	}
	return r
}

func handleApply(s *match.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		m, err := s.Apply(c.Request.Context(), p, c.Param("id"), "")
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusCreated, toMatchResponse(m, s.Today()))
	}
}

type matchListResponse struct {
	Items    []matchResponse `json:"items"`
	Total    int             `json:"total"`
	Page     int             `json:"page"`
	PageSize int             `json:"pageSize"`
}

func handleListMatches(s *match.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		f := match.Filter{State: c.Query("state"), NeedID: c.Query("needId"), ProfileID: c.Query("profileId"),
			EmployerID: c.Query("employerId"), Programme: c.Query("programme"), AgeGroup: c.Query("ageGroup"),
			Overdue: c.Query("overdue") == "true"}
		fields := f.Problems()
		page, err1 := intParam(c, "page", 1, 1, 1000)
		size, err2 := intParam(c, "pageSize", 20, 1, 100)
		if err1 != nil {
			fields = append(fields, failure.FieldError{Field: "page", Code: "range", Param: "1..1000"})
		}
		if err2 != nil {
			fields = append(fields, failure.FieldError{Field: "pageSize", Code: "range", Param: "1..100"})
		}
		if len(fields) > 0 {
			writeProblem(c, failure.Fields(fields...))
			return
		}
		p, _ := principal(c)
		res, err := s.ListPage(c.Request.Context(), p, f, page, size)
		if err != nil {
			writeProblem(c, err)
			return
		}
		out := matchListResponse{Items: []matchResponse{}, Total: res.Total, Page: page, PageSize: size}
		d := s.Today()
		for _, m := range res.Items {
			out.Items = append(out.Items, toMatchResponse(m, d))
		}
		c.JSON(http.StatusOK, out)
	}
}

func handleGetMatch(s *match.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		m, err := s.Get(c.Request.Context(), p, c.Param("id"))
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toMatchResponse(m, s.Today()))
	}
}

type transitionRequest struct {
	To         string `json:"to" validate:"required,oneof=applied proposed referred interview offered placed rejected withdrawn"`
	Note       string `json:"note" validate:"max=2000,nocontrol"`
	Visibility string `json:"visibility" validate:"omitempty,oneof=internal shared"`
	Reason     string `json:"reason" validate:"omitempty,oneof=skills availability distance no_reply position_filled other"`
}

func handleTransition(s *match.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req transitionRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		m, err := s.Move(c.Request.Context(), p, c.Param("id"),
			match.Step{To: match.State(req.To), Note: req.Note, Visibility: req.Visibility, Reason: req.Reason})
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toMatchResponse(m, s.Today()))
	}
}
