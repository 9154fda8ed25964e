package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func openTestSQLite(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "c.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.ExecContext(context.Background(), `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return db
}

// Statements run in transactions are prepared once and then reused, and
// what they write is what was asked for.
func TestStatementCacheReusesStatements(t *testing.T) {
	ctx := context.Background()
	db := openTestSQLite(t)
	insert := `INSERT INTO notes (body) VALUES (?) RETURNING id`
	var ids []int64
	for i := range 5 {
		err := db.InTx(ctx, func(tx *Tx) error {
			var id int64
			if err := tx.QueryRowContext(ctx, insert, fmt.Sprintf("note %d", i)).Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
			_, err := tx.ExecContext(ctx, `UPDATE notes SET body = body || '!' WHERE id = ?`, id)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	size, hits := db.stmts.stats()
	if size != 2 {
		t.Errorf("cache holds %d statements, want 2", size)
	}
	// The first transaction prepares; the other four find both statements.
	if hits != 8 {
		t.Errorf("cache answered %d lookups, want 8", hits)
	}
	err := db.InTx(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, body FROM notes ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		i := 0
		for rows.Next() {
			var id int64
			var body string
			if err := rows.Scan(&id, &body); err != nil {
				return err
			}
			if id != ids[i] || body != fmt.Sprintf("note %d!", i) {
				t.Errorf("row %d = %d %q, want %d %q", i, id, body, ids[i], fmt.Sprintf("note %d!", i))
			}
			i++
		}
		if i != 5 {
			t.Errorf("read %d rows, want 5", i)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A cached statement still works after the schema it was prepared against
// changes, and a rolled-back transaction leaves nothing behind.
func TestStatementCacheAfterSchemaChangeAndRollback(t *testing.T) {
	ctx := context.Background()
	db := openTestSQLite(t)
	sel := `SELECT * FROM notes WHERE id = ?`
	for range 2 {
		db.InTx(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO notes (id, body) VALUES (1, 'a') ON CONFLICT DO NOTHING`)
			return err
		})
		db.InTx(ctx, func(tx *Tx) error {
			var id int64
			var body string
			return tx.QueryRowContext(ctx, sel, 1).Scan(&id, &body)
		})
	}
	if _, err := db.ExecContext(ctx, `ALTER TABLE notes ADD COLUMN mood TEXT NOT NULL DEFAULT 'calm'`); err != nil {
		t.Fatal(err)
	}
	err := db.InTx(ctx, func(tx *Tx) error {
		var id int64
		var body, mood string
		return tx.QueryRowContext(ctx, sel, 1).Scan(&id, &body, &mood)
	})
	if err != nil {
		t.Fatalf("cached SELECT * after ALTER TABLE: %v", err)
	}
	boom := fmt.Errorf("boom")
	err = db.InTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notes (id, body) VALUES (1, 'a') ON CONFLICT DO NOTHING`); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO notes (id, body) VALUES (?, ?)`, 2, "b"); err != nil {
			return err
		}
		return boom
	})
	if err != boom {
		t.Fatalf("InTx = %v, want boom", err)
	}
	var n int
	db.QueryRowContext(ctx, `SELECT count(*) FROM notes`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d notes after a rolled-back transaction, want 1", n)
	}
	// A statement that cannot be prepared is reported where it is run, and
	// is not cached.
	for range 2 {
		err = db.InTx(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO no_such_table VALUES (1)`)
			return err
		})
		if err == nil {
			t.Fatal("insert into a missing table succeeded")
		}
	}
}

// The cache never grows past its bound, and statements dropped from it keep
// working.
func TestStatementCacheIsBounded(t *testing.T) {
	ctx := context.Background()
	db := openTestSQLite(t)
	db.stmts.close()
	db.stmts = newStmtCache(3)
	for round := range 3 {
		for i := range 10 {
			err := db.InTx(ctx, func(tx *Tx) error {
				// Ten distinct statements, each run in three transactions.
				_, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO notes (body) SELECT '%d-' || ?`, i), round)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if size, _ := db.stmts.stats(); size > 3 {
				t.Fatalf("cache holds %d statements, bound is 3", size)
			}
		}
	}
	var n int
	db.QueryRowContext(ctx, `SELECT count(*) FROM notes`).Scan(&n)
	if n != 30 {
		t.Fatalf("%d notes, want 30", n)
	}
}

// PostgreSQL keeps no cache here: pgx caches statements per connection.
func TestNoStatementCacheOnPostgres(t *testing.T) {
	if e := rebind(Postgres, "SELECT ? , '?'"); e != "SELECT $1 , '?'" {
		t.Fatalf("rebind = %q", e)
	}
	db := &DB{Engine: Postgres}
	tx := &Tx{engine: db.Engine, cache: db.stmts}
	if tx.stmt(context.Background(), "SELECT 1") != nil {
		t.Fatal("a PostgreSQL transaction used the statement cache")
	}
}

// Reads outside transactions are prepared once on the read pool and reused;
// they see what was written since, a query that does not prepare still
// reports its own error, and once the cache is full reads run unprepared.
func TestReadStatementCache(t *testing.T) {
	ctx := context.Background()
	db := openTestSQLite(t)
	count := `SELECT count(*) FROM notes WHERE body LIKE ?`
	for i := range 5 {
		if _, err := db.ExecContext(ctx, `INSERT INTO notes (body) VALUES (?)`, fmt.Sprintf("note %d", i)); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRowContext(ctx, count, "note%").Scan(&n); err != nil || n != i+1 {
			t.Fatalf("after %d inserts the cached read counts %d (%v)", i+1, n, err)
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT body FROM notes WHERE id > ? ORDER BY id`, 3)
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for rows.Next() {
		var b string
		rows.Scan(&b)
		bodies = append(bodies, b)
	}
	rows.Close()
	if fmt.Sprint(bodies) != "[note 3 note 4]" {
		t.Fatalf("cached query read %v", bodies)
	}
	size, hits := db.reads.stats()
	if size != 2 || hits != 4 {
		t.Errorf("read cache holds %d statements and answered %d lookups, want 2 and 4", size, hits)
	}
	if err := db.QueryRowContext(ctx, `SELECT missing FROM no_such_table`).Scan(new(int)); err == nil || !strings.Contains(err.Error(), "no_such_table") {
		t.Fatalf("a query that cannot prepare: %v, want its own error", err)
	}
	db.reads.max = 2 // full
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM notes WHERE id <= ?`, 2).Scan(&n); err != nil || n != 2 {
		t.Fatalf("a read with the cache full: %d %v", n, err)
	}
	if size, _ := db.reads.stats(); size != 2 {
		t.Fatalf("the full cache grew to %d", size)
	}
}

// InsertRows writes every row, in order, in chunks within the engines'
// limits, and a row's error stops the lot.
func TestInsertRows(t *testing.T) {
	ctx := context.Background()
	db := openTestSQLite(t)
	const n = 300 // 128 + 128 + 32 + 8 + 4
	err := db.InTx(ctx, func(tx *Tx) error {
		return InsertRows(ctx, tx, `INSERT INTO notes (id, body) VALUES `, 2, n, func(args []any, i int) ([]any, error) {
			return append(args, i+1, fmt.Sprintf("note %d", i)), nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	var count, sum int
	db.QueryRowContext(ctx, `SELECT count(*), sum(id) FROM notes WHERE body = 'note ' || (id - 1)`).Scan(&count, &sum)
	if count != n || sum != n*(n+1)/2 {
		t.Fatalf("%d rows (ids summing to %d) match their index, want %d", count, sum, n)
	}
	stop := errors.New("row 200 refused")
	err = db.InTx(ctx, func(tx *Tx) error {
		return InsertRows(ctx, tx, `INSERT INTO notes (body) VALUES `, 1, 250, func(args []any, i int) ([]any, error) {
			if i == 200 {
				return nil, stop
			}
			return append(args, "more"), nil
		})
	})
	if !errors.Is(err, stop) {
		t.Fatalf("a refused row: %v, want its error", err)
	}
	db.QueryRowContext(ctx, `SELECT count(*) FROM notes`).Scan(&count)
	if count != n {
		t.Fatalf("%d notes after a refused batch, want %d", count, n)
	}
}
