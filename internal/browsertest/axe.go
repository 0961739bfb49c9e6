package browsertest

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// The vendored axe-core: see axe/README.md for its version, source and hash.
//
//go:embed axe/axe.min.js axe/LICENSE
var axeFiles embed.FS

// AxeVersion and AxeSHA384 name the vendored file; a test checks the hash.
const (
	AxeVersion = "4.14.1"
	AxeSHA384  = "sha384-xt1SFg49QaDwsyt0Xfs2XAyBtYPClXl3X2q5OOLeGAUmq9jZTYIMdztpF99WdhiH"
)

// WCAG21AA are the axe rule tags of WCAG 2.0 and 2.1, levels A and AA: the
// level the pages promise (EN 301 549).
var WCAG21AA = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// Violation is one axe rule the page breaks, with every element that
// breaks it.
type Violation struct {
	ID      string          `json:"id"`
	Impact  string          `json:"impact"`
	Help    string          `json:"help"`
	HelpURL string          `json:"helpUrl"`
	Nodes   []ViolationNode `json:"nodes"`
}

// ViolationNode is one offending element.
type ViolationNode struct {
	// Target is the CSS selector path to the element; more than one part
	// when it sits inside frames or shadow roots.
	Target  []string `json:"target"`
	HTML    string   `json:"html"`
	Summary string   `json:"failureSummary"`
}

// Violations print one rule a paragraph, each element under it.
type Violations []Violation

// IDs lists the rule ids, for assertions.
func (vs Violations) IDs() []string {
	ids := make([]string, len(vs))
	for i, v := range vs {
		ids[i] = v.ID
	}
	return ids
}

// Find returns the violation of rule id, if any.
func (vs Violations) Find(id string) (Violation, bool) {
	for _, v := range vs {
		if v.ID == id {
			return v, true
		}
	}
	return Violation{}, false
}

func (vs Violations) String() string {
	if len(vs) == 0 {
		return "no accessibility violations"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d accessibility violations:\n", len(vs))
	for _, v := range vs {
		fmt.Fprintf(&b, "- %s (%s): %s\n  %s\n", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			html := strings.Join(strings.Fields(n.HTML), " ")
			if r := []rune(html); len(r) > 160 {
				html = string(r[:160]) + "…"
			}
			fmt.Fprintf(&b, "    at %s\n      %s\n", strings.Join(n.Target, " >>> "), html)
			for _, line := range strings.Split(strings.TrimSpace(n.Summary), "\n") {
				fmt.Fprintf(&b, "      %s\n", strings.TrimSpace(line))
			}
		}
	}
	return b.String()
}

// axeResult decodes axe's target, where an element inside a frame or a
// shadow root is an array of selectors instead of a string.
type axeTarget []string

func (t *axeTarget) UnmarshalJSON(b []byte) error {
	var parts []json.RawMessage
	if err := json.Unmarshal(b, &parts); err != nil {
		return err
	}
	for _, p := range parts {
		var s string
		if json.Unmarshal(p, &s) == nil {
			*t = append(*t, s)
			continue
		}
		var inner []string
		if err := json.Unmarshal(p, &inner); err != nil {
			return fmt.Errorf("axe target %s: %w", p, err)
		}
		*t = append(*t, strings.Join(inner, " "))
	}
	return nil
}

// Axe runs axe-core on the current page with the given rule tags
// (WCAG21AA when none) and returns the violations. With the page's
// scripts off, scripts are switched on for the scan only: DevTools can
// evaluate with them off, but axe.run's promise waits on timers that never
// fire then (tried: the scan hangs). The page's own scripts already had
// their chance not to run, and nothing triggers them during the scan.
func (p *Page) Axe(tags ...string) Violations {
	p.t.Helper()
	if len(tags) == 0 {
		tags = WCAG21AA
	}
	var out Violations
	p.do("accessibility scan", func(ctx context.Context) error {
		src, err := axeFiles.ReadFile("axe/axe.min.js")
		if err != nil {
			return err
		}
		if p.opts.NoJS {
			if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
				return err
			}
			defer func() {
				_, _ = chromedp.Call(context.WithoutCancel(ctx), emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			}()
		}
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe !== "undefined"`))
		if err != nil {
			return fmt.Errorf("look for axe-core: %w", err)
		}
		if !loaded {
			if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
				return fmt.Errorf("inject axe-core: %w", err)
			}
		}
		tagsJSON, _ := json.Marshal(tags)
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](`axe.run(document, {
	runOnly: {type: "tag", values: `+string(tagsJSON)+`},
	resultTypes: ["violations"]
}).then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary}))})))`, chromedp.EvalAwaitPromise))
		if err != nil {
			return fmt.Errorf("axe.run: %w", err)
		}
		var decoded []struct {
			Violation
			Nodes []struct {
				Target  axeTarget `json:"target"`
				HTML    string    `json:"html"`
				Summary string    `json:"failureSummary"`
			} `json:"nodes"`
		}
		if err := json.Unmarshal(raw, &decoded); err != nil {
			return fmt.Errorf("decode axe violations: %w", err)
		}
		for _, d := range decoded {
			v := d.Violation
			v.Nodes = nil
			for _, n := range d.Nodes {
				v.Nodes = append(v.Nodes, ViolationNode{Target: n.Target, HTML: n.HTML, Summary: n.Summary})
			}
			out = append(out, v)
		}
		return nil
	})
	return out
}

// AssertAccessible fails the test, listing every violation, unless the
// page has none for the tags (WCAG21AA when none).
func (p *Page) AssertAccessible(tags ...string) {
	p.t.Helper()
	if vs := p.Axe(tags...); len(vs) > 0 {
		p.t.Errorf("%s: %s", p.describe(), vs)
	}
}
