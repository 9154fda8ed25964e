package report

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"candour/internal/attach"
	"candour/internal/authz"
	"candour/internal/store"
)

// Submission keys.
//
// A form, or an API client, sends a key with each report so that a second
// send of the same report (a double click, a retry after a dropped
// connection) returns the first one's receipt instead of storing it twice.
// The key is hashed together with a digest of the content (contentDigest),
// so the same key sent with something else written is a different report.
//
// The key is the sender's own text, and it may carry more than it seems: a
// UUIDv7, a common choice, spells the millisecond it was made, while an
// anonymous report may keep nothing finer than the day it arrived. So the
// database never holds a key, only a keyed hash of it (secret.Ring), and
// the hash is scoped to the sender: the account for open and confidential
// reports, "anonymous" for the rest, so that a key cannot fetch the receipt
// of somebody else's report.
//
// Keyed hashes are random, and a unique index on random values made every
// report in a group commit dirty an index page of its own: 15 to 20% of the
// throughput on SQLite (docs/benchmarks.md, "Sixth pass"). PostgreSQL keeps
// that index, which every replica shares. On SQLite one process does all
// the writing, so the hashes of the reports received in the last
// RecentKeyDays days are held in memory instead, loaded from the reports
// table when the group-commit writer starts (or by the first report stored
// without it), and the column has no index. A key is therefore
// honoured on SQLite for RecentKeyDays days besides the day it was sent
// (unless more than maxRecentKeys reports arrive meanwhile), and on
// PostgreSQL for as long as the key that hashed it stays in the key ring.

// contentDigest is a SHA-256 digest of what a validated submission says:
// every field a reporter fills in and the digests of its files, each
// length-prefixed so that no two different submissions share an encoding.
// The mode is left out: the key's scope already tells anonymous from
// signed-in, and a signed-in person who changes only how they raise it has
// not written a second report.
func contentDigest(sub Submission, files []attach.File) string {
	// One buffer hashed once: a Write per field, and the copy of each
	// string that writing it to the hash took, cost more than the hashing.
	buf := make([]byte, 0, 256+len(sub.Description)+len(sub.ImmediateActions)+len(sub.DesiredOutcome)+len(sub.RaisedElsewhere))
	field := func(v string) {
		buf = strconv.AppendInt(buf, int64(len(v)), 10)
		buf = append(buf, ':')
		buf = append(buf, v...)
	}
	field(string(sub.Kind))
	field(strconv.FormatInt(sub.DepartmentID, 10))
	for _, v := range []string{sub.OccurredOn, sub.OccurredTime, sub.Description, sub.ImmediateActions, sub.EventType,
		sub.PhysicalHarm, sub.PsychologicalHarm, sub.DesiredOutcome, sub.RaisedElsewhere, sub.StaffGroup} {
		field(v)
	}
	field(strconv.Itoa(len(sub.Elements)))
	for _, e := range sub.Elements {
		field(e)
	}
	field(strconv.Itoa(len(sub.People)))
	for _, p := range sub.People {
		field(p.Role)
		field(p.Description)
		field(p.Name)
	}
	field(strconv.Itoa(len(files)))
	for _, f := range files {
		field(f.SHA256)
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:])
}

// RecentKeyDays is how many days back, besides today, SQLite recognises a
// repeated submission key.
const RecentKeyDays = 2

// maxRecentKeys is how many keys SQLite holds in memory before it forgets
// whole days early, oldest first. Far beyond any trust's reporting rate, it
// matters only under a flood; today's keys are never forgotten, so a flood
// within one day is bounded only by its own size (about 100 bytes a key).
const maxRecentKeys = 2_000_000

// keyHashLen is how many hex digits of the keyed hash are kept: 128 bits.
const keyHashLen = 32

// submissionHashes returns the keyed hashes of a submission key sent by p
// in mode, under every key of the ring, newest first. The first is the one
// stored; the others find reports stored before a key rotation.
func (s *Service) submissionHashes(p *authz.Principal, mode Mode, key string) []string {
	scope := "anonymous"
	if mode != Anonymous && p != nil {
		scope = "user:" + strconv.FormatInt(p.UserID, 10)
	}
	hs := s.Keys.Hashes("submission-key", scope+"\x00"+key)
	for i, h := range hs {
		hs[i] = shortHash(h)
	}
	return hs
}

