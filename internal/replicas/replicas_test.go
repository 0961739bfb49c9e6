package replicas_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/careget/skillsmatch/pkg/client"
)

const password = "correct horse battery staple"

// replica is one running process of the product's binary.
type replica struct {
	cmd *exec.Cmd
	url string
	dir string
	out *bytes.Buffer
}

// kill ends the replica at once, as a crash or an evicted pod does.
func (r *replica) kill(t *testing.T) {
	t.Helper()
	if err := r.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_, _ = r.cmd.Process.Wait()
}

// cluster is the product's binary, built once, and the settings every
// replica shares: the store and the keys (tokens signed by one replica
// are checked by all; an employer sees the same pseudonyms everywhere).
type cluster struct {
	t   *testing.T
	bin string
	env []string
}

func newCluster(t *testing.T) *cluster {
	t.Helper()
	uri := externalStore(t)
	bin := filepath.Join(t.TempDir(), "skillsmatch")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/careget/skillsmatch/cmd/skillsmatch").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	key := func() string {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		return base64.StdEncoding.EncodeToString(b)
	}
	return &cluster{t: t, bin: bin, env: append(os.Environ(), "MONGODB_URI="+uri, "SKILLSMATCH_JWT_KEY="+key(),
		"SKILLSMATCH_PSEUDONYM_KEY="+key(), "SKILLSMATCH_FOLLOW_EVERY=200ms")}
}

// run runs a one-off command of the binary against the shared store.
func (c *cluster) run(stdin string, args ...string) {
	c.t.Helper()
	cmd := exec.Command(c.bin, append(args, "--data", c.t.TempDir())...)
	cmd.Env, cmd.Stdin = c.env, strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		c.t.Fatalf("skillsmatch %v: %v\n%s", args, err, out)
	}
}

// start starts a replica with its own data directory (its index) and
// returns once /readyz says it has caught up.
func (c *cluster) start() *replica { return c.startOn(c.t.TempDir()) }

// startOn starts a replica on data directory dir.
func (c *cluster) startOn(dir string) *replica {
	c.t.Helper()
	addr := freeAddr(c.t)
	r := &replica{out: new(bytes.Buffer), url: "http://" + addr, dir: dir}
	r.cmd = exec.Command(c.bin, "serve", "--addr", addr, "--data", dir)
	r.cmd.Env, r.cmd.Stdout, r.cmd.Stderr = c.env, r.out, r.out
	if err := r.cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() {
		_ = r.cmd.Process.Signal(syscall.SIGTERM)
		_, _ = r.cmd.Process.Wait()
		if c.t.Failed() {
			c.t.Logf("replica %s:\n%s", r.url, r.out)
		}
	})
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if res, err := http.Get(r.url + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return r
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.t.Fatalf("replica %s not ready:\n%s", r.url, r.out)
	return nil
}

// as signs in on replica r.
func (c *cluster) as(r *replica, email string) *client.Client {
	c.t.Helper()
	cl := client.New(r.url)
	if _, err := cl.Login(c.t.Context(), email, password); err != nil {
		c.t.Fatalf("Login(%s) on %s = %v", email, r.url, err)
	}
	return cl
}

// signUp registers a self-service account through replica r.
func (c *cluster) signUp(r *replica, role, email string) *client.Client {
	c.t.Helper()
	if _, err := client.New(r.url).Register(c.t.Context(), client.NewUser{Email: email, Password: password, Role: role, Name: "X"}); err != nil {
		c.t.Fatalf("Register(%s) = %v", email, err)
	}
	return c.as(r, email)
}

