package notify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"candour/internal/store"
)

// MaxAttempts is how many times a Sender tries one email before giving up on
// it. With back-off doubling from two minutes to a cap of six hours, the last
// try comes about a day after the first.
const MaxAttempts = 10

// maxBackoff caps the wait between attempts.
const maxBackoff = 6 * time.Hour

// batch bounds how many emails one SendDue call handles, so that one run of
// the job ends even while the outbox keeps filling.
const batch = 100

// maxErrorBytes bounds the last error kept in the outbox.
const maxErrorBytes = 1000

// Sender delivers due outbox rows over SMTP. Every replica may run one; the
// database claim decides which replica sends which row. A Sender must not be
// copied after first use.
type Sender struct {
	// DB holds the outbox.
	DB *store.DB
	// Host is the SMTP server; empty means email is off and SendDue does
	// nothing.
	Host string
	// Port is the SMTP port; zero means 587 for "starttls", 465 for "tls"
	// and 25 for "none".
	Port int
	// Username and Password are for AUTH PLAIN, used only when Username is
	// set (and, as net/smtp insists, only over TLS or to localhost).
	Username, Password string
	// From is the sender address, optionally with a display name.
	From string
	// TLS is "starttls" (the default when empty), "tls" for implicit TLS,
	// or "none" for a local relay.
	TLS string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives delivery failures; nil means slog.Default().
	Logger *slog.Logger
	// Timeout bounds one SMTP conversation; zero means 30 seconds.
	Timeout time.Duration

	offOnce sync.Once
}

// outboxRow is a claimed email.
type outboxRow struct {
	id        int64
	to        string
	subject   string
	body      string
	createdAt store.Time
	attempts  int
}

// SendDue sends the outbox rows that are due, one claim at a time, and
// returns how many it sent. Delivery failures are not returned: each is
// recorded on its row (last_error, next attempt after back-off) and logged,
// and a row that fails MaxAttempts times is left unsent with an error logged.
// The error is for problems with the database or the settings.
func (s *Sender) SendDue(ctx context.Context) (sent int, err error) {
	log := s.logger()
	if s.Host == "" {
		s.offOnce.Do(func() {
			log.Info("email is off: no SMTP host is set, so email stays in the outbox")
		})
		return 0, nil
	}
	from, err := s.check()
	if err != nil {
		return 0, err
	}
	for range batch {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		row, ok, err := s.claim(ctx)
		if err != nil || !ok {
			return sent, err
		}
		now := s.now()
		sendErr := s.send(ctx, from, row, now)
		// Record the outcome even when ctx ended during the conversation:
		// an email the server accepted must not be sent again.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err = s.record(rctx, row, now, sendErr)
		cancel()
		if err != nil {
			return sent, err
		}
		if sendErr == nil {
			sent++
		}
	}
	return sent, nil
}

// check validates the settings and returns the parsed sender address.
func (s *Sender) check() (*mail.Address, error) {
	switch s.tlsMode() {
	case "starttls", "tls", "none":
	default:
		return nil, fmt.Errorf("notify: SMTP TLS mode %q: want starttls, tls or none", s.TLS)
	}
	from, err := mail.ParseAddress(s.From)
	if err != nil || strings.ContainsAny(s.From, "\r\n") {
		return nil, fmt.Errorf("notify: SMTP sender address %q is not valid", s.From)
	}
	return from, nil
}

