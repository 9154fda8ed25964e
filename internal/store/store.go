package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	// Database drivers, registered by name with database/sql.
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// ErrNotFound is returned when the record asked for does not exist.
var ErrNotFound = errors.New("not found")

// Engine names the database engine behind a DB.
type Engine string

// The engines candour runs on.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB is candour's database: a pool for writes and a pool for reads. On
// PostgreSQL both are the same pool; on SQLite writes go through a single
// connection (SQLite has one writer at a time, and queuing in Go is cheaper
// than SQLITE_BUSY retries) while reads run in parallel under WAL.
type DB struct {
	Engine Engine
	write  *sql.DB
	read   *sql.DB
	// stmts keeps statements run in transactions prepared on the write
	// connection, and reads those run on the read pool (SQLite only; see
	// stmtcache.go).
	stmts, reads *stmtCache
	// Location describes where the data lives, with any password removed.
	Location string
	// commits counts transactions committed, for RunCheckpoints.
	commits atomic.Int64
}

// Options tune Open.
type Options struct {
	// DataDir holds the SQLite file when URL is empty.
	DataDir string
	// MaxConns caps PostgreSQL connections per replica (default 20).
	MaxConns int
}

// Open connects to the database named by url: a postgres:// or postgresql://
// URL selects PostgreSQL; an empty url, or sqlite:PATH, selects SQLite (in
// DataDir/candour.db by default).
func Open(ctx context.Context, url string, opt Options) (*DB, error) {
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		return openPostgres(ctx, url, opt)
	}
	path := strings.TrimPrefix(url, "sqlite:")
	if path == "" {
		dir := opt.DataDir
		if dir == "" {
			dir = "candour-data"
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		path = filepath.Join(dir, "candour.db")
	} else if url != "" && !strings.HasPrefix(url, "sqlite:") {
		return nil, fmt.Errorf("database URL %q: want postgres://... or sqlite:PATH", redact(url))
	}
	return openSQLite(ctx, path)
}

// sqlitePageSize is the page size of new SQLite files. Every commit writes
// each page it changed to the WAL with two system calls, and a batch of
// reports fills pages in order (the rows, their search index segment, the
// audit chain), so pages twice SQLite's default size halve those calls
// (docs/benchmarks.md).
const sqlitePageSize = 8192

// createSQLite makes the database file with sqlitePageSize pages if it does
// not exist yet. The page size is fixed once the first page is written,
// which switching to WAL does; the driver runs its _pragma options in
// alphabetical order, journal_mode before page_size, so the size is set
// here, on a connection of its own, first. Existing files keep the page
// size they were created with.
func createSQLite(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil || !errors.Is(err, os.ErrNotExist) {
		return nil
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return fmt.Errorf("create sqlite %s: %w", path, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA page_size = %d", sqlitePageSize)); err != nil {
		return fmt.Errorf("create sqlite %s: %w", path, err)
	}
	if _, err := db.ExecContext(ctx, "PRAGMA journal_mode = WAL"); err != nil {
		return fmt.Errorf("create sqlite %s: %w", path, err)
	}
	return db.Close()
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	// synchronous=FULL: a report acknowledged to its sender survives a power cut.
	// temp_store=MEMORY keeps a big transaction's statement journals off
	// the disk; durability is unchanged. secure_delete=FAST zeroes what
	// an UPDATE or DELETE removes from a page (a redacted passage, a sent
	// email's address) instead of leaving it in the file's free space;
	// it costs no extra I/O.
	pragmas := "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=temp_store(MEMORY)&_pragma=secure_delete(FAST)"
	if err := createSQLite(ctx, path); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxLifetime(0)
	w.SetMaxIdleConns(1)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	return &DB{Engine: SQLite, write: w, read: r, stmts: newStmtCache(maxCachedStatements),
		reads: newStmtCache(maxCachedStatements), Location: "sqlite:" + path}, nil
}

func openPostgres(ctx context.Context, url string, opt Options) (*DB, error) {
	p, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres %s: %w", redact(url), err)
	}
	max := opt.MaxConns
	if max <= 0 {
		max = 20
	}
	p.SetMaxOpenConns(max)
	p.SetMaxIdleConns(max)
	p.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := p.PingContext(pingCtx); err != nil {
		p.Close()
		return nil, fmt.Errorf("connect to postgres %s: %w", redact(url), err)
	}
	return &DB{Engine: Postgres, write: p, read: p, Location: redact(url)}, nil
}

// redact removes a password from a database URL so that it can be logged.
func redact(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 {
		return url
	}
	creds := url[scheme+3 : at]
	if i := strings.Index(creds, ":"); i >= 0 {
		return url[:scheme+3] + creds[:i] + ":xxxxx" + url[at:]
	}
	return url
}

// Redact removes any password from a database URL.
func Redact(url string) string { return redact(url) }

// Close closes both pools.
func (db *DB) Close() error {
	var err error
	if db.stmts != nil {
		err = errors.Join(db.stmts.close(), db.reads.close())
	}
	err = errors.Join(err, db.write.Close())
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.read.PingContext(ctx) }

// SQL returns the pool that writes go through, for tools such as migrations.
func (db *DB) SQL() *sql.DB { return db.write }

// Querier runs SQL written with `?` placeholders. Both *DB and *Tx are
// Queriers, so domain functions can run inside or outside a transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	Dialect() Engine
}

