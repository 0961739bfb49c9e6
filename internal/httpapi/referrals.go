package httpapi

import (
	"net/http"
	"time"

	"github.com/careget/skillsmatch/internal/match"
	"github.com/gin-gonic/gin"
)

// referralRequestResponse is a referral request as the caller may see it:
// employers never get the person's profile id nor the deciding officer.
type referralRequestResponse struct {
	ID          string     `json:"id"`
	NeedID      string     `json:"needId"`
	EmployerID  string     `json:"employerId"`
	CandidateID string     `json:"candidateId"`
	ProfileID   string     `json:"profileId,omitempty"`
	State       string     `json:"state"`
	Reason      string     `json:"reason,omitempty"`
	MatchID     string     `json:"matchId,omitempty"`
	DecidedBy   string     `json:"decidedBy,omitempty"`
	DecidedAt   *time.Time `json:"decidedAt,omitempty"`
	CreatedAt   time.Time  `json:"createdAt"`
}

func toReferralRequest(r match.Request) referralRequestResponse {
	return referralRequestResponse{ID: r.ID, NeedID: r.NeedID, EmployerID: r.EmployerID, CandidateID: r.CandidateID,
		ProfileID: r.ProfileID, State: string(r.State), Reason: r.Reason, MatchID: r.MatchID, DecidedBy: r.DecidedBy,
		DecidedAt: r.DecidedAt, CreatedAt: r.CreatedAt}
}

func toReferralRequests(rs []match.Request) itemsResponse[referralRequestResponse] {
	out := itemsResponse[referralRequestResponse]{Items: []referralRequestResponse{}}
	for _, r := range rs {
		out.Items = append(out.Items, toReferralRequest(r))
	}
	return out
}

type referralAskRequest struct {
	CandidateID string `json:"candidateId" validate:"required,max=128"`
}

// handleAskReferral is an employer's "ask the labour office to refer this
// candidate": 201 for a new request, 200 with the pending one for a second.
func handleAskReferral(s *match.Referrals) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req referralAskRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		r, created, err := s.Ask(c.Request.Context(), p, c.Param("id"), req.CandidateID)
		if err != nil {
			writeProblem(c, err)
			return
		}
		status := http.StatusOK
		if created {
			status = http.StatusCreated
		}
		c.JSON(status, toReferralRequest(r))
	}
}

// handleListReferralRequests is the office's queue.
func handleListReferralRequests(s *match.Referrals) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		rs, err := s.List(c.Request.Context(), p, c.Query("state"))
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toReferralRequests(rs))
	}
}

// handleNeedReferralRequests lists one need's requests to its employer's
// members and officers.
func handleNeedReferralRequests(s *match.Referrals) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		rs, err := s.ForNeed(c.Request.Context(), p, c.Param("id"))
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toReferralRequests(rs))
	}
}

type noteInput struct {
	Note       string `json:"note" validate:"max=2000,nocontrol"`
	Visibility string `json:"visibility" validate:"omitempty,oneof=internal shared"`
}

type acceptResponse struct {
	Request referralRequestResponse `json:"request"`
	Match   matchResponse           `json:"match"`
}

// handleAcceptReferral refers the requested candidate and marks the
// request accepted.
func handleAcceptReferral(s *match.Referrals, ms *match.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req noteInput
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		r, m, err := s.Accept(c.Request.Context(), p, c.Param("id"), match.Note{Text: req.Note, Visibility: req.Visibility})
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, acceptResponse{Request: toReferralRequest(r), Match: toMatchResponse(m, ms.Today())})
	}
}

type declineRequest struct {
	Reason string `json:"reason" validate:"required,max=2000,nocontrol"`
}

// handleDeclineReferral turns a request down with a reason the employer
// reads.
func handleDeclineReferral(s *match.Referrals) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req declineRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		r, err := s.Decline(c.Request.Context(), p, c.Param("id"), req.Reason)
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toReferralRequest(r))
	}
}

type directReferralRequest struct {
	NeedID     string `json:"needId" validate:"required,max=64"`
	ProfileID  string `json:"profileId" validate:"required,max=64"`
	Note       string `json:"note" validate:"max=2000,nocontrol"`
	Visibility string `json:"visibility" validate:"omitempty,oneof=internal shared"`
}

// handleDirectReferral is an officer's direct referral: 201 with the
// match in state referred.
func handleDirectReferral(s *match.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req directReferralRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		m, err := s.Refer(c.Request.Context(), p, match.Referral{NeedID: req.NeedID, ProfileID: req.ProfileID,
			Note: match.Note{Text: req.Note, Visibility: req.Visibility}})
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusCreated, toMatchResponse(m, s.Today()))
	}
}