// claim takes the next due row for this Sender. The UPDATE succeeds for one
// replica only: a concurrent claimant either sees claimed_until in the future
// or, on PostgreSQL, waits for the winner's row lock and then re-checks the
// conditions against the winner's update and matches nothing.
func (s *Sender) claim(ctx context.Context) (outboxRow, bool, error) {
	for range 20 {
		now := store.T(s.now().UTC())
		var id int64
		err := s.DB.QueryRowContext(ctx, `SELECT id FROM outbox
			WHERE sent_at IS NULL AND attempts < ? AND next_attempt_at <= ?
			  AND (claimed_until IS NULL OR claimed_until < ?)
			ORDER BY next_attempt_at, id LIMIT 1`, MaxAttempts, now, now).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return outboxRow{}, false, nil
		}
		if err != nil {
			return outboxRow{}, false, fmt.Errorf("notify: find due email: %w", err)
		}
		r := outboxRow{id: id}
		err = s.DB.QueryRowContext(ctx, `UPDATE outbox SET claimed_until = ?, attempts = attempts + 1
			WHERE id = ? AND sent_at IS NULL AND attempts < ? AND next_attempt_at <= ?
			  AND (claimed_until IS NULL OR claimed_until < ?)
			RETURNING to_addr, subject, body, created_at, attempts`,
			store.T(now.Add(s.lease())), id, MaxAttempts, now, now).
			Scan(&r.to, &r.subject, &r.body, &r.createdAt, &r.attempts)
		if errors.Is(err, sql.ErrNoRows) {
			continue // another replica claimed it first
		}
		if err != nil {
			return outboxRow{}, false, fmt.Errorf("notify: claim email %d: %w", id, err)
		}
		return r, true, nil
	}
	// Lost every race: others are busy with the outbox; try on the next run.
	return outboxRow{}, false, nil
}

// lease is how long a claim keeps other replicas off a row: well beyond one
// SMTP conversation, so that only a replica that died mid-send lets it lapse.
func (s *Sender) lease() time.Duration { return max(5*time.Minute, 4*s.timeout()) }

// record marks r sent, or notes the failure and when to try again.
func (s *Sender) record(ctx context.Context, r outboxRow, now time.Time, sendErr error) error {
	log := s.logger()
	if sendErr == nil {
		// Once delivered, the row keeps only that it was sent and when:
		// who it went to and what it said (a reporter's address beside
		// "Thank you for speaking up", say) has no reason to stay.
		_, err := s.DB.ExecContext(ctx, `UPDATE outbox SET sent_at = ?, claimed_until = NULL, last_error = '',
			to_addr = '', subject = '', body = '' WHERE id = ?`,
			store.T(now.UTC()), r.id)
		if err != nil {
			// The server has the email; if this is lost the row is sent
			// again once its claim lapses.
			return fmt.Errorf("notify: mark email %d sent: %w", r.id, err)
		}
		log.Debug("email sent", "outbox_id", r.id, "attempt", r.attempts)
		return nil
	}
	msg := sendErr.Error()
	if len(msg) > maxErrorBytes {
		msg = strings.ToValidUTF8(msg[:maxErrorBytes], "")
	}
	next := now.Add(Backoff(r.attempts))
	_, err := s.DB.ExecContext(ctx, `UPDATE outbox SET claimed_until = NULL, next_attempt_at = ?, last_error = ? WHERE id = ?`,
		store.T(next.UTC()), msg, r.id)
	if err != nil {
		return fmt.Errorf("notify: record failure of email %d: %w", r.id, err)
	}
	if r.attempts >= MaxAttempts {
		log.Error("email given up after repeated failures", "outbox_id", r.id, "attempts", r.attempts, "err", sendErr)
	} else {
		log.Warn("email not sent; will retry", "outbox_id", r.id, "attempt", r.attempts, "retry_at", next.UTC(), "err", sendErr)
	}
	return nil
}

// Backoff is the wait after the given number of failed attempts: 2^attempts
// minutes, at most six hours.
func Backoff(attempts int) time.Duration {
	if attempts < 0 {
		attempts = 0
	}
	if attempts >= 9 { // 2^9 minutes is already past the cap
		return maxBackoff
	}
	return min(time.Duration(1<<attempts)*time.Minute, maxBackoff)
}

// send holds one SMTP conversation that delivers r.
func (s *Sender) send(ctx context.Context, from *mail.Address, r outboxRow, now time.Time) error {
	data := compose(from, r, now)
	addr := net.JoinHostPort(s.Host, strconv.Itoa(s.port()))
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	var conn net.Conn
	var err error
	if s.tlsMode() == "tls" {
		d := tls.Dialer{Config: s.tlsConfig()}
		conn, err = d.DialContext(ctx, "tcp", addr)
	} else {
		var d net.Dialer
		conn, err = d.DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("connect to %s: %w", addr, err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	// Cancelling ctx (shutdown) ends the conversation at once.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		return fmt.Errorf("smtp greeting: %w", err)
	}
	defer c.Close()
	if err := c.Hello(helloName(from.Address)); err != nil {
		return fmt.Errorf("smtp EHLO: %w", err)
	}
	if s.tlsMode() == "starttls" {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("smtp server does not offer STARTTLS; set TLS to \"none\" only for a trusted local relay")
		}
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return fmt.Errorf("smtp STARTTLS: %w", err)
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, s.Host)); err != nil {
			return fmt.Errorf("smtp AUTH: %w", err)
		}
	}
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("smtp MAIL FROM: %w", err)
	}
	if err := c.Rcpt(r.to); err != nil {
		return fmt.Errorf("smtp RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp end of DATA: %w", err)
	}
	// The server has accepted the email; a failed QUIT changes nothing.
	_ = c.Quit()
	return nil
}

