package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"candour/internal/store"
)

// Actor is who did something: a signed-in user, or the system itself.
type Actor struct {
	// UserID is zero for the system and for anonymous people.
	UserID int64
	// Label is a human name for the actor, such as an email address, "system"
	// or "anonymous reporter". It never holds anything that could identify an
	// anonymous person.
	Label string
}

// System is the actor for work candour does by itself.
var System = Actor{Label: "system"}

// Entry is one audited event.
type Entry struct {
	Seq      int64
	At       time.Time
	Actor    Actor
	Action   string // e.g. "person.update", "user.sign_in", "report.read"
	Entity   string // e.g. "person", "user"
	EntityID string
	Detail   string
	PrevHash string
	Hash     string
}

// genesis is the previous hash of the first entry.
const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// lockKey is the PostgreSQL advisory lock that orders appends to the chain.
const lockKey = 7261_2026

// Record appends an entry inside tx, so that it commits or rolls back with the
// change it describes. now is passed in so that tests can control the clock.
func Record(ctx context.Context, tx *store.Tx, now time.Time, actor Actor, action, entity, entityID, detail string) error {
	return RecordAll(ctx, tx, []Event{{At: now, Actor: actor, Action: action, Entity: entity, EntityID: entityID, Detail: detail}})
}

// Event is one thing to record with RecordAll.
type Event struct {
	At                               time.Time
	Actor                            Actor
	Action, Entity, EntityID, Detail string
}

// RecordAll appends events to the chain in order inside tx, exactly as
// calling Record for each would, but reading the chain head once and
// writing the entries with multi-row INSERTs. The group-commit writer uses
// it for a whole batch of reports: the head is read inside the same
// transaction that extends it, so there is no cached head to go stale.
func RecordAll(ctx context.Context, tx *store.Tx, events []Event) error {
	if len(events) == 0 {
		return nil
	}
	if tx.Dialect() == store.Postgres {
		// Appends must be serial for the chain to be a chain; SQLite
		// already has a single writer.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(?)`, lockKey); err != nil {
			return fmt.Errorf("audit: lock chain: %w", err)
		}
	}
	var seq int64
	var prev string
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &prev)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		seq, prev = 0, genesis
	case err != nil:
		return fmt.Errorf("audit: read chain head: %w", err)
	}
	err = store.InsertRows(ctx, tx, insertHead, 10, len(events), func(args []any, i int) ([]any, error) {
		ev := events[i]
		seq++
		e := Entry{
			Seq: seq, At: ev.At.UTC().Truncate(time.Microsecond), Actor: ev.Actor,
			Action: ev.Action, Entity: ev.Entity, EntityID: ev.EntityID, Detail: ev.Detail, PrevHash: prev,
		}
		e.Hash = e.computeHash()
		prev = e.Hash
		var actorID any
		if e.Actor.UserID != 0 {
			actorID = e.Actor.UserID
		}
		return append(args, e.Seq, store.T(e.At), actorID, e.Actor.Label, e.Action, e.Entity, e.EntityID, e.Detail, e.PrevHash, e.Hash), nil
	})
	if err != nil {
		return fmt.Errorf("audit: append: %w", err)
	}
	return nil
}

// insertHead is the chain's INSERT up to its values.
const insertHead = `INSERT INTO audit_log (seq, at, actor_id, actor, action, entity, entity_id, detail, prev_hash, hash) VALUES `

