package app_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/app"
	"github.com/careget/skillsmatch/internal/demo"
	"github.com/careget/skillsmatch/pkg/client"
)

// The round trip an operator makes: back up a running city's data, restore
// it into an empty data directory, start there — the API answers the same,
// from an index rebuilt from the restored store.
func TestBackupAndRestoreGiveTheSameAnswers(t *testing.T) {
	from, to := t.TempDir(), t.TempDir()
	loaded := runOK(t, "demo", "--profiles", "120", "--needs", "60", "--seed", "7", "--data", from)
	seeker := printedSeeker(t, loaded)
	p := start(t, from)
	before := answers(t, p.URL, seeker)
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}

	file := filepath.Join(t.TempDir(), "city.backup.gz")
	out := runOK(t, "backup", "--out", file, "--data", from)
	if !strings.Contains(out, "backed up") {
		t.Errorf("backup printed %q", out)
	}
	out = runOK(t, "restore", file, "--data", to)
	if !strings.Contains(out, "restored") {
		t.Errorf("restore printed %q", out)
	}
	// A second restore into the same, now full, store is refused.
	var stdout, stderr bytes.Buffer
	if err := app.Run(t.Context(), []string{"restore", file, "--data", to}, noEnv, nil, &stdout, &stderr); err == nil {
		t.Errorf("restore into a store with data = nil, want a refusal")
	}

	q := start(t, to)
	after := answers(t, q.URL, seeker)
	if before != after {
		t.Errorf("answers after restore differ:\nbefore %s\nafter  %s", before, after)
	}
}

// answers are what the API says about the demo data: the public search, a
// job-seeker's own profile and ranked matches.
func answers(t *testing.T, url, seekerEmail string) string {
	t.Helper()
	ctx := t.Context()
	c := client.New(url)
	page, err := c.SearchNeeds(ctx, client.NeedQuery{PageSize: 50})
	if err != nil {
		t.Fatalf("SearchNeeds = %v", err)
	}
	if len(page.Items) == 0 {
		t.Fatal("SearchNeeds found nothing in the demo data")
	}
	seeker := client.New(url)
	if _, err := seeker.Login(ctx, seekerEmail, demo.DemoPassword); err != nil {
		t.Fatalf("Login(demo job-seeker) = %v", err)
	}
	prof, err := seeker.MyProfile(ctx)
	if err != nil {
		t.Fatalf("MyProfile = %v", err)
	}
	matches, err := seeker.MyMatches(ctx, "", 20)
	if err != nil {
		t.Fatalf("MyMatches = %v", err)
	}
	b, err := json.Marshal([]any{page, prof, matches})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// printedSeeker is the job-seeker account the demo command printed.
func printedSeeker(t *testing.T, out string) string {
	t.Helper()
	const label = "sign in as a job-seeker: "
	i := strings.Index(out, label)
	if i < 0 {
		t.Fatalf("demo printed no job-seeker account:\n%s", out)
	}
	email, _, _ := strings.Cut(out[i+len(label):], "\n")
	return strings.TrimSpace(email)
}

func runOK(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if err := app.Run(t.Context(), args, noEnv, nil, &stdout, &stderr); err != nil {
		t.Fatalf("app.Run(%q) = %v\n%s", args, err, &stderr)
	}
	return stdout.String()
}