func (s *Sender) tlsConfig() *tls.Config {
	return &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
}

// compose writes the message: headers, a blank line and the body in
// quoted-printable, every line ending in CRLF.
func compose(from *mail.Address, r outboxRow, now time.Time) []byte {
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(fold(k, v)) }
	header("From", from.String())
	header("To", (&mail.Address{Address: r.to}).String())
	header("Subject", encodeWords(r.subject))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", messageID(from.Address, r))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	// RFC 3834: tells mail systems not to send out-of-office replies.
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	qp.Write([]byte(strings.ReplaceAll(r.body, "\r\n", "\n")))
	qp.Close()
	b.WriteString("\r\n")
	return b.Bytes()
}

// encodeWords returns s as it is when it is plain printable ASCII, and
// otherwise as RFC 2047 Q-encoded UTF-8 words short enough that every line
// holding one stays within 76 characters once folded, a limit the encoder in
// package mime does not keep.
func encodeWords(s string) string {
	if mime.QEncoding.Encode("utf-8", s) == s {
		return s
	}
	const maxPayload = 54 // "Subject: =?utf-8?q?" + 54 + "?=" is 75
	var words []string
	var cur strings.Builder
	for _, r := range s {
		var enc string
		switch {
		case r == ' ':
			enc = "_"
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!*+-/", r)):
			enc = string(r)
		default:
			for _, c := range utf8.AppendRune(nil, r) {
				enc += fmt.Sprintf("=%02X", c)
			}
		}
		if cur.Len()+len(enc) > maxPayload {
			words = append(words, "=?utf-8?q?"+cur.String()+"?=")
			cur.Reset()
		}
		cur.WriteString(enc)
	}
	words = append(words, "=?utf-8?q?"+cur.String()+"?=")
	return strings.Join(words, " ")
}

// fold writes one header line, folded at spaces so that lines stay within
// 78 characters where they can (RFC 5322 section 2.2.3). A space between
// encoded words is ignored by readers, and unfolding gives back the value.
func fold(name, value string) string {
	var b strings.Builder
	b.WriteString(name + ":")
	n := len(name) + 1
	for i, w := range strings.Split(value, " ") {
		if i > 0 && n+1+len(w) > 78 {
			b.WriteString("\r\n")
			n = 0
		}
		b.WriteString(" " + w)
		n += 1 + len(w)
	}
	b.WriteString("\r\n")
	return b.String()
}

// messageID is the same on every attempt for one outbox row, so that a
// repeat after a crash can be recognised.
func messageID(fromAddr string, r outboxRow) string {
	h := sha256.Sum256([]byte(strconv.FormatInt(r.id, 10) + "|" + r.createdAt.UTC().Format(store.TimeLayout) + "|" + r.to))
	return "<" + strconv.FormatInt(r.id, 10) + "." + hex.EncodeToString(h[:8]) + "@" + domain(fromAddr) + ">"
}

// helloName names this client in EHLO: the sender's domain, which a relay can
// check, rather than a container's random host name.
func helloName(fromAddr string) string { return domain(fromAddr) }

func domain(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 && i < len(addr)-1 {
		return addr[i+1:]
	}
	return "localhost"
}

func (s *Sender) tlsMode() string {
	if s.TLS == "" {
		return "starttls"
	}
	return strings.ToLower(s.TLS)
}

func (s *Sender) port() int {
	if s.Port != 0 {
		return s.Port
	}
	switch s.tlsMode() {
	case "tls":
		return 465
	case "none":
		return 25
	}
	return 587
}

func (s *Sender) timeout() time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return 30 * time.Second
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return time.Now().UTC().Truncate(time.Microsecond)
}

func (s *Sender) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}
