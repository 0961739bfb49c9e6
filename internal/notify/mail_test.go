package notify_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/match"
	"github.com/careget/skillsmatch/internal/notify"
	"github.com/careget/skillsmatch/internal/notify/smtpmail"
	"github.com/careget/skillsmatch/internal/notify/smtptest"
	"github.com/careget/skillsmatch/internal/register"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// received is one mail as the SMTP server got it, decoded.
type received = smtptest.Mail

// serveSMTP starts a real SMTP server in-process on addr ("127.0.0.1:0"
// for any port).
func serveSMTP(t *testing.T, addr string) (*smtptest.Inbox, string) { return smtptest.Serve(t, addr) }

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// world is a store with a job-seeker (en), an employer's member (bg) and
// an officer, and the notifications over it.
type world struct {
	st                      *store.Store
	clock                   *clock
	svc                     *notify.Service
	seeker, member, officer auth.User
	employer                register.Employer
}

const site = "https://skillsmatch.test"

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	st := storetest.Open(t)
	w := &world{st: st, clock: &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}}
	w.seeker = auth.User{ID: auth.NewID(), Email: "ana.petrova@example.bg", Role: auth.RoleJobseeker, Name: "Ana Petrova", Locale: "en"}
	w.member = auth.User{ID: auth.NewID(), Email: "boris@firma.bg", Role: auth.RoleEmployer, Name: "Борис Иванов", Locale: "bg"}
	w.officer = auth.User{ID: auth.NewID(), Email: "officer@az.government.bg", Role: auth.RoleOfficer, Name: "Мария Колева", Locale: "bg"}
	for _, u := range []auth.User{w.seeker, w.member, w.officer} {
		if err := st.Users().InsertUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	w.employer = register.Employer{ID: auth.NewID(), Name: "Фирма ООД", EIK: strconv.Itoa(100000000 + int(time.Now().UnixNano()%800000000)),
		Members: []string{w.member.ID}, Verified: true, Version: 1}
	if err := st.Employers().InsertEmployer(ctx, w.employer); err != nil {
		t.Fatal(err)
	}
	w.svc = notify.NewService(st.Notifications(), st.Users(), st.Employers(), site, w.clock.now, nil)
	return w
}

// refer tells of the officer's referral of the seeker to the employer.
func (w *world) refer(ctx context.Context) match.Match {
	now := w.clock.now()
	m := match.Match{ID: auth.NewID(), NeedID: auth.NewID(), ProfileID: w.seeker.ID, EmployerID: w.employer.ID,
		State: match.Referred, ReferredAt: &now, OutcomeDue: match.AddWorkingDays(now, match.OutcomeDays).Format(time.DateOnly), Version: 2,
		History: []match.Event{{To: match.Applied, By: w.seeker.ID, Role: auth.RoleJobseeker, At: now},
			{From: match.Applied, To: match.Referred, By: w.officer.ID, Role: auth.RoleOfficer, At: now}}}
	w.svc.MatchChanged(ctx, match.Applied, m)
	return m
}

func (w *world) sender(t *testing.T, addr string, st notify.Store) *notify.Sender {
	t.Helper()
	m, err := smtpmail.New("smtp://"+addr+"?tls=none", "noreply@skillsmatch.test")
	if err != nil {
		t.Fatal(err)
	}
	if st == nil {
		st = w.st.Notifications()
	}
	return notify.NewSenderOver(w.svc, st, m, "skillsmatch.test")
}

