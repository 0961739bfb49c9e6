package perf

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/careget/skillsmatch/internal/perf/load"
	"github.com/careget/skillsmatch/internal/perf/servebench"
)

// Report is one run of the table: every row measured in that run, on the
// same generated data.
type Report struct {
	Commit    string        `json:"commit"`
	At        time.Time     `json:"at"`
	GoVersion string        `json:"goVersion"`
	CPUs      int           `json:"cpus"`
	Scales    []ScaleReport `json:"scales"`
}

// ScaleReport is the rows of one scale.
type ScaleReport struct {
	Scale           Scale              `json:"scale"`
	GenerateSeconds float64            `json:"generateSeconds"`
	Indexing        Indexing           `json:"indexing"`
	PeerIndexing    []PeerBuild        `json:"peerIndexing,omitempty"`
	Ranking         []RankingRow       `json:"ranking"`
	Search          Latency            `json:"search"`
	HTTP            *servebench.Result `json:"http,omitempty"`
	Notes           []string           `json:"notes,omitempty"`
}

// PeerBuild is how long a peer took to load the same data.
type PeerBuild struct {
	System  string  `json:"system"`
	Seconds float64 `json:"seconds"`
}

// RankingRow is one system ranking one direction.
type RankingRow struct {
	Direction string  `json:"direction"` // "need→candidates" or "profile→needs"
	System    string  `json:"system"`
	Latency   Latency `json:"latency"`
	// SameTop10 is the share of queries on which the system's first ten
	// equal the product's; CPURatio is the system's CPU per query over the
	// product's (how many times the product's cost).
	SameTop10 float64 `json:"sameTop10"`
	CPURatio  float64 `json:"cpuRatio"`
}

// Print writes the report as one table.
func (r *Report) Print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "skillsmatch bench — commit %s, %s, %s, %d CPUs\n", r.Commit, r.At.Format(time.RFC3339), r.GoVersion, r.CPUs)
	for _, s := range r.Scales {
		s.print(tw)
	}
	return tw.Flush()
}

func (s *ScaleReport) print(w io.Writer) {
	sc := s.Scale
	fmt.Fprintf(w, "\n%s scale: %d profiles, %d needs (seed %d), generated in %.1f s\n", sc.Name, sc.Profiles, sc.Needs, sc.Seed, s.GenerateSeconds)
	fmt.Fprintf(w, "row\tsystem\tqueries\tp50 ms\tp95 ms\tp99 ms\tCPU ms/query\t×product CPU\tsame top 10\t\n")
	if s.Indexing.Docs > 0 { // an -http-only run has no indexing, ranking or search rows
		s.printRanking(w)
	}
	if h := s.HTTP; h != nil {
		printHTTP(w, h)
	}
	for _, n := range s.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
}

func (s *ScaleReport) printRanking(w io.Writer) {
	ix := s.Indexing
	// Documents made searchable: needs indexed in Bleve plus profiles
	// loaded into memory (no index holds profiles since layout 9).
	fmt.Fprintf(w, "full reindex\tproduct\t%d docs (%d needs indexed + %d profiles loaded)\t%.0f docs/s\t%.1f s\t%.1f MB on disk\t\t\t\t\n",
		ix.Docs, ix.Needs, ix.Profiles, ix.DocsPerSec, ix.Seconds, float64(ix.DiskBytes)/1e6)
	for _, p := range s.PeerIndexing {
		fmt.Fprintf(w, "load\t%s\t%d docs\t\t%.1f s\t\t\t\t\t\n", p.System, ix.Docs, p.Seconds)
	}
	for _, row := range s.Ranking {
		l := row.Latency
		fmt.Fprintf(w, "%s top %d\t%s\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%.1f×\t%.1f%%\t\n", row.Direction, topN, row.System, l.Queries,
			l.P50ms, l.P95ms, l.P99ms, l.CPUms, row.CPURatio, 100*row.SameTop10)
	}
	l := s.Search
	fmt.Fprintf(w, "search, filters+facets\tproduct\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t\t\t\n", l.Queries, l.P50ms, l.P95ms, l.P99ms, l.CPUms)
}

// WriteJSON writes the report under dir as <date>-<commit>.json and
// latest.json, and returns the first path.
func (r *Report) WriteJSON(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("results dir: %w", err)
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", fmt.Errorf("encode report: %w", err)
	}
	names := make([]string, 0, len(r.Scales))
	for _, s := range r.Scales {
		names = append(names, s.Scale.Name)
	}
	name := filepath.Join(dir, fmt.Sprintf("%s-%s-%s.json", r.At.Format("2006-01-02"), strings.Join(names, "+"), r.Commit))
	for _, p := range []string{name, filepath.Join(dir, "latest-"+strings.Join(names, "+")+".json")} {
		if err := os.WriteFile(p, append(b, '\n'), 0o644); err != nil {
			return "", fmt.Errorf("write report: %w", err)
		}
	}
	return name, nil
}

func newReport(commit string) *Report {
	return &Report{Commit: commit, At: time.Now().UTC().Truncate(time.Second), GoVersion: runtime.Version(), CPUs: runtime.NumCPU()}
}

func printHTTP(w io.Writer, h *servebench.Result) {
	type row struct {
		name string
		r    load.Result
	}
	var rows []row
	if h.Healthz != nil {
		rows = append(rows, row{"HTTP GET /healthz", *h.Healthz})
	}
	if h.Key != nil {
		rows = append(rows, row{"HTTP GET /needs/{id}", *h.Key})
	}
	rows = append(rows, row{"HTTP GET /needs/{id}/matches", h.Match}, row{"HTTP GET /needs (search)", h.Search})
	for _, p := range rows {
		if p.r.Concurrency == 0 {
			continue // a phase not run
		}
		l := p.r.Latency
		fmt.Fprintf(w, "%s\tserve, %d clients\t%d ok, %d failed\t%s\t%s\t%s\t%.0f req/s\t\t\t\n", p.name, p.r.Concurrency,
			p.r.OK, p.r.HTTPErrors+p.r.TransportErrors, msOf(l.P50), msOf(l.P95), msOf(l.P99), p.r.RequestsPerSec)
	}
	s := h.Writes.Searchable
	fmt.Fprintf(w, "write → searchable\tserve, under load\t%d of %d\t%s\t%s\t%s\t\t\t\t\n", h.Writes.Visible, h.Writes.Written, msOf(s.P50), msOf(s.P95), msOf(s.P99))
	fmt.Fprintf(w, "serve memory\tpeak RSS\t%.0f MiB\tready after %.1f s\tdemo load %.0f docs/s\t\t\t\t\t\n", h.Memory.PeakMiB, h.Startup.ReadySeconds, h.Demo.DocsPerSec)
	if b := h.AuthBurst; b != nil {
		fmt.Fprintf(w, "auth burst (%d at once)\tpeak RSS\t%.0f MiB\tfrom %.0f MiB\t%d done, %d told 503\t%.1f s\t\t\t\t\n",
			b.Requests, b.PeakMiB, b.BeforeRSSMiB, b.Statuses[200]+b.Statuses[201], b.Statuses[503], b.Seconds)
	}
}

func msOf(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000) }
