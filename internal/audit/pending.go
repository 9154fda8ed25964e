package audit

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"candour/internal/localtime"
	"candour/internal/store"
)

// Held-back entries.
//
// The chain orders every entry between its neighbours, and most entries
// carry the exact time they were written. An entry about something an
// anonymous reporter did, written at once, would therefore tell the minute
// they did it (between a handler's read at 14:02:10 and another's at
// 14:02:30), where the report itself keeps only the day. Hold keeps such
// entries out of the chain, with their day only, and ReleasePending adds
// them once their day is over, sorted by what they say rather than by when
// they happened, each timed at the start of its day.

// Hold writes events inside tx to wait for ReleasePending instead of the
// chain. Each event keeps only the date in England of its At (the day
// ReleasePending counts by: an entry filed under the day before would be
// released at once, between neighbours that time it); the actor must not
// identify anyone.
func Hold(ctx context.Context, tx *store.Tx, events []Event) error {
	for _, ev := range events {
		if ev.Actor.UserID != 0 {
			return fmt.Errorf("audit: hold %s: only entries that name nobody are held back", ev.Action)
		}
	}
	err := store.InsertRows(ctx, tx, `INSERT INTO audit_pending (day, actor, action, entity, entity_id, detail) VALUES `, 6, len(events),
		func(args []any, i int) ([]any, error) {
			ev := events[i]
			return append(args, localtime.Today(ev.At).Format(store.DateLayout), ev.Actor.Label, ev.Action, ev.Entity, ev.EntityID, ev.Detail), nil
		})
	if err != nil {
		return fmt.Errorf("audit: hold: %w", err)
	}
	return nil
}

// ReleasePending moves every held entry whose day is before today (a date,
// YYYY-MM-DD) into the chain, and returns how many it moved. Each is timed
// at midnight UTC of its day, and within a day they are ordered by entity,
// action and detail, so their places in the chain say nothing about the
// order or the time they happened. It is safe to run on several replicas at
// once: the entries are taken and appended in one transaction, under the
// chain's lock on PostgreSQL, so each is appended exactly once.
func ReleasePending(ctx context.Context, db *store.DB, today string) (int, error) {
	if _, err := time.Parse(store.DateLayout, today); err != nil {
		return 0, fmt.Errorf("audit: release held entries: today %q is not a date", today)
	}
	var n int
	err := db.InTx(ctx, func(tx *store.Tx) error {
		if tx.Dialect() == store.Postgres {
			// Taken before the rows, as RecordAll takes it, so that two
			// replicas releasing at once queue here rather than deadlock.
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, lockKey); err != nil {
				return fmt.Errorf("audit: lock chain: %w", err)
			}
		}
		rows, err := tx.QueryContext(ctx, `DELETE FROM audit_pending WHERE day < ? RETURNING day, actor, action, entity, entity_id, detail`, today)
		if err != nil {
			return fmt.Errorf("audit: release held entries: %w", err)
		}
		var events []Event
		for rows.Next() {
			var day string
			var ev Event
			if err := rows.Scan(&day, &ev.Actor.Label, &ev.Action, &ev.Entity, &ev.EntityID, &ev.Detail); err != nil {
				rows.Close()
				return fmt.Errorf("audit: release held entries: %w", err)
			}
			if ev.At, err = time.Parse(store.DateLayout, day); err != nil {
				rows.Close()
				return fmt.Errorf("audit: held entry has day %q: %w", day, err)
			}
			events = append(events, ev)
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("audit: release held entries: %w", err)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("audit: release held entries: %w", err)
		}
		slices.SortFunc(events, func(a, b Event) int {
			return cmpAll(a.At.Compare(b.At), strings.Compare(a.Entity, b.Entity), cmpIDs(a.EntityID, b.EntityID),
				strings.Compare(a.Action, b.Action), strings.Compare(a.Detail, b.Detail), strings.Compare(a.Actor.Label, b.Actor.Label))
		})
		n = len(events)
		return RecordAll(ctx, tx, events)
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// cmpIDs orders ids that are numbers as numbers (9 before 10), others as
// text.
func cmpIDs(a, b string) int {
	if len(a) != len(b) && strings.Trim(a, "0123456789") == "" && strings.Trim(b, "0123456789") == "" {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

// cmpAll is the first comparison that is not equal.
func cmpAll(cs ...int) int {
	for _, c := range cs {
		if c != 0 {
			return c
		}
	}
	return 0
}
