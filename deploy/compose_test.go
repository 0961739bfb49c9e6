package deploy_test

import (
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// loadCompose loads compose.yaml as `docker compose config` does (compose-go,
// the library Docker Compose is built on): YAML anchors merged, variables
// interpolated, then the model validated against the compose-spec JSON schema
// that compose-go embeds (schema/compose-spec.json of the version in go.mod),
// then its references checked (networks, volumes, depends_on). It runs in a
// copy of deploy/ with skillsmatch.env made from the example, as an operator
// would have it.
func loadCompose(t *testing.T, compose string) (*types.Project, error) {
	t.Helper()
	dir := t.TempDir()
	example, err := os.ReadFile("skillsmatch.env.example")
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"compose.yaml": compose, "skillsmatch.env": string(example)} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(dir, "compose.yaml")}},
		Environment: types.Mapping{},
	})
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	body, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

// TestComposeValidates: compose.yaml is a valid compose-spec file with the
// stack issue 13 asks for.
func TestComposeValidates(t *testing.T) {
	project, err := loadCompose(t, readFile(t, "compose.yaml"))
	if err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	for _, name := range []string{"mongo1", "mongo2", "mongo3", "mongo-init", "api1", "api2", "proxy"} {
		if _, err := project.GetService(name); err != nil {
			t.Errorf("no service %s: %v", name, err)
		}
	}
}

// TestComposeBrokenRejected proves the compose validation can fail: each
// copy of compose.yaml with one mistake is rejected, naming the mistake.
func TestComposeBrokenRejected(t *testing.T) {
	original := readFile(t, "compose.yaml")
	cases := []struct{ name, old, new, want string }{
		{"misspelt service field", "    read_only: true\n    tmpfs: [/tmp]\n    cap_drop: [ALL]\n    cap_add", "    readonly: true\n    tmpfs: [/tmp]\n    cap_drop: [ALL]\n    cap_add", "readonly"},
		{"misspelt field in the replicas' anchor", "  stop_grace_period: 30s", "  stop_grace_periode: 30s", "stop_grace_periode"},
		{"wrong type", "    retries: 30", "    retries: [30]", "retries"},
		{"not a duration", "    start_period: 10m", "    start_period: ten minutes", "start_period"},
		{"unknown top-level key", "\nvolumes:\n", "\nvolumez:\n", "volumez"},
		{"undefined network", "networks: [store]\n\nservices:", "networks: [storage]\n\nservices:", "storage"},
	}
	for _, c := range cases {
		if !strings.Contains(original, c.old) {
			t.Fatalf("%s: %q is not in compose.yaml any more", c.name, c.old)
		}
		_, err := loadCompose(t, strings.Replace(original, c.old, c.new, 1))
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		t.Logf("%s: %v", c.name, err)
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: the error does not name %q: %v", c.name, c.want, err)
		}
	}
}

