// Package chart draws the office's figures as server-rendered SVG: no
// script, no inline style (the pages' CSP forbids it; SVG presentation
// attributes are not style). A chart is a picture for the eye only: it is
// role="img" with a title and a description, and the page puts a table
// with the same figures after it, which is what a screen reader reads.
package chart

import (
	"fmt"
	"html/template"
	"strings"
	"unicode/utf8"
)

// Bar is one labelled figure.
type Bar struct {
	Label string
	Value int
	Text  string // the value as the page's language writes it
}

// Bars is a horizontal bar chart. Negative values grow left from the zero
// line, positive ones right, so a surplus and a shortage read apart at a
// glance; each bar's label and value are written above it, so nothing
// depends on the colour alone.
type Bars struct {
	ID    string // a prefix for the ids of the title and description
	Title string
	Desc  string
	Bars  []Bar
}

// Geometry in CSS pixels. The width is the page's (100 %); positions
// across are percentages, so the chart reflows from 360 px up.
const (
	rowHeight = 44
	barHeight = 16
	textSize  = 14
	maxLabel  = 34 // characters before a label is cut (the table has it whole)
)

// Colours: 3:1 or more against white (WCAG 1.4.11 non-text contrast).
const (
	positiveFill = "#1d4f91" // 7.9:1
	negativeFill = "#a34700" // 5.6:1
	textFill     = "#1b1b1b"
	axisStroke   = "#4a4a4a"
)

// SVG renders the chart. Every text is escaped.
func (c Bars) SVG() template.HTML {
	maxPos, maxNeg := 0, 0
	for _, b := range c.Bars {
		maxPos, maxNeg = max(maxPos, b.Value), max(maxNeg, -b.Value)
	}
	span := maxPos + maxNeg
	zero := 0.0
	if span > 0 {
		zero = 100 * float64(maxNeg) / float64(span)
	}
	height := len(c.Bars)*rowHeight + 8
	esc := template.HTMLEscapeString
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg class="chart" role="img" width="100%%" height="%d" aria-labelledby="%s-title %s-desc" xmlns="http://www.w3.org/2000/svg">`,
		height, esc(c.ID), esc(c.ID))
	fmt.Fprintf(&sb, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(c.ID), esc(c.Title), esc(c.ID), esc(c.Desc))
	for i, b := range c.Bars {
		y := i * rowHeight
		fmt.Fprintf(&sb, `<g class="bar"><title>%s: %s</title>`, esc(b.Label), esc(b.Text))
		fmt.Fprintf(&sb, `<text x="0" y="%d" font-size="%d" fill="%s">%s</text>`, y+textSize+2, textSize, textFill, esc(cut(b.Label)))
		fmt.Fprintf(&sb, `<text class="value" x="100%%" y="%d" font-size="%d" font-weight="700" text-anchor="end" fill="%s">%s</text>`,
			y+textSize+2, textSize, textFill, esc(b.Text))
		if b.Value != 0 && span > 0 {
			w := 100 * float64(abs(b.Value)) / float64(span)
			x, fill := zero, positiveFill
			if b.Value < 0 {
				x, fill = zero-w, negativeFill
			}
			fmt.Fprintf(&sb, `<rect x="%.2f%%" y="%d" width="%.2f%%" height="%d" fill="%s"/>`, x, y+textSize+8, w, barHeight, fill)
		}
		sb.WriteString(`</g>`)
	}
	if maxNeg > 0 {
		fmt.Fprintf(&sb, `<line x1="%.2f%%" x2="%.2f%%" y1="%d" y2="%d" stroke="%s" stroke-width="2"/>`, zero, zero, textSize+4, height, axisStroke)
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String()) //nolint:gosec // every text above is escaped
}

// cut shortens a label to maxLabel characters, so that it and the value
// share a line on a phone.
func cut(s string) string {
	if utf8.RuneCountInString(s) <= maxLabel {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:maxLabel-1])) + "…"
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
