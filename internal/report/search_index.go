package report

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"candour/internal/store"
)

// Search indexing (SQLite).
//
// Safety events reach the full-text index (FTS5) after they are stored, not
// inside the transaction that stores them (migration 00012). Tokenising a
// narrative, writing a new index segment and merging segments cost about
// 30 µs a report one commit at a time, most of the group-commit writer's
// time per report besides the rows themselves; in chunks of a thousand the
// same work costs about 14 µs a report. So:
//
//   - the group-commit writer indexes what it has stored in chunks of up to
//     IndexChunk reports, at once when that many are waiting, otherwise as
//     soon as nobody is queueing (batch.go);
//   - every search and similar-events query first calls CatchUpSearch, so a
//     report can be found from the moment its sender has a receipt;
//   - an edit of a report the index has not reached yet leaves the index
//     alone (the triggers compare with search_progress.indexed_upto), and
//     the indexer later takes the row as it then is, so a redacted passage
//     is never indexed.
//
// Each chunk also pays for the merging its reports will need (mergePages),
// so the index stays a handful of segments however it grows.
//
// PostgreSQL keeps its GIN index in the same transaction as the row, so
// none of this applies there.

// IndexChunk is the most reports indexed in one transaction: large enough
// that the per-transaction cost of an FTS5 segment is shared widely, small
// enough (about 15 ms of work) not to hold the writer up for long.
const IndexChunk = 1024

// CatchUpSearch adds to the full-text index every report stored since it
// was last brought up to date, in transactions of IndexChunk reports. It
// does nothing on PostgreSQL, or when nothing is waiting (one read).
func CatchUpSearch(ctx context.Context, db *store.DB) error {
	if db.Engine != store.SQLite {
		return nil
	}
	var behind bool
	if err := db.QueryRowContext(ctx, `SELECT (SELECT indexed_upto FROM search_progress) < (SELECT coalesce(max(id), 0) FROM reports)`).Scan(&behind); err != nil {
		return fmt.Errorf("search index progress: %w", err)
	}
	for behind {
		var err error
		if behind, _, err = indexStep(ctx, db, IndexChunk, true); err != nil {
			return err
		}
	}
	return nil
}

// indexStep indexes up to limit of the reports the index has not reached,
// in a transaction of its own, and reports whether more are waiting. With
// merge it also merges the index as much as those reports will need;
// without, it returns that merging (pages) for the caller to do later.
func indexStep(ctx context.Context, db *store.DB, limit int, merge bool) (more bool, owed int, err error) {
	err = db.InTx(ctx, func(tx *store.Tx) error {
		var events int
		if _, events, more, err = indexSearch(ctx, tx, limit); err != nil {
			return err
		}
		if owed = mergePages(events); merge {
			owed = 0
			return mergeSearchIndex(ctx, tx, mergePages(events))
		}
		return nil
	})
	return more, owed, err
}

// mergeStep merges the index by up to pages pages, within budget at pace
// (mergeWithin), in a transaction of its own. It reports whether FTS5
// found anything to merge, and the pages paid.
func mergeStep(ctx context.Context, db *store.DB, pages int, budget time.Duration, pace *mergePace) (worked bool, done int, err error) {
	err = db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		done, worked, err = mergeWithin(ctx, tx, pages, budget, pace)
		return err
	})
	return worked, done, err
}

// indexSearch indexes, inside tx, the safety events among the next limit
// reports past search_progress and moves the progress past them. It
// returns how many reports it went past, how many of them were safety
// events, and whether more are waiting. Speak-up concerns are passed over:
// they never appear in search.
func indexSearch(ctx context.Context, tx *store.Tx, limit int) (n, events int, more bool, err error) {
	if tx.Dialect() != store.SQLite {
		return 0, 0, false, nil
	}
	// The progress is read inside the write transaction, so two indexers
	// (the writer and a search) never index the same report twice.
	var upto int64
	if err := tx.QueryRowContext(ctx, `SELECT indexed_upto FROM search_progress`).Scan(&upto); err != nil {
		return 0, 0, false, fmt.Errorf("search index progress: %w", err)
	}
	var last sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(id), count(*) FROM (SELECT id FROM reports WHERE id > ? ORDER BY id LIMIT ?)`,
		upto, limit).Scan(&last, &n); err != nil {
		return 0, 0, false, fmt.Errorf("search index progress: %w", err)
	}
	if n == 0 {
		return 0, 0, false, nil
	}
	hi := last.Int64
	if n == limit {
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM reports WHERE id > ?)`, hi).Scan(&more); err != nil {
			return 0, 0, false, fmt.Errorf("search index progress: %w", err)
		}
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO reports_fts (rowid, description, immediate_actions)
		SELECT id, description, immediate_actions FROM reports WHERE id > ? AND id <= ? AND kind = 'safety_event'`, upto, hi)
	if err != nil {
		return 0, 0, false, fmt.Errorf("index reports for search: %w", err)
	}
	indexed, err := res.RowsAffected()
	if err != nil {
		return 0, 0, false, fmt.Errorf("index reports for search: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE search_progress SET indexed_upto = ?`, hi); err != nil {
		return 0, 0, false, fmt.Errorf("search index progress: %w", err)
	}
	return n, int(indexed), more, nil
}

// mergeSearchIndex does some of the full-text index's upkeep inside tx
// (SQLite): FTS5 merges index segments until it has written about pages
// pages, or sooner if no level of the index has enough segments to merge.
//
// Every indexing transaction adds an FTS5 segment, and segments must be
// merged for searches to stay fast. Left to FTS5 (automerge), the merging
// comes in bursts: after every 64 leaf pages written, 64 pages of merging
// for every level of the index at once, tens of milliseconds inside one
// unlucky transaction. Migration 00011 turns automerge off; instead each
// indexing step merges about as many pages as its reports will ever need
// (mergePages), so the work is spread evenly. FTS5's crisis merge (16
// segments on one level) still bounds the segment count for edits, which
// reindex a report through a trigger and merge nothing.
func mergeSearchIndex(ctx context.Context, tx *store.Tx, pages int) error {
	if pages <= 0 || tx.Dialect() != store.SQLite {
		return nil // PostgreSQL's GIN index needs no help
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO reports_fts (reports_fts, rank) VALUES ('merge', ?)`, pages); err != nil {
		return fmt.Errorf("merge search index: %w", err)
	}
	return nil
}

// mergePages is the merging owed for indexing events safety events:
// twice as many pages as events, plus a little.
func mergePages(events int) int {
	if events == 0 {
		return 0
	}
	return 4 + 2*events
}
