package auth

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
)

// Throttle remembers recent attempts per key. Each attempt is recorded
// before the password is checked (a compare-and-set that also decides
// whether the attempt may go ahead), so concurrent guesses see each
// other and a burst cannot slip past the limit; a successful one is then
// forgiven.
type Throttle interface {
	// Attempt records an attempt under key at `at` unless wait, given the
	// key's attempts after since (oldest first), says to wait; it returns
	// that wait (0: recorded). It keeps at most keep recent attempts.
	Attempt(ctx context.Context, key string, at, since time.Time, keep int, wait func(prior []time.Time) time.Duration) (time.Duration, error)
	// Forgive removes one attempt recorded at `at` under key.
	Forgive(ctx context.Context, key string, at time.Time) error
	// Reset forgets key's attempts.
	Reset(ctx context.Context, key string) error
}

// A limit is one scope of a throttle: the first free attempts in window
// go ahead; after that each further one waits base, doubling with every
// attempt, up to max (exponential backoff). A limit without base is hard:
// the next attempt waits until fewer than free remain in the window.
type limit struct {
	prefix string
	free   int
	base   time.Duration
	max    time.Duration
	window time.Duration
}

// The sign-in limits. An account is locked for everyone only at the high
// ceiling NIST SP 800-63B §5.2.2 allows (100 consecutive failures), so a
// stranger who knows an e-mail cannot lock its owner out; the tight limit
// is on the pair (account, address), and an address as a whole gets a
// generous allowance with backoff, so pupils behind one school address do
// not lock each other out while a sprayer is still slowed down.
var (
	// pairLimit: ten failures on one account from one address, then 15
	// minutes, doubling with every further failure.
	pairLimit = limit{prefix: "acctip:", free: 10, base: 15 * time.Minute, max: 24 * time.Hour, window: 24 * time.Hour}
	// addressLimit: a hundred failures an hour from one address (on any
	// accounts), then 1 s doubling up to 15 minutes.
	addressLimit = limit{prefix: "ip:", free: 100, base: time.Second, max: 15 * time.Minute, window: time.Hour}
	// accountLimit: a hundred consecutive failures on one account from
	// all addresses, then a minute doubling up to an hour.
	accountLimit = limit{prefix: "acct:", free: 100, base: time.Minute, max: time.Hour, window: 24 * time.Hour}
)

// ThrottleHorizon is how far back any limit looks: throttle entries with
// no attempt within it can be deleted.
const ThrottleHorizon = 24 * time.Hour

// DefaultRegistrationsPerHour is how many accounts one client address may
// try to register in an hour: a class registering behind a school's
// address fits, a script filling the store (and the hashing slots) not.
const DefaultRegistrationsPerHour = 30

func registrationLimit(perHour int) limit {
	return limit{prefix: "reg:", free: max(perHour, 1), window: time.Hour}
}

// keep is how many attempts the store keeps under a key: enough to apply
// the rule (the backoff reaches its maximum well within 40 doublings).
func (l limit) keep() int {
	if l.base == 0 {
		return l.free
	}
	return l.free + 40
}

// wait is how long the next attempt must wait after prior (the attempts
// in the window).
func (l limit) wait(prior []time.Time, now time.Time) time.Duration {
	n := len(prior)
	if n < l.free {
		return 0
	}
	prior = slices.Clone(prior)
	slices.SortFunc(prior, func(a, b time.Time) int { return a.Compare(b) })
	var until time.Time
	if l.base == 0 {
		until = prior[n-l.free].Add(l.window) // when fewer than free remain
	} else {
		d := l.base
		for range n - l.free {
			if d >= l.max {
				break
			}
			d *= 2
		}
		until = prior[n-1].Add(min(d, l.max))
	}
	return max(until.Sub(now), 0)
}

// scoped is a limit applied to one key.
type scoped struct {
	key string
	limit
}

// signinScopes are the keys a sign-in attempt on email from clientIP is
// counted under. The e-mail is hashed, so the throttle stores no address.
func signinScopes(email, clientIP string) []scoped {
	acct := digest(email)
	return []scoped{
		{pairLimit.prefix + acct + "|" + clientIP, pairLimit},
		{addressLimit.prefix + clientIP, addressLimit},
		{accountLimit.prefix + acct, accountLimit},
	}
}

// reserve records an attempt at now under every scope, or none: if one
// scope says to wait, those already recorded are forgiven and the answer
// is failure.TooMany with the longest wait.
func (s *Service) reserve(ctx context.Context, scopes []scoped, now time.Time, code, detail string) error {
	for i, sc := range scopes {
		wait, err := s.throttle.Attempt(ctx, sc.key, now, now.Add(-sc.window), sc.keep(),
			func(prior []time.Time) time.Duration { return sc.wait(prior, now) })
		if err == nil && wait == 0 {
			continue
		}
		s.forgive(ctx, scopes[:i], now)
		if err != nil {
			return fmt.Errorf("throttle %s: %w", sc.prefix, err)
		}
		return &failure.Error{Kind: failure.TooMany, Code: code, Detail: detail,
			RetryAfter: max(1, int(math.Ceil(wait.Seconds())))}
	}
	return nil
}

// forgive takes back attempts recorded by reserve that turned out not to
// be guesses (a success, or a request refused before any password was
// checked). It runs even if the request was cancelled meanwhile: an
// attempt left behind would count against an innocent caller.
func (s *Service) forgive(ctx context.Context, scopes []scoped, at time.Time) {
	ctx = context.WithoutCancel(ctx)
	for _, sc := range scopes {
		_ = s.throttle.Forgive(ctx, sc.key, at) // best effort: at worst one attempt too many is counted
	}
}
