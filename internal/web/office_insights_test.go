package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/browsertest"
	"github.com/careget/skillsmatch/internal/pathway"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// insWords are the texts the officer's journey acts on, per language.
var insWords = map[string]struct {
	insights, gapCSV, csvHeader, pathways, cohort, active, stageDone string
}{
	"bg": {insights: "Анализи", gapCSV: "CSV – Недостиг на умения", csvHeader: "Измерение", pathways: "Кариерен път в грижите: групи",
		cohort: "Група: Път към грижата 2027", active: "активен", stageDone: "Ориентиране: завършен"},
	"en": {insights: "Insights", gapCSV: "CSV – Skills gap", csvHeader: "Dimension", pathways: "Care Career Path: cohorts",
		cohort: "Cohort: Care Career Path 2027", active: "active", stageDone: "Orientation: done"},
}

// TestOfficeInsightsJourney: in Chromium, an officer opens the insights,
// changes the period with the form, downloads the skills gap as CSV,
// opens the cohort board and accepts a participant and marks their first
// stage done, each with one click (htmx swaps the board). Every page, and
// the form with its errors, in both languages at 360 and 1280 px: zero
// axe-core violations (WCAG 2.1 A and AA, and best practice), nothing
// blocked by the CSP, nothing scrolling sideways, the focus visible, a
// screenshot.
func TestOfficeInsightsJourney(t *testing.T) {
	s := newSite(t)
	_, officer := s.insOfficer("officer@example.bg")
	s.insSeed(officer)
	pw, first := s.insCohort(officer)
	pending := []string{first}
	for i := 1; i < 4; i++ {
		me := s.seeker(fmt.Sprintf("cohort%d@example.bg", i))
		s.profileFor(me.by, "2000-01-02")
		if _, err := s.svc.Pathways.Enrol(context.Background(), me.by, pw.ID, me.by.UserID); err != nil {
			t.Fatal(err)
		}
		pending = append(pending, me.by.UserID)
	}
	n := 0
	for _, vp := range []browsertest.Viewport{browsertest.Mobile, browsertest.Desktop} {
		for _, lang := range []string{"bg", "en"} {
			pid := pending[n]
			n++
			t.Run(vp.Name+"-"+lang, func(t *testing.T) {
				w := insWords[lang]
				p := newVisitor(t, browsertest.Options{Viewport: vp})
				// Every page of the tab reports what its CSP blocks.
				act(t, p, "listen for CSP violations", func(ctx context.Context) error {
					_, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
						Source: `window.__csp = []; document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`})
					return err
				})
				p.Navigate(s.srv.URL + "/login?lang=" + lang)
				typeAt(t, p, "#email", "officer@example.bg")
				typeAt(t, p, "#password", password)
				submitAt(t, p, `form[action="/login"] button[type=submit]`)
				scan := func(name, h1 string) {
					t.Helper()
					expectPage(t, p, lang, h1)
					p.Screenshot(name + "-" + lang)
					if wide := overflow(t, p); wide != "" {
						t.Errorf("%s (%s, %s px) scrolls sideways: %s", name, lang, vp.Name, wide)
					}
					p.AssertAccessible()
					// Landmarks and headings in order (axe's best practice),
					// and the keyboard's focus visible (WCAG 2.4.7).
					if vs := p.Axe("best-practice"); len(vs) > 0 {
						t.Errorf("%s (%s, %s px), best practice: %s", name, lang, vp.Name, vs)
					}
					if bad := focusHidden(t, p, 25); bad != "" {
						t.Errorf("%s (%s, %s px): the focus is not visible on %s", name, lang, vp.Name, bad)
					}
					if v := eval[string](t, p, `(window.__csp || ["no listener"]).join("; ")`); v != "" {
						t.Errorf("%s (%s): the CSP blocked %s", name, lang, v)
					}
				}

				p.Navigate(s.srv.URL + "/office/insights")
				if !p.Has(`#figure-gap svg[role="img"]`) || !p.Has("#table-gap tbody tr") {
					t.Error("the insights page has no gap chart or table")
				}
				scan("office-insights", w.insights)
				// The page's own stylesheet is allowed and applied.
				if got := eval[string](t, p, `getComputedStyle(document.querySelector(".table-scroll")).overflowX`); got != "auto" {
					t.Errorf("the tables' scroll box is %q, want auto: insights.css not applied", got)
				}

				setValue(t, p, "#from", "2020-01-01")
				setValue(t, p, "#to", "2020-12-31")
				submitAt(t, p, `form.insights-form button[type=submit]`)
				if u := p.URL(); !strings.Contains(u, "from=2020-01-01") || !strings.Contains(u, "to=2020-12-31") {
					t.Errorf("the period form went to %s", u)
				}
				wantText(t, p, "#period", "2020")
				scan("office-insights-period", w.insights)

				csv := string(download(t, p, w.gapCSV))
				if !strings.HasPrefix(csv, "\uFEFF"+w.csvHeader+",") || strings.Count(csv, "\r\n") != 3 {
					t.Errorf("the skills gap CSV is not the header and two skills:\n%s", csv)
				}

				p.Navigate(s.srv.URL + "/office/insights?from=2020-05-01&to=2020-04-01")
				if !p.Has("#error-summary") || !p.Has(`#to[aria-invalid="true"]`) {
					t.Error("an end before the start shows no error")
				}
				scan("office-insights-errors", w.insights)

				p.Navigate(s.srv.URL + "/office/pathways")
				scan("office-pathways", w.pathways)
				submitAt(t, p, `a[href="/office/pathways/`+pw.ID+`"]`)
				scan("office-cohort", w.cohort)

				row := "#p-" + pid
				accept, complete := row+` form[action$="/acceptance"]`, row+` form:has(input[name=status][value=completed])`
				insWaitHtmx(t, p, accept)
				click(t, p, accept+" button")
				insWaitText(t, p, row+" .status", w.active)
				insWaitHtmx(t, p, complete)
				click(t, p, complete+" button")
				insWaitText(t, p, row+" .stages", w.stageDone)
				// htmx swapped the board in place: no page was loaded.
				if u := p.URL(); strings.Contains(u, "done=") {
					t.Errorf("the clicks loaded %s, want the board swapped in place", u)
				}
				if !p.Has(`#board .notice[role="status"]`) {
					t.Error("the board does not say the move is recorded")
				}
				scan("office-cohort-progressed", w.cohort)
				got := s.insParticipant(pw.ID, pid)
				if got.Status != pathway.StatusActive || got.Stages["orientation"].Status != pathway.StageCompleted || got.Stage != "orientation" {
					t.Errorf("after the clicks the participant is %+v", got)
				}
			})
		}
	}
}

