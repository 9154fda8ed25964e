package store

import (
	"context"
	"fmt"
	"time"
)

// Checkpoints (SQLite).
//
// In WAL mode a commit appends its pages to the write-ahead log, and a
// checkpoint copies them into the database file. Left to itself, SQLite
// checkpoints inside whichever commit takes the log past 1,000 pages, on
// the write connection: that commit also copies every page changed since
// the last checkpoint and flushes the database file, and every writer
// queued behind it waits. Under a steady stream of submissions that was a
// tenth of the group-commit writer's time. RunCheckpoints does the copying
// on a read connection instead, in the background: a PASSIVE checkpoint
// never blocks the writer or readers, and the log, once fully copied,
// starts again from its beginning at the next commit. SQLite's own
// checkpoint stays as a backstop, for when the log grows past 1,000 pages
// anyway (a long-running reader can hold a checkpoint back).

// CheckpointEvery is how often RunCheckpoints copies the log into the
// database file while there are commits: often enough that the log seldom
// reaches SQLite's own threshold at thousands of commits a second, seldom
// enough that its two flushes are a small part of the disk's work.
const CheckpointEvery = 50 * time.Millisecond

// RunCheckpoints checkpoints the write-ahead log every interval in which
// something was committed, until ctx ends. It does nothing on PostgreSQL.
func (db *DB) RunCheckpoints(ctx context.Context, every time.Duration) {
	if db.Engine != SQLite {
		return
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	var seen int64
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if n := db.commits.Load(); n != seen {
			seen = n
			// A failure leaves the work to SQLite's own checkpoint.
			db.Checkpoint(ctx)
		}
	}
}

// Checkpoint copies what it can of the write-ahead log into the database
// file without waiting for readers or the writer (SQLite's PASSIVE mode),
// and returns the pages in the log and how many of them are now copied.
func (db *DB) Checkpoint(ctx context.Context) (logged, copied int, err error) {
	if db.Engine != SQLite {
		return 0, 0, nil
	}
	var busy int
	if err := db.read.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logged, &copied); err != nil {
		return 0, 0, fmt.Errorf("checkpoint: %w", err)
	}
	return logged, copied, nil
}
