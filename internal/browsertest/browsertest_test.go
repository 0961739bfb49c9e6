package browsertest

import (
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// fixtures serves testdata/ and echoes a posted form back as a page.
func fixtures(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("GET /", http.FileServer(http.Dir("testdata")))
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html lang="bg"><head><meta charset="utf-8"><title>Получено</title></head><body><main><h1>Получено</h1>`)
		for _, k := range []string{"email", "name", "kind", "agree"} {
			fmt.Fprintf(w, `<p id="got-%s">%s</p>`, k, html.EscapeString(r.PostForm.Get(k)))
		}
		fmt.Fprint(w, `</main></body></html>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestFindChromiumFailsWithHowToInstall(t *testing.T) {
	none := func(string) (string, error) { return "", errors.New("not found") }
	_, err := FindChromium(func(string) string { return "" }, none)
	if err == nil || !strings.Contains(err.Error(), "make deps") {
		t.Fatalf("want an error that says to run make deps, got %v", err)
	}
	got, err := FindChromium(func(string) string { return "" }, func(name string) (string, error) {
		if name == "chromium-browser" {
			return "/opt/bin/chromium-browser", nil
		}
		return "", errors.New("not found")
	})
	if err != nil || got != "/opt/bin/chromium-browser" {
		t.Fatalf("FindChromium = %q, %v; want the chromium-browser on PATH", got, err)
	}
	exe, _ := os.Executable()
	got, err = FindChromium(func(k string) string {
		if k == "CHROME_PATH" {
			return exe
		}
		return ""
	}, none)
	if err != nil || got != exe {
		t.Fatalf("FindChromium = %q, %v; want $CHROME_PATH %s", got, err, exe)
	}
	if _, err := FindChromium(func(string) string { return "/no/such/chromium" }, none); err == nil || !strings.Contains(err.Error(), "make deps") {
		t.Fatalf("a CHROME_PATH that does not exist must be an error that says to run make deps, got %v", err)
	}
}

func TestAxeIsThePinnedFile(t *testing.T) {
	src, err := axeFiles.ReadFile("axe/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha512.Sum384(src)
	if got := "sha384-" + base64.StdEncoding.EncodeToString(sum[:]); got != AxeSHA384 {
		t.Fatalf("axe/axe.min.js is %s, want the pinned %s (axe/README.md)", got, AxeSHA384)
	}
	if !strings.HasPrefix(string(src), "/*! axe v"+AxeVersion+"\n") {
		t.Fatalf("axe/axe.min.js does not start with the banner of %s", AxeVersion)
	}
	readme, err := os.ReadFile("axe/README.md")
	if err != nil || !strings.Contains(string(readme), AxeSHA384) || !strings.Contains(string(readme), AxeVersion) {
		t.Fatalf("axe/README.md must name version %s and hash %s (err %v)", AxeVersion, AxeSHA384, err)
	}
}

func TestCleanPageHasNoViolations(t *testing.T) {
	srv := fixtures(t)
	for _, opts := range []Options{{Viewport: Mobile}, {Viewport: Desktop}, {Viewport: Mobile, NoJS: true}} {
		t.Run(opts.Viewport.Name+fmt.Sprint(opts.NoJS), func(t *testing.T) {
			p := NewPage(t, opts)
			p.Navigate(srv.URL + "/clean.html")
			if vs := p.Axe(); len(vs) != 0 {
				t.Fatalf("clean fixture: %s", vs)
			}
			p.AssertAccessible()
		})
	}
}

func TestKnownViolationsAreReported(t *testing.T) {
	srv := fixtures(t)
	for _, opts := range []Options{{Viewport: Mobile}, {Viewport: Desktop, NoJS: true}} {
		t.Run(opts.Viewport.Name+fmt.Sprint(opts.NoJS), func(t *testing.T) {
			p := NewPage(t, opts)
			p.Navigate(srv.URL + "/violations.html")
			vs := p.Axe()
			t.Logf("reported:\n%s", vs)
			for rule, target := range map[string]string{"label": "#nolabel", "color-contrast": "#low", "html-has-lang": "html"} {
				v, ok := vs.Find(rule)
				if !ok {
					t.Errorf("rule %s not reported; got %v", rule, vs.IDs())
					continue
				}
				if v.Impact == "" || v.HelpURL == "" {
					t.Errorf("rule %s lacks impact or help: %+v", rule, v)
				}
				if !slices.ContainsFunc(v.Nodes, func(n ViolationNode) bool { return slices.Contains(n.Target, target) }) {
					t.Errorf("rule %s does not point at %s: %+v", rule, target, v.Nodes)
				}
				if !strings.Contains(vs.String(), "- "+rule+" (") || !strings.Contains(vs.String(), "at "+target) {
					t.Errorf("the report does not show %s at %s:\n%s", rule, target, vs)
				}
			}
		})
	}
}

func TestScriptsOffReallyOff(t *testing.T) {
	srv := fixtures(t)
	for _, c := range []struct {
		noJS bool
		want string
	}{{false, "scripts ran"}, {true, "scripts did not run"}} {
		p := NewPage(t, Options{NoJS: c.noJS})
		p.Navigate(srv.URL + "/script.html")
		if got := p.Text("#state"); got != c.want {
			t.Errorf("NoJS=%v: #state reads %q, want %q", c.noJS, got, c.want)
		}
	}
}

func TestFillAndSubmitByLabel(t *testing.T) {
	srv := fixtures(t)
	for _, noJS := range []bool{false, true} {
		p := NewPage(t, Options{Viewport: Mobile, NoJS: noJS})
		p.Navigate(srv.URL + "/clean.html")
		p.Fill("Имейл", "maria.ivanova@example.bg")
		p.Fill("Име и фамилия", "Мария Иванова")
		p.Fill("Име и фамилия", "Мария Петрова") // a second fill replaces the first
		p.Fill("Вид", "Стаж")
		p.Check("Съгласен съм")
		p.Submit("Изпрати")
		if got := p.Title(); got != "Получено" {
			t.Fatalf("NoJS=%v: after submit the title is %q, want the echo page", noJS, got)
		}
		want := map[string]string{"email": "maria.ivanova@example.bg", "name": "Мария Петрова", "kind": "internship", "agree": "yes"}
		for k, v := range want {
			if got := p.Text("#got-" + k); got != v {
				t.Errorf("NoJS=%v: posted %s = %q, want %q", noJS, k, got, v)
			}
		}
		if !p.Has("#got-email") || p.Has("#email") {
			t.Errorf("NoJS=%v: Has does not tell the echo page from the form", noJS)
		}
	}
}

func TestScreenshotIsAPNGOfTheViewportWidth(t *testing.T) {
	srv := fixtures(t)
	for _, vp := range []Viewport{Mobile, Desktop} {
		p := NewPage(t, Options{Viewport: vp, NoJS: true})
		p.Navigate(srv.URL + "/clean.html")
		path := p.Screenshot("clean")
		if !strings.HasSuffix(path, "clean-"+vp.Name+"-nojs.png") {
			t.Errorf("screenshot path %s does not name the viewport and script setting", path)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s is not a PNG: %v", path, err)
		}
		if int64(cfg.Width) != vp.Width || cfg.Height < 100 {
			t.Errorf("%s is %d×%d, want %d wide", path, cfg.Width, cfg.Height, vp.Width)
		}
	}
}

func TestXPathStringQuotesAnything(t *testing.T) {
	for in, want := range map[string]string{
		`Имейл`:         `"Имейл"`,
		`say "hi"`:      `'say "hi"'`,
		`it's "quoted"`: `concat("it's ", '"', "quoted", '"', "")`,
	} {
		if got := xpathString(in); got != want {
			t.Errorf("xpathString(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestKeyboardMovesTheFocus(t *testing.T) {
	srv := fixtures(t)
	for _, noJS := range []bool{false, true} {
		p := NewPage(t, Options{Viewport: Desktop, NoJS: noJS})
		p.Navigate(srv.URL + "/clean.html")
		if got := p.Focused(); got != "body" {
			t.Errorf("NoJS=%v: focus before any key is on %q, want body", noJS, got)
		}
		p.Press(kb.Tab)
		if got := p.Focused(); got != "input#email[name=email]" {
			t.Errorf("NoJS=%v: after Tab the focus is on %q, want the e-mail field", noJS, got)
		}
		p.Press(kb.Tab)
		if got := p.Focused(); got != "input#name[name=name]" {
			t.Errorf("NoJS=%v: after two Tabs the focus is on %q, want the name field", noJS, got)
		}
	}
}

// Two pages are two visitors: a cookie set in one is not sent by the other,
// even to the same host, so one test's session or language never reaches
// another test.
func TestPagesDoNotShareCookies(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /set", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "who", Value: "first", Path: "/"})
		fmt.Fprint(w, `<!doctype html><html lang="en"><head><title>set</title></head><body><main><p id="c">set</p></main></body></html>`)
	})
	mux.HandleFunc("GET /show", func(w http.ResponseWriter, r *http.Request) {
		got := "none"
		if c, err := r.Cookie("who"); err == nil {
			got = c.Value
		}
		fmt.Fprintf(w, `<!doctype html><html lang="en"><head><title>show</title></head><body><main><p id="c">%s</p></main></body></html>`, got)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	first := NewPage(t, Options{})
	first.Navigate(srv.URL + "/set")
	first.Navigate(srv.URL + "/show")
	if got := first.Text("#c"); got != "first" {
		t.Fatalf("the page that got the cookie sends %q, want first", got)
	}
	second := NewPage(t, Options{})
	second.Navigate(srv.URL + "/show")
	if got := second.Text("#c"); got != "none" {
		t.Fatalf("a second page sends the first page's cookie (%q): tests would share sessions", got)
	}
}