// click presses the element matched by css without waiting for a page
// load: htmx answers in place.
func click(t *testing.T, p *browsertest.Page, css string) {
	t.Helper()
	act(t, p, "click "+css, func(ctx context.Context) error { return chromedp.Do(ctx, chromedp.Click(chromedp.CSS(css))) })
}

// insWaitText waits until the text of css holds want. The board is
// swapped by htmx, or loaded anew when the click came before htmx had
// loaded: a read that meets the node gone or the page changing is tried
// again.
func insWaitText(t *testing.T, p *browsertest.Page, css, want string) {
	t.Helper()
	js := fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ""`, css)
	deadline := time.Now().Add(browsertest.ActionTimeout)
	got := ""
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(p.Context(), time.Second)
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		cancel()
		if err == nil {
			if got = v; strings.Contains(got, want) {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("%s at %s reads %q, want it to contain %q", css, p.URL(), got, want)
}

// insWaitHtmx waits until htmx has taken over the form matched by css:
// at the page's start, and after a swap once the new board has settled.
// A click before that is a plain form post, which works too, but this
// journey is about the form htmx enhances.
func insWaitHtmx(t *testing.T, p *browsertest.Page, css string) {
	t.Helper()
	insWaitText(t, p, "body", "") // the page is there
	js := fmt.Sprintf(`(f => !!(f && f["htmx-internal-data"] && f["htmx-internal-data"].initHash))(document.querySelector(%q))`, css)
	deadline := time.Now().Add(browsertest.ActionTimeout)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(p.Context(), time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("htmx never took over %s at %s", css, p.URL())
}

// insParticipant reads a participant from the cohort, as stored.
func (s *site) insParticipant(pathwayID, profileID string) pathway.Participant {
	s.t.Helper()
	cohort, err := s.svc.Pathways.Cohort(context.Background(), auth.Principal{UserID: "reader", Role: auth.RoleOfficer}, pathwayID)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, p := range cohort {
		if p.ProfileID == profileID {
			return p
		}
	}
	s.t.Fatalf("no participant %s", profileID)
	return pathway.Participant{}
}
