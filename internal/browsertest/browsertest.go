// Package browsertest drives a real headless Chromium from Go tests
// (chromedp): one browser per test package, a new tab per test with a
// phone or desktop viewport and JavaScript on or off, helpers that act as
// a person does (fill a field by its label, press a button by its text),
// screenshots under a test output folder, and an accessibility scan with
// the vendored axe-core (axe.go).
//
// A package that uses it runs its tests through Main:
//
//	func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
//
// When no Chromium is installed every browser test FAILS with a message
// saying to run `make deps`: a skipped browser test would count as a pass
// in CI and prove nothing.
package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// ActionTimeout bounds each helper call (a navigation, a fill, a scan), so
// a page that never shows the awaited element fails the test instead of
// hanging it until the package timeout.
var ActionTimeout = 30 * time.Second

// Viewport is the size of the tab's window in CSS pixels.
type Viewport struct {
	Name          string // used in screenshot file names
	Width, Height int64
	Mobile        bool // mobile emulation: meta viewport honoured, touch on
}

var (
	// Mobile is a small phone: the width the pages must make sense at.
	Mobile = Viewport{Name: "360", Width: 360, Height: 740, Mobile: true}
	// Desktop is an office screen.
	Desktop = Viewport{Name: "1280", Width: 1280, Height: 800}
)

// Options choose how a tab is opened.
type Options struct {
	Viewport Viewport // zero means Mobile
	NoJS     bool     // disable the page's scripts (Emulation.setScriptExecutionDisabled)
}

// ChromiumNames are the executables looked for on PATH, after $CHROME_PATH.
var ChromiumNames = []string{"chromium", "chromium-browser"}

// FindChromium returns the browser to run: $CHROME_PATH if set, else the
// first of ChromiumNames on PATH. The error says how to install one.
func FindChromium(getenv func(string) string, lookPath func(string) (string, error)) (string, error) {
	if p := getenv("CHROME_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("browsertest: CHROME_PATH=%s: %w (unset it and run `make deps` for Debian's chromium)", p, err)
		}
		return p, nil
	}
	for _, name := range ChromiumNames {
		if p, err := lookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("browsertest: no Chromium found ($CHROME_PATH unset, none of %s on PATH): run `make deps` "+
		"(it installs Debian's chromium) or set CHROME_PATH; the browser tests fail rather than skip, "+
		"because a skipped test would pass CI without proving anything", strings.Join(ChromiumNames, ", "))
}

// the browser shared by the package's tests, started at the first NewPage.
var shared struct {
	mu          sync.Mutex
	main        bool
	started     bool
	err         error
	browser     context.Context
	cancel      []context.CancelFunc
	userDataDir string
	shotsDir    string // this package's screenshot folder
	shots       int
}

// Main runs the package's tests and then stops the browser. Use it from
// TestMain; NewPage refuses to run without it, so no browser outlives the
// test binary.
func Main(m *testing.M) int {
	shared.mu.Lock()
	shared.main = true
	shared.mu.Unlock()
	code := m.Run()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	for i := len(shared.cancel) - 1; i >= 0; i-- {
		shared.cancel[i]()
	}
	if shared.userDataDir != "" {
		_ = os.RemoveAll(shared.userDataDir)
	}
	if shared.shots > 0 {
		fmt.Printf("browsertest: %d screenshots in %s\n", shared.shots, shared.shotsDir)
	}
	return code
}

func startBrowser() error {
	if shared.started {
		return shared.err
	}
	shared.started = true
	path, err := FindChromium(os.Getenv, exec.LookPath)
	if err != nil {
		shared.err = err
		return err
	}
	dir, err := os.MkdirTemp("", "browsertest-chromium-")
	if err != nil {
		shared.err = fmt.Errorf("browsertest: profile folder: %w", err)
		return shared.err
	}
	shared.userDataDir = dir
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(dir),
		chromedp.Headless,
		// Required here: no user namespaces for the sandbox in CI
		// containers, no GPU, no calls home during a test.
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("lang", "bg-BG"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	shared.cancel = append(shared.cancel, cancelAlloc, cancelBrowser)
	// The first Do starts the browser, which lives as long as the context
	// given: the browser's own, not one with a deadline.
	if err := chromedp.Do(browser); err != nil {
		shared.err = fmt.Errorf("browsertest: start %s: %w", path, err)
		return shared.err
	}
	shared.browser = browser
	return nil
}

// Page is one tab of the shared browser, owned by one test. Its helpers
// fail the test (t.Fatal) on any error, with what was being looked for.
type Page struct {
	t    testing.TB
	ctx  context.Context
	opts Options
}

// NewPage opens a new tab with the viewport and script setting of opts;
// the tab is closed when the test ends.
func NewPage(t testing.TB, opts Options) *Page {
	t.Helper()
	if opts.Viewport.Width == 0 {
		opts.Viewport = Mobile
	}
	shared.mu.Lock()
	if !shared.main {
		shared.mu.Unlock()
		t.Fatal("browsertest: run the package's tests through browsertest.Main: func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }")
	}
	err := startBrowser()
	browser := shared.browser
	shared.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	// Each tab is its own visitor: a new browser context, so cookies and
	// storage of one test (a session, a remembered language) never leak
	// into another. Cookies ignore ports, and every test server listens on
	// 127.0.0.1.
	tab, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first Do opens the tab, which lives as long as the context given:
	// the tab's own, not one with a deadline.
	if err := chromedp.Do(tab); err != nil {
		t.Fatalf("browsertest: open a tab: %v", err)
	}
	p := &Page{t: t, ctx: tab, opts: opts}
	p.do("open a tab", func(ctx context.Context) error {
		vp := opts.Viewport
		if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: vp.Width, Height: vp.Height, DeviceScaleFactor: 1, Mobile: vp.Mobile,
		}); err != nil {
			return err
		}
		if _, err := chromedp.Call(ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: vp.Mobile}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: opts.NoJS})
		return err
	})
	return p
}