// What arrives: each side's mail in its own language, with a link back to
// its page, and nobody else's name, address or ids.
func TestMailsArriveInTheirLanguageWithALinkAndNoOneElsesData(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	box, addr := serveSMTP(t, "127.0.0.1:0")
	m := w.refer(ctx)
	if err := w.sender(t, addr, nil).Run(ctx); err != nil {
		t.Fatal(err)
	}
	got := map[string]received{}
	for _, r := range box.All() {
		got[r.To] = r
	}
	if len(box.All()) != 2 {
		t.Fatalf("got %d mails, want the referral to the job-seeker and to the member: %+v", len(box.All()), box.All())
	}
	cases := []struct {
		to             auth.User
		subject, words string
		link           string
		others         []auth.User
	}{
		{w.seeker, "New referral", "The labour office referred", site + "/me/notifications?lang=en", []auth.User{w.member, w.officer}},
		{w.member, "Ново насочване", "Бюрото по труда насочи", site + "/notifications?lang=bg", []auth.User{w.seeker, w.officer}},
	}
	for _, c := range cases {
		r, ok := got[c.to.Email]
		if !ok {
			t.Errorf("no mail to %s", c.to.Email)
			continue
		}
		if r.Subject != c.subject || !strings.Contains(r.Body, c.words) || !strings.Contains(r.Body, c.link) {
			t.Errorf("mail to %s: subject %q body %q, want %q, %q and the link %s", c.to.Email, r.Subject, r.Body, c.subject, c.words, c.link)
		}
		for _, o := range c.others {
			for _, secret := range []string{o.Name, o.Email, o.ID, strings.Fields(o.Name)[1], m.ProfileID, m.ID} {
				if strings.Contains(r.Subject+r.Body, secret) {
					t.Errorf("mail to %s names %q (of %s)", c.to.Email, secret, o.Email)
				}
			}
		}
		if !strings.HasPrefix(r.MessageID, "<outbox-") {
			t.Errorf("Message-ID %q, want one made from the outbox sequence", r.MessageID)
		}
	}

	// The in-app notice stays when the mail is turned off; nobody is told
	// of their own move.
	seeker := auth.Principal{UserID: w.seeker.ID, Role: auth.RoleJobseeker}
	if _, err := w.svc.SetPreferences(ctx, seeker, []notify.Kind{notify.MatchMoved}, false); err != nil {
		t.Fatal(err)
	}
	moved := m
	moved.State, moved.Version = match.Interview, 3
	moved.History = append(moved.History, match.Event{From: match.Referred, To: match.Interview, By: w.member.ID, Role: auth.RoleEmployer})
	w.svc.MatchChanged(ctx, match.Referred, moved)
	w.svc.MatchChanged(ctx, match.Referred, moved) // told twice: once only
	if err := w.sender(t, addr, nil).Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(box.All()); n != 2 {
		t.Errorf("after a move the seeker takes in-app only and the member made: %d mails, want still 2", n)
	}
	in, err := w.svc.Inbox(ctx, seeker, 1)
	if err != nil {
		t.Fatal(err)
	}
	if in.Total != 2 || in.Unread != 2 || in.Items[0].Kind != notify.MatchMoved || in.Items[0].State != "interview" {
		t.Errorf("seeker's inbox = %+v, want the move and the referral, both unread", in)
	}
	member, err := w.svc.Inbox(ctx, auth.Principal{UserID: w.member.ID, Role: auth.RoleEmployer}, 1)
	if err != nil || member.Total != 1 {
		t.Errorf("member's inbox = %+v, %v: want the referral only", member, err)
	}
	if err := w.svc.MarkRead(ctx, seeker, 1); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.MarkRead(ctx, seeker, 1); err != nil {
		t.Fatal(err)
	}
	if n, _ := w.svc.Unread(ctx, seeker); n != 1 {
		t.Errorf("unread after marking one twice = %d, want 1", n)
	}
	if err := w.svc.MarkRead(ctx, auth.Principal{UserID: w.member.ID, Role: auth.RoleEmployer}, 2); err == nil {
		t.Errorf("the member marked a number it does not have: want not found")
	}
}

