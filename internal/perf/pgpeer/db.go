package pgpeer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// DB is one connection to the peer. Its queries go through pgx's
// statement cache: each distinct statement is prepared once, on first use,
// and then only executed, as a production service would do.
//
// Each execution is planned for its own arguments (plan_cache_mode =
// force_custom_plan). How many rows "holds any of these skills" matches
// ranges from a handful to half the table, and only the arguments tell:
// a generic plan, which PostgreSQL adopts after five executions of a
// prepared statement, cannot choose between the skills index and the
// place index, and took 30 times the server's CPU on rare skills in the
// benchmark. Planning costs a fraction of a millisecond.
type DB struct {
	conn *pgx.Conn
	pid  int // the backend process serving this connection
}

// Open connects to dsn.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres dsn: %w", err)
	}
	cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	db := &DB{conn: conn}
	if err := conn.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&db.pid); err != nil {
		return nil, errors.Join(fmt.Errorf("backend pid: %w", err), conn.Close(ctx))
	}
	return db, nil
}

// Close closes the connection.
func (db *DB) Close(ctx context.Context) error { return db.conn.Close(ctx) }

// ProfileRow is what the peer holds of a profile: its skill keys, place,
// and the hard-filter facts.
type ProfileRow struct {
	ID      string
	Keys    []string
	Lat     float64
	Lon     float64
	MaxKm   float64  // travel radius, for the caller's exact distance filter
	Remote  bool     // accepts remote work
	Consent bool     // consented to matching
	Kinds   []string // wanted kinds of need; empty is any
	From    string   // available from, YYYY-MM-DD; "" is open
	To      string   // available to, YYYY-MM-DD; "" is open
}

// NeedRow is what the peer holds of a need.
type NeedRow struct {
	ID      string
	Keys    []string
	Lat     float64
	Lon     float64
	Remote  bool // remote work
	Kind    string
	Visible bool   // open and from a verified employer
	ApplyBy string // YYYY-MM-DD; "" is open-ended
	Start   string // YYYY-MM-DD; "" is open
	End     string // YYYY-MM-DD; "" is open-ended
}

// The tables. Open dates are ±infinity, so that every comparison is a
// plain one.
const (
	profilesTable = `
DROP TABLE IF EXISTS profiles;
CREATE TABLE profiles (
	id         text NOT NULL,
	keys       text[] NOT NULL,
	lat        float8 NOT NULL,
	lon        float8 NOT NULL,
	max_km     float8 NOT NULL,
	remote     boolean NOT NULL,
	consent    boolean NOT NULL,
	kinds      text[], -- NULL: any kind
	avail_from date NOT NULL,
	avail_to   date NOT NULL
)`
	// The indexes, partial because only consenting profiles are ever
	// retrieved: the skills; the place, as a B-tree on (lat, lon) rather
	// than a GiST on a point, because the planner has statistics for
	// ranges of plain columns but estimates every point-in-box at 0.1% of
	// the rows, and so would always take the box over the skills, even
	// for rare skills that match a handful of people; and the remote
	// workers, so that "in the box OR remote" can be a BitmapOr of
	// indexes.
	profilesIndexes = `
ALTER TABLE profiles ADD PRIMARY KEY (id);
CREATE INDEX profiles_keys ON profiles USING gin (keys) WHERE consent;
CREATE INDEX profiles_place ON profiles (lat, lon) WHERE consent;
CREATE INDEX profiles_remote ON profiles (remote) WHERE consent AND remote`

	needsTable = `
DROP TABLE IF EXISTS needs;
CREATE TABLE needs (
	id         text NOT NULL,
	keys       text[] NOT NULL,
	lat        float8 NOT NULL,
	lon        float8 NOT NULL,
	remote     boolean NOT NULL,
	kind       text NOT NULL,
	visible    boolean NOT NULL,
	apply_by   date NOT NULL,
	start_date date NOT NULL,
	end_date   date NOT NULL
)`
	// As for profiles; only visible needs are ever retrieved.
	needsIndexes = `
ALTER TABLE needs ADD PRIMARY KEY (id);
CREATE INDEX needs_keys ON needs USING gin (keys) WHERE visible;
CREATE INDEX needs_place ON needs (lat, lon) WHERE visible;
CREATE INDEX needs_remote ON needs (remote) WHERE visible AND remote`
)

var (
	profileColumns = []string{"id", "keys", "lat", "lon", "max_km", "remote", "consent", "kinds", "avail_from", "avail_to"}
	needColumns    = []string{"id", "keys", "lat", "lon", "remote", "kind", "visible", "apply_by", "start_date", "end_date"}
)

