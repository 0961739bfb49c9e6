package httpapi

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/gin-gonic/gin"
)

// problem is an RFC 9457 problem details body.
type problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail,omitempty"`
	Instance string         `json:"instance,omitempty"`
	Code     string         `json:"code"`
	Errors   []problemField `json:"errors,omitempty"`
}

type problemField struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// statusOf is the one table from failure kinds to HTTP statuses.
var statusOf = map[failure.Kind]int{
	failure.Internal:     http.StatusInternalServerError,
	failure.Invalid:      http.StatusBadRequest,
	failure.Unauthorized: http.StatusUnauthorized,
	failure.Forbidden:    http.StatusForbidden,
	failure.NotFound:     http.StatusNotFound,
	failure.Conflict:     http.StatusConflict,
	failure.TooMany:      http.StatusTooManyRequests,
	failure.Unavailable:  http.StatusServiceUnavailable,
}

// writeProblem is the one place errors become responses. Internal errors
// are logged once with their detail and answered with a generic message.
func writeProblem(c *gin.Context, err error) {
	fe, ok := failure.As(err)
	if !ok {
		fe = &failure.Error{Kind: failure.Internal, Code: "internal", Err: err}
	}
	status := statusOf[fe.Kind]
	if fe.Code == "body_too_large" {
		status = http.StatusRequestEntityTooLarge
	}
	if fe.Code == "unsupported_media" {
		status = http.StatusUnsupportedMediaType
	}
	if fe.Code == "method_not_allowed" {
		status = http.StatusMethodNotAllowed
	}
	l := lang(c.GetHeader("Accept-Language"))
	p := problem{
		Type:     "https://skillsmatch.careget.eu/problems/" + fe.Code,
		Title:    message(fe.Code, l, ""),
		Status:   status,
		Instance: c.Request.URL.Path,
		Code:     fe.Code,
	}
	if fe.Kind == failure.Internal {
		logger(c).Error("internal error", slog.String("route", c.FullPath()), slog.Any("err", err))
		p.Code, p.Type, p.Title = "internal", "https://skillsmatch.careget.eu/problems/internal", message("internal", l, "")
	} else if l == "en" && fe.Detail != "" {
		p.Detail = fe.Detail
	} else {
		p.Detail = p.Title // the English detail may name internals; Bulgarian callers get the message
	}
	for _, f := range fe.Fields {
		p.Errors = append(p.Errors, problemField{Field: f.Field, Code: f.Code, Message: message(f.Code, l, f.Param)})
	}
	if fe.RetryAfter > 0 {
		c.Header("Retry-After", strconv.Itoa(fe.RetryAfter))
	}
	if fe.Kind == failure.Unauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="skillsmatch"`)
	}
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(status, p)
}
