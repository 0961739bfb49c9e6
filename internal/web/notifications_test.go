package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/browsertest"
	"github.com/careget/skillsmatch/internal/notify"
)

// tell gives the person a referral and a move of it, as the match
// workflow would.
func (s *site) tell(userID string, key string) {
	s.t.Helper()
	ctx := context.Background()
	s.svc.Notify.Tell(ctx, notify.Notice{Key: key + "/ref", Kind: notify.Referral, Recipients: []string{userID}, MatchID: "m1"})
	s.svc.Notify.Tell(ctx, notify.Notice{Key: key + "/move", Kind: notify.MatchMoved, Recipients: []string{userID}, MatchID: "m1", State: "interview"})
}

// The badge counts unread notifications on every page; the inbox lists
// them in the page's language, marks them read and saves the e-mail
// choices; officers see the outbox, with addresses masked.
func TestNotificationsInboxBadgeAndOutbox(t *testing.T) {
	s := newSite(t)
	me := s.seeker("inbox@example.bg")
	s.tell(me.by.UserID, "t1")
	for _, path := range []string{"/", "/me", "/pathways", "/me/account"} {
		if p := me.b.get(path); !strings.Contains(p.Body, `<span class="badge" aria-hidden="true">2</span>`) || !strings.Contains(p.Body, "2 непрочетени") {
			t.Errorf("GET %s: no badge with 2 unread", path)
		}
	}
	p := me.b.get("/me/notifications?lang=en")
	for _, want := range []string{"The labour office referred a candidate", "moved to “interview”", "2 notifications", `href="/me/applications"`} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("/me/notifications lacks %q", want)
		}
	}
	if r := me.b.submit("/me/notifications", "/me/notifications/2/read", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("mark read = %d", r.Status)
	}
	if p := me.b.get("/"); !strings.Contains(p.Body, `<span class="badge" aria-hidden="true">1</span>`) {
		t.Errorf("after marking one read the badge does not say 1")
	}
	if r := me.b.submit("/me/notifications", "/me/notifications/99/read", nil); r.Status != http.StatusNotFound {
		t.Errorf("mark an unknown one read = %d, want 404", r.Status)
	}
	if r := me.b.submit("/me/notifications", "/me/notifications/read", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("mark all read = %d", r.Status)
	}
	if p := me.b.get("/"); strings.Contains(p.Body, `class="badge"`) {
		t.Errorf("after marking all read there is still a badge")
	}
	// Untick everything but referrals.
	if r := me.b.submit("/me/notifications", "/me/notifications/preferences", url.Values{"email": {"referral"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("save preferences = %d", r.Status)
	}
	prefs, err := s.svc.Notify.Preferences(context.Background(), me.by)
	if err != nil || !prefs.Wants(notify.Referral) || prefs.Wants(notify.MatchMoved) || prefs.Digest {
		t.Errorf("preferences = %+v, %v: want referrals only, no digest", prefs, err)
	}
	// A job-seeker cannot take the digest: the form says why.
	if r := me.b.submit("/me/notifications", "/me/notifications/preferences", url.Values{"digest": {"on"}}); r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest || !strings.Contains(r.Body, "error-summary") {
		t.Errorf("a job-seeker's digest = %d, want the form with its error summary", r.Status)
	}
	// Another person cannot mark this person's notifications.
	other := s.seeker("other-inbox@example.bg")
	s.tell(other.by.UserID, "t2")
	if r := me.b.submit("/me/notifications", "/me/notifications/1/read", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("mark own read = %d", r.Status)
	}
	if n, _ := s.svc.Notify.Unread(context.Background(), other.by); n != 2 {
		t.Errorf("the other person's unread = %d after this one marked its own, want 2", n)
	}

	// The office's outbox: the mails wait there (no SMTP in tests).
	if _, err := s.svc.Auth.CreateStaff(context.Background(), auth.NewAccount{Email: "outbox-officer@az.government.bg", Password: password,
		Name: "Мария", Role: auth.RoleOfficer}); err != nil {
		t.Fatal(err)
	}
	officer := s.browser()
	officer.signIn("outbox-officer@az.government.bg")
	o := officer.get("/office/outbox?lang=en")
	if o.Status != http.StatusOK || !strings.Contains(o.Body, "o***@example.bg") || strings.Contains(o.Body, "other-inbox@example.bg") ||
		!strings.Contains(o.Body, `<strong lang="bg">Ново насочване</strong>`) || !strings.Contains(o.Body, "waiting") {
		t.Errorf("/office/outbox = %d, want the waiting mails with masked addresses:\n%s", o.Status, o.Body)
	}
	if p := officer.get("/notifications"); p.Status != http.StatusOK {
		t.Errorf("officer's /notifications = %d", p.Status)
	}
	if p := me.b.get("/office/outbox"); p.Status != http.StatusForbidden {
		t.Errorf("job-seeker's /office/outbox = %d, want 403", p.Status)
	}
	if p := s.browser().get("/notifications"); p.Status != http.StatusSeeOther {
		t.Errorf("visitor's /notifications = %d, want 303 to sign in", p.Status)
	}
}

// The badge and the inbox in Chromium with axe-core (WCAG 2.1 A and AA,
// and best practice) in both languages at 360 and 1280 px; screenshots.
func TestNotificationPagesAccessible(t *testing.T) {
	s := newSite(t)
	n := 0
	for _, vp := range []browsertest.Viewport{browsertest.Mobile, browsertest.Desktop} {
		for _, lang := range []string{"bg", "en"} {
			t.Run(vp.Name+"-"+lang, func(t *testing.T) {
				n++
				email := fmt.Sprintf("notify-a11y%d@example.bg", n)
				me := s.seeker(email)
				s.tell(me.by.UserID, email)
				p := newVisitor(t, browsertest.Options{Viewport: vp})
				p.Navigate(s.srv.URL + "/login?lang=" + lang)
				typeAt(t, p, "#email", email)
				typeAt(t, p, "#password", password)
				submitAt(t, p, `form[action="/login"] button[type=submit]`)
				p.Navigate(s.srv.URL + "/me/notifications")
				p.WaitVisible(".badge")
				if l := htmlLang(t, p); l != lang {
					t.Errorf("inbox is in %q, want %q", l, lang)
				}
				p.Screenshot("notifications-" + vp.Name + "-" + lang)
				if wide := overflow(t, p); wide != "" {
					t.Errorf("inbox (%s, %s px) scrolls sideways: %s", lang, vp.Name, wide)
				}
				if vs := p.Axe("best-practice"); len(vs) > 0 {
					t.Errorf("inbox (%s, %s px), best practice: %s", lang, vp.Name, vs)
				}
				if vs := p.Axe(); len(vs) > 0 {
					t.Errorf("inbox (%s, %s px): %s", lang, vp.Name, vs)
				}
				// The officer's inbox (with the digest setting) and outbox.
				o := s.officerTab(t, fmt.Sprintf("outbox-a11y%d@az.government.bg", n), lang, vp)
				for _, path := range []string{"/notifications", "/office/outbox"} {
					o.Navigate(s.srv.URL + path)
					name := "officer-" + strings.ReplaceAll(strings.Trim(path, "/"), "/", "-")
					o.Screenshot(name + "-" + vp.Name + "-" + lang)
					if wide := overflow(t, o); wide != "" {
						t.Errorf("%s (%s, %s px) scrolls sideways: %s", path, lang, vp.Name, wide)
					}
					for _, tags := range [][]string{{"best-practice"}, nil} {
						if vs := o.Axe(tags...); len(vs) > 0 {
							t.Errorf("%s (%s, %s px) %v: %s", path, lang, vp.Name, tags, vs)
						}
					}
				}
			})
		}
	}
}
