package register

import "context"

// Notifier is told of the office's verification decisions
// (internal/notify). It never fails the decision.
type Notifier interface {
	VerificationDecided(ctx context.Context, e Employer)
}

// NotifyWith makes the service tell n of verification decisions; wired
// once at start-up (internal/app), before requests are served.
func (s *Service) NotifyWith(n Notifier) { s.notifier = n }

func (s *Service) notifyVerification(ctx context.Context, e Employer) {
	if s.notifier != nil {
		s.notifier.VerificationDecided(ctx, e)
	}
}
