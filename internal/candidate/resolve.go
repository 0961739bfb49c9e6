package candidate

import (
	"context"
	"crypto/hmac"
	"fmt"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// MaxCards is the most cards one read shows (the API's limit): a
// pseudonym the employer can hold is among that many of a need's best.
const MaxCards = 100

// Resolve finds the person behind a card's pseudonym, for an employer's
// referral request (match.Referrals.Ask): under the same rule as Cards
// (a member of the need's employer; the employer verified; the need open
// and not expired), among the need's MaxCards best candidates, the only
// pseudonyms the employer can have been shown for it. Nothing is shown,
// so the day's bound is not counted. A pseudonym not among them (a card of
// another employer's need, a person no longer a candidate) is a field
// error of candidateId: it refers no one.
func (s *Service) Resolve(ctx context.Context, by auth.Principal, needID, candidateID string) (register.Need, string, error) {
	n, err := s.needs.ManagedNeed(ctx, by, needID)
	if err != nil {
		return register.Need{}, "", err
	}
	e, err := s.employers.Employer(ctx, n.EmployerID)
	if err != nil {
		return register.Need{}, "", fmt.Errorf("employer of need %s: %w", n.ID, err)
	}
	if err := MayShow(n, e.Verified, s.now().UTC()); err != nil {
		return register.Need{}, "", err
	}
	ranked, err := s.ranker.RankCandidates(ctx, n, MaxCards, "en")
	if err != nil {
		return register.Need{}, "", fmt.Errorf("rank candidates of need %s: %w", n.ID, err)
	}
	for _, r := range ranked {
		if hmac.Equal([]byte(profile.Pseudonym(s.key, n.EmployerID, r.Profile.ID)), []byte(candidateID)) {
			return n, r.Profile.ID, nil
		}
	}
	return register.Need{}, "", failure.Field("candidateId", "unknown_candidate_card", "")
}
