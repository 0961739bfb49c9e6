package deploy_test

import (
	"debug/elf"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDockerfileBuildsStatic runs the Dockerfile's `go build` lines here, with
// its flags (CGO_ENABLED=0, -trimpath, -ldflags), and checks each binary is
// statically linked, as the distroless static base needs (it has no libc).
// The image itself is built by `make docker` where a Docker engine exists;
// this workplace has none, so that is not part of `make test`.
func TestDockerfileBuildsStatic(t *testing.T) {
	t.Parallel() // mostly waiting on go build and kubeconform
	dockerfile := readFile(t, "Dockerfile")
	builds := regexp.MustCompile(`(?m)^RUN CGO_ENABLED=0 go build (.*) -o /out/(\S+) (\./\S+)$`).FindAllStringSubmatch(dockerfile, -1)
	if len(builds) != 2 {
		t.Fatalf("want the two go build lines (skillsmatch, healthcheck) in the Dockerfile, found %d", len(builds))
	}
	out := t.TempDir()
	for _, b := range builds {
		// The RUN line as the builder's shell runs it, writing into out.
		line := "CGO_ENABLED=0 go build " + b[1] + " -o " + filepath.Join(out, b[2]) + " " + b[3]
		cmd := exec.Command("sh", "-c", line)
		cmd.Dir = ".."
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", line, err, msg)
		}
		bin, err := elf.Open(filepath.Join(out, b[2]))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range bin.Progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("%s is dynamically linked: the distroless static image cannot run it", b[2])
			}
		}
		bin.Close()
	}
}

// TestDockerfileMatchesGoMod: the builder's Go is the one go.mod names, and
// the image runs as the distroless non-root user.
func TestDockerfileMatchesGoMod(t *testing.T) {
	dockerfile := readFile(t, "Dockerfile")
	goVersion := regexp.MustCompile(`(?m)^go (\S+)$`).FindStringSubmatch(readFile(t, "../go.mod"))
	if goVersion == nil || !strings.Contains(dockerfile, "FROM golang:"+goVersion[1]+"-") {
		t.Errorf("the Dockerfile's builder is not golang:%v", goVersion)
	}
	if !strings.Contains(dockerfile, "\nUSER 65532:65532\n") || !strings.Contains(dockerfile, "distroless/static") {
		t.Error("the image does not run as the non-root user on distroless static")
	}
}