// Context is the tab's chromedp context, for what the helpers do not
// cover: chromedp.Run(p.Context(), ...).
func (p *Page) Context() context.Context { return p.ctx }

// Options returns the viewport and script setting the tab was opened with.
func (p *Page) Options() Options { return p.opts }

// do runs f with the action timeout and fails the test on error.
func (p *Page) do(what string, f func(ctx context.Context) error) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, ActionTimeout)
	defer cancel()
	if err := f(ctx); err != nil {
		p.t.Fatalf("browsertest: %s (%s): %v", what, p.describe(), err)
	}
}

func (p *Page) describe() string {
	js := "js"
	if p.opts.NoJS {
		js = "no js"
	}
	// Bounded, and no script: the tab may be stuck in the very state that
	// made the action fail.
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	url := "?"
	if h, err := chromedp.Call(ctx, page.GetNavigationHistory, cdp.Empty{}); err == nil && int(h.CurrentIndex) < len(h.Entries) {
		url = h.Entries[h.CurrentIndex].URL
	}
	return fmt.Sprintf("%spx, %s, at %s", p.opts.Viewport.Name, js, url)
}

// Navigate loads url and waits for its load event.
func (p *Page) Navigate(url string) {
	p.t.Helper()
	p.do("navigate to "+url, func(ctx context.Context) error { return chromedp.Do(ctx, chromedp.Navigate(url)) })
}

// URL is the address of the current page.
func (p *Page) URL() string {
	p.t.Helper()
	var url string
	p.do("read the URL", func(ctx context.Context) (err error) { url, err = chromedp.Run(ctx, chromedp.Location()); return })
	return url
}

// Title is the document's title.
func (p *Page) Title() string {
	p.t.Helper()
	var title string
	p.do("read the title", func(ctx context.Context) (err error) { title, err = chromedp.Run(ctx, chromedp.Title()); return })
	return title
}

// Fill types value into the field whose <label> reads label (whitespace
// normalised, exact): the label's for= target or the control inside it.
// A <select> gets the option whose text or value is value; a checkbox or
// radio is clicked (see Check). Typing goes through real key events, so
// Cyrillic and Latin text arrive as a person's would.
func (p *Page) Fill(label, value string) {
	p.t.Helper()
	p.do(fmt.Sprintf("fill the field labelled %q", label), func(ctx context.Context) error {
		field, err := p.control(ctx, label)
		if err != nil {
			return err
		}
		ids := chromedp.NodeIDs{field.NodeID}
		switch strings.ToUpper(field.NodeName) {
		case "SELECT":
			arg, _ := json.Marshal(normalize(value))
			res, err := callOn(ctx, field, `function(want) {
	for (const o of this.options) {
		if (o.value === want || o.text.trim().replace(/\s+/g, " ") === want) {
			this.value = o.value;
			this.dispatchEvent(new Event("change", {bubbles: true}));
			return true;
		}
	}
	return false;
}`, arg)
			if err != nil {
				return err
			}
			if string(res) != "true" {
				return fmt.Errorf("the select has no option %q", value)
			}
			return nil
		case "INPUT":
			switch strings.ToLower(field.AttributeValue("type")) {
			case "checkbox", "radio":
				return chromedp.Do(ctx, chromedp.Click(ids))
			}
		}
		if err := clearField(ctx, field); err != nil {
			return err
		}
		return chromedp.Do(ctx, chromedp.SendKeys(ids, value))
	})
}

