// Package internal_test keeps the dependency rule of docs/ARCHITECTURE.md:
// domain packages import no web framework, no search engine and no
// database driver; dependencies point inward.
package internal_test

import (
	"os/exec"
	"strings"
	"testing"
)

func TestDomainPackagesStayPure(t *testing.T) {
	domain := []string{"age", "auth", "register", "profile", "failure", "taxonomy", "translit", "match", "round", "pathway", "allocation", "candidate", "retention", "websession", "insight", "personaldata", "opportunity", "workqueue", "employerneeds", "notify", "event", "schedule", "mirror"}
	forbidden := []string{"github.com/gin-gonic/gin", "github.com/blevesearch/bleve/v2", "go.mongodb.org/mongo-driver",
		"github.com/careget/skillsmatch/internal/store", "github.com/careget/skillsmatch/internal/httpapi", "github.com/careget/skillsmatch/internal/web"}
	for _, pkg := range domain {
		out, err := exec.Command("go", "list", "-deps", "github.com/careget/skillsmatch/internal/"+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, f := range forbidden {
				if dep == f || strings.HasPrefix(dep, f+"/") {
					t.Errorf("internal/%s depends on %s", pkg, dep)
				}
			}
		}
	}
}
