package notify_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/careget/skillsmatch/internal/app/apptest"
	"github.com/careget/skillsmatch/internal/httpapi"
	"github.com/careget/skillsmatch/internal/notify"
	"github.com/careget/skillsmatch/pkg/client"
)

// The typed client over the real server: the inbox, marking read, the
// preferences.
func TestClientReadsTheInboxAndSavesPreferences(t *testing.T) {
	ctx := context.Background()
	env := apptest.Open(t, apptest.Options{})
	h, err := httpapi.New(env.Deps())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := client.New(srv.URL)
	u, err := c.Register(ctx, client.NewUser{Email: "client@example.bg", Password: "correct horse battery", Role: "jobseeker", Name: "К", Locale: "en"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Login(ctx, "client@example.bg", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	env.Services.Notify.Tell(ctx, notify.Notice{Key: "c/1", Kind: notify.Referral, Recipients: []string{u.ID}, MatchID: "m"})
	env.Services.Notify.Tell(ctx, notify.Notice{Key: "c/2", Kind: notify.MatchMoved, Recipients: []string{u.ID}, MatchID: "m", State: "offered"})
	in, err := c.Notifications(ctx, 1)
	if err != nil || in.Total != 2 || in.Unread != 2 || in.Items[0].ID != 2 || in.Items[0].State != "offered" || in.Items[1].Kind != "referral" {
		t.Fatalf("Notifications() = %+v, %v, want the move then the referral, unread", in, err)
	}
	if err := c.MarkNotificationRead(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := c.MarkNotificationRead(ctx, 3); !client.IsStatus(err, 404) {
		t.Errorf("MarkNotificationRead(3) = %v, want 404", err)
	}
	if in, _ := c.Notifications(ctx, 1); in.Unread != 1 || !in.Items[1].Read || in.Items[1].ReadAt == nil {
		t.Errorf("after marking 1 read: %+v", in)
	}
	if err := c.MarkAllNotificationsRead(ctx); err != nil {
		t.Fatal(err)
	}
	if in, _ := c.Notifications(ctx, 1); in.Unread != 0 {
		t.Errorf("after marking all read: unread %d", in.Unread)
	}
	p, err := c.SetNotificationPreferences(ctx, client.NotificationPreferences{EmailOff: []string{"match_moved"}})
	if err != nil || len(p.EmailOff) != 1 || p.Digest || len(p.Kinds) != 6 {
		t.Errorf("SetNotificationPreferences() = %+v, %v, want match_moved off and the job-seeker's 6 kinds", p, err)
	}
	if got, err := c.NotificationPreferences(ctx); err != nil || len(got.EmailOff) != 1 || got.EmailOff[0] != "match_moved" {
		t.Errorf("NotificationPreferences() = %+v, %v", got, err)
	}
	if _, err := c.SetNotificationPreferences(ctx, client.NotificationPreferences{Digest: true}); !client.IsStatus(err, 400) {
		t.Errorf("a job-seeker's digest = %v, want 400", err)
	}
}