// clearField empties an input or textarea, what a person does with select
// all and delete. (chromedp.Clear only resets the value attribute, which a
// field already typed into ignores.) It runs through DevTools, so it works
// with the page's scripts off.
func clearField(ctx context.Context, field *chromedp.Node) error {
	if _, err := callOn(ctx, field, `function() { this.value = ""; }`); err != nil {
		return fmt.Errorf("clear the field: %w", err)
	}
	return nil
}

// callOn calls a function with the node as this, through DevTools (so with
// the page's scripts off too), and returns its JSON result.
func callOn(ctx context.Context, node *chromedp.Node, function string, jsonArgs ...[]byte) ([]byte, error) {
	obj, err := chromedp.Call(ctx, dom.ResolveNode, dom.ResolveNodeParams{NodeID: node.NodeID})
	if err != nil {
		return nil, fmt.Errorf("resolve node %d: %w", node.NodeID, err)
	}
	args := make([]*runtime.CallArgument, len(jsonArgs))
	for i, a := range jsonArgs {
		args[i] = &runtime.CallArgument{Value: a}
	}
	byValue := true
	res, err := chromedp.Call(ctx, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
		FunctionDeclaration: function, ObjectID: obj.Object.ObjectID, Arguments: args, ReturnByValue: &byValue,
	})
	if err != nil {
		return nil, err
	}
	if res.ExceptionDetails != nil {
		return nil, fmt.Errorf("%s", res.ExceptionDetails.Text)
	}
	return res.Result.Value, nil
}

// Check clicks the checkbox or radio button whose label reads label.
func (p *Page) Check(label string) {
	p.t.Helper()
	p.do(fmt.Sprintf("check %q", label), func(ctx context.Context) error {
		field, err := p.control(ctx, label)
		if err != nil {
			return err
		}
		return chromedp.Do(ctx, chromedp.Click(chromedp.NodeIDs{field.NodeID}))
	})
}

// control finds the form control labelled label. It waits for the label to
// appear and refuses an ambiguous one: a page with two fields of the same
// label is itself an accessibility fault.
func (p *Page) control(ctx context.Context, label string) (*chromedp.Node, error) {
	labels, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.Search(`//label[normalize-space(.)=`+xpathString(normalize(label))+`]`)))
	if err != nil {
		return nil, fmt.Errorf("no <label> reads %q: %w", label, err)
	}
	if len(labels) != 1 {
		return nil, fmt.Errorf("%d labels read %q", len(labels), label)
	}
	var fields []*chromedp.Node
	if id := labels[0].AttributeValue("for"); id != "" {
		fields, err = chromedp.Run(ctx, chromedp.Nodes(chromedp.Search(`//*[@id=`+xpathString(id)+`]`), chromedp.AtLeast(0)))
	} else {
		fields, err = chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS("input, select, textarea"), chromedp.FromNode(labels[0]), chromedp.AtLeast(0)))
	}
	if err != nil {
		return nil, err
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("the label %q names no form control", label)
	}
	return fields[0], nil
}

// buttonXPath matches a <button> or a submit/button <input> by its text.
func buttonXPath(text string) string {
	s := xpathString(normalize(text))
	return `//button[normalize-space(.)=` + s + `] | //input[(@type="submit" or @type="button") and normalize-space(@value)=` + s + `]`
}

// Click presses the button that reads text, without waiting for anything:
// for an enhanced page that updates in place. Follow it with WaitVisible.
func (p *Page) Click(text string) {
	p.t.Helper()
	p.do(fmt.Sprintf("click the button %q", text), func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.Click(chromedp.Search(buttonXPath(text))))
	})
}

// Submit presses the button that reads text and waits for the page that
// answers (the next load event): a form post without JavaScript.
func (p *Page) Submit(text string) {
	p.t.Helper()
	p.do(fmt.Sprintf("submit with the button %q", text), func(ctx context.Context) error {
		_, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.Search(buttonXPath(text)))))
		return err
	})
}

// FollowLink clicks the link that reads text and waits for the new page.
func (p *Page) FollowLink(text string) {
	p.t.Helper()
	p.do(fmt.Sprintf("follow the link %q", text), func(ctx context.Context) error {
		_, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil,
			chromedp.Click(chromedp.Search(`//a[normalize-space(.)=`+xpathString(normalize(text))+`]`))))
		return err
	})
}

