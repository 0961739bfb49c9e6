package servebench

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
)

// mainPackage is the product's binary.
const mainPackage = "github.com/careget/skillsmatch/cmd/skillsmatch"

// Build compiles the product's binary into dir with the go command on
// PATH, from the module the current directory is in, and returns its
// path. The benchmark measures a normal build: no race detector.
func Build(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "skillsmatch")
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, mainPackage).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build %s: %w\n%s", mainPackage, err, out)
	}
	return bin, nil
}
