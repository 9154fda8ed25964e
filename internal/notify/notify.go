package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"candour/internal/store"
)

// ErrInvalid is wrapped by the errors Enqueue and Notify return for a message
// or notice that must not be stored.
var ErrInvalid = errors.New("notify: invalid")

// Limits on what may be stored. A subject is one header line; a body is a
// short prompt with a link, not a document.
const (
	// MaxAddressBytes bounds a recipient address (RFC 5321 path limit).
	MaxAddressBytes = 254
	// MaxSubjectBytes bounds an email subject.
	MaxSubjectBytes = 200
	// MaxBodyBytes bounds an email body.
	MaxBodyBytes = 64 << 10
	// MaxNoticeBytes bounds the text of an in-app notice.
	MaxNoticeBytes = 1000
	// MaxLinkBytes bounds an in-app notice's link.
	MaxLinkBytes = 500
)

// Message is one email to one person.
type Message struct {
	// To is the recipient's address; a display name, if given, is dropped.
	To string
	// Subject is one line of plain text, any script.
	Subject string
	// Body is plain UTF-8 text; lines end in "\n".
	Body string
}

// Enqueue validates m and writes it to the outbox in tx, due at now. The email
// exists if and only if tx commits; a Sender delivers it later.
func Enqueue(ctx context.Context, tx *store.Tx, now time.Time, m Message) error {
	return EnqueueAll(ctx, tx, []Queued{{At: now, Message: m}})
}

// Queued is an email for EnqueueAll, due at At.
type Queued struct {
	At time.Time
	Message
}

// EnqueueAll is Enqueue for several emails, written with multi-row INSERTs:
// the group-commit writer queues a confirmation for every signed-in
// reporter in its batch. If any email is refused, none is written.
func EnqueueAll(ctx context.Context, tx *store.Tx, emails []Queued) error {
	var refused error
	err := store.InsertRows(ctx, tx, `INSERT INTO outbox (to_addr, subject, body, created_at, next_attempt_at) VALUES `, 5, len(emails),
		func(args []any, i int) ([]any, error) {
			q := emails[i]
			to, err := checkMessage(q.Message)
			if err != nil {
				refused = err
				return nil, err
			}
			at := store.T(q.At.UTC().Truncate(time.Microsecond))
			return append(args, to, q.Subject, q.Body, at, at), nil
		})
	switch {
	case refused != nil:
		return refused
	case err != nil:
		return fmt.Errorf("notify: enqueue email: %w", err)
	}
	return nil
}

// checkMessage returns the bare recipient address, or why m is refused.
func checkMessage(m Message) (string, error) {
	if len(m.To) > MaxAddressBytes || strings.ContainsAny(m.To, "\r\n") {
		return "", fmt.Errorf("%w: recipient address", ErrInvalid)
	}
	addr, err := mail.ParseAddress(m.To)
	if err != nil {
		return "", fmt.Errorf("%w: recipient address: %v", ErrInvalid, err)
	}
	switch {
	case strings.TrimSpace(m.Subject) == "":
		return "", fmt.Errorf("%w: empty subject", ErrInvalid)
	case len(m.Subject) > MaxSubjectBytes:
		return "", fmt.Errorf("%w: subject longer than %d bytes", ErrInvalid, MaxSubjectBytes)
	case !utf8.ValidString(m.Subject) || hasControl(m.Subject):
		// CR or LF here would let text end the header and start another.
		return "", fmt.Errorf("%w: subject must be one line of text", ErrInvalid)
	case strings.TrimSpace(m.Body) == "":
		return "", fmt.Errorf("%w: empty body", ErrInvalid)
	case len(m.Body) > MaxBodyBytes:
		return "", fmt.Errorf("%w: body longer than %d bytes", ErrInvalid, MaxBodyBytes)
	case !utf8.ValidString(m.Body) || strings.ContainsRune(m.Body, 0):
		return "", fmt.Errorf("%w: body must be UTF-8 text", ErrInvalid)
	}
	return addr.Address, nil
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return true
		}
	}
	return false
}

// Pending counts emails still to be sent, including those waiting to retry.
func Pending(ctx context.Context, q store.Querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND attempts < ?`, MaxAttempts).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("notify: count pending email: %w", err)
	}
	return n, nil
}

// Failed counts emails given up after MaxAttempts; their last error is kept
// in the outbox.
func Failed(ctx context.Context, q store.Querier) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND attempts >= ?`, MaxAttempts).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("notify: count failed email: %w", err)
	}
	return n, nil
}

