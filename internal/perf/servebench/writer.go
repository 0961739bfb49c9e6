package servebench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/careget/skillsmatch/internal/perf/load"
	"github.com/careget/skillsmatch/pkg/client"
)

// Writes is what the writer measured: needs created through the API
// while the match load ran, and how soon the public search found them.
type Writes struct {
	EverySeconds float64 `json:"everySeconds"` // the intended pace
	Attempted    int     `json:"attempted"`
	Written      int     `json:"written"` // answered 201
	Errors       int     `json:"errors"`  // not created
	Visible      int     `json:"visible"` // found by the search within the time limit
	// NotVisible were created but not found within TimeoutSeconds; they
	// are in Searchable at that limit, so a missing write raises the tail.
	NotVisible     int     `json:"notVisible"`
	TimeoutSeconds float64 `json:"timeoutSeconds"`
	FirstError     string  `json:"firstError,omitempty"`
	// Create is the POST /api/v1/needs round trip.
	Create load.Latency `json:"create"`
	// Searchable is from sending the POST to receiving the first search
	// answer that lists the need: what a person who saves a need and
	// then looks for it waits at most (plus up to one poll interval).
	Searchable load.Latency `json:"searchable"`
}

// pollEvery is how often the writer asks the search for a new need.
const pollEvery = 5 * time.Millisecond

// writer creates a need every so often through the API and polls the
// public search until it appears.
type writer struct {
	emp        *client.Client // a member of a verified employer
	anon       *client.Client // the public, who search
	employerID string
	template   client.Need // the skills, place and sector of a real need
	every      time.Duration
	timeout    time.Duration
	tag        string // makes the run's titles unique words
}

func newWriter(f *fixture, anon *client.Client, every, timeout time.Duration) *writer {
	// A need with required skills, so the new ones are matchable like
	// the rest; the first public one is as good as any.
	t := f.match[0]
	for _, n := range f.match {
		if slices.ContainsFunc(n.Skills, func(s client.SkillRequirement) bool { return s.Required }) {
			t = n
			break
		}
	}
	tag := "bw" + strconv.FormatUint(rand.Uint64()%(36*36*36*36), 36)
	return &writer{emp: f.writer, anon: anon, employerID: f.writerEmployer, template: t, every: every, timeout: timeout, tag: tag}
}

// run writes until stop is closed, at most one write at a time, starting
// one every w.every (at once after a write that took longer). A write
// under way when stop closes is finished and counted.
func (w *writer) run(ctx context.Context, stop <-chan struct{}) Writes {
	res := Writes{EverySeconds: w.every.Seconds(), TimeoutSeconds: w.timeout.Seconds()}
	var create, visible []time.Duration
	next := time.Now()
	for k := 0; ; k++ {
		select {
		case <-stop:
			res.Create, res.Searchable = load.Summarize(create), load.Summarize(visible)
			return res
		case <-ctx.Done():
			res.Create, res.Searchable = load.Summarize(create), load.Summarize(visible)
			return res
		case <-time.After(time.Until(next)):
		}
		next = next.Add(w.every)
		if now := time.Now(); next.Before(now) {
			next = now
		}
		res.Attempted++
		took, seen, err := w.writeOne(ctx, k)
		switch {
		case err != nil:
			res.Errors++
			if res.FirstError == "" {
				res.FirstError = err.Error()
			}
			continue
		case seen < 0:
			res.Written++
			res.NotVisible++
			visible = append(visible, w.timeout)
		default:
			res.Written++
			res.Visible++
			visible = append(visible, seen)
		}
		create = append(create, took)
	}
}

// writeOne creates the k-th need and waits for the search to list it. It
// returns the POST's latency and the time from sending it to the search
// answer that listed the need, or -1 if none did within w.timeout.
func (w *writer) writeOne(ctx context.Context, k int) (took, seen time.Duration, err error) {
	word := w.tag + "x" + strconv.Itoa(k) // one token that only this need has
	t := w.template
	start := time.Now().UTC().AddDate(0, 1, 0)
	n := client.NewNeed{EmployerID: w.employerID, Kind: "job", Title: fmt.Sprintf("%s %s", t.Title, word),
		Description: "Проверка на търсенето: " + word, Occupation: t.Occupation, Sector: t.Sector, Skills: t.Skills,
		Languages: t.Languages, EducationLevel: t.EducationLevel, Location: t.Location, WorkMode: t.WorkMode,
		Positions: 1, Hours: t.Hours, StartDate: start.Format(time.DateOnly),
		ApplyBy: start.AddDate(0, 0, -7).Format(time.DateOnly), Status: "open"}
	ctx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	begin := time.Now()
	created, err := w.emp.CreateNeed(ctx, n)
	took = time.Since(begin)
	if err != nil {
		return 0, 0, fmt.Errorf("create need %d: %w", k, err)
	}
	for {
		page, err := w.anon.SearchNeeds(ctx, client.NeedQuery{Q: word, PageSize: 10})
		if err == nil && slices.ContainsFunc(page.Items, func(x client.Need) bool { return x.ID == created.ID }) {
			return took, time.Since(begin), nil
		}
		select {
		case <-ctx.Done():
			return took, -1, nil
		case <-time.After(pollEvery):
		}
	}
}
