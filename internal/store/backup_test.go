package store_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/careget/skillsmatch/internal/failure"
	"github.com/careget/skillsmatch/internal/store"
	"github.com/careget/skillsmatch/internal/store/storetest"
)

// backupOf loads a small demo data set into a fresh database and backs it up.
func backupOf(t *testing.T) (*store.Store, []byte, store.BackupManifest) {
	t.Helper()
	ctx := context.Background()
	s := storetest.Open(t)
	if err := s.BulkLoad(ctx, demoData(t, 40, 25), nil); err != nil {
		t.Fatalf("BulkLoad = %v", err)
	}
	var buf bytes.Buffer
	m, err := s.Backup(ctx, &buf, time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC), nil)
	if err != nil {
		t.Fatalf("Backup = %v", err)
	}
	return s, buf.Bytes(), m
}

func opener(b []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

func TestBackupRestoresTheSameDocuments(t *testing.T) {
	ctx := context.Background()
	_, file, m := backupOf(t)
	counts := map[string]int{}
	for _, c := range m.Collections {
		counts[c.Name] = c.Count
	}
	if counts["users"] < 40 || counts["needs"] != 25 || counts["profiles"] != 40 || counts["counters"] == 0 {
		t.Fatalf("manifest counts = %v, want the demo's users, 25 needs, 40 profiles and the counters", counts)
	}

	to := storetest.Open(t)
	got, err := to.Restore(ctx, opener(file), nil)
	if err != nil {
		t.Fatalf("Restore = %v", err)
	}
	if !reflect.DeepEqual(got.Collections, m.Collections) {
		t.Errorf("Restore's manifest = %+v, want %+v", got.Collections, m.Collections)
	}
	// A backup of the restored database holds byte for byte the same
	// documents: the same counts and checksums, collection by collection.
	var again bytes.Buffer
	m2, err := to.Backup(ctx, &again, time.Now(), nil)
	if err != nil {
		t.Fatalf("Backup of the restored database = %v", err)
	}
	if !reflect.DeepEqual(m2.Collections, m.Collections) {
		t.Errorf("restored database's manifest = %+v, want %+v", m2.Collections, m.Collections)
	}
	// The product's key reads find the restored documents through their
	// indexes, as they found the originals.
	users, err := to.Users().UserByEmail(ctx, firstEmail(t, file))
	if err != nil || users.ID == "" {
		t.Errorf("UserByEmail on the restored store = %+v, %v", users, err)
	}
}

// firstEmail is the e-mail address of the backup's first user.
func firstEmail(t *testing.T, file []byte) string {
	t.Helper()
	for _, line := range strings.Split(gunzip(t, file), "\n") {
		if i := strings.Index(line, `"email":"`); i >= 0 {
			rest := line[i+len(`"email":"`):]
			return rest[:strings.IndexByte(rest, '"')]
		}
	}
	t.Fatal("no user with an e-mail address in the backup")
	return ""
}

func TestRestoreRefusesAStoreWithData(t *testing.T) {
	s, file, m := backupOf(t)
	_, err := s.Restore(context.Background(), opener(file), nil)
	if !failure.Is(err, failure.Conflict) {
		t.Fatalf("Restore into the database backed up = %v, want a conflict", err)
	}
	var buf bytes.Buffer
	after, err := s.Backup(context.Background(), &buf, time.Now(), nil)
	if err != nil || after.Documents() != m.Documents() {
		t.Errorf("after the refused restore: %d documents (%v), want %d", after.Documents(), err, m.Documents())
	}
}

func TestRestoreChecksTheWholeFileFirst(t *testing.T) {
	_, file, _ := backupOf(t)
	text := gunzip(t, file)
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	altered := strings.Replace(text, `"Haskovo"`, `"Haskovx"`, 1)
	if altered == text {
		altered = strings.Replace(text, `"seq"`, `"seQ"`, 1)
	}
	for name, body := range map[string]string{
		"one document altered":    altered,
		"cut before the manifest": strings.Join(lines[:len(lines)-1], "\n") + "\n",
		"a document dropped":      strings.Join(append(append([]string{}, lines[:3]...), lines[4:]...), "\n") + "\n",
		"not gzip":                "",
	} {
		t.Run(name, func(t *testing.T) {
			data := gzipped(t, body)
			if name == "not gzip" {
				data = []byte("plain text, not a backup")
			}
			to := storetest.Open(t)
			_, err := to.Restore(context.Background(), opener(data), nil)
			if !failure.Is(err, failure.Invalid) {
				t.Fatalf("Restore = %v, want an invalid backup", err)
			}
			var buf bytes.Buffer
			if m, err := to.Backup(context.Background(), &buf, time.Now(), nil); err != nil || m.Documents() != 0 {
				t.Errorf("the refused restore wrote %d documents (%v), want none", m.Documents(), err)
			}
		})
	}
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
