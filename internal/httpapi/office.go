package httpapi

import (
	"net/http"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/workqueue"
	"github.com/gin-gonic/gin"
)

type employerListResponse struct {
	Items    []employerResponse `json:"items"`
	Total    int                `json:"total"`
	Page     int                `json:"page"`
	PageSize int                `json:"pageSize"`
}

// handleListEmployers is the office's employer list (officers), answered
// from memory: GET /employers?verified=&q=&page=.
func handleListEmployers(s *workqueue.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		q := workqueue.EmployerQuery{Q: c.Query("q")}
		var fields []failure.FieldError
		switch v := c.Query("verified"); v {
		case "":
		case "true", "false":
			b := v == "true"
			q.Verified = &b
		default:
			fields = append(fields, failure.FieldError{Field: "verified", Code: "oneof", Param: "true false"})
		}
		page, err := intParam(c, "page", 1, 1, 1000)
		if err != nil {
			fields = append(fields, failure.FieldError{Field: "page", Code: "range", Param: "1..1000"})
		}
		if len(fields) > 0 {
			writeProblem(c, failure.Fields(fields...))
			return
		}
		q.Page = page
		p, _ := principal(c)
		res, err := s.Employers(c.Request.Context(), p, q)
		if err != nil {
			writeProblem(c, err)
			return
		}
		out := employerListResponse{Items: []employerResponse{}, Total: res.Total, Page: res.Page, PageSize: workqueue.EmployersPageSize}
		for _, e := range res.Employers {
			out.Items = append(out.Items, toEmployerResponse(e))
		}
		c.JSON(http.StatusOK, out)
	}
}

// inPersonRequest is an officer's profile of a person who does not use
// the web: a profile as the person would send it, with consent.recordedBy
// required and, for a minor, the guardian who came with them.
type inPersonRequest struct {
	putProfileRequest
	Guardian *guardianConsentRequest `json:"guardian"`
}

func (r inPersonRequest) toDomain() (profile.Profile, profile.InPerson) {
	in := profile.InPerson{RecordedBy: r.Consent.RecordedBy}
	if g := r.Guardian; g != nil {
		in.Guardian = &profile.GuardianConsent{Name: g.Name, Relation: g.Relation, GivenOn: g.GivenOn}
	}
	return r.putProfileRequest.toDomain(), in
}

// handleCreateInPerson is POST /profiles (officers): a new profile for a
// person without an account.
func handleCreateInPerson(s *profile.Service) gin.HandlerFunc {
	return handleInPerson(http.StatusCreated, func(c *gin.Context, by auth.Principal, p profile.Profile, in profile.InPerson) (profile.Profile, error) {
		out, err := s.CreateInPerson(c.Request.Context(), by, p, in)
		if err == nil {
			c.Header("Location", "/api/v1/profiles/"+out.ID)
		}
		return out, err
	})
}

// handleUpdateInPerson is PUT /profiles/{id} (officers): edit the profile
// of a person without an account.
func handleUpdateInPerson(s *profile.Service) gin.HandlerFunc {
	return handleInPerson(http.StatusOK, func(c *gin.Context, by auth.Principal, p profile.Profile, in profile.InPerson) (profile.Profile, error) {
		return s.UpdateInPerson(c.Request.Context(), by, c.Param("id"), p, in)
	})
}

// handleInPerson binds an in-person profile and answers what write (the
// one use case) returns.
func handleInPerson(status int, write func(*gin.Context, auth.Principal, profile.Profile, profile.InPerson) (profile.Profile, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req inPersonRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		by, _ := principal(c)
		p, in := req.toDomain()
		out, err := write(c, by, p, in)
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(status, toProfileResponse(out))
	}
}
