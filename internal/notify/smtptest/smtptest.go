// Package smtptest is a real SMTP server in-process (go-smtp) for tests:
// it keeps every mail it receives, decoded, so a test reads what arrived.
package smtptest

import (
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// Mail is one mail as the server got it, decoded.
type Mail struct {
	To, Subject, Body, MessageID string
}

// Inbox keeps the mails the server received.
type Inbox struct {
	mu   sync.Mutex
	mail []Mail
}

// Serve starts the server on addr ("127.0.0.1:0" for any port) until the
// test ends, and returns its inbox and address.
func Serve(tb testing.TB, addr string) (*Inbox, string) {
	tb.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	box := &Inbox{}
	srv := smtp.NewServer(box)
	srv.Domain = "localhost"
	go func() { _ = srv.Serve(l) }()
	tb.Cleanup(func() { _ = srv.Close() })
	return box, l.Addr().String()
}

// All are the mails received so far.
func (b *Inbox) All() []Mail {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Mail(nil), b.mail...)
}

// Find is the mail to an address with the subject, if one arrived.
func (b *Inbox) Find(to, subject string) (Mail, bool) {
	for _, m := range b.All() {
		if m.To == to && m.Subject == subject {
			return m, true
		}
	}
	return Mail{}, false
}

// NewSession is go-smtp's backend.
func (b *Inbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{box: b}, nil }

type session struct {
	box *Inbox
	to  string
}

func (s *session) Reset()                                    {}
func (s *session) Logout() error                             { return nil }
func (s *session) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = to; return nil }

func (s *session) Data(r io.Reader) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return err
	}
	var body io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(msg.Body)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	s.box.mu.Lock()
	s.box.mail = append(s.box.mail, Mail{To: s.to, Subject: subject, Body: string(text), MessageID: msg.Header.Get("Message-Id")})
	s.box.mu.Unlock()
	return nil
}
