package web_test

import (
	"os"
	"testing"

	"github.com/careget/skillsmatch/internal/browsertest"
)

// TestMain runs the package's tests through browsertest.Main, which stops
// the shared headless Chromium after the last test.
func TestMain(m *testing.M) { os.Exit(browsertest.Main(m)) }
