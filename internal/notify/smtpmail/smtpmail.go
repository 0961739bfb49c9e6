// Package smtpmail sends the outbox's mails over SMTP with go-mail.
package smtpmail

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	mail "github.com/wneessen/go-mail"
)

// Mailer sends plain-text UTF-8 mails from one address through one server.
type Mailer struct {
	from string
	opts []mail.Option
	host string
}

// New parses SKILLSMATCH_SMTP_URL: smtps://user:pass@host:465 (TLS from the
// start) or smtp://user:pass@host:587 (STARTTLS required; ?tls=none for a
// server on loopback without TLS, ?tls=opportunistic to use it if offered).
func New(rawURL, from string) (*Mailer, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("SMTP URL: %w", err)
	}
	if u.Hostname() == "" {
		return nil, errors.New("SMTP URL: no host")
	}
	if from == "" {
		return nil, errors.New("SMTP: SKILLSMATCH_MAIL_FROM is required with SKILLSMATCH_SMTP_URL")
	}
	opts := []mail.Option{mail.WithTimeout(30 * time.Second)}
	switch u.Scheme {
	case "smtps":
		opts = append(opts, mail.WithSSL())
	case "smtp":
		switch u.Query().Get("tls") {
		case "", "required":
			opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
		case "opportunistic":
			opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
		case "none":
			opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
		default:
			return nil, fmt.Errorf("SMTP URL: tls=%q: want required, opportunistic or none", u.Query().Get("tls"))
		}
	default:
		return nil, fmt.Errorf("SMTP URL: scheme %q: want smtp or smtps", u.Scheme)
	}
	if p := u.Port(); p != "" {
		port, err := strconv.Atoi(p)
		if err != nil {
			return nil, fmt.Errorf("SMTP URL: port %q", p)
		}
		opts = append(opts, mail.WithPort(port))
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(u.User.Username()), mail.WithPassword(pass))
	}
	return &Mailer{from: from, opts: opts, host: u.Hostname()}, nil
}

// Send sends one mail on a connection of its own.
func (m *Mailer) Send(ctx context.Context, to, subject, body, messageID string) error {
	msg := mail.NewMsg()
	if err := msg.From(m.from); err != nil {
		return fmt.Errorf("from: %w", err)
	}
	if err := msg.To(to); err != nil {
		return fmt.Errorf("to: %w", err)
	}
	msg.Subject(subject)
	msg.SetMessageIDWithValue(messageID)
	msg.SetDate()
	msg.SetBodyString(mail.TypeTextPlain, body)
	c, err := mail.NewClient(m.host, m.opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("send: %w", err)
	}
	return nil
}
