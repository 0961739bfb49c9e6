package app_test

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/app"
)

// /metrics is served on its own listener — loopback, or behind a bearer
// token — and not on the API's.
func TestMetricsOnTheirOwnListener(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole product; skipped with -short")
	}
	token := strings.Repeat("m", 40)
	logs := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	addrc := make(chan string, 1)
	go func() {
		done <- app.Serve(ctx, []string{"--addr", "127.0.0.1:0", "--data", t.TempDir(), "--metrics-addr", "127.0.0.1:0"},
			envOf(map[string]string{"SKILLSMATCH_METRICS_TOKEN": token}), logs, func(addr string) { addrc <- addr })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("app.Serve after cancel = %v", err)
		}
	})
	var api string
	select {
	case api = <-addrc:
	case err := <-done:
		t.Fatalf("app.Serve = %v before listening\n%s", err, logs)
	case <-time.After(2 * time.Minute):
		t.Fatalf("app.Serve did not listen within 2 minutes\n%s", logs)
	}
	waitHealthy(t, "http://"+api)
	m := regexp.MustCompile(`msg=metrics addr=(\S+)`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no metrics listener in the log:\n%s", logs)
	}
	metrics := "http://" + m[1] + "/metrics"

	get := func(url, auth string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", url, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, _ := get("http://"+api+"/metrics", ""); code != 404 {
		t.Errorf("GET /metrics on the API = %d, want 404", code)
	}
	if code, _ := get(metrics, ""); code != 401 {
		t.Errorf("GET /metrics without the token = %d, want 401", code)
	}
	if code, _ := get(metrics, "Bearer "+strings.Repeat("x", 40)); code != 401 {
		t.Errorf("GET /metrics with a wrong token = %d, want 401", code)
	}
	code, body := get(metrics, "Bearer "+token)
	if code != 200 || !strings.Contains(body, "go_goroutines") || !strings.Contains(body, `route="/healthz"`) {
		t.Errorf("GET /metrics with the token = %d, want 200 with the API's request counts:\n%.500s", code, body)
	}
}
