// Package storetest gives tests a real, freshly migrated database: a SQLite
// file in the test's temporary directory always, and a new PostgreSQL database
// per test when CANDOUR_TEST_POSTGRES_URL names a server.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"candour/internal/store"
)

// PostgresURLEnv names the variable that switches PostgreSQL tests on.
const PostgresURLEnv = "CANDOUR_TEST_POSTGRES_URL"

// Engines runs fn once per available engine, each as a subtest with its own
// fresh database. Without PostgreSQL it says so in the test log.
func Engines(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	if os.Getenv(PostgresURLEnv) == "" {
		if os.Getenv("CANDOUR_TEST_REQUIRE_POSTGRES") != "" {
			t.Fatalf("CANDOUR_TEST_REQUIRE_POSTGRES is set but %s is empty", PostgresURLEnv)
		}
		t.Logf("SKIPPED on PostgreSQL: set %s to run these tests on PostgreSQL too", PostgresURLEnv)
		return
	}
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite opens a migrated SQLite database in a temporary directory.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "candour.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// Postgres opens a migrated, newly created PostgreSQL database that is dropped
// when the test ends. It skips the test when PostgreSQL is not configured.
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	u := PostgresDatabaseURL(t)
	db, err := store.Open(context.Background(), u, store.Options{MaxConns: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// PostgresDatabaseURL creates an empty PostgreSQL database for this test and
// returns its URL; the database is dropped when the test ends.
func PostgresDatabaseURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresURLEnv)
	if base == "" {
		if os.Getenv("CANDOUR_TEST_REQUIRE_POSTGRES") != "" {
			t.Fatalf("CANDOUR_TEST_REQUIRE_POSTGRES is set but %s is empty", PostgresURLEnv)
		}
		t.Skipf("SKIPPED: PostgreSQL test; set %s to run it", PostgresURLEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "candour_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// QueryPlan returns the steps of SQLite's EXPLAIN QUERY PLAN for query with
// args, in order, for tests that a query reads what it should.
func QueryPlan(t testing.TB, db *store.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}