// A server that is down: the attempt fails, the message waits its backoff
// and is delivered once the server is back.
func TestDeliveryIsRetriedAfterTheServerWasDown(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens: the server is down
	w.refer(ctx)
	s := w.sender(t, addr, nil)
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	first, err := w.st.Notifications().Message(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if first.Status != notify.Pending || first.Attempts != 1 || !first.NextAt.Equal(w.clock.now().Add(notify.Backoff(1))) || first.LastError == "" {
		t.Fatalf("after a failed attempt: %+v, want pending, 1 attempt, next after the backoff", first)
	}
	box, _ := serveSMTP(t, addr)
	if err := s.Run(ctx); err != nil { // before the backoff has passed
		t.Fatal(err)
	}
	if n := len(box.All()); n != 0 {
		t.Fatalf("%d mails before the backoff passed, want 0", n)
	}
	w.clock.add(notify.Backoff(1))
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(box.All()); n != 2 {
		t.Fatalf("%d mails once the server is back, want 2", n)
	}
	again, _ := w.st.Notifications().Message(ctx, 1)
	if again.Status != notify.Sent || again.Attempts != 2 {
		t.Errorf("message = %+v, want sent on the second attempt", again)
	}
	if again.Body != "" || again.To != "a***@example.bg" {
		t.Errorf("a sent message keeps %q to %q, want no text and the address masked", again.Body, again.To)
	}
	if b := notify.Backoff(2); b != 2*notify.Backoff(1) || notify.Backoff(30) != time.Hour {
		t.Errorf("backoff 2 = %v, 30 = %v: want doubling, at most an hour", b, notify.Backoff(30))
	}
}

// dying is the store of a sender that dies after handing a mail to the
// server and before recording it: the record never arrives.
type dying struct{ notify.Store }

func (d dying) UpdateMessage(ctx context.Context, m notify.Message, version int64) (bool, error) {
	if m.Status != notify.Sending {
		return false, errors.New("the process died")
	}
	return d.Store.UpdateMessage(ctx, m, version)
}

// A restart mid-send does not send twice: the claimed message stays
// claimed, then is marked uncertain, never sent again; and two senders at
// once send each message once.
func TestNothingIsSentTwiceAfterARestartMidSend(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	box, addr := serveSMTP(t, "127.0.0.1:0")
	w.refer(ctx)
	_ = w.sender(t, addr, dying{w.st.Notifications()}).Run(ctx)
	if n := len(box.All()); n != 2 {
		t.Fatalf("%d mails handed over before the death, want 2", n)
	}
	restarted := w.sender(t, addr, nil)
	if err := restarted.Run(ctx); err != nil {
		t.Fatal(err)
	}
	w.clock.add(notify.ClaimTimeout + time.Second)
	if err := restarted.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if err := restarted.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(box.All()); n != 2 {
		t.Errorf("%d mails after the restart, want still 2", n)
	}
	for seq := int64(1); seq <= 2; seq++ {
		m, _ := w.st.Notifications().Message(ctx, seq)
		if m.Status != notify.Uncertain {
			t.Errorf("message %d = %s, want uncertain (claimed, never recorded)", seq, m.Status)
		}
	}

	// Two senders at once (a lease handing over): each message once.
	for range 5 {
		w.refer(ctx)
	}
	var wg sync.WaitGroup
	for range 2 {
		s := w.sender(t, addr, nil)
		wg.Go(func() { _ = s.Run(ctx) })
	}
	wg.Wait()
	if err := w.sender(t, addr, nil).Run(ctx); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int{}
	for _, r := range box.All() {
		ids[r.MessageID]++
	}
	if len(box.All()) != 12 || len(ids) != 12 {
		t.Errorf("%d mails with %d distinct ids, want 12 once each", len(box.All()), len(ids))
	}
}

// An officer's daily digest: one mail the next morning listing the day's
// notices, in the officer's language.
func TestOfficersDigestIsOneMailADay(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	box, addr := serveSMTP(t, "127.0.0.1:0")
	officer := auth.Principal{UserID: w.officer.ID, Role: auth.RoleOfficer}
	if _, err := w.svc.SetPreferences(ctx, officer, nil, true); err != nil {
		t.Fatal(err)
	}
	m1, m2 := w.refer(ctx), w.refer(ctx)
	w.clock.add(11 * 24 * time.Hour) // past the 7 working days: both overdue
	w.svc.Outcomes(ctx, []match.Match{m1, m2})
	s := w.sender(t, addr, nil)
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
	var toOfficer []received
	for _, r := range box.All() {
		if r.To == w.officer.Email {
			toOfficer = append(toOfficer, r)
		}
	}
	if len(toOfficer) != 0 {
		t.Fatalf("digest sent before the morning: %+v", toOfficer)
	}
	w.clock.add(24 * time.Hour)
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}

	for _, r := range box.All() {
		if r.To == w.officer.Email {
			toOfficer = append(toOfficer, r)
		}
	}
	if len(toOfficer) != 1 || toOfficer[0].Subject != "Известия за деня" || strings.Count(toOfficer[0].Body, "изтече") != 2 ||
		!bytes.Contains([]byte(toOfficer[0].Body), []byte(site+"/notifications?lang=bg")) {
		t.Errorf("officer's mails = %+v, want one digest in Bulgarian listing both overdue outcomes", toOfficer)
	}
	if _, err := w.svc.SetPreferences(ctx, auth.Principal{UserID: w.seeker.ID, Role: auth.RoleJobseeker}, nil, true); err == nil {
		t.Errorf("a job-seeker took the digest: want refused")
	}
}

// A deleted account's mail is not sent: the address is read again when
// the message goes.
func TestADeletedAccountsMailIsDropped(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	box, addr := serveSMTP(t, "127.0.0.1:0")
	w.refer(ctx)
	if err := w.st.Users().DeleteUser(ctx, w.seeker.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.sender(t, addr, nil).Run(ctx); err != nil {
		t.Fatal(err)
	}
	if got := box.All(); len(got) != 1 || got[0].To != w.member.Email {
		t.Errorf("mails = %+v, want the member's only", got)
	}
	m, _ := w.st.Notifications().Message(ctx, 1)
	if m.Status != notify.Failed || m.To != "" || m.Body != "" {
		t.Errorf("the deleted account's message = %+v, want failed, its address and text gone", m)
	}
}
