package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/careget/skillsmatch/internal/auth"
	"github.com/careget/skillsmatch/internal/config"
	"github.com/careget/skillsmatch/internal/demo"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/taxonomy"
	"github.com/schollz/progressbar/v3"
)

// demoLoad generates a realistic data set (employers, needs, job-seekers
// with accounts) and loads it through the store's bulk path. The server
// indexes it at its next start. Stop the server first on the embedded store.
func demoLoad(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	profiles := fs.Int("profiles", 2000, "job-seekers to generate")
	needs := fs.Int("needs", 600, "skills needs to generate")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same data")
	scopeName := fs.String("scope", "auto", fmt.Sprintf("city (Haskovo province first), national (the whole country), or auto: city up to %d profiles", demo.AutoNationalProfiles))
	rest, err := splitFlags(fs, args)
	if err != nil {
		return err
	}
	if *profiles < 0 || *needs < 0 || *profiles > 2_000_000 || *needs > 500_000 {
		return fmt.Errorf("demo: --profiles must be 0..2000000 and --needs 0..500000")
	}
	scope, err := demo.ParseScope(*scopeName)
	if err != nil {
		return fmt.Errorf("demo: --scope: %w", err)
	}
	cfg, err := config.Parse(rest, getenv, stderr)
	if err != nil {
		return err
	}
	tx, err := taxonomy.Load()
	if err != nil {
		return err
	}
	gen := demo.Config{Profiles: *profiles, Needs: *needs, Seed: *seed, Today: time.Now().UTC(), Scope: scope}
	data := demo.Generate(tx, gen)
	st, err := store.Open(ctx, store.Options{URI: cfg.MongoURI, DataDir: cfg.DataDir, Database: cfg.Database, Logger: newLogger(cfg.LogFormat, io.Discard)})
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	bulk := store.BulkData{Users: data.Users, Employers: data.Employers, Needs: data.Needs, Profiles: data.Profiles}
	bar := progressbar.NewOptions(bulk.Len(), progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("loading"),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("docs"))
	begin := time.Now()
	if err := st.BulkLoad(ctx, bulk, func(n int) { _ = bar.Add(n) }); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	_ = bar.Finish()
	took := time.Since(begin)
	fmt.Fprintf(stdout, "\nloaded %d documents (%d employers, %d needs, %d profiles, %d accounts; %s scope) in %s: %.0f documents/s\n",
		bulk.Len(), len(data.Employers), len(data.Needs), len(data.Profiles), len(data.Users), gen.Resolve(), took.Round(time.Millisecond),
		float64(bulk.Len())/took.Seconds())
	fmt.Fprintf(stdout, "every demo account's password is %q; the server indexes the data at its next start\n", demo.DemoPassword)
	if seeker, employer := demoAccounts(data); seeker != "" || employer != "" {
		fmt.Fprintf(stdout, "sign in as a job-seeker: %s\nsign in as an employer (verified): %s\n", seeker, employer)
	}
	return nil
}

// demoAccounts picks one job-seeker's and one verified employer's e-mail
// from the generated data, so whoever runs the demo knows whom to sign in
// as (the data is the same for the same seed).
func demoAccounts(data demo.Data) (seeker, employer string) {
	verified := map[string]bool{}
	for _, e := range data.Employers {
		verified[e.ID] = e.Verified
	}
	for _, u := range data.Users {
		switch {
		case seeker == "" && u.Role == auth.RoleJobseeker:
			seeker = u.Email
		case employer == "" && u.Role == auth.RoleEmployer && len(u.EmployerIDs) > 0 && verified[u.EmployerIDs[0]]:
			employer = u.Email
		}
	}
	return seeker, employer
}
