package app

import (
	"context"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/careget/skillsmatch/internal/notify"
	"github.com/careget/skillsmatch/internal/notify/smtpmail"
)

// mailEvery is how often the outbox's sender looks for due messages;
// outcomesEvery how often referrals' due dates are checked.
const (
	mailEvery     = 10 * time.Second
	outcomesEvery = time.Hour
)

// publicURL is the site's address that mails link to.
func (e *env) publicURL() string {
	if e.cfg.PublicURL != "" {
		return e.cfg.PublicURL
	}
	return "http://" + e.cfg.Addr
}

// startNotify runs the outbox's sender (under the "mail" lease, so one
// replica sends), the outcome reminders (under "notify-outcomes") and the
// reminders of tomorrow's Career & Skills Days (under "event-reminders").
// Without SKILLSMATCH_SMTP_URL the sender only retries failed
// notification inserts and the mails stay in the outbox.
func (e *env) startNotify(ctx context.Context, log *slog.Logger) (stop func()) {
	svc := e.services.Notify
	svc.Configure(e.publicURL(), log.With("component", "notify"))
	var mailer notify.Mailer
	if e.cfg.SMTPURL != "" {
		m, err := smtpmail.New(e.cfg.SMTPURL, e.cfg.MailFrom)
		if err != nil {
			log.Error("mail not sent: SMTP settings refused", "err", err)
		} else {
			mailer = m
		}
	} else {
		log.Info("no SKILLSMATCH_SMTP_URL: notification mails stay in the outbox (/office/outbox)")
	}
	domain := "skillsmatch"
	if u, err := url.Parse(e.publicURL()); err == nil && u.Hostname() != "" {
		domain = u.Hostname()
	}
	sender := notify.NewSender(svc, mailer, domain)
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, job := range []struct {
		name  string
		every time.Duration
		run   func(context.Context) error
	}{
		{"mail", mailEvery, sender.Run},
		{"notify-outcomes", outcomesEvery, func(ctx context.Context) error { svc.Outcomes(ctx, e.services.Matches.All()); return nil }},
		{"event-reminders", outcomesEvery, func(ctx context.Context) error { e.services.Events.RemindTomorrow(ctx); return nil }},
	} {
		j := e.leased(job.name, job.every, job.run, log)
		wg.Go(func() { j.Loop(ctx) })
	}
	return func() { cancel(); wg.Wait() }
}