// computeHash hashes every field with its length, so that no two different
// entries share an input.
//
// The input is built in one buffer rather than through fmt: the
// group-commit writer hashes every report's entry in turn, and this is on
// its path.
func (e Entry) computeHash() string {
	var stack [512]byte
	var num [20]byte
	var ts [32]byte
	b := stack[:0]
	field := func(f []byte) {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		b = append(b, ':')
		b = append(b, f...)
		b = append(b, '|')
	}
	text := func(f string) {
		b = strconv.AppendInt(b, int64(len(f)), 10)
		b = append(b, ':')
		b = append(b, f...)
		b = append(b, '|')
	}
	field(strconv.AppendInt(num[:0], e.Seq, 10))
	field(e.At.UTC().AppendFormat(ts[:0], store.TimeLayout))
	field(strconv.AppendInt(num[:0], e.Actor.UserID, 10))
	text(e.Actor.Label)
	text(e.Action)
	text(e.Entity)
	text(e.EntityID)
	text(e.Detail)
	text(e.PrevHash)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// VerifyResult is what Verify found.
type VerifyResult struct {
	Entries int64
	// BrokenAt is the sequence number of the first entry that fails, or zero.
	BrokenAt int64
	Problem  string
}

// OK reports whether the whole chain verified.
func (r VerifyResult) OK() bool { return r.BrokenAt == 0 }

// Verify walks the chain from the first entry and reports the first broken
// link: an entry whose content no longer matches its hash, whose previous
// hash is not its predecessor's hash, or a gap in the sequence.
func Verify(ctx context.Context, db *store.DB) (VerifyResult, error) {
	var res VerifyResult
	prev := genesis
	var want int64 = 1
	const page = 5000
	for {
		rows, err := db.QueryContext(ctx, `SELECT seq, at, actor_id, actor, action, entity, entity_id, detail, prev_hash, hash
			FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?`, want, page)
		if err != nil {
			return res, fmt.Errorf("audit: verify: %w", err)
		}
		n := 0
		for rows.Next() {
			n++
			e, err := scanEntry(rows)
			if err != nil {
				rows.Close()
				return res, err
			}
			res.Entries++
			switch {
			case e.Seq != want:
				res.BrokenAt, res.Problem = want, fmt.Sprintf("entry %d is missing (next entry is %d)", want, e.Seq)
			case e.PrevHash != prev:
				res.BrokenAt, res.Problem = e.Seq, fmt.Sprintf("entry %d does not follow entry %d: its previous hash does not match", e.Seq, e.Seq-1)
			case e.computeHash() != e.Hash:
				res.BrokenAt, res.Problem = e.Seq, fmt.Sprintf("entry %d has been altered: its content does not match its hash", e.Seq)
			}
			if res.BrokenAt != 0 {
				rows.Close()
				return res, nil
			}
			prev = e.Hash
			want++
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return res, fmt.Errorf("audit: verify: %w", err)
		}
		if n < page {
			return res, nil
		}
	}
}

type scanner interface{ Scan(dest ...any) error }

func scanEntry(s scanner) (Entry, error) {
	var e Entry
	var at store.Time
	var actorID sql.NullInt64
	if err := s.Scan(&e.Seq, &at, &actorID, &e.Actor.Label, &e.Action, &e.Entity, &e.EntityID, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
		return e, fmt.Errorf("audit: read entry: %w", err)
	}
	e.At = at.Time
	e.Actor.UserID = actorID.Int64
	return e, nil
}

// Filter narrows a listing of the log. Empty fields match everything.
type Filter struct {
	ActorID  int64
	Actor    string // substring of the actor label
	Action   string // prefix, e.g. "person." or "user.sign_in"
	Entity   string
	EntityID string
	From, To time.Time // To is exclusive
	// Before pages backwards: only entries with seq < Before (when > 0).
	Before int64
	Limit  int
}

// List returns entries newest first, and the seq to pass as Before for the
// next page (zero when there is none).
func List(ctx context.Context, db *store.DB, f Filter) ([]Entry, int64, error) {
	var where []string
	var args []any
	if f.ActorID != 0 {
		where, args = append(where, "actor_id = ?"), append(args, f.ActorID)
	}
	if f.Actor != "" {
		where, args = append(where, "lower(actor) LIKE ? ESCAPE '\\'"), append(args, "%"+likeEscape(strings.ToLower(f.Actor))+"%")
	}
	if f.Action != "" {
		where, args = append(where, "action LIKE ? ESCAPE '\\'"), append(args, likeEscape(f.Action)+"%")
	}
	if f.Entity != "" {
		where, args = append(where, "entity = ?"), append(args, f.Entity)
	}
	if f.EntityID != "" {
		where, args = append(where, "entity_id = ?"), append(args, f.EntityID)
	}
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, store.T(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, store.T(f.To))
	}
	if f.Before > 0 {
		where, args = append(where, "seq < ?"), append(args, f.Before)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	q := `SELECT seq, at, actor_id, actor, action, entity, entity_id, detail, prev_hash, hash FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY seq DESC LIMIT ?"
	args = append(args, limit+1)
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("audit: list: %w", err)
	}
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].Seq
	}
	return out, next, nil
}

// likeEscape escapes LIKE wildcards so that user input matches literally.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// LikeEscape escapes LIKE wildcards (with backslash as the escape character)
// so that user input matches literally.
func LikeEscape(s string) string { return likeEscape(s) }