// TestComposeShape checks what the stack must guarantee beyond the schema:
// the proxy alone is published, it alone is trusted for X-Forwarded-For, each
// API replica has its own index volume and the same secrets from the env file,
// metrics stay unpublished, health checks and the replica set's init are there.
func TestComposeShape(t *testing.T) {
	project, err := loadCompose(t, readFile(t, "compose.yaml"))
	if err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	for name, svc := range project.Services {
		if name != "proxy" && len(svc.Ports) > 0 {
			t.Errorf("%s publishes ports %+v: only the proxy may", name, svc.Ports)
		}
		for _, p := range svc.Ports {
			if p.Target == 9090 || p.Published == "9090" {
				t.Errorf("%s publishes the metrics port", name)
			}
		}
	}
	proxy, _ := project.GetService("proxy")
	if len(proxy.Ports) == 0 || !slices.ContainsFunc(proxy.Ports, func(p types.ServicePortConfig) bool { return p.Target == 443 }) {
		t.Errorf("the proxy does not publish 443: %+v", proxy.Ports)
	}
	proxyAddr := proxy.Networks["edge"].Ipv4Address
	edge := project.Networks["edge"].Ipam.Config[0].Subnet
	if !netip.MustParsePrefix(edge).Contains(netip.MustParseAddr(proxyAddr)) {
		t.Errorf("the proxy's %s is outside the edge network %s", proxyAddr, edge)
	}
	volumes := map[string]bool{}
	for _, name := range []string{"api1", "api2"} {
		api, _ := project.GetService(name)
		env := func(k string) string {
			if v := api.Environment[k]; v != nil {
				return *v
			}
			return ""
		}
		if got := env("SKILLSMATCH_TRUSTED_PROXIES"); got != proxyAddr+"/32" {
			t.Errorf("%s trusts %q, want the proxy alone (%s/32)", name, got, proxyAddr)
		}
		for _, key := range []string{"SKILLSMATCH_JWT_KEY", "SKILLSMATCH_PSEUDONYM_KEY", "SKILLSMATCH_METRICS_TOKEN"} {
			if !strings.HasPrefix(env(key), "REPLACE_") {
				t.Errorf("%s: %s is not the env file's placeholder: %q", name, key, env(key))
			}
		}
		if uri := env("MONGODB_URI"); !strings.Contains(uri, "replicaSet=rs0") || strings.Count(uri, ":27017") != 3 {
			t.Errorf("%s: MONGODB_URI %q does not name the three members of rs0", name, uri)
		}
		if api.HealthCheck == nil || !strings.Contains(strings.Join(api.HealthCheck.Test, " "), "/healthz") {
			t.Errorf("%s: no health check on /healthz: %+v", name, api.HealthCheck)
		}
		if !api.ReadOnly || !slices.Contains(api.CapDrop, "ALL") {
			t.Errorf("%s: root file system writable or capabilities kept", name)
		}
		for _, v := range api.Volumes {
			if v.Target == "/data" {
				if volumes[v.Source] {
					t.Errorf("%s shares the index volume %s", name, v.Source)
				}
				volumes[v.Source] = true
			}
		}
	}
	if len(volumes) != 2 {
		t.Errorf("want one index volume per API replica, got %v", volumes)
	}
	initSvc, _ := project.GetService("mongo-init")
	script := strings.Join(initSvc.Command, " ")
	for _, want := range []string{"rs.initiate", "mongo1:27017", "mongo2:27017", "mongo3:27017"} {
		if !strings.Contains(script, want) {
			t.Errorf("mongo-init's command lacks %s", want)
		}
	}
	caddy := readFile(t, "Caddyfile")
	for _, want := range []string{"reverse_proxy api1:8080 api2:8080", "health_uri /readyz"} {
		if !strings.Contains(caddy, want) {
			t.Errorf("Caddyfile lacks %q", want)
		}
	}
}

// TestSettingsAreKnown: every SKILLSMATCH_* or MONGODB_URI the compose file,
// the env file example and the Kubernetes manifests set is one that
// internal/config reads; a misspelt name would be silently ignored.
func TestSettingsAreKnown(t *testing.T) {
	known := map[string]bool{}
	for _, m := range regexp.MustCompile(`env\("([A-Z0-9_]+)"`).FindAllStringSubmatch(readFile(t, "../internal/config/config.go"), -1) {
		known[m[1]] = true
	}
	if !known["SKILLSMATCH_JWT_KEY"] || !known["MONGODB_URI"] {
		t.Fatalf("the settings' names were not found in internal/config/config.go: %v", known)
	}
	files, _ := filepath.Glob("kubernetes/*.yaml")
	files = append(files, "compose.yaml", "skillsmatch.env.example", "Dockerfile")
	name := regexp.MustCompile(`\b(SKILLSMATCH_[A-Z0-9_]+|MONGODB_URI)\b`)
	for _, f := range files {
		for _, n := range name.FindAllString(readFile(t, f), -1) {
			if !known[n] && n != "SKILLSMATCH_DOMAIN" { // the proxy's, not the API's
				t.Errorf("%s sets %s, which internal/config does not read", f, n)
			}
		}
	}
}
