// Package httpapi is the HTTP face of the product: the Gin router, one
// handler maker per route, request and response shapes, RFC 9457 errors in
// Bulgarian or English, and the OpenAPI document.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/candidate"
	"github.com/careget/skillsmatch/internal/employerneeds"
	"github.com/careget/skillsmatch/internal/event"
	"github.com/careget/skillsmatch/internal/insight"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/notify"
	"github.com/careget/skillsmatch/internal/opportunity"
	"github.com/careget/skillsmatch/internal/pathway"
	"github.com/careget/skillsmatch/internal/personaldata"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/round"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/internal/workqueue"
	"github.com/careget/skillsmatch/search"
	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// Deps is what the HTTP layer needs.
type Deps struct {
	Logger         *slog.Logger
	Auth           *auth.Service
	Register       *register.Service
	Profiles       *profile.Service
	Taxonomy       *taxonomy.Taxonomy
	Search         *search.Index
	Matches        *match.Service
	Rounds         *round.Service
	Pathways       *pathway.Service
	Events         *event.Service
	Ready          func(ctx context.Context) map[string]error // named readiness checks
	Registry       *prometheus.Registry
	TrustedProxies []string
	PseudonymKey   []byte // keys employer-specific candidate pseudonyms
	Candidates     *candidate.Service
	Referrals      *match.Referrals      // employers' referral requests
	Export         *personaldata.Service // the person's export
	Insights       *insight.Service
	Opportunities  *opportunity.Service // the job-seeker's matches
	PublicNeeds    *search.PublicNeeds  // the public search of needs
	Office         *workqueue.Service   // the office's queues and employer list
	Notify         *notify.Service      // the person's notifications and preferences

	// Web mounts the web app's pages (internal/web) on the same engine and
	// returns its page for unknown paths outside /api; nil serves the API
	// alone.
	Web func(r *gin.Engine) gin.HandlerFunc
}

// New returns the HTTP handler with every route.
func New(d Deps) (http.Handler, error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	// Believe X-Forwarded-For only from configured proxies, so a client
	// cannot forge its address to dodge the sign-in throttle.
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, err
	}
	r.ForwardedByClientIP = len(d.TrustedProxies) > 0
	r.RemoteIPHeaders = []string{"X-Forwarded-For"}
	r.HandleMethodNotAllowed = true
	r.ContextWithFallback = true
	m := newMetrics(d.Registry)
	if d.Candidates != nil {
		d.Registry.MustRegister(cardReadsCollector{d.Candidates})
	}
	r.Use(requestID(), securityHeaders(), accessLog(d.Logger), recovery(), m.middleware())
	r.Use(boundedParams()) // every query and path parameter is capped here, for every route
	r.NoRoute(func(c *gin.Context) { writeProblem(c, routeNotFound) })
	r.NoMethod(func(c *gin.Context) { writeProblem(c, methodNotAllowed) })
	routes(r, d)
	if d.Web != nil {
		page := d.Web(r)
		r.NoRoute(func(c *gin.Context) {
			if strings.HasPrefix(c.Request.URL.Path, "/api/") {
				writeProblem(c, routeNotFound)
				return
			}
			page(c)
		})
	}
	return r, nil
}

