package retention_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/notify"
	"github.com/careget/skillsmatch/internal/retention"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// clock is a clock the test moves.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// inboxWorld is the real store and notification service on a clock set at
// 1 June 2027, noon.
func inboxWorld(t *testing.T) (*store.Store, *notify.Service, *clock) {
	st := storetest.Open(t)
	c := &clock{t: time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)}
	return st, notify.NewService(st.Notifications(), st.Users(), st.Employers(), "http://localhost", c.now, nil), c
}

// TestOldNotificationsAge: over the real store and notification service,
// read notices older than the read period and unread ones older than the
// unread period go; newer ones and unread ones within their period stay;
// the badge (the unread count) counts exactly the unread ones left, and
// still goes down to zero when they are read.
func TestOldNotificationsAge(t *testing.T) {
	st, svc, c := inboxWorld(t)
	ctx, now := context.Background(), c.t
	ana, bob := auth.Principal{UserID: "u-ana", Role: auth.RoleJobseeker}, auth.Principal{UserID: "u-bob", Role: auth.RoleJobseeker}
	// tell gives who a notice made days ago, read at once if read.
	tell := func(who auth.Principal, key string, days int, read bool) {
		t.Helper()
		c.t = now.AddDate(0, 0, -days)
		svc.Tell(ctx, notify.Notice{Key: key, Kind: notify.MatchMoved, Recipients: []string{who.UserID}, MatchID: key, State: "interview"})
		if read {
			in, err := svc.Inbox(ctx, who, 1)
			if err != nil || len(in.Items) == 0 || in.Items[0].MatchID != key {
				t.Fatalf("inbox after telling %s: %+v, %v", key, in, err)
			}
			if err := svc.MarkRead(ctx, who, in.Items[0].Number); err != nil {
				t.Fatal(err)
			}
		}
	}
	tell(ana, "unread-400", 400, false) // goes: unread past a year
	tell(ana, "read-200", 200, true)    // goes: read past 180 days
	tell(ana, "unread-200", 200, false) // stays: unread within a year
	tell(ana, "read-179", 179, true)    // stays
	tell(ana, "unread-10", 10, false)   // stays
	tell(bob, "read-400", 400, true)    // goes
	c.t = now
	badge := func(who auth.Principal) int64 {
		t.Helper()
		n, err := svc.Unread(ctx, who)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := badge(ana); got != 3 {
		t.Fatalf("before: Ana's badge %d, want 3", got)
	}

	res, err := retention.New(st.Retention(), nil, retention.DefaultConfig(), c.now, nil).Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.Notifications != 3 || res.CausesTold != 2 {
		t.Errorf("removed %d notifications and %d causes told, want 3 and 2 (those over a year old)", res.Notifications, res.CausesTold)
	}
	// A cause within the year is still remembered: told again, it is not
	// a new notice.
	svc.Tell(ctx, notify.Notice{Key: "read-200", Kind: notify.MatchMoved, Recipients: []string{ana.UserID}, MatchID: "read-200"})
	in, err := svc.Inbox(ctx, ana, 1)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, n := range in.Items {
		left = append(left, n.MatchID)
	}
	if want := []string{"unread-10", "read-179", "unread-200"}; !slices.Equal(left, want) {
		t.Errorf("Ana's inbox %q, want %q (newest first)", left, want)
	}
	if in.Total != 3 || in.Pages != 1 {
		t.Errorf("Ana's inbox counts %d in %d pages, want 3 in 1", in.Total, in.Pages)
	}
	if got := badge(ana); got != 2 || in.Unread != 2 {
		t.Errorf("after: Ana's badge %d (inbox says %d), want 2", got, in.Unread)
	}
	if got := badge(bob); got != 0 {
		t.Errorf("Bob's badge %d, want 0", got)
	}
	if err := svc.MarkAllRead(ctx, ana); err != nil {
		t.Fatal(err)
	}
	if got := badge(ana); got != 0 {
		t.Errorf("all read: Ana's badge %d, want 0", got)
	}
	// Both periods run from when a notice was made: the 200-day-old one,
	// read now, is past the read period at the next run; the badge stays.
	if res, err := retention.New(st.Retention(), nil, retention.DefaultConfig(), c.now, nil).Run(ctx); err != nil || res.Notifications != 1 {
		t.Errorf("second run removed %d notifications (%v), want unread-200, read since", res.Notifications, err)
	}
	if got := badge(ana); got != 0 {
		t.Errorf("after the second run: Ana's badge %d, want 0", got)
	}
}

// TestOldOutboxMessagesGo: e-mails sent go after the sent period, those
// failed for good (or uncertain) after the longer failed period from their
// last attempt; pending and sending ones never go, however old; the
// officers' outbox lists what is left.
func TestOldOutboxMessagesGo(t *testing.T) {
	st := storetest.Open(t)
	ctx := context.Background()
	now := time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)
	box := st.Notifications()
	ago := func(days int) *time.Time { t := now.AddDate(0, 0, -days); return &t }
	cases := []struct {
		name    string
		status  notify.Status
		claimed *time.Time
		sent    *time.Time
		goes    bool
	}{
		{"sent-31", notify.Sent, ago(31), ago(31), true},
		{"sent-29", notify.Sent, ago(40), ago(29), false}, // claimed long ago, sent within the period
		{"failed-91", notify.Failed, ago(91), nil, true},
		{"failed-31", notify.Failed, ago(31), nil, false},
		{"uncertain-100", notify.Uncertain, ago(100), nil, true},
		{"pending-400", notify.Pending, nil, nil, false},
		{"sending-400", notify.Sending, ago(400), nil, false},
	}
	seqs := map[string]int64{}
	for _, k := range cases {
		m, err := box.InsertMessage(ctx, notify.Message{Recipient: "u1", To: "a***@example.bg", Lang: "bg", Kind: notify.Referral,
			Subject: k.name, Status: k.status, Attempts: 1, CreatedAt: *ago(400), NextAt: *ago(400), ClaimedAt: k.claimed,
			SentAt: k.sent, Version: 1})
		if err != nil {
			t.Fatal(err)
		}
		seqs[k.name] = m.Seq
	}

	res, err := retention.New(st.Retention(), nil, retention.DefaultConfig(), at(now), nil).Run(ctx)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.OutboxMessages != 3 {
		t.Errorf("removed %d outbox messages, want 3", res.OutboxMessages)
	}
	for _, k := range cases {
		_, err := box.Message(ctx, seqs[k.name])
		if gone := failure.Is(err, failure.NotFound); gone != k.goes || (!gone && err != nil) {
			t.Errorf("%s: gone = %v (%v), want %v", k.name, gone, err, k.goes)
		}
	}
	svc := notify.NewService(box, st.Users(), st.Employers(), "http://localhost", at(now), nil)
	page, err := svc.Outbox(ctx, auth.Principal{UserID: "o", Role: auth.RoleOfficer}, 50)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, m := range page.Messages {
		listed = append(listed, m.Subject)
	}
	if want := []string{"sending-400", "pending-400", "failed-31", "sent-29"}; !slices.Equal(listed, want) {
		t.Errorf("the officers' outbox lists %q, want %q", listed, want)
	}
	// The 30-day and 90-day periods are settings: shorter ones take more.
	short := retention.Config{SentAge: 24 * time.Hour, FailedAge: 24 * time.Hour}
	if res, err := retention.New(st.Retention(), nil, short, at(now), nil).Run(ctx); err != nil || res.OutboxMessages != 2 {
		t.Errorf("with one-day periods removed %d (%v), want sent-29 and failed-31", res.OutboxMessages, err)
	}
}