// LoadProfiles replaces the profiles table with rows: it creates the
// table, copies the rows in, builds the indexes after the copy (faster
// than maintaining them row by row) and vacuums and analyses it, so that
// the queries run on planner statistics and a visibility map, as on a
// settled production table. Empty Kinds mean any kind.
func (db *DB) LoadProfiles(ctx context.Context, rows []ProfileRow) error {
	values := make([][]any, len(rows))
	for i, r := range rows {
		from, err := day(r.From, pgtype.NegativeInfinity)
		if err != nil {
			return fmt.Errorf("profile %s: from: %w", r.ID, err)
		}
		to, err := day(r.To, pgtype.Infinity)
		if err != nil {
			return fmt.Errorf("profile %s: to: %w", r.ID, err)
		}
		values[i] = []any{r.ID, r.Keys, r.Lat, r.Lon, r.MaxKm, r.Remote, r.Consent, orNil(r.Kinds), from, to}
	}
	return db.load(ctx, "profiles", profilesTable, profileColumns, values, profilesIndexes)
}

// LoadNeeds replaces the needs table with rows, as LoadProfiles does.
func (db *DB) LoadNeeds(ctx context.Context, rows []NeedRow) error {
	values := make([][]any, len(rows))
	for i, r := range rows {
		applyBy, err := day(r.ApplyBy, pgtype.Infinity)
		if err != nil {
			return fmt.Errorf("need %s: applyBy: %w", r.ID, err)
		}
		start, err := day(r.Start, pgtype.NegativeInfinity)
		if err != nil {
			return fmt.Errorf("need %s: start: %w", r.ID, err)
		}
		end, err := day(r.End, pgtype.Infinity)
		if err != nil {
			return fmt.Errorf("need %s: end: %w", r.ID, err)
		}
		values[i] = []any{r.ID, r.Keys, r.Lat, r.Lon, r.Remote, r.Kind, r.Visible, applyBy, start, end}
	}
	return db.load(ctx, "needs", needsTable, needColumns, values, needsIndexes)
}