func routes(r *gin.Engine, d Deps) {
	r.GET("/healthz", handleHealth())
	r.GET("/readyz", handleReady(d.Ready))
	r.GET("/openapi.json", handleOpenAPI())
	r.GET("/docs", handleDocs())
	r.GET("/docs/app.js", handleDocsScript())

	// Tokens are read on the API only: a stale token in a browser must not
	// make health checks and the docs answer 401.
	v1 := r.Group("/api/v1", authenticate(d.Auth))
	signedIn := requireRole()

	v1.POST("/auth/register", handleRegister(d.Auth))
	v1.POST("/auth/login", handleLogin(d.Auth))
	v1.POST("/auth/refresh", handleRefresh(d.Auth))
	v1.POST("/auth/logout", signedIn, handleLogout(d.Auth))
	v1.POST("/auth/password", signedIn, handleChangePassword(d.Auth))
	v1.POST("/auth/logout-all", signedIn, handleSignOutEverywhere(d.Auth))
	v1.GET("/me", signedIn, handleMe(d.Auth))
	v1.DELETE("/me", signedIn, handleDeleteMe(d.Auth))
	v1.POST("/users", requireRole(auth.RoleAdmin), handleCreateUser(d.Auth))

	v1.GET("/skills", handleSuggestSkills(d.Taxonomy))
	v1.GET("/skills/:id", handleSkill(d.Taxonomy))
	v1.GET("/occupations", handleOccupations(d.Taxonomy))
	v1.GET("/taxonomy/attribution", handleAttribution(d.Taxonomy))

	v1.POST("/employers", requireRole(auth.RoleEmployer), handleCreateEmployer(d.Register))
	v1.GET("/employers/:id", handleEmployer(d.Register))
	v1.PATCH("/employers/:id", signedIn, handleUpdateEmployer(d.Register))
	v1.POST("/employers/:id/verification", signedIn, handleVerifyEmployer(d.Register))
	// An employer's own needs in every state, from memory (internal/employerneeds).
	v1.GET("/employers/:id/needs", requireRole(auth.RoleEmployer, auth.RoleOfficer),
		handleEmployerNeeds(employerneeds.NewService(d.Search, d.Matches, d.Register, d.Auth)))

	v1.POST("/needs", requireRole(auth.RoleEmployer, auth.RoleOfficer), handleCreateNeed(d.Register))
	v1.GET("/needs", handleSearchNeeds(d.PublicNeeds))
	v1.GET("/needs/:id", handleNeed(d.Register))
	v1.PATCH("/needs/:id", signedIn, handleUpdateNeed(d.Register))
	v1.DELETE("/needs/:id", signedIn, handleDeleteNeed(d.Register))
	v1.GET("/needs/:id/matches", requireRole(auth.RoleEmployer, auth.RoleOfficer), handleNeedMatches(d.Candidates))

	jobseeker := requireRole(auth.RoleJobseeker)
	v1.PUT("/profiles/me", jobseeker, handlePutProfile(d.Profiles))
	v1.GET("/profiles/me", jobseeker, handleMyProfile(d.Profiles))
	v1.DELETE("/profiles/me", jobseeker, handleEraseProfile(d.Profiles))
	v1.GET("/profiles/me/export", jobseeker, handleExport(d.Export))
	v1.GET("/profiles/me/matches", jobseeker, handleProfileMatches(d.Opportunities))
	v1.GET("/profiles/:id", requireRole(auth.RoleOfficer, auth.RoleEmployer), handleReadProfile(d.Profiles))
	v1.POST("/profiles/:id/guardian-consent", requireRole(auth.RoleOfficer), handleGuardianConsent(d.Profiles))

	v1.POST("/needs/:id/applications", jobseeker, handleApply(d.Matches))
	v1.GET("/matches", signedIn, handleListMatches(d.Matches))
	v1.GET("/matches/:id", signedIn, handleGetMatch(d.Matches))
	v1.POST("/matches/:id/transitions", signedIn, handleTransition(d.Matches))

	officer := requireRole(auth.RoleOfficer)
	v1.POST("/needs/:id/referral-requests", requireRole(auth.RoleEmployer), handleAskReferral(d.Referrals))
	v1.GET("/needs/:id/referral-requests", requireRole(auth.RoleEmployer, auth.RoleOfficer), handleNeedReferralRequests(d.Referrals))
	v1.GET("/referral-requests", officer, handleListReferralRequests(d.Referrals))
	v1.POST("/referral-requests/:id/accept", officer, handleAcceptReferral(d.Referrals, d.Matches))
	v1.POST("/referral-requests/:id/decline", officer, handleDeclineReferral(d.Referrals))
	v1.POST("/matches", officer, handleDirectReferral(d.Matches))

	v1.POST("/rounds", officer, handleCreateRound(d.Rounds))
	v1.GET("/rounds", requireRole(auth.RoleJobseeker, auth.RoleEmployer, auth.RoleOfficer), handleListRounds(d.Rounds))
	v1.GET("/rounds/:id", signedIn, handleGetRound(d.Rounds))
	v1.PUT("/rounds/:id/preferences/me", jobseeker, handleMyRoundPreferences(d.Rounds))
	v1.PUT("/rounds/:id/preferences/needs/:needId", requireRole(auth.RoleEmployer, auth.RoleOfficer), handleNeedRoundRanking(d.Rounds))
	v1.POST("/rounds/:id/run", officer, handleRunRound(d.Rounds))
	v1.POST("/rounds/:id/publish", officer, handlePublishRound(d.Rounds))

	v1.GET("/pathways", handleListPathways(d.Pathways))
	v1.POST("/pathways", officer, handleCreatePathway(d.Pathways))
	v1.POST("/pathways/:id/participants", requireRole(auth.RoleJobseeker, auth.RoleOfficer), handleEnrol(d.Pathways))
	v1.GET("/pathways/:id/participants", officer, handleCohort(d.Pathways))
	v1.POST("/pathways/:id/participants/:profileId/acceptance", officer, handleAcceptParticipant(d.Pathways))
	v1.POST("/pathways/:id/participants/:profileId/progress", officer, handleProgress(d.Pathways))
	v1.POST("/pathways/:id/participants/:profileId/checks", officer, handleCheck(d.Pathways))

	// The labour office's lists and the profiles it keeps for people who do not use the web.
	v1.GET("/employers", officer, handleListEmployers(d.Office))
	v1.POST("/profiles", officer, handleCreateInPerson(d.Profiles))
	v1.PUT("/profiles/:id", officer, handleUpdateInPerson(d.Profiles))
	eventRoutes(v1, d.Events)

	v1.GET("/insights/skills-gap", officer, handleSkillsGap(d.Insights))
	v1.GET("/insights/indicators", officer, handleIndicators(d.Insights))
	v1.GET("/exports/:file", officer, handleExportTable(d.Insights))

	v1.GET("/notifications", signedIn, handleNotifications(d.Notify))
	v1.POST("/notifications/read", signedIn, handleMarkAllRead(d.Notify))
	v1.POST("/notifications/:id/read", signedIn, handleMarkRead(d.Notify))
	v1.GET("/notifications/preferences", signedIn, handleGetPreferences(d.Notify))
	v1.PUT("/notifications/preferences", signedIn, handlePutPreferences(d.Notify))
}
