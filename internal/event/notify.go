package event

import (
	"context"
	"time"
)

// Notifier tells people what happened at a Career & Skills Day
// (internal/notify). It is told after the change is stored and never
// fails it.
type Notifier interface {
	// EventNotice tells recipients (user ids) of kind ("invitation",
	// "schedule", "reminder") about the event; key makes telling twice
	// harmless.
	EventNotice(ctx context.Context, key, kind string, e Event, recipients []string)
}

// NotifyWith sets who tells people; without one nobody is told.
func (s *Service) NotifyWith(n Notifier) { s.notifier = n }

func (s *Service) notify(ctx context.Context, key, kind string, e Event, recipients []string) {
	if s.notifier != nil && len(recipients) > 0 {
		s.notifier.EventNotice(ctx, key, kind, e, recipients)
	}
}

// people are the registered persons; a person's profile id is their
// account's id when they use the web (others are told in person).
func (e Event) people() []string {
	out := make([]string, 0, len(e.Registrations))
	for _, r := range e.Registrations {
		out = append(out, r.ProfileID)
	}
	return out
}

// RemindTomorrow tells everyone registered, the day before, that the
// event is tomorrow (in Bulgaria); each event once, however often it runs
// (a background job runs it hourly under a lease). The employers' members
// are told by the notifier, which knows them.
func (s *Service) RemindTomorrow(ctx context.Context) {
	tomorrow := s.now().In(s.zone).AddDate(0, 0, 1).Format(time.DateOnly)
	for _, e := range s.events.Filter(func(e Event) bool { return e.Date == tomorrow }) {
		s.notify(ctx, "event/"+e.ID+"/reminder", "reminder", e, e.people())
	}
}
