package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/careget/skillsmatch/internal/browsertest"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// loaded is one response Chromium loaded for the page, from the Resource
// Timing API: its kind and its body's size as decoded (what the browser
// parses) and on the wire (headers included).
type loaded struct {
	URL      string `json:"url"`
	Kind     string `json:"kind"`
	Decoded  int    `json:"decoded"`
	Transfer int    `json:"transfer"`
	// ServerMS is the time from sending the request to the first byte of
	// the answer (the document only): the server's render time plus the
	// loopback.
	ServerMS float64 `json:"serverMs"`
}

// pageWeight lists what the current page loaded: the document, then each
// sub-resource.
func pageWeight(t *testing.T, p *browsertest.Page) []loaded {
	t.Helper()
	var raw string
	act(t, p, "read the resource timings", func(ctx context.Context) (err error) {
		raw, err = chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify([
	...performance.getEntriesByType("navigation").map(e => ({url: e.name, kind: "document", decoded: e.decodedBodySize,
		transfer: e.transferSize, serverMs: e.responseStart - e.requestStart})),
	...performance.getEntriesByType("resource").map(e => ({url: e.name, kind: e.initiatorType, decoded: e.decodedBodySize,
		transfer: e.transferSize, serverMs: 0}))])`))
		return err
	})
	var out []loaded
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMatchesPageWeight: /me/matches with a match and a near miss, as
// Chromium loads it on a phone with scripts on and nothing cached, weighs
// (HTML + CSS + JS, decoded) well under the 100 KB that WEB.md allows a
// page of results. The figures are logged for the note.
func TestMatchesPageWeight(t *testing.T) {
	s := newSite(t)
	matchNeed, nearNeed, skills := s.journeyNeeds()
	me := s.seeker("weight@example.bg")
	s.profileFor(me.by, "1998-04-02", skills...)
	if p := me.b.get("/me/matches"); p.Status != http.StatusOK {
		t.Fatalf("GET /me/matches = %d", p.Status)
	}
	p := newVisitor(t, browsertest.Options{Viewport: browsertest.Mobile})
	act(t, p, "disable the cache", func(ctx context.Context) error {
		_, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
		return err
	})
	p.Navigate(s.srv.URL + "/login")
	typeAt(t, p, "#email", "weight@example.bg")
	typeAt(t, p, "#password", password)
	submitAt(t, p, `form[action="/login"] button[type=submit]`)
	p.Navigate(s.srv.URL + "/me/matches")
	if !p.Has("#need-"+matchNeed.ID) || !p.Has("#need-"+nearNeed.ID) {
		t.Fatal("/me/matches lacks the match or the near miss")
	}
	var decoded, transfer int
	kinds := map[string]bool{}
	for _, l := range pageWeight(t, p) {
		u, _ := url.Parse(l.URL)
		t.Logf("%-9s %-40s %6d bytes decoded, %6d on the wire", l.Kind, u.Path, l.Decoded, l.Transfer)
		if l.Kind == "document" {
			t.Logf("document: %.1f ms from request to first byte (server render + loopback)", l.ServerMS)
		}
		if l.Decoded == 0 {
			t.Errorf("%s was loaded but weighs nothing: the measure is broken (cached?)", l.URL)
		}
		kinds[l.Kind] = true
		decoded += l.Decoded
		transfer += l.Transfer
	}
	for _, k := range []string{"document", "link", "script"} {
		if !kinds[k] {
			t.Errorf("no %s was loaded: the page's HTML, stylesheet and script are all expected", k)
		}
	}
	t.Logf("/me/matches weighs %d bytes decoded (HTML+CSS+JS), %d bytes on the wire", decoded, transfer)
	if decoded >= 100_000 {
		t.Errorf("/me/matches weighs %d bytes, want well under 100 KB", decoded)
	}
}
