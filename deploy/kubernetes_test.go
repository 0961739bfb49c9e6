package deploy_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var schemas struct {
	once sync.Once
	dir  string
	err  error
}

// schemaDir generates the schemas once for the package's tests (TestMain
// removes them).
func schemaDir(t *testing.T) string {
	t.Helper()
	schemas.once.Do(func() {
		if schemas.dir, schemas.err = os.MkdirTemp("", "k8s-schemas-"); schemas.err == nil {
			writeSchemas(t, schemas.dir)
		}
	})
	if schemas.err != nil || schemas.dir == "" {
		t.Fatalf("schemas: %v", schemas.err)
	}
	return schemas.dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if schemas.dir != "" {
		os.RemoveAll(schemas.dir)
	}
	os.Exit(code)
}

// kubeconformResult is one resource of kubeconform's -output json.
type kubeconformResult struct {
	Filename         string `json:"filename"`
	Kind             string `json:"kind"`
	Name             string `json:"name"`
	Status           string `json:"status"`
	Msg              string `json:"msg"`
	ValidationErrors []struct {
		Path string `json:"path"`
		Msg  string `json:"msg"`
	} `json:"validationErrors"`
}

// kubeconform runs the pinned kubeconform (go tool, go.mod) in strict mode on
// paths against the schemas in schemaDir and returns one result per resource.
func kubeconform(t *testing.T, schemaDir string, paths ...string) []kubeconformResult {
	t.Helper()
	args := append([]string{"tool", "kubeconform", "-strict", "-verbose", "-output", "json",
		"-schema-location", filepath.Join(schemaDir, "{{ .ResourceKind }}{{ .KindSuffix }}.json")}, paths...)
	cmd := exec.Command("go", args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run() // exits 1 when a resource is invalid: the output says which
	var out struct {
		Resources []kubeconformResult `json:"resources"`
	}
	if jerr := json.Unmarshal(stdout.Bytes(), &out); jerr != nil {
		t.Fatalf("kubeconform: %v (%v)\nstdout: %s\nstderr: %s", jerr, err, stdout.String(), stderr.String())
	}
	return out.Resources
}

// TestKubernetesManifestsValidate checks every manifest in kubernetes/ against
// the schemas of the k8s.io/api release in go.mod: unknown fields, wrong
// types and missing required fields fail, and so does a kind without a schema.
func TestKubernetesManifestsValidate(t *testing.T) {
	t.Parallel() // mostly waiting on go build and kubeconform
	schemas := schemaDir(t)
	results := kubeconform(t, schemas, "kubernetes")
	got := map[string]bool{}
	for _, r := range results {
		if r.Status != "statusValid" {
			t.Errorf("%s %s/%s: %s %s %+v", r.Filename, r.Kind, r.Name, r.Status, r.Msg, r.ValidationErrors)
		}
		got[r.Kind] = true
	}
	for _, kind := range []string{"StatefulSet", "Service", "ServiceAccount", "ConfigMap",
		"PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy", "Ingress"} {
		if !got[kind] {
			t.Errorf("no %s among the validated manifests (%d resources)", kind, len(results))
		}
	}
}

// TestKubernetesBrokenManifestsRejected proves the validation can fail: a
// copy of the StatefulSet with one mistake each must be rejected at the
// field that is wrong.
func TestKubernetesBrokenManifestsRejected(t *testing.T) {
	t.Parallel() // mostly waiting on go build and kubeconform
	schemas := schemaDir(t)
	original, err := os.ReadFile("kubernetes/statefulset.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, old, new, wantPath, wantMsg string }{
		{"misspelt field", "readinessProbe:", "readinesProbe:", "/spec/template/spec/containers/0", "'readinesProbe' not allowed"},
		{"wrong type", "readOnlyRootFilesystem: true", `readOnlyRootFilesystem: "yes"`, "/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem", "want boolean"},
		{"integer as text", "failureThreshold: 60", "failureThreshold: sixty", "/spec/template/spec/containers/0/startupProbe/failureThreshold", "want integer"},
		{"value outside the enum", "seccompProfile: {type: RuntimeDefault}", "seccompProfile: {type: Default}", "/spec/template/spec/securityContext/seccompProfile/type", "must be one of"},
		{"required field missing", "- name: api\n", "-\n", "/spec/template/spec/containers/0", "missing property 'name'"},
	}
	dir := t.TempDir()
	for i, c := range cases {
		if !strings.Contains(string(original), c.old) {
			t.Fatalf("%s: %q is not in statefulset.yaml any more", c.name, c.old)
		}
		broken := strings.Replace(string(original), c.old, c.new, 1)
		path := filepath.Join(dir, string(rune('a'+i))+".yaml")
		if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
			t.Fatal(err)
		}
		results := kubeconform(t, schemas, path)
		if len(results) != 1 || results[0].Status != "statusInvalid" {
			t.Errorf("%s: want one invalid resource, got %+v", c.name, results)
			continue
		}
		t.Logf("%s: %s", c.name, results[0].Msg)
		if !strings.Contains(results[0].Msg, "'"+c.wantPath+"': ") || !strings.Contains(results[0].Msg, c.wantMsg) {
			t.Errorf("%s: want %q at %s, got %s", c.name, c.wantMsg, c.wantPath, results[0].Msg)
		}
	}
}

// TestKubernetesUnknownKindRejected: a kind the schemas do not cover (here a
// Deployment, which deploy/kubernetes does not use) fails rather than passing
// unchecked.
func TestKubernetesUnknownKindRejected(t *testing.T) {
	t.Parallel() // mostly waiting on go build and kubeconform
	schemas := schemaDir(t)
	path := filepath.Join(t.TempDir(), "deployment.yaml")
	manifest := "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {}\n"
	if err := os.WriteFile(path, []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	results := kubeconform(t, schemas, path)
	if len(results) != 1 || results[0].Status != "statusError" || !strings.Contains(results[0].Msg, "could not find schema") {
		t.Errorf("want an error for the unknown kind, got %+v", results)
	}
}