// TestInboxPagesWhatIsLeft: after old notices went, the inbox counts and
// pages the ones left: no empty page at the end, no notice on two pages.
func TestInboxPagesWhatIsLeft(t *testing.T) {
	st, svc, c := inboxWorld(t)
	ctx, now := context.Background(), c.t
	who := auth.Principal{UserID: "u-emp", Role: auth.RoleEmployer}
	for i := range 50 {
		days := 10 // the newest 25 stay
		if i < 25 {
			days = 200 // the oldest 25, read, go
		}
		c.t = now.AddDate(0, 0, -days).Add(time.Duration(i) * time.Minute)
		svc.Tell(ctx, notify.Notice{Key: fmt.Sprint("m", i), Kind: notify.Referral, Recipients: []string{who.UserID}, MatchID: fmt.Sprint("m", i)})
	}
	c.t = now
	if err := svc.MarkAllRead(ctx, who); err != nil {
		t.Fatal(err)
	}
	if res, err := retention.New(st.Retention(), nil, retention.DefaultConfig(), c.now, nil).Run(ctx); err != nil || res.Notifications != 25 {
		t.Fatalf("removed %d (%v), want 25", res.Notifications, err)
	}
	var seen []string
	for page := 1; page <= 3; page++ {
		in, err := svc.Inbox(ctx, who, page)
		if err != nil {
			t.Fatal(err)
		}
		if in.Total != 25 || in.Pages != 2 {
			t.Errorf("page %d: %d in %d pages, want 25 in 2", page, in.Total, in.Pages)
		}
		if want := []int{20, 5, 0}[page-1]; len(in.Items) != want {
			t.Errorf("page %d holds %d, want %d", page, len(in.Items), want)
		}
		for _, n := range in.Items {
			seen = append(seen, n.MatchID)
		}
	}
	var want []string
	for i := 49; i >= 25; i-- {
		want = append(want, fmt.Sprint("m", i))
	}
	if !slices.Equal(seen, want) {
		t.Errorf("the pages show %q, want %q", seen, want)
	}
}
