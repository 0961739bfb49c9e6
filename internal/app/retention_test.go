package app_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/careget/skillsmatch/internal/app"
	"github.com/careget/skillsmatch/pkg/client"
)

// `skillsmatch retention` runs the job once over a data directory the
// server has used, and keeps what is still valid: the signed-in user's
// session survives it.
func TestRetentionCommand(t *testing.T) {
	dir := t.TempDir()
	p := start(t, dir)
	c, _ := signUp(t, p.URL, "jobseeker", "keep@example.bg", "Keep Me")
	tokens := c.Tokens()
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := app.Run(t.Context(), []string{"retention", "--data", dir}, noEnv, nil, &stdout, &stderr); err != nil {
		t.Fatalf("app.Run(retention) = %v\n%s", err, &stderr)
	}
	if want := `removed {"refreshTokens":0,`; !strings.HasPrefix(stdout.String(), want) {
		t.Errorf("retention printed %q, want it to start %q", &stdout, want)
	}
	p = start(t, dir)
	again := client.New(p.URL)
	again.SetTokens(tokens)
	if _, err := again.Refresh(t.Context()); err != nil {
		t.Errorf("Refresh() with the session's token after retention = %v, want nil", err)
	}
}
