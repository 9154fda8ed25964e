package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"candour/internal/store"
	"candour/internal/store/storetest"
)

func TestRoundTripAndTransactions(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		at := time.Date(2026, 3, 4, 5, 6, 7, 123456000, time.UTC)
		var id int64
		err := db.QueryRowContext(ctx, `INSERT INTO sites (code, name, created_at) VALUES (?, ?, ?) RETURNING id`,
			"RVH", "Royal 'Vale' Hospital?", store.T(at)).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		var name string
		var got store.Time
		if err := db.QueryRowContext(ctx, `SELECT name, created_at FROM sites WHERE id = ?`, id).Scan(&name, &got); err != nil {
			t.Fatal(err)
		}
		if name != "Royal 'Vale' Hospital?" || !got.Equal(at) {
			t.Fatalf("read back %q %v, want the stored values", name, got)
		}

		// A failing transaction leaves nothing behind.
		boom := errors.New("boom")
		err = db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sites (code, name, created_at) VALUES (?, ?, ?)`, "X", "X", store.T(at)); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx error = %v, want boom", err)
		}
		var n int
		db.QueryRowContext(ctx, `SELECT count(*) FROM sites`).Scan(&n)
		if n != 1 {
			t.Fatalf("sites = %d after rolled-back transaction, want 1", n)
		}

		_, err = db.ExecContext(ctx, `INSERT INTO sites (code, name, created_at) VALUES (?, ?, ?)`, "RVH", "dup", store.T(at))
		if !store.IsUniqueViolation(err) {
			t.Fatalf("duplicate code: %v, want unique violation", err)
		}

		err = store.NotFound(db.QueryRowContext(ctx, `SELECT name FROM sites WHERE id = ?`, 999).Scan(&name), "site 999")
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing row: %v, want ErrNotFound", err)
		}
		if err := db.CheckSchema(ctx); err != nil {
			t.Fatalf("fresh schema: %v", err)
		}
	})
}

func TestAuditLogRefusesEdits(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, err := db.ExecContext(ctx, `INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, detail, prev_hash, hash)
			VALUES (1, 'x', 'a', 'b', 'c', 'd', '', '', 'h')`)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `UPDATE audit_log SET actor = 'mallory'`); err == nil {
			t.Fatal("UPDATE of audit_log succeeded; want it refused")
		}
		if _, err := db.ExecContext(ctx, `DELETE FROM audit_log`); err == nil {
			t.Fatal("DELETE from audit_log succeeded; want it refused")
		}
	})
}

func TestUnmigratedSchemaIsBehind(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+t.TempDir()+"/x.db", store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CheckSchema(ctx); !errors.Is(err, store.ErrSchemaBehind) {
		t.Fatalf("CheckSchema on empty database = %v, want ErrSchemaBehind", err)
	}
}

// Replicas started together must migrate once: the advisory lock makes the
// others wait and then find nothing to do.
func TestConcurrentMigrationRunsOnce(t *testing.T) {
	u := storetest.PostgresDatabaseURL(t)
	ctx := context.Background()
	const replicas = 4
	ran := make([]int, replicas)
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := store.Open(ctx, u, store.Options{MaxConns: 2})
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			ran[i], errs[i] = db.Migrate(ctx)
		}()
	}
	wg.Wait()
	total := 0
	for i := range replicas {
		if errs[i] != nil {
			t.Fatalf("replica %d: %v", i, errs[i])
		}
		total += ran[i]
	}
	db, err := store.Open(ctx, u, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want, err := db.MigrationCount()
	if err != nil {
		t.Fatal(err)
	}
	if total != want {
		t.Fatalf("migrations applied %d times across %d replicas, want %d (once each)", total, replicas, want)
	}
}

func TestNewSQLiteFilesUseLargerPagesAndOldOnesKeepTheirs(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	pageSize := func(db *store.DB) int {
		t.Helper()
		var n int
		if err := db.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	fresh, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "new.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if _, err := fresh.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if n := pageSize(fresh); n != 8192 {
		t.Fatalf("a new database has %d-byte pages, want 8192", n)
	}

	// A file made by an earlier version, with SQLite's default pages and a
	// row in it, opens as it was and keeps its data.
	oldPath := filepath.Join(dir, "old.db")
	raw, err := sql.Open("sqlite", "file:"+oldPath+"?_pragma=page_size(4096)&_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, `CREATE TABLE kept (v TEXT)`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, `INSERT INTO kept VALUES ('written before')`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	old, err := store.Open(ctx, "sqlite:"+oldPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if n := pageSize(old); n != 4096 {
		t.Fatalf("an existing database now reports %d-byte pages, want its own 4096", n)
	}
	var v string
	if err := old.QueryRowContext(ctx, `SELECT v FROM kept`).Scan(&v); err != nil || v != "written before" {
		t.Fatalf("existing row %q, %v", v, err)
	}
}

// What an UPDATE or DELETE removes (a redacted passage, a sent email's
// address) must not stay readable in the file's free space.
func TestRemovedTextLeavesNoTraceInTheFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "x.db")
	db, err := store.Open(ctx, "sqlite:"+path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const updated, deleted = "REDACTED-PASSAGE-Margaret-Thornbury", "SENT-TO-jo.bloggs@trust.example"
	for _, q := range []string{
		`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`,
		`INSERT INTO notes (body) VALUES ('` + updated + `'), ('` + deleted + `'), ('kept')`,
		`UPDATE notes SET body = '[redacted]' WHERE body = '` + updated + `'`,
		`DELETE FROM notes WHERE body = '` + deleted + `'`,
		`PRAGMA wal_checkpoint(TRUNCATE)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(file, []byte("kept")) {
		t.Fatal("the file does not hold the row that stayed: the test reads the wrong thing")
	}
	for _, gone := range []string{updated, deleted} {
		if bytes.Contains(file, []byte(gone)) {
			t.Errorf("%q is still in the database file after it was removed", gone)
		}
	}
}