// ExecContext runs a statement that changes data.
func (db *DB) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return db.write.ExecContext(ctx, db.Rebind(q), args...)
}

// QueryContext runs a read-only query on the read pool.
func (db *DB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if s := db.readStmt(ctx, q); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return db.read.QueryContext(ctx, db.Rebind(q), args...)
}

// QueryRowContext runs a read-only query expected to return one row. A query
// ending in RETURNING writes, so it goes to the write pool.
func (db *DB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if isWrite(q) {
		return db.write.QueryRowContext(ctx, db.Rebind(q), args...)
	}
	if s := db.readStmt(ctx, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return db.read.QueryRowContext(ctx, db.Rebind(q), args...)
}

func isWrite(q string) bool {
	t := strings.TrimSpace(q)
	if len(t) < 6 {
		return false
	}
	switch strings.ToUpper(t[:6]) {
	case "INSERT", "UPDATE", "DELETE":
		return true
	}
	return false
}

// Dialect reports the engine, for the few statements that differ.
func (db *DB) Dialect() Engine { return db.Engine }

// Rebind rewrites `?` placeholders as `$1, $2...` on PostgreSQL. A `?` inside
// a quoted string literal is left alone.
func (db *DB) Rebind(q string) string { return rebind(db.Engine, q) }

func rebind(e Engine, q string) string {
	if e != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	inQuote := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			fmt.Fprintf(&b, "$%d", n)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Tx is a write transaction.
type Tx struct {
	tx     *sql.Tx
	engine Engine
	// cache holds prepared statements (nil on PostgreSQL); misses are
	// statements to prepare once the transaction has ended.
	cache  *stmtCache
	missMu sync.Mutex
	misses map[string]struct{}
}

// ExecContext runs a statement in the transaction.
func (t *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q = rebind(t.engine, q)
	if s := t.stmt(ctx, q); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, q, args...)
}

// QueryContext runs a query in the transaction.
func (t *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = rebind(t.engine, q)
	if s := t.stmt(ctx, q); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, q, args...)
}

// QueryRowContext runs a query expected to return one row in the transaction.
func (t *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	q = rebind(t.engine, q)
	if s := t.stmt(ctx, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, q, args...)
}

// Dialect reports the engine.
func (t *Tx) Dialect() Engine { return t.engine }

// InTx runs fn in a write transaction, committing if fn returns nil and
// rolling back otherwise. A change and its audit entry are written through the
// same Tx, so that both land or neither does.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	tx := &Tx{tx: sqlTx, engine: db.Engine, cache: db.stmts}
	if err := fn(tx); err != nil {
		rbErr := sqlTx.Rollback()
		db.prepareMisses(ctx, tx)
		if rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("roll back: %w", rbErr))
		}
		return err
	}
	err = sqlTx.Commit()
	db.prepareMisses(ctx, tx)
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	db.commits.Add(1)
	return nil
}

// prepareMisses adds the statements tx ran unprepared to the cache. It is
// called only once tx has let go of the write connection, which preparing
// needs (never deferred: after a panic in fn the connection is still held).
func (db *DB) prepareMisses(ctx context.Context, tx *Tx) {
	tx.missMu.Lock()
	m := tx.misses
	tx.misses = nil
	tx.missMu.Unlock()
	if len(m) > 0 && db.stmts != nil {
		db.stmts.prepare(context.WithoutCancel(ctx), db.write, m)
	}
}

// MaxRowsPerStatement caps the rows of one multi-row INSERT written with
// RowsChunk, well inside both engines' limits on bound parameters.
const MaxRowsPerStatement = 128

// RowsChunk returns how many of n rows to write in the next multi-row
// statement: the largest power of two not above n or MaxRowsPerStatement.
// Keeping to powers of two keeps the number of distinct statement texts,
// and so of cached prepared statements, small.
func RowsChunk(n int) int {
	k := 1
	for k*2 <= n && k*2 <= MaxRowsPerStatement {
		k *= 2
	}
	return k
}

// InsertRows writes n rows in tx with multi-row INSERTs of RowsChunk rows
// each. head is the statement up to its values, such as
// "INSERT INTO t (a, b) VALUES "; row appends the cols values of row i (in
// order, from 0) to args and returns it, or an error that stops the lot.
func InsertRows(ctx context.Context, tx *Tx, head string, cols, n int, row func(args []any, i int) ([]any, error)) error {
	args := make([]any, 0, min(n, MaxRowsPerStatement)*cols)
	for done := 0; done < n; {
		k := RowsChunk(n - done)
		args = args[:0]
		for i := done; i < done+k; i++ {
			var err error
			if args, err = row(args, i); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, head+Placeholders(k, cols), args...); err != nil {
			return err
		}
		done += k
	}
	return nil
}

// Placeholders returns rows groups of cols `?` placeholders, "(?, ?), (?, ?)",
// for a multi-row VALUES list.
func Placeholders(rows, cols int) string {
	var b strings.Builder
	b.Grow(rows * (cols*3 + 2))
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := 0; c < cols; c++ {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('?')
		}
		b.WriteByte(')')
	}
	return b.String()
}

// IsUniqueViolation reports whether err is a unique-constraint failure on
// either engine.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// NotFound converts sql.ErrNoRows into ErrNotFound, wrapping it with what was
// being looked up.
func NotFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
