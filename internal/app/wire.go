package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/candidate"
	"github.com/careget/skillsmatch/internal/event"
	"github.com/careget/skillsmatch/internal/httpapi"
	"github.com/careget/skillsmatch/internal/insight"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/mirror"
	"github.com/careget/skillsmatch/internal/notify"
	"github.com/careget/skillsmatch/internal/opportunity"
	"github.com/careget/skillsmatch/internal/pathway"
	"github.com/careget/skillsmatch/internal/personaldata"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/round"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/careget/skillsmatch/internal/web"
	"github.com/careget/skillsmatch/internal/websession"
	"github.com/careget/skillsmatch/internal/workqueue"
	"github.com/careget/skillsmatch/search"
	"github.com/prometheus/client_golang/prometheus"
)

// Services are the product's services over one store, taxonomy and
// search index, wired the one way the product wires them. The HTTP tests
// use Wire too, so they test the product's wiring, not a copy of it.
type Services struct {
	Auth     *auth.Service
	Register *register.Service
	Profiles *profile.Service
	Matches  *match.Service
	// Referrals are employers' referral requests and their queue.
	Referrals *match.Referrals
	Rounds    *round.Service
	Pathways  *pathway.Service
	Events    *event.Service
	// WebSessions are the web app's sign-in sessions.
	WebSessions *websession.Service
	// Export is the person's export of everything held about them.
	Export *personaldata.Service
	// Insights are the office's figures and exports.
	Insights *insight.Service
	// Opportunities are the job-seeker's ranked matches.
	Opportunities *opportunity.Service
	// Office is the labour office's queues and employer list.
	Office *workqueue.Service
	// Notify tells people what happened: the inbox, preferences, outbox.
	Notify *notify.Service

	// CardLimits bound employers' reads of candidate cards (Candidates);
	// zero values mean candidate.DefaultLimits.
	CardLimits candidate.Limits
	// SecureCookies makes the web app's cookies Secure and __Host-
	// although requests arrive in plain HTTP (TLS ends in front).
	SecureCookies bool

	now func() time.Time
}

// Wire builds the services. Writes to employers, needs and profiles go
// through the register's followers (internal/mirror), which apply them to
// the register and, through it, to the index, so each response already
// reflects them; services read documents from the register.
// It loads the workflow's in-memory state (matches, rounds, pathways) from
// the store.
func Wire(ctx context.Context, st *store.Store, tx *taxonomy.Taxonomy, ix *search.Index, signer *auth.Signer,
	refreshTTL time.Duration, now func() time.Time) (Services, error) {
	users, cat, reg := st.Users(), catalog{tx}, ix.Register()
	profiles := reg.FollowProfiles(st.Profiles())
	s := Services{now: now}
	s.Auth = auth.NewService(users, st.Sessions(), st.Throttle(), signer, refreshTTL, now)
	s.Register = register.NewService(reg.FollowEmployers(st.Employers()), reg.FollowNeeds(st.Needs()), users, cat, now)
	s.Register.ReadFollowed(followedRegister{reg}) // hot reads from the replica's memory (register.Followed)
	s.Matches = match.NewService(st.Matches(), s.Register, st.Employers(), st.Profiles(), now)
	s.Referrals = match.NewReferrals(st.Referrals(), s.Matches, s.Register, now)
	s.Rounds = round.NewService(st.Rounds(), s.Register, roundScorer{reg, ix}, s.Matches, now)
	s.Events = event.NewService(st.Events(), s.Register, eventIndex{roundScorer{reg, ix}}, s.Matches, now)
	s.Pathways = pathway.NewService(st.Pathways(), st.Participants(), profiles, certifier{profiles}, cat, now)
	s.Notify = notify.NewService(st.Notifications(), users, st.Employers(), "http://localhost:8080", now, nil)
	s.Profiles = profile.NewService(profiles, st.Audit(), users, cat,
		profile.Erasure{Matches: s.Matches, Pathways: s.Pathways, Rounds: s.Rounds, Notifications: s.Notify, Accounts: s.Auth}, s.Matches, now)
	s.Profiles.ReadFollowed(followedRegister{reg})
	s.Export = personaldata.NewService(s.Profiles, s.Matches, s.Pathways)
	s.Insights = insight.NewService(reg, s.Matches, s.Pathways, tx, now)
	s.Insights.EventsWith(s.Events)
	s.Opportunities = opportunity.NewService(s.Profiles, ix, now)
	s.Office = workqueue.NewService(reg, reg, s.Matches, s.Pathways, s.Referrals, now)
	s.Auth.EraseJobseekersWith(s.Profiles)
	s.Rounds.ReadNamesWith(s.Profiles)
	s.WebSessions = websession.NewService(st.WebSessions(), s.Auth, now)
	s.Matches.NotifyWith(s.Notify)
	s.Register.NotifyWith(s.Notify)
	s.Events.NotifyWith(s.Notify)
	for name, load := range map[string]func(context.Context) error{"matches": s.Matches.Load, "referrals": s.Referrals.Load, "rounds": s.Rounds.Load, "pathways": s.Pathways.Load, "events": s.Events.Load} {
		if err := load(ctx); err != nil {
			return Services{}, fmt.Errorf("load %s: %w", name, err)
		}
	}
	return s, nil
}

