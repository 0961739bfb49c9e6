package httpapi

import (
	"net/http"
	"time"

	"github.com/careget/skillsmatch/internal/allocation"
	"github.com/careget/skillsmatch/internal/round"
	"github.com/gin-gonic/gin"
)

type createRoundRequest struct {
	Name      string    `json:"name" validate:"required,min=3,max=200,nocontrol"`
	Programme string    `json:"programme" validate:"required,oneof=internship care_pathway"`
	NeedIDs   []string  `json:"needIds" validate:"required,min=1,max=5000,dive,required,max=64"`
	ClosesAt  time.Time `json:"closesAt" validate:"required"`
}

type pairInput struct {
	ProfileID string `json:"profileId" validate:"required,max=64"`
	NeedID    string `json:"needId" validate:"required,max=64"`
}

type runRoundRequest struct {
	Pins      []pairInput `json:"pins" validate:"max=5000,dive"`
	Forbidden []pairInput `json:"forbidden" validate:"max=5000,dive"`
}

type rankingRequest struct {
	NeedIDs []string `json:"needIds" validate:"required,max=20,dive,required,max=64"`
}

type candidateRankingRequest struct {
	ProfileIDs []string `json:"profileIds" validate:"required,max=5000,dive,required,max=64"`
}

type assignmentResponse struct {
	NeedID     string   `json:"needId"`
	ProfileIDs []string `json:"profileIds"`
	Pinned     []string `json:"pinned"`
}

type unassignedResponse struct {
	ProfileID string `json:"profileId"`
	Reason    string `json:"reason"`
}

type runResponse struct {
	At            time.Time            `json:"at"`
	Assignments   []assignmentResponse `json:"assignments"`
	Unassigned    []unassignedResponse `json:"unassigned"`
	BlockingPairs int                  `json:"blockingPairs"`
	Stats         map[string]any       `json:"stats"`
}

type roundResponse struct {
	ID           string              `json:"id"`
	Name         string              `json:"name"`
	Programme    string              `json:"programme"`
	NeedIDs      []string            `json:"needIds"`
	ClosesAt     time.Time           `json:"closesAt"`
	Status       string              `json:"status"`
	Preferences  map[string][]string `json:"preferences"`
	NeedRankings map[string][]string `json:"needRankings"`
	LastRun      *runResponse        `json:"lastRun,omitempty"`
	CreatedAt    time.Time           `json:"createdAt"`
	Published    *int                `json:"matchesCreated,omitempty"`
}

func toRunResponse(r *round.Run) *runResponse {
	if r == nil {
		return nil
	}
	out := &runResponse{At: r.At, BlockingPairs: r.BlockingPairs, Assignments: []assignmentResponse{}, Unassigned: []unassignedResponse{},
		Stats: map[string]any{"proposals": r.Stats.Proposals, "rounds": r.Stats.Rounds, "durationMs": float64(r.Stats.Duration.Microseconds()) / 1000}}
	for _, a := range r.Assignments {
		out.Assignments = append(out.Assignments, assignmentResponse{NeedID: a.Need, ProfileIDs: nonNil(a.Candidates), Pinned: nonNil(a.Pinned)})
	}
	for _, u := range r.Unassigned {
		out.Unassigned = append(out.Unassigned, unassignedResponse{ProfileID: u.Candidate, Reason: string(u.Reason)})
	}
	return out
}

func toRoundResponse(r round.Round) roundResponse {
	return roundResponse{ID: r.ID, Name: r.Name, Programme: r.Programme, NeedIDs: r.NeedIDs, ClosesAt: r.ClosesAt, Status: r.Status,
		Preferences: r.Preferences, NeedRankings: r.NeedRankings, LastRun: toRunResponse(r.LastRun), CreatedAt: r.CreatedAt}
}

func toPairs(in []pairInput) []allocation.Pair {
	out := make([]allocation.Pair, len(in))
	for i, p := range in {
		out[i] = allocation.Pair{Candidate: p.ProfileID, Need: p.NeedID}
	}
	return out
}

func handleCreateRound(s *round.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req createRoundRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		r, err := s.Create(c.Request.Context(), p, round.Round{Name: req.Name, Programme: req.Programme, NeedIDs: req.NeedIDs, ClosesAt: req.ClosesAt})
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusCreated, toRoundResponse(r))
	}
}

func handleGetRound(s *round.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		r, err := s.Get(c.Request.Context(), p, c.Param("id"))
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toRoundResponse(r))
	}
}

func handleMyRoundPreferences(s *round.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req rankingRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		r, err := s.SetPreferences(c.Request.Context(), p, c.Param("id"), req.NeedIDs)
		if err != nil {
			writeProblem(c, err)
			return
		}
		view, _ := s.Get(c.Request.Context(), p, r.ID)
		c.JSON(http.StatusOK, toRoundResponse(view))
	}
}

func handleNeedRoundRanking(s *round.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req candidateRankingRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		r, err := s.SetNeedRanking(c.Request.Context(), p, c.Param("id"), c.Param("needId"), req.ProfileIDs)
		if err != nil {
			writeProblem(c, err)
			return
		}
		view, _ := s.Get(c.Request.Context(), p, r.ID)
		c.JSON(http.StatusOK, toRoundResponse(view))
	}
}

func handleRunRound(s *round.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req runRoundRequest
		if c.Request.ContentLength != 0 {
			if err := bindStrict(c, &req); err != nil {
				writeProblem(c, err)
				return
			}
		}
		p, _ := principal(c)
		r, err := s.RunRound(c.Request.Context(), p, c.Param("id"), toPairs(req.Pins), toPairs(req.Forbidden))
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toRunResponse(r.LastRun))
	}
}

func handlePublishRound(s *round.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		r, n, err := s.Publish(c.Request.Context(), p, c.Param("id"))
		if err != nil {
			writeProblem(c, err)
			return
		}
		out := toRoundResponse(r)
		out.Published = &n
		c.JSON(http.StatusOK, out)
	}
}

type roundListResponse struct {
	Items []roundResponse `json:"items"`
	Total int             `json:"total"`
}

// handleListRounds answers the rounds the caller has a part in
// (round.Service.List, from memory).
func handleListRounds(s *round.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		rs, err := s.List(c.Request.Context(), p)
		if err != nil {
			writeProblem(c, err)
			return
		}
		out := roundListResponse{Items: make([]roundResponse, 0, len(rs)), Total: len(rs)}
		for _, r := range rs {
			out.Items = append(out.Items, toRoundResponse(r))
		}
		c.JSON(http.StatusOK, out)
	}
}