// Text is the visible text of the first element that matches the CSS
// selector, waiting for it to exist.
func (p *Page) Text(css string) string {
	p.t.Helper()
	var text string
	p.do("read the text of "+css, func(ctx context.Context) (err error) {
		text, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
		return err
	})
	return text
}

// Has reports whether an element matches the CSS selector now, without
// waiting.
func (p *Page) Has(css string) bool {
	p.t.Helper()
	var n int
	p.do("look for "+css, func(ctx context.Context) error {
		nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS(css), chromedp.AtLeast(0)))
		n = len(nodes)
		return err
	})
	return n > 0
}

// WaitVisible waits until an element matching the CSS selector is visible.
func (p *Page) WaitVisible(css string) {
	p.t.Helper()
	p.do("wait for "+css+" to be visible", func(ctx context.Context) error {
		return chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(css)))
	})
}

// ScreenshotDir is where screenshots go: $SKILLSMATCH_SCREENSHOTS, or
// test-output/screenshots at the module's root (ignored by git), then the
// package's path inside the module.
func ScreenshotDir() (string, error) {
	root := os.Getenv("SKILLSMATCH_SCREENSHOTS")
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	mod := wd
	for {
		if _, err := os.Stat(filepath.Join(mod, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(mod)
		if parent == mod {
			return "", errors.New("browsertest: no go.mod above the test's folder; set SKILLSMATCH_SCREENSHOTS")
		}
		mod = parent
	}
	if root == "" {
		root = filepath.Join(mod, "test-output", "screenshots")
	}
	rel, err := filepath.Rel(mod, wd)
	if err != nil {
		return "", err
	}
	return filepath.Join(root, rel), nil
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Screenshot writes a full-page PNG of the current page to
// <ScreenshotDir>/<TestName>/<name>-<viewport>-<js|nojs>.png, logs and
// returns its path.
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	var path string
	p.do("screenshot "+name, func(ctx context.Context) error {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			return err
		}
		shared.mu.Lock()
		defer shared.mu.Unlock()
		if shared.shotsDir == "" {
			dir, err := ScreenshotDir()
			if err != nil {
				return err
			}
			// A fresh folder per run: stale pictures must not pass for new ones.
			if err := os.RemoveAll(dir); err != nil {
				return err
			}
			shared.shotsDir = dir
		}
		js := "js"
		if p.opts.NoJS {
			js = "nojs"
		}
		dir := filepath.Join(shared.shotsDir, unsafeName.ReplaceAllString(p.t.Name(), "_"))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		path = filepath.Join(dir, unsafeName.ReplaceAllString(name, "_")+"-"+p.opts.Viewport.Name+"-"+js+".png")
		if err := os.WriteFile(path, png, 0o644); err != nil {
			return err
		}
		shared.shots++
		return nil
	})
	p.t.Logf("screenshot: %s", path)
	return path
}

// normalize collapses whitespace as XPath's normalize-space does.
func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// xpathString quotes s as an XPath 1.0 string literal, whatever quotes it
// holds.
func xpathString(s string) string {
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	if !strings.Contains(s, `'`) {
		return `'` + s + `'`
	}
	parts := strings.Split(s, `"`)
	for i, part := range parts {
		parts[i] = `"` + part + `"`
	}
	return `concat(` + strings.Join(parts, `, '"', `) + `)`
}

// Press sends key presses to the focused element, as a keyboard does:
// text, or keys of github.com/chromedp/chromedp/kb (kb.Tab, kb.Enter).
func (p *Page) Press(keys string) {
	p.t.Helper()
	p.do(fmt.Sprintf("press %q", keys), func(ctx context.Context) error { return chromedp.Do(ctx, chromedp.KeyEvent(keys)) })
}

// Focused describes the element that has the keyboard focus: its tag, id
// and name, e.g. `input#email[name=email]`, or "body" when none has. It
// reads the DOM through DevTools, so it works with the page's scripts off.
func (p *Page) Focused() string {
	p.t.Helper()
	var out string
	p.do("read the focused element", func(ctx context.Context) (err error) {
		out, err = chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
	const e = document.activeElement;
	if (!e) return "";
	let s = e.tagName.toLowerCase();
	if (e.id) s += "#" + e.id;
	if (e.getAttribute("name")) s += "[name=" + e.getAttribute("name") + "]";
	return s;
})()`))
		return err
	})
	return out
}