// Deps returns what the HTTP layer needs, with the given readiness checks.
func (s Services) Deps(log *slog.Logger, st *store.Store, tx *taxonomy.Taxonomy, ix *search.Index,
	reg *prometheus.Registry, pseudonymKey []byte, trustedProxies []string) httpapi.Deps {
	cands := s.Candidates(st, tx, ix, pseudonymKey)
	s.Referrals.ResolveWith(cands) // a request names a card's pseudonym, which only cands can resolve
	return httpapi.Deps{
		Logger: log, Auth: s.Auth, Register: s.Register, Profiles: s.Profiles, Taxonomy: tx, Search: ix,
		Matches: s.Matches, Rounds: s.Rounds, Pathways: s.Pathways, Events: s.Events, Registry: reg,
		Export: s.Export, Insights: s.Insights, Opportunities: s.Opportunities, PublicNeeds: s.PublicNeeds(ix),
		PseudonymKey: pseudonymKey, TrustedProxies: trustedProxies, Office: s.Office,
		Referrals:  s.Referrals,
		Candidates: cands, Notify: s.Notify,
		Web: s.Web(log, tx, ix, cands).Mount,
		Ready: func(ctx context.Context) map[string]error {
			return map[string]error{"store": st.Ping(ctx), "index": ix.Ready()}
		},
	}
}

// Web is the web app over the same services, mounted on the API's engine.
func (s Services) Web(log *slog.Logger, tx *taxonomy.Taxonomy, ix *search.Index, cands *candidate.Service) *web.App {
	now := s.now
	if now == nil {
		now = Clock
	}
	return web.New(web.Deps{Logger: log, Auth: s.Auth, Sessions: s.WebSessions, Register: s.Register, Needs: s.PublicNeeds(ix),
		Taxonomy: tx, Pathways: s.Pathways, Profiles: s.Profiles, Matches: s.Matches, Opportunities: s.Opportunities,
		Export: s.Export, Candidates: cands, Rounds: s.Rounds, Insights: s.Insights, Index: ix, Office: s.Office,
		Referrals: s.Referrals, Notify: s.Notify, Events: s.Events,
		Secure: s.SecureCookies, Now: now})
}

// PublicNeeds is the public search of needs over the index, on the
// services' clock.
func (s Services) PublicNeeds(ix *search.Index) *search.PublicNeeds {
	now := s.now
	if now == nil {
		now = Clock
	}
	return search.NewPublicNeeds(ix, now)
}

// Candidates is the employer's view of job-seekers (candidate cards) over
// the store, the taxonomy's labels and the index's ranking, with the
// pseudonyms keyed by pseudonymKey. It takes the key, which only the HTTP
// side holds today, so it is built here rather than in Wire.
func (s Services) Candidates(st *store.Store, tx *taxonomy.Taxonomy, ix *search.Index, pseudonymKey []byte) *candidate.Service {
	now := s.now
	if now == nil {
		now = Clock
	}
	limits := s.CardLimits
	if limits.PerNeed <= 0 {
		limits.PerNeed = candidate.DefaultLimits.PerNeed
	}
	if limits.PerEmployer <= 0 {
		limits.PerEmployer = candidate.DefaultLimits.PerEmployer
	}
	return candidate.NewService(s.Register, s.Register.FollowedEmployers(), candidateRanker{ix}, tx, st.CardReads(), st.CardAudit(),
		pseudonymKey, limits, now)
}

// followedRegister is the register and the profiles as the replica
// follows them in memory (register.Followed, profile.Followed): this
// replica's writes at once, other replicas' at each Poll.
type followedRegister struct{ reg *mirror.Register }

func (f followedRegister) FollowedNeed(id string) (register.Need, bool) { return f.reg.Need(id) }

func (f followedRegister) FollowedEmployer(id string) (register.Employer, bool) {
	return f.reg.Employer(id)
}

func (f followedRegister) FollowedProfile(id string) (profile.Profile, bool) {
	return f.reg.Profile(id)
}

// roundScorer gives rounds the needs and profiles of the register and the
// index's scores.
type roundScorer struct {
	*mirror.Register
	ix *search.Index
}

func (r roundScorer) ScoreCandidates(n register.Need, profileIDs []string) (map[string]float64, error) {
	return r.ix.ScoreCandidates(n, profileIDs)
}

// candidateRanker ranks candidates with the search index.
type candidateRanker struct{ ix *search.Index }

func (r candidateRanker) RankCandidates(ctx context.Context, n register.Need, limit int, lang string) ([]candidate.Ranked, error) {
	ms, err := r.ix.CachedMatchCandidates(ctx, n, limit, lang)
	if err != nil {
		return nil, err
	}
	out := make([]candidate.Ranked, len(ms))
	for i, m := range ms {
		out[i] = candidate.Ranked{Profile: m.Profile, Score: m.Score, Explanation: m.Explanation, PermitRequired: m.PermitRequired}
	}
	return out, nil
}

// eventIndex gives events the register's needs and profiles and the
// matching's ranking of candidates, keeping the search package out of the
// domain.
type eventIndex struct{ roundScorer }

func (x eventIndex) MatchCandidates(ctx context.Context, n register.Need, limit int) ([]event.Ranked, error) {
	ms, err := x.ix.MatchCandidates(ctx, n, limit, "bg")
	if err != nil {
		return nil, err
	}
	out := make([]event.Ranked, len(ms))
	for i, m := range ms {
		out[i] = event.Ranked{ProfileID: m.Profile.ID, Score: m.Score}
	}
	return out, nil
}
