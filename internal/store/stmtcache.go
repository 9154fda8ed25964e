package store

import (
	"context"
	"database/sql"
	"sync"
)

// Prepared-statement cache for transactions on SQLite.
//
// modernc.org/sqlite parses and plans every statement on every call, and in
// pure Go that costs tens of microseconds a statement: on the report
// submission path it was about a third of the group-commit writer's time.
// So statements run through a Tx are kept prepared on the write connection
// and re-bound to each transaction with Tx.StmtContext, keyed by their SQL
// text.
//
// SQLite only. On PostgreSQL pgx already keeps a statement cache on each
// connection (its default query mode prepares and caches by SQL text), so a
// second cache here would add work, and database/sql statements prepared on
// a pool of twenty connections would each be prepared twenty times.
//
// A statement is prepared on the pool, which on SQLite means taking its one
// write connection. Inside a transaction that connection is already held,
// so a statement seen for the first time runs unprepared and is prepared
// when its transaction has ended; from then on it comes from the cache.
// SQLite re-prepares a cached statement by itself if the schema changes.
//
// The cache is bounded: when it is full an arbitrary statement is dropped to
// make room. Closing a dropped statement is safe even while a transaction
// is still using it: database/sql keeps the driver's statement open until
// every transaction re-binding it has ended.

// Reads outside a transaction (DB.QueryContext, DB.QueryRowContext) have a
// cache of their own, prepared on the read pool, for the same reason: a
// request signed in with an API token spent 80 µs looking up the token and
// its roles, three quarters of it parsing the two queries. database/sql
// prepares a pool statement on each connection as it first runs there.
// This cache never drops a statement, because a pool statement closed while
// another caller runs it fails that caller; once full, further texts run
// unprepared, as before.

// maxCachedStatements bounds the cache. candour's write paths use well under
// a hundred distinct statements; the rest of the room absorbs the few built
// at run time.
const maxCachedStatements = 256

type stmtCache struct {
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
	max   int
	hits  int64
}

func newStmtCache(max int) *stmtCache {
	return &stmtCache{stmts: make(map[string]*sql.Stmt), max: max}
}

// lookup returns the prepared statement for q, or nil.
func (c *stmtCache) lookup(q string) *sql.Stmt {
	c.mu.Lock()
	s := c.stmts[q]
	if s != nil {
		c.hits++
	}
	c.mu.Unlock()
	return s
}

// prepare prepares each query not yet cached on pool and keeps it. It must
// not be called while the caller holds pool's only connection. A statement
// that fails to prepare is left out; running it unprepared reports the
// error where it belongs.
func (c *stmtCache) prepare(ctx context.Context, pool *sql.DB, queries map[string]struct{}) {
	for q := range queries {
		c.mu.Lock()
		_, ok := c.stmts[q]
		c.mu.Unlock()
		if ok {
			continue
		}
		s, err := pool.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		var drop []*sql.Stmt
		c.mu.Lock()
		if _, ok := c.stmts[q]; ok {
			drop = append(drop, s) // prepared meanwhile by another caller
		} else {
			for k, old := range c.stmts {
				if len(c.stmts) < c.max {
					break
				}
				delete(c.stmts, k)
				drop = append(drop, old)
			}
			c.stmts[q] = s
		}
		c.mu.Unlock()
		for _, s := range drop {
			s.Close()
		}
	}
}

// lookupOrPrepare returns q prepared on pool, preparing and keeping it if
// there is room, or nil (when the cache is full, or q does not prepare:
// running it unprepared then reports the error where it belongs). It never
// drops a statement, so a statement it returns stays open until close.
func (c *stmtCache) lookupOrPrepare(ctx context.Context, pool *sql.DB, q string) *sql.Stmt {
	if s := c.lookup(q); s != nil {
		return s
	}
	c.mu.Lock()
	full := len(c.stmts) >= c.max
	c.mu.Unlock()
	if full {
		return nil
	}
	s, err := pool.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.stmts[q]; ok {
		s.Close() // prepared meanwhile by another caller
		return old
	}
	if len(c.stmts) >= c.max {
		s.Close()
		return nil
	}
	c.stmts[q] = s
	return s
}

// close closes every cached statement.
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var first error
	for k, s := range c.stmts {
		if err := s.Close(); err != nil && first == nil {
			first = err
		}
		delete(c.stmts, k)
	}
	return first
}

// stats reports the cache's size and how many lookups it answered.
func (c *stmtCache) stats() (size int, hits int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.stmts), c.hits
}

// readStmt returns q prepared on the read pool (SQLite), or nil.
func (db *DB) readStmt(ctx context.Context, q string) *sql.Stmt {
	if db.reads == nil {
		return nil
	}
	return db.reads.lookupOrPrepare(context.WithoutCancel(ctx), db.read, q)
}

// stmt returns q prepared for this transaction, or nil when it is not cached
// (it is then noted, to be prepared once the transaction ends).
func (t *Tx) stmt(ctx context.Context, q string) *sql.Stmt {
	if t.cache == nil {
		return nil
	}
	if s := t.cache.lookup(q); s != nil {
		return t.tx.StmtContext(ctx, s)
	}
	t.missMu.Lock()
	if t.misses == nil {
		t.misses = make(map[string]struct{})
	}
	if len(t.misses) < t.cache.max {
		t.misses[q] = struct{}{}
	}
	t.missMu.Unlock()
	return nil
}
