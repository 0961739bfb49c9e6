package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

type ctxKey int

const (
	keyLogger ctxKey = iota
	keyPrincipal
	keyRequestID
)

// requestID gives every request an id, echoed in X-Request-ID and logs.
func requestID() gin.HandlerFunc {
	return func(c *gin.Context) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		c.Set(keyRequestID, id)
		c.Header("X-Request-ID", id)
		c.Next()
	}
}

// accessLog writes one line per request. It logs the route pattern, never
// the raw path or query, which may hold personal data.
func accessLog(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Set(keyLogger, log.With("request_id", c.MustGet(keyRequestID)))
		c.Next()
		log.LogAttrs(c.Request.Context(), slog.LevelInfo, "request",
			slog.String("method", c.Request.Method), slog.String("route", c.FullPath()),
			slog.Int("status", c.Writer.Status()), slog.Duration("duration", time.Since(start)),
			slog.Any("request_id", c.MustGet(keyRequestID)))
	}
}

func logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(keyLogger); ok {
		return l.(*slog.Logger)
	}
	return slog.Default()
}

// securityHeaders sets the headers every response carries (OWASP secure
// headers for an API that also serves a few HTML pages).
func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		if strings.HasPrefix(c.Request.URL.Path, "/docs") {
			h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
		} else {
			h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		}
		if strings.HasPrefix(c.Request.URL.Path, "/api/") {
			h.Set("Cache-Control", "no-store")
		}
		c.Next()
	}
}

// recovery answers a panic with a problem+json 500 and logs it once.
func recovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				writeProblem(c, fmt.Errorf("panic: %v", r))
			}
		}()
		c.Next()
	}
}

// metrics counts requests and their durations per route and status.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "skillsmatch_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "skillsmatch_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

func (m *metrics) middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
		m.duration.WithLabelValues(route, c.Request.Method).Observe(time.Since(start).Seconds())
	}
}

// Authenticator verifies access tokens.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (auth.Principal, error)
}

// authenticate reads an optional bearer token. A malformed or invalid
// token is a 401 even on public routes: a client that sends one expects it
// to count.
func authenticate(a Authenticator) gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.GetHeader("Authorization")
		if h == "" {
			c.Next()
			return
		}
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			writeProblem(c, failure.New(failure.Unauthorized, "bad_token", "want a Bearer token"))
			return
		}
		p, err := a.Authenticate(c.Request.Context(), strings.TrimSpace(token))
		if err != nil {
			writeProblem(c, err)
			return
		}
		c.Set(keyPrincipal, p)
		c.Next()
	}
}

// requireRole lets only signed-in callers with one of the roles through;
// an anonymous caller is 401, a signed-in one with another role 403.
func requireRole(roles ...auth.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, ok := principal(c)
		if !ok {
			writeProblem(c, failure.New(failure.Unauthorized, "unauthorized", "sign in first"))
			return
		}
		if len(roles) > 0 && !hasRole(p, roles) {
			writeProblem(c, failure.Forbiddenf("role %s may not use this route", p.Role))
			return
		}
		c.Next()
	}
}

func hasRole(p auth.Principal, roles []auth.Role) bool {
	for _, r := range roles {
		if p.Role == r {
			return true
		}
	}
	return false
}

// principal returns the signed-in caller, if any.
func principal(c *gin.Context) (auth.Principal, bool) {
	v, ok := c.Get(keyPrincipal)
	if !ok {
		return auth.Principal{}, false
	}
	return v.(auth.Principal), true
}
