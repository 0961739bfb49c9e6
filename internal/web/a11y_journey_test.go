package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/careget/skillsmatch/internal/browsertest"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestJobseekerPagesAccessible scans the job-seeker's pages with axe-core
// (WCAG 2.1 A and AA) in both languages at 360 and 1280 px: /me, each
// state of /me/profile (an occupation searched, its skills offered, a
// skill searched, errors shown, the autocomplete's answer), /me/matches with a match and a near miss,
// /me/applications, /me/data and the erase confirmation (with and without
// its error). Zero violations, landmarks and headings in order (axe's best practice),
// nothing scrolling sideways at 360 px, the keyboard's focus visible; a
// screenshot of each page.
func TestJobseekerPagesAccessible(t *testing.T) {
	s := newSite(t)
	matchNeed, _, skills := s.journeyNeeds()
	n := 0
	for _, vp := range []browsertest.Viewport{browsertest.Mobile, browsertest.Desktop} {
		for _, lang := range []string{"bg", "en"} {
			t.Run(vp.Name+"-"+lang, func(t *testing.T) {
				n++
				email := fmt.Sprintf("a11y%d@example.bg", n)
				me := s.seeker(email)
				s.profileFor(me.by, "1998-04-02", skills...)
				if p := me.b.submit("/me/matches", "/me/applications", url.Values{"need": {matchNeed.ID}, "note": {"Мога от понеделник"}}); p.Status != http.StatusSeeOther {
					t.Fatalf("apply = %d", p.Status)
				}
				p := newVisitor(t, browsertest.Options{Viewport: vp})
				p.Navigate(s.srv.URL + "/login?lang=" + lang)
				typeAt(t, p, "#email", email)
				typeAt(t, p, "#password", password)
				submitAt(t, p, `form[action="/login"] button[type=submit]`)
				scan := func(name string) { t.Helper(); scanPage(t, p, name, lang, vp, 30) }
				scan("me")

				p.Navigate(s.srv.URL + "/me/profile")
				scan("profile")
				typeAt(t, p, "#occq", "medicinska sestra")
				// The autocomplete's answer, swapped into the page.
				p.WaitVisible(`#occ-suggestions button[value="` + nurseOcc + `"]`)
				scan("profile-autocomplete")
				submitAt(t, p, `button[name=action][value=occupation]`)
				scan("profile-occupations")
				submitAt(t, p, `button[name="occ"][value="`+nurseOcc+`"]`)
				scan("profile-occupation-skills")
				typeAt(t, p, "#skillq", "medicinska")
				submitAt(t, p, `button[name=action][value=findskill]`)
				scan("profile-skill-search")
				setValue(t, p, "#displayName", "")
				setValue(t, p, "#birthDate", "")
				submitAt(t, p, `button[name=action][value=save]`)
				if !p.Has(".error-summary") {
					t.Error("the profile without a name shows no errors")
				}
				scan("profile-errors")

				p.Navigate(s.srv.URL + "/me/matches")
				if !p.Has("#need-"+matchNeed.ID) || !p.Has("#near-title") {
					t.Error("/me/matches lacks the match or the near misses")
				}
				scan("matches")
				p.Navigate(s.srv.URL + "/me/applications")
				scan("applications")
				p.Navigate(s.srv.URL + "/me/data")
				scan("data")
				p.Navigate(s.srv.URL + "/me/data/erase")
				scan("erase")
				submitAt(t, p, `form[action="/me/data/erase"] button[type=submit]`)
				if !p.Has("#confirm-error") {
					t.Error("erasing without the tick shows no error")
				}
				scan("erase-errors")
			})
		}
	}
}

// overflow names the elements wider than the window, if the page is; ""
// when nothing sticks out.
func overflow(t *testing.T, p *browsertest.Page) string {
	t.Helper()
	var out string
	act(t, p, "measure the page's width", func(ctx context.Context) (err error) {
		out, err = chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
	const w = document.documentElement.clientWidth;
	if (document.documentElement.scrollWidth <= w) return "";
	return [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > w + 1)
		.slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : "") +
			" (right edge " + Math.round(e.getBoundingClientRect().right) + " > " + w + ")").join(", ");
})()`))
		return err
	})
	return out
}

// focusHidden presses Tab up to n times from the top of the page and
// names the first focused element with neither an outline nor a box
// shadow; "" when the focus showed every time.
func focusHidden(t *testing.T, p *browsertest.Page, n int) string {
	t.Helper()
	act(t, p, "blur", func(ctx context.Context) error {
		_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.activeElement && document.activeElement.blur(), window.scrollTo(0, 0), true)`))
		return err
	})
	for i := 0; i < n; i++ {
		p.Press(kb.Tab)
		var bad string
		act(t, p, "read the focus style", func(ctx context.Context) (err error) {
			bad, err = chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
	const e = document.activeElement;
	if (!e || e === document.body) return "";
	// In a date or month box Chromium moves the focus to the box's own
	// inner fields (it highlights the field typed in), and then the box
	// itself does not match :focus: what it shows is the browser's.
	if (!e.matches(":focus")) return "";
	const s = getComputedStyle(e);
	if ((s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none") return "";
	return e.outerHTML.slice(0, 80) + " (outline " + s.outlineStyle + " " + s.outlineWidth + ", shadow " + s.boxShadow +
		", :focus " + e.matches(":focus") + ", :focus-visible " + e.matches(":focus-visible") + ")";
})()`))
			return err
		})
		if bad != "" {
			return bad
		}
	}
	return ""
}
