package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// Readiness is the server's answer to a readiness probe.
type Readiness struct {
	Ready  bool              `json:"ready"`
	Checks map[string]string `json:"checks"` // check name → "ok" or what failed
}

// Health reports whether the server is alive (GET /healthz).
func (c *Client) Health(ctx context.Context) error {
	return c.do(ctx, http.MethodGet, "/healthz", nil, nil, nil)
}

// Ready reports whether the server can serve: its store and index answer
// (GET /readyz). When it cannot, Ready returns the checks and a 503
// *Problem naming the failed ones.
func (c *Client) Ready(ctx context.Context) (Readiness, error) {
	res, err := c.send(ctx, http.MethodGet, "/readyz", nil, nil)
	if err != nil {
		return Readiness{}, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusServiceUnavailable {
		return Readiness{}, readProblem(res)
	}
	var out Readiness
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		return Readiness{}, fmt.Errorf("GET /readyz: decode response: %w", err)
	}
	if res.StatusCode == http.StatusOK {
		return out, nil
	}
	var failed []string
	for name, state := range out.Checks {
		if state != "ok" {
			failed = append(failed, name+": "+state)
		}
	}
	sort.Strings(failed)
	return out, &Problem{Status: res.StatusCode, Title: "not ready", Code: "not_ready", Detail: strings.Join(failed, "; ")}
}
