package report

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"candour/internal/store"
)

// Access-code guessing limits.
//
// Only wrong codes count, so a reporter who types theirs correctly is never
// turned away for having tried before. (An attempt counts while it is being
// checked, so a right code sent from a ward's shared address in the very
// moment nine wrong ones are checked may be.) Each client may get
// codeLimitClient wrong in a 15-minute window. That count is kept in this
// process's memory under a key made afresh each time the process starts,
// never in the database: a keyed hash of an address there could be
// reversed by anyone holding the key ring (there are only 2^32 IPv4
// addresses), and set beside the times of a reporter's messages it could
// tie an address to a report.
// With several replicas each keeps its own count, so a client may get a few
// times the limit; the codes' 71 random bits make that immaterial.
//
// The overall count, of wrong codes from everyone, is shared through the
// database. Once it passes codeLimitOverall only clients that have already
// got a code wrong in the window are refused, so that someone with many
// addresses cannot lock every reporter out.
const (
	codeWindow       = 15 * time.Minute
	codeLimitClient  = 10
	codeLimitOverall = 2000
	// maxTrackedClients bounds the memory the per-client counts may take
	// in one window; clients beyond it are held to the overall limit alone.
	maxTrackedClients = 100_000
)

// codeLimiter counts one process's wrong access codes per client.
type codeLimiter struct {
	once   sync.Once
	key    []byte
	mu     sync.Mutex
	window time.Time
	wrong  map[[sha256.Size]byte]int
}

// clientKey is the keyed hash a client is counted under. An IPv6 address
// counts by its /64, the block one household or ward is usually given.
func (l *codeLimiter) clientKey(client string) [sha256.Size]byte {
	l.once.Do(func() {
		l.key = make([]byte, 32)
		rand.Read(l.key)
	})
	if a, err := netip.ParseAddr(client); err == nil {
		a = a.Unmap()
		if a.Is6() {
			client = netip.PrefixFrom(a, 64).Masked().String()
		} else {
			client = a.String()
		}
	}
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(client))
	var k [sha256.Size]byte
	m.Sum(k[:0])
	return k
}

// reserve counts an attempt from the client as a wrong code before it is
// checked, and returns how many the client had before it; ok is false, and
// nothing is counted, when that is already the limit. An attempt that turns
// out not to be wrong gives its count back (giveBack), so that only wrong
// codes count in the end; counting first means that a burst of attempts
// sent at once cannot all be checked before the first of them is counted.
func (l *codeLimiter) reserve(k [sha256.Size]byte, window time.Time) (before int, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	// Only a later window starts the counts again: an attempt that read
	// the clock just before a newer one took the lock counts in the new.
	if window.After(l.window) {
		l.window, l.wrong = window, map[[sha256.Size]byte]int{}
	}
	before = l.wrong[k]
	if before >= codeLimitClient {
		return before, false
	}
	if before > 0 || len(l.wrong) < maxTrackedClients {
		l.wrong[k]++
	}
	return before, true
}

// giveBack undoes reserve for an attempt that was not a wrong code.
func (l *codeLimiter) giveBack(k [sha256.Size]byte, window time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !window.Before(l.window) && l.wrong[k] > 0 {
		if l.wrong[k]--; l.wrong[k] == 0 {
			delete(l.wrong, k)
		}
	}
}

// codeAttempt is one access-code attempt being checked against the limits.
type codeAttempt struct {
	key    [sha256.Size]byte
	window time.Time
}

// beginAttempt refuses the attempt with ErrRateLimited when the client, or
// (for a client that has already got one wrong) everyone together, has sent
// too many wrong codes in this window; the code is then not even checked,
// so guessing learns nothing. An attempt it lets through is counted as
// wrong until endAttempt says otherwise.
func (s *Service) beginAttempt(ctx context.Context, client string) (codeAttempt, error) {
	l := &s.state().codes
	a := codeAttempt{key: l.clientKey(client), window: s.Now().UTC().Truncate(codeWindow)}
	before, ok := l.reserve(a.key, a.window)
	if !ok {
		return a, ErrRateLimited
	}
	if before > 0 {
		var all int
		err := s.DB.QueryRowContext(ctx, `SELECT COALESCE(SUM(hits), 0) FROM rate_limits WHERE bucket = 'access-code:all' AND window_start = ?`,
			store.T(a.window)).Scan(&all)
		if err != nil {
			l.giveBack(a.key, a.window)
			return a, fmt.Errorf("rate limit: %w", err)
		}
		if all >= codeLimitOverall {
			l.giveBack(a.key, a.window)
			return a, ErrRateLimited
		}
	}
	return a, nil
}

// endAttempt settles an attempt beginAttempt let through: a wrong code is
// counted against the overall limit too; anything else (the right code, or
// a failure before the code was checked) gives the client's count back.
func (s *Service) endAttempt(ctx context.Context, a codeAttempt, wrong bool) error {
	if !wrong {
		s.state().codes.giveBack(a.key, a.window)
		return nil
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO rate_limits (bucket, window_start, hits) VALUES ('access-code:all', ?, 1)
			ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1`, store.T(a.window))
		if err != nil {
			return fmt.Errorf("rate limit: %w", err)
		}
		// Old windows are of no further use; nor are the per-client
		// buckets earlier versions kept here.
		_, err = tx.ExecContext(ctx, `DELETE FROM rate_limits WHERE window_start < ? OR (bucket LIKE 'access-code:%' AND bucket <> 'access-code:all')`,
			store.T(a.window.Add(-codeWindow)))
		if err != nil {
			return fmt.Errorf("rate limit: %w", err)
		}
		return nil
	})
}

// CodeRetryAfter is how long a client refused with ErrRateLimited should
// wait: until the current window ends.
func (s *Service) CodeRetryAfter() time.Duration {
	now := s.Now().UTC()
	return now.Truncate(codeWindow).Add(codeWindow).Sub(now)
}

// Minutes says how long d is in whole minutes, rounded up, for telling a
// person how long to wait: "1 minute", "12 minutes".
func Minutes(d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	if m <= 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", m)
}