// within waits until ok holds, up to limit, and returns how long it took.
func within(t *testing.T, limit time.Duration, what string, ok func() bool) time.Duration {
	t.Helper()
	begin := time.Now()
	for !ok() {
		if time.Since(begin) > limit {
			t.Fatalf("%s: not within %s", what, limit)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(begin)
}

// TestReplicasConverge runs two replicas of the binary on one external
// store: what one writes, the other serves at its next poll — a need
// posted on A is found through B (timed under a stream of writes), a
// job-seeker's profile stored through B is ranked by A, and the erasure
// made through B leaves A's ranking.
func TestReplicasConverge(t *testing.T) {
	c := newCluster(t)
	c.run(password+"\n", "user", "add", "--role", "officer", "--email", "officer@example.bg", "--name", "Officer")
	a, b := c.start(), c.start()
	ctx := t.Context()

	boss := c.signUp(a, "employer", "boss@example.bg")
	emp, err := boss.CreateEmployer(ctx, client.NewEmployer{Name: "Clinic", EIK: "000695235", Sector: "care",
		Municipality: "Haskovo", Location: client.GeoPoint{Lat: 41.934, Lon: 25.555}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.as(b, "officer@example.bg").VerifyEmployer(ctx, emp.ID, true, ""); err != nil { // on the other replica
		t.Fatalf("VerifyEmployer on B = %v", err)
	}
	skill := nursingSkill(t, a)
	need := func(title string) client.NewNeed {
		return client.NewNeed{EmployerID: emp.ID, Kind: "job", Title: title, Sector: "care",
			Skills:   []client.SkillRequirement{{ID: skill, Level: 2, Required: true}},
			Location: client.NeedLocation{Municipality: "Haskovo", Lat: 41.934, Lon: 25.555},
			WorkMode: "onsite", Positions: 1, Hours: "full_time", StartDate: time.Now().AddDate(0, 1, 0).Format(time.DateOnly)}
	}

	// Needs posted on A, each looked for on B until found; a second
	// employer's stream of writes on A goes on meanwhile.
	stop := make(chan struct{})
	var load sync.WaitGroup
	load.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := boss.CreateNeed(ctx, need(fmt.Sprintf("Background need %d", i))); err != nil {
				t.Errorf("background CreateNeed = %v", err)
				return
			}
		}
	})
	anon := client.New(b.url)
	const samples = 40
	lags := make([]time.Duration, 0, samples)
	for i := range samples {
		word := fmt.Sprintf("probe%dx%d", i, time.Now().UnixNano()%1e6)
		n, err := boss.CreateNeed(ctx, need("Nurse "+word))
		if err != nil {
			t.Fatal(err)
		}
		lags = append(lags, within(t, 10*time.Second, "a need posted on A found through B", func() bool {
			p, err := anon.SearchNeeds(ctx, client.NeedQuery{Q: word})
			return err == nil && slices.ContainsFunc(p.Items, func(x client.Need) bool { return x.ID == n.ID })
		}))
	}
	close(stop)
	load.Wait()
	slices.Sort(lags)
	t.Logf("write on A → found through B, %d samples under a stream of writes: p50 %s, p99 %s, max %s (polling every 200 ms)",
		samples, lags[samples/2].Round(time.Millisecond), lags[samples*99/100].Round(time.Millisecond), lags[samples-1].Round(time.Millisecond))

	// A job-seeker on B; A's ranking of the need's candidates shows them,
	// and forgets them once they erase their profile through B.
	probe, err := boss.CreateNeed(ctx, need("Home care nurse"))
	if err != nil {
		t.Fatal(err)
	}
	seeker := c.signUp(b, "jobseeker", "ana@example.bg")
	if _, err := seeker.PutProfile(ctx, client.ProfileInput{DisplayName: "Ana", BirthDate: "1998-04", Municipality: "Haskovo",
		Location: client.GeoPoint{Lat: 41.93, Lon: 25.56}, MaxTravelKm: 30, WorkModes: []string{"onsite"},
		Skills: []client.SkillLevel{{ID: skill, Level: 3}}, EducationLevel: 4,
		Interests:     client.Interests{Kinds: []string{"job"}, Sectors: []string{"care"}},
		AvailableFrom: time.Now().Format(time.DateOnly), Hours: "full_time", Consent: client.Consent{Matching: true}}); err != nil {
		t.Fatalf("PutProfile on B = %v", err)
	}
	candidates := func() int {
		cards, err := boss.NeedMatches(ctx, probe.ID, 10)
		if err != nil {
			t.Fatalf("NeedMatches on A = %v", err)
		}
		return len(cards)
	}
	seen := within(t, 10*time.Second, "a profile stored through B ranked by A", func() bool { return candidates() == 1 })

	// The job-seeker applies through A; the officer's queue on B shows the
	// application at B's next poll.
	if code := call(t, "POST", a.url+"/api/v1/needs/"+probe.ID+"/applications", seeker.Tokens().AccessToken, nil); code != http.StatusCreated {
		t.Fatalf("apply through A = %d, want 201", code)
	}
	officer := c.as(b, "officer@example.bg")
	applied := within(t, 10*time.Second, "an application made through A in B's queue", func() bool {
		var page struct {
			Items []struct{ NeedID string } `json:"items"`
		}
		return call(t, "GET", b.url+"/api/v1/matches?needId="+probe.ID, officer.Tokens().AccessToken, &page) == http.StatusOK &&
			len(page.Items) == 1 && page.Items[0].NeedID == probe.ID
	})
	t.Logf("application through A → in B's queue after %s", applied.Round(time.Millisecond))
	if err := seeker.DeleteProfile(ctx); err != nil {
		t.Fatalf("erasure on B = %v", err)
	}
	gone := within(t, 10*time.Second, "an erasure made through B gone from A's ranking", func() bool { return candidates() == 0 })
	t.Logf("profile on B → ranked by A after %s; erasure on B → gone from A's ranking after %s",
		seen.Round(time.Millisecond), gone.Round(time.Millisecond))

	// B is killed in the middle of a burst of writes on A and started again
	// on its own data directory: it catches up from its index's watermarks
	// and serves every need A wrote, those before the kill and during it.
	var posted []string
	for i := range 30 {
		if i == 10 {
			b.kill(t)
		}
		n, err := boss.CreateNeed(ctx, need(fmt.Sprintf("Burst need %d", i)))
		if err != nil {
			t.Fatal(err)
		}
		posted = append(posted, n.ID)
	}
	b = c.startOn(b.dir)
	for _, id := range posted {
		if _, err := client.New(b.url).Need(ctx, id); err != nil {
			t.Errorf("restarted B: Need(%s) = %v", id, err)
		}
	}
	found := map[string]bool{}
	for page := 1; page < 20; page++ {
		p, err := client.New(b.url).SearchNeeds(ctx, client.NeedQuery{Q: "burst", PageSize: 100, Page: page})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range p.Items {
			found[n.ID] = true
		}
		if len(p.Items) < 100 {
			break
		}
	}
	for _, id := range posted {
		if !found[id] {
			t.Errorf("restarted B does not find need %s of the burst", id)
		}
	}
}

// nursingSkill is an ESCO skill id the product suggests for "nursing".
func nursingSkill(t *testing.T, r *replica) string {
	t.Helper()
	hits, err := client.New(r.url).SuggestSkills(t.Context(), client.SkillQuery{Q: "nursing", Lang: "en", Limit: 5})
	if err != nil || len(hits) == 0 {
		t.Fatalf("SuggestSkills(nursing) = %+v, %v", hits, err)
	}
	return hits[0].ID
}

// call makes one API request with a bearer token and decodes the answer
// into out (if set); it returns the status.
func call(t *testing.T, method, url, token string, out any) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	if out != nil && res.StatusCode == http.StatusOK {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: decode: %v", method, url, err)
		}
	}
	return res.StatusCode
}