// shortHash keeps the key id and the first keyHashLen hex digits of a
// secret.Ring hash ("id:hex").
func shortHash(h string) string {
	id, hexDigits, _ := strings.Cut(h, ":")
	return id + ":" + hexDigits[:min(len(hexDigits), keyHashLen)]
}

// recentKeys is SQLite's memory of the submission keys of recent reports:
// for each day reports were received, each key hash and its report's id.
type recentKeys struct {
	// mu is held from a report transaction's look-up of its keys until its
	// hashes are remembered after the commit, so that no other transaction
	// can miss them in between.
	mu     sync.Mutex
	loaded bool
	days   map[string]map[string]int64
	count  int
}

// lockKeys takes SQLite's key memory, loading it on first use, for a
// transaction that stores reports; call the returned function once that
// transaction has ended and its keys are remembered. On PostgreSQL it
// takes nothing.
func (s *Service) lockKeys(ctx context.Context) (*recentKeys, func(), error) {
	if s.DB.Engine != store.SQLite {
		return nil, func() {}, nil
	}
	rk := &s.state().keys
	rk.mu.Lock()
	if !rk.loaded {
		if err := rk.load(ctx, s.DB, s.today()); err != nil {
			rk.mu.Unlock()
			return nil, nil, err
		}
	}
	return rk, rk.mu.Unlock, nil
}

// oldestDay is the first day whose keys are recognised, today being today.
func oldestDay(today time.Time) string {
	return today.AddDate(0, 0, -RecentKeyDays).Format(store.DateLayout)
}

// load reads the key hashes of the reports received since oldestDay. Reports
// are stored in the order they arrive, so it reads back from the newest and
// stops at the first report received a day before that: a report's day is
// taken when it is sent and its id when it is stored, moments later, so
// the two can disagree by a day only around midnight.
func (rk *recentKeys) load(ctx context.Context, db *store.DB, today time.Time) error {
	oldest := oldestDay(today)
	stop := today.AddDate(0, 0, -RecentKeyDays-1).Format(store.DateLayout)
	rows, err := db.QueryContext(ctx, `SELECT id, submission_hash, received_on FROM reports ORDER BY id DESC`)
	if err != nil {
		return fmt.Errorf("read recent submission keys: %w", err)
	}
	defer rows.Close()
	rk.days, rk.count = map[string]map[string]int64{}, 0
	for rows.Next() {
		var id int64
		var hash *string
		var day string
		if err := rows.Scan(&id, &hash, &day); err != nil {
			return fmt.Errorf("read recent submission keys: %w", err)
		}
		if day < stop {
			break
		}
		if hash != nil && day >= oldest {
			rk.add(day, *hash, id)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read recent submission keys: %w", err)
	}
	rk.loaded = true
	return nil
}

// find returns the id of the report stored with any of hashes.
func (rk *recentKeys) find(hashes []string) (int64, bool) {
	for _, m := range rk.days {
		for _, h := range hashes {
			if id, ok := m[h]; ok {
				return id, true
			}
		}
	}
	return 0, false
}

// add remembers that report id, received on day, was stored with hash.
func (rk *recentKeys) add(day, hash string, id int64) {
	m := rk.days[day]
	if m == nil {
		m = map[string]int64{}
		rk.days[day] = m
	}
	if _, ok := m[hash]; !ok {
		rk.count++
	}
	m[hash] = id
}

// forget drops the days before oldestDay(today), and then, while more than
// maxRecentKeys are held, the oldest days but the newest.
func (rk *recentKeys) forget(today time.Time) {
	oldest := oldestDay(today)
	for day, m := range rk.days {
		if day < oldest {
			rk.count -= len(m)
			delete(rk.days, day)
		}
	}
	for rk.count > maxRecentKeys && len(rk.days) > 1 {
		first := ""
		for day := range rk.days {
			if first == "" || day < first {
				first = day
			}
		}
		rk.count -= len(rk.days[first])
		delete(rk.days, first)
	}
}

// remember records the keys of the reports a committed transaction stored
// (recs[i] for prs[i]; repeats stored nothing).
func (rk *recentKeys) remember(prs []prepared, recs []Receipt, today time.Time) {
	if rk == nil {
		return
	}
	for i, pr := range prs {
		if len(pr.keyHashes) == 0 || recs[i].Repeat || recs[i].ID == 0 {
			continue
		}
		rk.add(pr.receivedOn.Format(store.DateLayout), pr.keyHashes[0], recs[i].ID)
	}
	rk.forget(today)
}
