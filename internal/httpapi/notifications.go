package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/notify"
	"github.com/gin-gonic/gin"
)

type notificationResponse struct {
	ID         int64      `json:"id"`
	Kind       string     `json:"kind"`
	MatchID    string     `json:"matchId,omitempty"`
	NeedID     string     `json:"needId,omitempty"`
	EmployerID string     `json:"employerId,omitempty"`
	EventID    string     `json:"eventId,omitempty"`
	State      string     `json:"state,omitempty"`
	Title      string     `json:"title,omitempty"`
	CreatedAt  time.Time  `json:"createdAt"`
	Read       bool       `json:"read"`
	ReadAt     *time.Time `json:"readAt,omitempty"`
}

type notificationListResponse struct {
	Items  []notificationResponse `json:"items"`
	Total  int64                  `json:"total"`
	Unread int64                  `json:"unread"`
	Page   int                    `json:"page"`
	Pages  int                    `json:"pages"`
}

type preferencesRequest struct {
	EmailOff []string `json:"emailOff" validate:"max=20,dive,required,max=40"`
	Digest   bool     `json:"digest"`
}

type preferencesResponse struct {
	EmailOff []string `json:"emailOff"`
	Digest   bool     `json:"digest"`
	Kinds    []string `json:"kinds"`
}

func handleNotifications(s *notify.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		page, err := intParam(c, "page", 1, 1, 10000)
		if err != nil {
			writeProblem(c, err)
			return
		}
		p, _ := principal(c)
		in, err := s.Inbox(c.Request.Context(), p, page)
		if err != nil {
			writeProblem(c, err)
			return
		}
		out := notificationListResponse{Items: []notificationResponse{}, Total: in.Total, Unread: in.Unread, Page: in.Page, Pages: in.Pages}
		for _, n := range in.Items {
			out.Items = append(out.Items, notificationResponse{ID: n.Number, Kind: string(n.Kind), MatchID: n.MatchID, NeedID: n.NeedID,
				EmployerID: n.EmployerID, EventID: n.EventID, State: n.State, Title: n.Title, CreatedAt: n.CreatedAt,
				Read: n.ReadAt != nil, ReadAt: n.ReadAt})
		}
		c.JSON(http.StatusOK, out)
	}
}

func handleMarkRead(s *notify.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		n, err := strconv.ParseInt(c.Param("id"), 10, 64)
		if err != nil || n < 1 {
			writeProblem(c, failure.NotFoundf("notification"))
			return
		}
		p, _ := principal(c)
		if err := s.MarkRead(c.Request.Context(), p, n); err != nil {
			writeProblem(c, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}

func handleMarkAllRead(s *notify.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		if err := s.MarkAllRead(c.Request.Context(), p); err != nil {
			writeProblem(c, err)
			return
		}
		c.Status(http.StatusNoContent)
	}
}

func toPreferencesResponse(p notify.Preferences, role auth.Role) preferencesResponse {
	out := preferencesResponse{EmailOff: []string{}, Digest: p.Digest, Kinds: []string{}}
	for _, k := range p.EmailOff {
		out.EmailOff = append(out.EmailOff, string(k))
	}
	for _, k := range notify.KindsFor(role) {
		out.Kinds = append(out.Kinds, string(k))
	}
	return out
}

func handleGetPreferences(s *notify.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, _ := principal(c)
		prefs, err := s.Preferences(c.Request.Context(), p)
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toPreferencesResponse(prefs, p.Role))
	}
}

func handlePutPreferences(s *notify.Service) gin.HandlerFunc {
	return func(c *gin.Context) {
		var req preferencesRequest
		if err := bindStrict(c, &req); err != nil {
			writeProblem(c, err)
			return
		}
		off := make([]notify.Kind, len(req.EmailOff))
		for i, k := range req.EmailOff {
			off[i] = notify.Kind(k)
		}
		p, _ := principal(c)
		prefs, err := s.SetPreferences(c.Request.Context(), p, off, req.Digest)
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.JSON(http.StatusOK, toPreferencesResponse(prefs, p.Role))
	}
}
