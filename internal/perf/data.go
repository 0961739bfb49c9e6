// Package perf is the benchmark table of `make bench`: it generates a city
// or the whole country with the demo generator, builds the product's index
// and its peers' on the same data, measures them side by side in one run,
// and prints one table (and writes it as JSON). Timings are measured here,
// never asserted in tests: the tests only check that the harness measures
// what it says.
package perf

import (
	"context"

	"github.com/careget/skillsmatch/internal/demo"
	"github.com/careget/skillsmatch/internal/profile"
	"github.com/careget/skillsmatch/internal/register"
)

// Scale is a size of the register.
type Scale struct {
	Name     string
	Profiles int
	Needs    int
	Seed     uint64
}

// The two scales of issue 5: one city's labour office, and the national
// service.
var (
	City     = Scale{Name: "city", Profiles: 10_000, Needs: 3_000, Seed: 1}
	National = Scale{Name: "national", Profiles: 500_000, Needs: 100_000, Seed: 1}
)

// source is a generated data set as the index reads it at start-up. The
// demo leaves sequence numbers to the store; here each need and profile
// gets its position, as if loaded in order.
type source struct{ d *demo.Data }

func (s source) EachEmployer(_ context.Context, fn func(register.Employer) error) error {
	for _, e := range s.d.Employers {
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (s source) EachNeed(_ context.Context, fn func(register.Need, bool) error) error {
	for i, n := range s.d.Needs {
		n.Seq = int64(i + 1)
		if err := fn(n, false); err != nil {
			return err
		}
	}
	return nil
}

func (s source) EachProfile(_ context.Context, fn func(profile.Profile, bool) error) error {
	for i, p := range s.d.Profiles {
		p.Seq = int64(i + 1)
		if err := fn(p, false); err != nil {
			return err
		}
	}
	return nil
}
