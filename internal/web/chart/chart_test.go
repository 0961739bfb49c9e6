package chart

import (
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
)

// TestBarsDrawEachFigure: one bar per figure with its label and value
// written, widths in proportion, negative values left of the zero line in
// another colour, the texts escaped, and the result well-formed SVG that
// is an image with a title and a description.
func TestBarsDrawEachFigure(t *testing.T) {
	svg := string(Bars{ID: "c", Title: "Gap <by skill>", Desc: "Bars & a table", Bars: []Bar{
		{Label: "nursing <care>", Value: 6, Text: "6"},
		{Label: "cooking", Value: 0, Text: "0"},
		{Label: "driving", Value: -2, Text: "-2"},
	}}.SVG())
	if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
		t.Fatalf("not well-formed: %v\n%s", err, svg)
	}
	for _, want := range []string{`role="img"`, `aria-labelledby="c-title c-desc"`, `<title id="c-title">Gap &lt;by skill&gt;</title>`,
		`<desc id="c-desc">Bars &amp; a table</desc>`, `>nursing &lt;care&gt;</text>`, `>-2</text>`,
		// 6 and -2 span 8: zero at 25 %, 6 is 75 % wide, -2 is 25 % wide from 0.
		`<rect x="25.00%" y="22" width="75.00%" height="16" fill="#1d4f91"/>`,
		`<rect x="0.00%" y="110" width="25.00%" height="16" fill="#a34700"/>`, `<line x1="25.00%"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("the chart lacks %s:\n%s", want, svg)
		}
	}
	if n := len(regexp.MustCompile(`<rect `).FindAllString(svg, -1)); n != 2 {
		t.Errorf("%d bars drawn, want 2 (a zero has none)", n)
	}
	if strings.Contains(svg, "style") {
		t.Error("the chart uses style, which the CSP forbids inline")
	}
}

func TestLongLabelsAreCut(t *testing.T) {
	long := strings.Repeat("д", 50)
	svg := string(Bars{ID: "c", Bars: []Bar{{Label: long, Value: 1, Text: "1"}}}.SVG())
	if !strings.Contains(svg, ">"+strings.Repeat("д", maxLabel-1)+"…</text>") || !strings.Contains(svg, "<title>"+long+": 1</title>") {
		t.Errorf("a long label is not cut with its whole text in the bar's title:\n%s", svg)
	}
}
