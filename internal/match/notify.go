package match

import "context"

// Notifier is told of every stored change of a match (internal/notify):
// from is the state before, "" for a new match. It never fails the move.
type Notifier interface {
	MatchChanged(ctx context.Context, from State, m Match)
}

// NotifyWith makes the service tell n of its changes; wired once at
// start-up (internal/app), before requests are served.
func (s *Service) NotifyWith(n Notifier) { s.notifier = n }

// notify is called after a change is stored, so a failure to notify cannot
// undo or block it.
func (s *Service) notify(ctx context.Context, from State, m Match) {
	if s.notifier != nil {
		s.notifier.MatchChanged(ctx, from, m)
	}
}