// Notice is an in-app notice to one user.
type Notice struct {
	// ID is set by the database.
	ID int64
	// UserID is who the notice is for.
	UserID int64
	// ReportID is the report it concerns, or zero.
	ReportID int64
	// Body is one or two sentences of plain text.
	Body string
	// Link is a path within candour, such as "/reports/12", or empty.
	Link string
	// CreatedAt is when the notice was made.
	CreatedAt time.Time
	// ReadAt is when its user marked it read; zero while unread.
	ReadAt time.Time
}

// Read reports whether the notice has been read.
func (n Notice) Read() bool { return !n.ReadAt.IsZero() }

// Notify writes an in-app notice in tx, so that it appears if and only if the
// change that caused it commits.
func Notify(ctx context.Context, tx *store.Tx, now time.Time, n Notice) error {
	switch {
	case n.UserID <= 0:
		return fmt.Errorf("%w: notice without a user", ErrInvalid)
	case strings.TrimSpace(n.Body) == "":
		return fmt.Errorf("%w: empty notice", ErrInvalid)
	case len(n.Body) > MaxNoticeBytes || !utf8.ValidString(n.Body):
		return fmt.Errorf("%w: notice must be UTF-8 text of at most %d bytes", ErrInvalid, MaxNoticeBytes)
	case !localLink(n.Link):
		return fmt.Errorf("%w: notice link must be a path within candour", ErrInvalid)
	}
	var report any
	if n.ReportID != 0 {
		report = n.ReportID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO notifications (user_id, report_id, body, link, created_at)
		VALUES (?, ?, ?, ?, ?)`, n.UserID, report, n.Body, n.Link, store.T(now.UTC().Truncate(time.Microsecond)))
	if err != nil {
		return fmt.Errorf("notify: add notice: %w", err)
	}
	return nil
}

// localLink accepts an empty link or an absolute path on this site; never a
// scheme, another host ("//evil.example") or anything a browser might read
// as one.
func localLink(l string) bool {
	if l == "" {
		return true
	}
	if len(l) > MaxLinkBytes || !strings.HasPrefix(l, "/") || strings.HasPrefix(l, "//") {
		return false
	}
	for _, r := range l {
		if r <= 0x20 || r == 0x7f || r == '\\' || r >= 0x80 {
			return false
		}
	}
	return true
}

// Notices lists a user's notices, newest first: at most limit of them (50
// when limit is zero or less, never more than 500), only the unread ones if
// unreadOnly.
func Notices(ctx context.Context, q store.Querier, userID int64, unreadOnly bool, limit int) ([]Notice, error) {
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	query := `SELECT id, user_id, report_id, body, link, created_at, read_at FROM notifications WHERE user_id = ?`
	if unreadOnly {
		query += ` AND read_at IS NULL`
	}
	query += ` ORDER BY id DESC LIMIT ?`
	rows, err := q.QueryContext(ctx, query, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("notify: list notices: %w", err)
	}
	defer rows.Close()
	var out []Notice
	for rows.Next() {
		var n Notice
		var report sql.NullInt64
		var created, read store.Time
		if err := rows.Scan(&n.ID, &n.UserID, &report, &n.Body, &n.Link, &created, &read); err != nil {
			return nil, fmt.Errorf("notify: list notices: %w", err)
		}
		n.ReportID, n.CreatedAt, n.ReadAt = report.Int64, created.Time, read.Time
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("notify: list notices: %w", err)
	}
	return out, nil
}

// UnreadCount counts a user's unread notices, for the badge in the header.
func UnreadCount(ctx context.Context, q store.Querier, userID int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("notify: count unread notices: %w", err)
	}
	return n, nil
}

// MarkRead marks one of userID's notices read at now. A notice that does not
// exist or belongs to someone else gives store.ErrNotFound, so that the answer
// says nothing about other people's notices. Marking a read notice again
// keeps its first read time.
func MarkRead(ctx context.Context, db *store.DB, userID, noticeID int64, now time.Time) error {
	res, err := db.ExecContext(ctx, `UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND user_id = ?`,
		store.T(now.UTC().Truncate(time.Microsecond)), noticeID, userID)
	if err != nil {
		return fmt.Errorf("notify: mark notice read: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("notify: mark notice read: %w", err)
	} else if n == 0 {
		return fmt.Errorf("notice %d: %w", noticeID, store.ErrNotFound)
	}
	return nil
}

// MarkAllRead marks every unread notice of userID read at now.
func MarkAllRead(ctx context.Context, db *store.DB, userID int64, now time.Time) error {
	_, err := db.ExecContext(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`,
		store.T(now.UTC().Truncate(time.Microsecond)), userID)
	if err != nil {
		return fmt.Errorf("notify: mark notices read: %w", err)
	}
	return nil
}
