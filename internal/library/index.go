package library

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"candour/internal/store"
)

// Full-text indexing after commit (SQLite).
//
// On SQLite a safety event joins reports_fts just after it is stored, not in
// the transaction that stores it (migration 00011): submissions stay cheap
// and never wait on one of FTS5's segment merges. IndexPending brings the
// index up to date in chunks, RunIndexer calls it a few times a second while
// the server runs, and every search and similar-events query calls it first,
// so no stored event is ever missing from results. On PostgreSQL the index
// is a generated column, current the moment a report commits, and all of
// this does nothing.

// indexChunk is the most reports indexed in one transaction: a few
// milliseconds of the write connection, so submissions queued behind it
// wait little.
const indexChunk = 64

// IndexEvery is how often RunIndexer looks for reports to index.
const IndexEvery = 100 * time.Millisecond

// IndexPending adds every safety event stored since the last call to the
// full-text index and returns how many reports it went past (concerns
// included: they are passed over, never indexed). It does nothing on
// PostgreSQL.
func (s *Service) IndexPending(ctx context.Context) (int, error) {
	if s.DB.Engine != store.SQLite {
		return 0, nil
	}
	total := 0
	for {
		n, err := s.indexNext(ctx)
		total += n
		if err != nil || n < indexChunk {
			return total, err
		}
	}
}

// indexNext indexes the next chunk of reports above the watermark and
// moves the watermark past them, in one transaction.
func (s *Service) indexNext(ctx context.Context) (int, error) {
	var n int
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		n = 0
		var upto int64
		if err := tx.QueryRowContext(ctx, `SELECT indexed_upto FROM search_progress WHERE name = 'reports'`).Scan(&upto); err != nil {
			return fmt.Errorf("read search progress: %w", err)
		}
		var last sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT max(id), count(*) FROM (SELECT id FROM reports WHERE id > ? ORDER BY id LIMIT ?)`,
			upto, indexChunk).Scan(&last, &n); err != nil {
			return fmt.Errorf("find reports to index: %w", err)
		}
		if n == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO reports_fts (rowid, description, immediate_actions)
			SELECT id, description, immediate_actions FROM reports WHERE id > ? AND id <= ? AND kind = 'safety_event'`,
			upto, last.Int64); err != nil {
			return fmt.Errorf("index reports %d to %d: %w", upto+1, last.Int64, err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE search_progress SET indexed_upto = ? WHERE name = 'reports'`, last.Int64); err != nil {
			return fmt.Errorf("record search progress: %w", err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// catchUp indexes whatever is pending before a query reads the index. The
// check is one read when nothing is.
func (s *Service) catchUp(ctx context.Context) error {
	if s.DB.Engine != store.SQLite {
		return nil
	}
	var pending bool
	if err := s.DB.QueryRowContext(ctx, `SELECT COALESCE((SELECT max(id) FROM reports), 0) >
		(SELECT indexed_upto FROM search_progress WHERE name = 'reports')`).Scan(&pending); err != nil {
		return fmt.Errorf("check search progress: %w", err)
	}
	if !pending {
		return nil
	}
	_, err := s.IndexPending(ctx)
	return err
}

// RunIndexer calls IndexPending every IndexEvery until ctx ends, logging
// (not stopping for) failures. On PostgreSQL it returns at once.
func (s *Service) RunIndexer(ctx context.Context, log *slog.Logger) {
	if s.DB.Engine != store.SQLite {
		return
	}
	t := time.NewTicker(IndexEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.IndexPending(ctx); err != nil && ctx.Err() == nil {
				log.Error("full-text index: could not index new reports", "err", err)
			}
		}
	}
}
