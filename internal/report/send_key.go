package report

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"candour/internal/attach"
	"candour/internal/store"
	"candour/internal/validate"
)

// Send keys.
//
// A message form carries a random key made when the page was drawn, and an
// API client may send an Idempotency-Key with a message, as with a report.
// A message sent again with the same key and the same words and files (a
// double click, a page sent again, a retry after a lost answer) is stored
// once. The same key with other words is a new message: someone who went
// back, changed what they wrote and sent it meant to say something else.
//
// The database keeps a keyed hash (secret.Ring) of report, sender, key and
// content, never the key or a plain digest of the words: a redacted
// passage must not be confirmable by hashing guesses.

// ValidKey reports whether v can be a send key or a submission key: 16 to
// 64 letters, digits, hyphens or underscores.
func ValidKey(v string) bool { return isSubmissionKey(v) }

// checkSendKey adds a problem to errs when key is given but cannot be one.
func checkSendKey(errs *validate.Errors, key string) {
	if key != "" && !isSubmissionKey(key) {
		errs.Add("send_key", "Use 16 to 64 letters, digits, hyphens or underscores, such as a UUID")
	}
}

// errSentBefore ends a message's transaction, changing nothing, when the
// same message was stored before.
var errSentBefore = errors.New("report: message sent before")

// sendKeys returns the keyed hashes, under every key of the ring (newest
// first, the first being the one stored), of a message with key sent by
// from (the reporter, or one handler's message or note) on report
// reportID; none for an empty key.
func (s *Service) sendKeys(reportID int64, from, key, body string, files []attach.File) []string {
	if key == "" {
		return nil
	}
	var b strings.Builder
	for _, v := range []string{strconv.FormatInt(reportID, 10), from, key, body} {
		b.WriteString(strconv.Itoa(len(v)))
		b.WriteByte(':')
		b.WriteString(v)
	}
	for _, f := range files {
		b.WriteString(f.SHA256)
		b.WriteByte(',')
	}
	hs := s.Keys.Hashes("message-send-key", b.String())
	for i, h := range hs {
		hs[i] = shortHash(h)
	}
	return hs
}

// firstKey is the hash to store with a message: NULL without a key.
func firstKey(keys []string) any {
	if len(keys) == 0 {
		return nil
	}
	return keys[0]
}

// sentBefore reports whether report reportID already has a message stored
// under any of keys.
func sentBefore(ctx context.Context, tx *store.Tx, reportID int64, keys []string) (bool, error) {
	if len(keys) == 0 {
		return false, nil
	}
	args := []any{reportID}
	for _, k := range keys {
		args = append(args, k)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM report_messages WHERE report_id = ? AND send_key IN (`+
		strings.TrimSuffix(strings.Repeat("?,", len(keys)), ",")+`)`, args...).Scan(&n); err != nil {
		return false, fmt.Errorf("check message sent before: %w", err)
	}
	return n > 0, nil
}

// sendOutcome turns the end of a keyed message's transaction into its
// answer: a repeat if it was stored before, or if the same message, sent
// twice at once, was stored by the other sending (the unique index).
func sendOutcome(err error, keys []string) (repeat bool, _ error) {
	switch {
	case errors.Is(err, errSentBefore):
		return true, nil
	case err != nil && len(keys) > 0 && store.IsUniqueViolation(err) && strings.Contains(err.Error(), "send_key"):
		// Only the send key's own index: any other clash is a failure.
		return true, nil
	}
	return false, err
}