func (db *DB) load(ctx context.Context, table, create string, columns []string, values [][]any, indexes string) error {
	tx, err := db.conn.Begin(ctx)
	if err != nil {
		return fmt.Errorf("load %s: %w", table, err)
	}
	defer tx.Rollback(ctx) // does nothing after Commit; before it, the error returned says what failed
	if _, err := tx.Exec(ctx, create); err != nil {
		return fmt.Errorf("create %s: %w", table, err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(values)); err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	if _, err := tx.Exec(ctx, indexes); err != nil {
		return fmt.Errorf("index %s: %w", table, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("load %s: %w", table, err)
	}
	if _, err := db.conn.Exec(ctx, "VACUUM (ANALYZE) "+table); err != nil { // not in a transaction
		return fmt.Errorf("vacuum %s: %w", table, err)
	}
	return nil
}

// CandidateQuery asks for the candidates of a need.
type CandidateQuery struct {
	Keys     []string // the need's skill keys
	Lat, Lon float64  // the need's place
	Remote   bool     // remote work
	Kind     string
	Start    string // YYYY-MM-DD; "" is open
	End      string // YYYY-MM-DD; "" is open-ended
	// RadiusKm is the circle around the need in which candidates are
	// looked for. Each candidate's own MaxKm decides in the end, so it
	// must be at least the largest MaxKm loaded for no candidate to be
	// missed.
	RadiusKm float64
}

// Candidates returns the ids, in no order, of the consenting profiles
// that hold any of q.Keys, want q.Kind (or any kind), are available at
// some time in [q.Start, q.End], and lie in the bounding box of the circle
// of q.RadiusKm around the need — or, when the need is remote work, accept
// remote work wherever they are. The box holds more than the circle: the
// caller applies the exact distance. There is no limit: the caller ranks
// them all.
func (db *DB) Candidates(ctx context.Context, q CandidateQuery) ([]string, error) {
	start, err := day(q.Start, pgtype.NegativeInfinity)
	if err != nil {
		return nil, fmt.Errorf("candidates: start: %w", err)
	}
	end, err := day(q.End, pgtype.Infinity)
	if err != nil {
		return nil, fmt.Errorf("candidates: end: %w", err)
	}
	args := pgx.NamedArgs{"keys": q.Keys, "kind": q.Kind, "start": start, "end": end}
	place, err := placeFilter(q.Lat, q.Lon, q.RadiusKm, q.Remote, args)
	if err != nil {
		return nil, fmt.Errorf("candidates: %w", err)
	}
	sql := `SELECT id FROM profiles
WHERE consent
  AND keys && @keys::text[]
  AND (kinds IS NULL OR @kind::text = ANY (kinds))
  AND avail_from <= @end::date AND avail_to >= @start::date
  AND ` + place
	return db.ids(ctx, "candidates", sql, args)
}

// NeedsQuery asks for the needs a person may be matched to.
type NeedsQuery struct {
	Keys     []string // the person's skill keys
	Lat, Lon float64  // the person's place
	RadiusKm float64  // the person's travel radius
	Remote   bool     // the person accepts remote work
	Kinds    []string // wanted kinds; empty is any
	Today    string   // YYYY-MM-DD
}

// Needs returns the ids, in no order, of the visible needs that ask for
// any of q.Keys, are of one of q.Kinds, may still be applied for on
// q.Today, and lie in the bounding box of the person's travel circle — or
// are remote work, when the person accepts it. The caller applies the
// exact distance and ranks them all.
func (db *DB) Needs(ctx context.Context, q NeedsQuery) ([]string, error) {
	if q.Today == "" {
		return nil, errors.New("needs: no today: want YYYY-MM-DD")
	}
	today, err := day(q.Today, pgtype.Finite)
	if err != nil {
		return nil, fmt.Errorf("needs: today: %w", err)
	}
	args := pgx.NamedArgs{"keys": q.Keys, "today": today}
	place, err := placeFilter(q.Lat, q.Lon, q.RadiusKm, q.Remote, args)
	if err != nil {
		return nil, fmt.Errorf("needs: %w", err)
	}
	kinds := ""
	if len(q.Kinds) > 0 {
		kinds = "\n  AND kind = ANY (@kinds::text[])"
		args["kinds"] = q.Kinds
	}
	sql := `SELECT id FROM needs
WHERE visible
  AND keys && @keys::text[]
  AND apply_by >= @today::date` + kinds + `
  AND ` + place
	return db.ids(ctx, "needs", sql, args)
}

// placeFilter returns the condition that a row lies in the bounding box
// of the circle or, when remote, is remote work, and adds its arguments to
// args. The statement differs only in these shapes, so each shape is one
// cached prepared statement.
func placeFilter(lat, lon, km float64, remote bool, args pgx.NamedArgs) (string, error) {
	boxes, err := boundingBoxes(lat, lon, km)
	if err != nil {
		return "", err
	}
	// The boxes share their latitudes: a second box only adds the
	// longitudes beyond ±180°.
	args["minLat"], args["maxLat"] = boxes[0].minLat, boxes[0].maxLat
	var lons []string
	for i, b := range boxes {
		lo, hi := "minLon"+strconv.Itoa(i), "maxLon"+strconv.Itoa(i)
		args[lo], args[hi] = b.minLon, b.maxLon
		lons = append(lons, "lon BETWEEN @"+lo+" AND @"+hi)
	}
	cond := "lat BETWEEN @minLat AND @maxLat AND (" + strings.Join(lons, " OR ") + ")"
	if remote {
		cond = "(" + cond + ") OR remote"
	}
	return "(" + cond + ")", nil
}

func (db *DB) ids(ctx context.Context, what, sql string, args pgx.NamedArgs) ([]string, error) {
	rows, err := db.conn.Query(ctx, sql, args)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return ids, nil
}

// clockTicks is the unit of the CPU times in /proc/<pid>/stat: USER_HZ,
// what sysconf(_SC_CLK_TCK) returns, fixed at 100 per second by the
// Linux ABI on every architecture Go runs on.
const clockTicks = 100

// BackendCPU returns the user and system CPU time that the backend process
// serving this connection has used so far, from /proc/<pid>/stat; the
// difference around a query is the server's CPU time for it. It needs the
// server on this Linux machine, and counts in ticks of 10 ms: measure
// many queries, not one.
func (db *DB) BackendCPU() (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(db.pid) + "/stat")
	if err != nil {
		return 0, fmt.Errorf("backend cpu: %w", err)
	}
	// Field 2, the command, is in parentheses and may hold spaces: count
	// the fields after the last ')', from field 3 (the state).
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	const utime, stime = 14 - 3, 15 - 3
	if len(f) <= stime {
		return 0, fmt.Errorf("backend cpu: /proc/%d/stat: %d fields", db.pid, len(f)+2)
	}
	var ticks int64
	for _, s := range []string{f[utime], f[stime]} {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("backend cpu: /proc/%d/stat: %w", db.pid, err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// day converts a YYYY-MM-DD date, or "" to the open bound given.
func day(s string, open pgtype.InfinityModifier) (pgtype.Date, error) {
	if s == "" {
		return pgtype.Date{InfinityModifier: open, Valid: true}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return pgtype.Date{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return pgtype.Date{Time: t, Valid: true}, nil
}

// orNil returns nil for an empty slice, which pgx sends as NULL.
func orNil(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}
