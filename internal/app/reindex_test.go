package app_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/app"
	"github.com/careget/skillsmatch/pkg/client"
)

// `skillsmatch reindex` rebuilds the needs index and loads every profile
// into memory, and says so apart: profiles are indexed nowhere (layout 9),
// so no profiles.bleve is left under the data directory.
func TestReindexCommand(t *testing.T) {
	dir := t.TempDir()
	p := start(t, dir)
	seeker, _ := signUp(t, p.URL, "jobseeker", "reindex@example.bg", "Re Index")
	skill, _ := nursingSkills(t, seeker)
	if _, err := seeker.PutProfile(t.Context(), client.ProfileInput{DisplayName: "Re", BirthDate: "1998-04",
		Municipality: "Haskovo", Location: client.GeoPoint{Lat: 41.93, Lon: 25.56}, MaxTravelKm: 30,
		WorkModes: []string{"onsite"}, Skills: []client.SkillLevel{{ID: skill, Level: 3}}, EducationLevel: 4,
		AvailableFrom: time.Now().Format(time.DateOnly), Hours: "full_time", Consent: client.Consent{Matching: true}}); err != nil {
		t.Fatal(err)
	}
	if err := p.stop(); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := app.Run(t.Context(), []string{"reindex", "--data", dir}, noEnv, nil, &stdout, &stderr); err != nil {
		t.Fatalf("app.Run(reindex) = %v\n%s", err, &stderr)
	}
	if want := "0 needs indexed, 1 profiles loaded into memory"; !strings.Contains(stdout.String(), want) {
		t.Errorf("reindex printed %q, want it to say %q", &stdout, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "index", "profiles.bleve")); !os.IsNotExist(err) {
		t.Errorf("profiles.bleve after reindex: %v, want none", err)
	}
}
