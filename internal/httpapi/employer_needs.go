package httpapi

import (
	"net/http"

	"github.com/careget/skillsmatch/internal/employerneeds"
	"github.com/gin-gonic/gin"
)

// employerNeedResponse is one need of an employer's list with its counts.
type employerNeedResponse struct {
	Need needResponse `json:"need"`
	// Status is the need's state today: "expired" for an open need past
	// its apply-by date.
	Status           string `json:"status"`
	Candidates       *int   `json:"candidates"` // null: not counted (closed, filled, expired, forecast)
	CandidatesCapped bool   `json:"candidatesCapped"`
	Applications     int    `json:"applications"`
	Referrals        int    `json:"referrals"`
}

type employerNeedsResponse struct {
	Items        []employerNeedResponse `json:"items"`
	Total        int                    `json:"total"`
	Page         int                    `json:"page"`
	PageSize     int                    `json:"pageSize"`
	CandidateCap int                    `json:"candidateCap"`
}

func handleEmployerNeeds(s *employerneeds.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		page, err := intParam(c, "page", 1, 1, 1000)
		if err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		list, err := s.List(c.Request.Context(), p, c.Param("id"), c.Query("status"), page)
		if err != nil {
			writeProblem(c, err)
			return
		}
		out := employerNeedsResponse{Items: make([]employerNeedResponse, 0, len(list.Rows)), Total: list.Total, Page: list.Page,
			PageSize: employerneeds.PageSize, CandidateCap: employerneeds.CandidateCap}
		for _, r := range list.Rows {
			item := employerNeedResponse{Need: toNeedResponse(r.Need), Status: r.Status, CandidatesCapped: r.Capped,
				Applications: r.Applications, Referrals: r.Referrals}
			if r.Counted {
				item.Candidates = &r.Candidates
			}
			out.Items = append(out.Items, item)
		}
		c.JSON(http.StatusOK, out)
	}
}
