package notify_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"strings"
	"sync"
	"testing"
	"time"

	"candour/internal/notify"
	"candour/internal/notify/smtptest"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// clock is a controllable time source for Sender.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 3, 9, 30, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func sender(db *store.DB, srv *smtptest.Server, c *clock, logs io.Writer) *notify.Sender {
	if logs == nil {
		logs = io.Discard
	}
	return &notify.Sender{
		DB: db, Host: srv.Host(), Port: srv.Port(), TLS: "none",
		From: "Candour <candour@trust.example.nhs.uk>",
		Now:  c.Now, Timeout: 5 * time.Second,
		Logger: slog.New(slog.NewTextHandler(logs, nil)),
	}
}

func enqueue(t *testing.T, db *store.DB, now time.Time, m notify.Message) {
	t.Helper()
	err := db.InTx(context.Background(), func(tx *store.Tx) error {
		return notify.Enqueue(context.Background(), tx, now, m)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func counts(t *testing.T, db *store.DB) (pending, failed int) {
	t.Helper()
	ctx := context.Background()
	p, err := notify.Pending(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	f, err := notify.Failed(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	return p, f
}

func TestEnqueueBelongsToTheTransaction(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		m := notify.Message{To: "guardian@trust.example.nhs.uk", Subject: "New concern", Body: "A concern needs you."}
		rollback := errors.New("the change failed")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := notify.Enqueue(ctx, tx, c.Now(), m); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatalf("InTx = %v", err)
		}
		if p, f := counts(t, db); p != 0 || f != 0 {
			t.Fatalf("after rollback: %d pending, %d failed; want none", p, f)
		}
		srv := smtptest.New(t)
		if n, err := sender(db, srv, c, nil).SendDue(ctx); n != 0 || err != nil {
			t.Fatalf("SendDue after rollback = %d, %v", n, err)
		}
		if got := len(srv.Messages()); got != 0 {
			t.Fatalf("server got %d messages from a rolled-back change", got)
		}

		enqueue(t, db, c.Now(), m)
		if p, _ := counts(t, db); p != 1 {
			t.Fatalf("after commit: %d pending, want 1", p)
		}
	})
}

// EnqueueAll writes every email, each due at its own time, and refuses the
// lot if one is bad; the SMTP server then receives each once.
func TestEnqueueAllWritesEachOrNone(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		var emails []notify.Queued
		for i := range 3 {
			emails = append(emails, notify.Queued{At: c.Now().Add(time.Duration(i-2) * time.Minute), Message: notify.Message{
				To: fmt.Sprintf("reporter%d@trust.example.nhs.uk", i), Subject: fmt.Sprintf("Thank you for speaking up: SE-%06d", i), Body: "We have your report."}})
		}
		bad := append(append([]notify.Queued(nil), emails...), notify.Queued{At: c.Now(), Message: notify.Message{To: "not an address", Subject: "x", Body: "y"}})
		err := db.InTx(ctx, func(tx *store.Tx) error { return notify.EnqueueAll(ctx, tx, bad) })
		if !errors.Is(err, notify.ErrInvalid) {
			t.Fatalf("a batch with a bad address: %v, want ErrInvalid", err)
		}
		if p, f := counts(t, db); p != 0 || f != 0 {
			t.Fatalf("after a refused batch: %d pending, %d failed; want none", p, f)
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return notify.EnqueueAll(ctx, tx, emails) }); err != nil {
			t.Fatal(err)
		}
		var due string
		db.QueryRowContext(ctx, `SELECT next_attempt_at FROM outbox WHERE to_addr = 'reporter0@trust.example.nhs.uk'`).Scan(&due)
		if want := emails[0].At.UTC().Format(store.TimeLayout); due != want {
			t.Fatalf("first email due %s, want its own time %s", due, want)
		}
		srv := smtptest.New(t)
		if n, err := sender(db, srv, c, nil).SendDue(ctx); n != 3 || err != nil {
			t.Fatalf("SendDue = %d, %v; want 3", n, err)
		}
		got := map[string]bool{}
		for _, m := range srv.Messages() {
			got[strings.Join(m.To, ",")] = true
		}
		if len(got) != 3 || !got["reporter2@trust.example.nhs.uk"] {
			t.Fatalf("server received for %v, want the three reporters once each", got)
		}
	})
}

func TestEnqueueRefusesBadMessages(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	ok := notify.Message{To: "a@example.org", Subject: "Hello", Body: "Body"}
	for name, change := range map[string]func(*notify.Message){
		"CRLF in subject":        func(m *notify.Message) { m.Subject = "Hello\r\nBcc: everyone@example.org" },
		"LF in subject":          func(m *notify.Message) { m.Subject = "Hello\nBcc: everyone@example.org" },
		"CR in subject":          func(m *notify.Message) { m.Subject = "Hello\rBcc: everyone@example.org" },
		"empty subject":          func(m *notify.Message) { m.Subject = " " },
		"long subject":           func(m *notify.Message) { m.Subject = strings.Repeat("x", notify.MaxSubjectBytes+1) },
		"invalid UTF-8 subject":  func(m *notify.Message) { m.Subject = "Hello \xff" },
		"empty body":             func(m *notify.Message) { m.Body = "" },
		"huge body":              func(m *notify.Message) { m.Body = strings.Repeat("x", notify.MaxBodyBytes+1) },
		"not an address":         func(m *notify.Message) { m.To = "guardian" },
		"two addresses":          func(m *notify.Message) { m.To = "a@example.org, b@example.org" },
		"CRLF in address":        func(m *notify.Message) { m.To = "a@example.org\r\nBcc: b@example.org" },
		"CRLF in display name":   func(m *notify.Message) { m.To = "\"A\r\nBcc: b@example.org\" <a@example.org>" },
		"over-long address":      func(m *notify.Message) { m.To = strings.Repeat("a", 250) + "@example.org" },
		"empty address":          func(m *notify.Message) { m.To = "" },
		"NUL in body":            func(m *notify.Message) { m.Body = "a\x00b" },
		"unicode line separator": func(m *notify.Message) { m.Subject = "Hello\u2028Bcc: x@example.org" },
	} {
		m := ok
		change(&m)
		err := db.InTx(ctx, func(tx *store.Tx) error { return notify.Enqueue(ctx, tx, time.Now(), m) })
		if !errors.Is(err, notify.ErrInvalid) {
			t.Errorf("%s: Enqueue = %v, want ErrInvalid", name, err)
		}
	}
	if p, _ := counts(t, db); p != 0 {
		t.Fatalf("%d refused messages were stored", p)
	}
	// The control case is accepted, and a display name is dropped.
	m := ok
	m.To = "Ann Guardian <ann@example.org>"
	enqueue(t, db, time.Now(), m)
	var to string
	if err := db.QueryRowContext(ctx, `SELECT to_addr FROM outbox`).Scan(&to); err != nil || to != "ann@example.org" {
		t.Fatalf("stored recipient = %q, %v; want the bare address", to, err)
	}
}

func TestSendDueDeliversWithProperHeaders(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		srv := smtptest.New(t)
		subject := "Réponse attendue — concern SU-0042 needs acknowledging"
		body := "Hello,\n\nA concern is due for acknowledgement on 10 November.\n.A line that starts with a dot\nOpen: https://candour.example/reports/42?tab=messages\nCafé ✓ = done\n"
		enqueue(t, db, c.Now(), notify.Message{To: "guardian@trust.example.nhs.uk", Subject: subject, Body: body})

		n, err := sender(db, srv, c, nil).SendDue(ctx)
		if err != nil || n != 1 {
			t.Fatalf("SendDue = %d, %v; want 1, nil", n, err)
		}
		msgs, err := srv.WaitFor(1, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		got := msgs[0]
		if got.From != "candour@trust.example.nhs.uk" || len(got.To) != 1 || got.To[0] != "guardian@trust.example.nhs.uk" {
			t.Errorf("envelope = %q -> %q", got.From, got.To)
		}
		msg, err := got.Message()
		if err != nil {
			t.Fatalf("parse message: %v\n%s", err, got.Data)
		}
		h := msg.Header
		for k, want := range map[string]string{
			"From":                      `"Candour" <candour@trust.example.nhs.uk>`,
			"To":                        "<guardian@trust.example.nhs.uk>",
			"Mime-Version":              "1.0",
			"Content-Type":              "text/plain; charset=utf-8",
			"Content-Transfer-Encoding": "quoted-printable",
			"Auto-Submitted":            "auto-generated",
		} {
			if h.Get(k) != want {
				t.Errorf("%s: %q, want %q", k, h.Get(k), want)
			}
		}
		raw := h.Get("Subject")
		if !strings.HasPrefix(raw, "=?utf-8?q?") {
			t.Errorf("Subject not RFC 2047 encoded: %q", raw)
		}
		var dec mime.WordDecoder
		if s, err := dec.DecodeHeader(raw); err != nil || s != subject {
			t.Errorf("decoded Subject = %q, %v; want %q", s, err, subject)
		}
		if d, err := h.Date(); err != nil || !d.Equal(c.Now()) {
			t.Errorf("Date = %v, %v; want %v", d, err, c.Now())
		}
		if id := h.Get("Message-Id"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@trust.example.nhs.uk>") {
			t.Errorf("Message-ID = %q", id)
		}
		for _, line := range strings.Split(got.Data, "\r\n") {
			if len(line) > 78 {
				t.Errorf("line longer than 78 characters: %q", line)
			}
		}
		decoded, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
		if err != nil {
			t.Fatal(err)
		}
		if s := strings.ReplaceAll(string(decoded), "\r\n", "\n"); s != body+"\n" && s != body {
			t.Errorf("body = %q\nwant %q", s, body)
		}

		// Sent once: another run sends nothing more.
		if n, err := sender(db, srv, c, nil).SendDue(ctx); n != 0 || err != nil {
			t.Fatalf("second SendDue = %d, %v; want 0", n, err)
		}
		if p, f := counts(t, db); p != 0 || f != 0 || len(srv.Messages()) != 1 {
			t.Fatalf("pending %d, failed %d, delivered %d; want 0, 0, 1", p, f, len(srv.Messages()))
		}
		var sentAt store.Time
		if err := db.QueryRowContext(ctx, `SELECT sent_at FROM outbox`).Scan(&sentAt); err != nil || !sentAt.Equal(c.Now()) {
			t.Errorf("sent_at = %v, %v; want %v", sentAt, err, c.Now())
		}
	})
}

func TestFailureIsRetriedAfterBackoff(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		srv := smtptest.New(t)
		var logs syncBuffer
		s := sender(db, srv, c, &logs)
		enqueue(t, db, c.Now(), notify.Message{To: "a@example.org", Subject: "Reminder", Body: "Due soon."})

		srv.FailNext(1)
		if n, err := s.SendDue(ctx); n != 0 || err != nil {
			t.Fatalf("SendDue against a failing server = %d, %v; want 0, nil", n, err)
		}
		var attempts int
		var lastErr string
		var next store.Time
		if err := db.QueryRowContext(ctx, `SELECT attempts, last_error, next_attempt_at FROM outbox`).Scan(&attempts, &lastErr, &next); err != nil {
			t.Fatal(err)
		}
		if attempts != 1 || !strings.Contains(lastErr, "451") || !next.Equal(c.Now().Add(2*time.Minute)) {
			t.Fatalf("after failure: attempts %d, last_error %q, next attempt %v; want 1, a 451, %v",
				attempts, lastErr, next, c.Now().Add(2*time.Minute))
		}
		if !strings.Contains(logs.String(), "will retry") {
			t.Errorf("failure not logged:\n%s", logs.String())
		}

		// Not before the back-off: the server would accept now, so any
		// early retry would show up as a delivered message.
		for _, wait := range []time.Duration{0, time.Minute + 59*time.Second} {
			c.Advance(wait)
			if n, err := s.SendDue(ctx); n != 0 || err != nil || len(srv.Messages()) != 0 {
				t.Fatalf("retried early: SendDue = %d, %v; %d delivered", n, err, len(srv.Messages()))
			}
		}
		c.Advance(time.Second)
		if n, err := s.SendDue(ctx); n != 1 || err != nil {
			t.Fatalf("SendDue after back-off = %d, %v; want 1", n, err)
		}
		c.Advance(time.Hour)
		if n, err := s.SendDue(ctx); n != 0 || err != nil {
			t.Fatalf("SendDue after delivery = %d, %v; want 0", n, err)
		}
		if got := len(srv.Messages()); got != 1 {
			t.Fatalf("delivered %d times, want once", got)
		}
		if p, f := counts(t, db); p != 0 || f != 0 {
			t.Fatalf("pending %d, failed %d", p, f)
		}
	})
}

func TestGivesUpAfterMaxAttempts(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newClock()
		srv := smtptest.New(t)
		var logs syncBuffer
		s := sender(db, srv, c, &logs)
		enqueue(t, db, c.Now(), notify.Message{To: "a@example.org", Subject: "Reminder", Body: "Due soon."})
		srv.FailNext(1000)
		for range notify.MaxAttempts + 3 {
			if n, err := s.SendDue(ctx); n != 0 || err != nil {
				t.Fatalf("SendDue = %d, %v", n, err)
			}
			c.Advance(7 * time.Hour)
		}
		var attempts int
		if err := db.QueryRowContext(ctx, `SELECT attempts FROM outbox`).Scan(&attempts); err != nil || attempts != notify.MaxAttempts {
			t.Fatalf("attempts = %d, %v; want %d", attempts, err, notify.MaxAttempts)
		}
		if p, f := counts(t, db); p != 0 || f != 1 {
			t.Fatalf("pending %d, failed %d; want 0, 1", p, f)
		}
		if !strings.Contains(logs.String(), "level=ERROR msg=\"email given up") {
			t.Errorf("giving up not logged as an error:\n%s", logs.String())
		}
	})
}

func TestBackoff(t *testing.T) {
	for attempts, want := range map[int]time.Duration{
		1: 2 * time.Minute, 2: 4 * time.Minute, 5: 32 * time.Minute, 8: 256 * time.Minute,
		9: 6 * time.Hour, 10: 6 * time.Hour, 63: 6 * time.Hour,
	} {
		if got := notify.Backoff(attempts); got != want {
			t.Errorf("Backoff(%d) = %v, want %v", attempts, got, want)
		}
	}
}

func TestEmailOffWithoutHost(t *testing.T) {
	db := storetest.SQLite(t)
	c := newClock()
	var logs syncBuffer
	s := &notify.Sender{DB: db, Now: c.Now, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	enqueue(t, db, c.Now(), notify.Message{To: "a@example.org", Subject: "Reminder", Body: "Due soon."})
	for range 3 {
		if n, err := s.SendDue(context.Background()); n != 0 || err != nil {
			t.Fatalf("SendDue with email off = %d, %v", n, err)
		}
	}
	if got := strings.Count(logs.String(), "email is off"); got != 1 {
		t.Errorf("said email is off %d times, want once:\n%s", got, logs.String())
	}
	if p, _ := counts(t, db); p != 1 {
		t.Errorf("pending = %d, want the email kept", p)
	}
}

// TestReplicasSendEachEmailOnce runs two Senders at once over one outbox: on
// SQLite through one DB, on PostgreSQL through two separate connection pools,
// as two replicas would.
func TestReplicasSendEachEmailOnce(t *testing.T) {
	run := func(t *testing.T, a, b *store.DB) {
		ctx := context.Background()
		c := newClock()
		srv := smtptest.New(t)
		const total = 40
		for i := range total {
			enqueue(t, a, c.Now(), notify.Message{To: fmt.Sprintf("p%d@example.org", i), Subject: fmt.Sprintf("Reminder %d", i), Body: "Due soon."})
		}
		var wg sync.WaitGroup
		sent := make([]int, 2)
		errs := make([]error, 2)
		for i, db := range []*store.DB{a, b} {
			s := sender(db, srv, c, nil)
			wg.Go(func() {
				for {
					n, err := s.SendDue(ctx)
					sent[i] += n
					if err != nil {
						errs[i] = err
						return
					}
					p, err := notify.Pending(ctx, db)
					if err != nil {
						errs[i] = err
						return
					}
					if n == 0 && p == 0 {
						return
					}
				}
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		msgs := srv.Messages()
		seen := map[string]int{}
		for _, m := range msgs {
			seen[m.To[0]]++
		}
		for i := range total {
			if n := seen[fmt.Sprintf("p%d@example.org", i)]; n != 1 {
				t.Errorf("p%d got %d emails, want exactly 1", i, n)
			}
		}
		if len(msgs) != total || sent[0]+sent[1] != total {
			t.Errorf("server got %d, senders report %d + %d; want %d", len(msgs), sent[0], sent[1], total)
		}
		t.Logf("replica A sent %d, replica B sent %d", sent[0], sent[1])
	}
	t.Run("sqlite", func(t *testing.T) {
		db := storetest.SQLite(t)
		run(t, db, db)
	})
	t.Run("postgres", func(t *testing.T) {
		u := storetest.PostgresDatabaseURL(t)
		ctx := context.Background()
		open := func() *store.DB {
			db, err := store.Open(ctx, u, store.Options{MaxConns: 4})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}
		a, b := open(), open()
		if _, err := a.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		run(t, a, b)
	})
}

func TestSettingsAreChecked(t *testing.T) {
	db := storetest.SQLite(t)
	srv := smtptest.New(t)
	for _, s := range []*notify.Sender{
		{DB: db, Host: srv.Host(), Port: srv.Port(), TLS: "ssl3", From: "candour@example.org"},
		{DB: db, Host: srv.Host(), Port: srv.Port(), TLS: "none", From: "not an address"},
	} {
		if _, err := s.SendDue(context.Background()); err == nil {
			t.Errorf("SendDue with TLS %q, From %q succeeded", s.TLS, s.From)
		}
	}
}

func TestStartTLSIsRequiredWhenAsked(t *testing.T) {
	// The test server offers no STARTTLS; a Sender told to use it must not
	// fall back to plain text.
	db := storetest.SQLite(t)
	c := newClock()
	srv := smtptest.New(t)
	s := sender(db, srv, c, nil)
	s.TLS = "starttls"
	enqueue(t, db, c.Now(), notify.Message{To: "a@example.org", Subject: "Reminder", Body: "Due soon."})
	if n, err := s.SendDue(context.Background()); n != 0 || err != nil {
		t.Fatalf("SendDue = %d, %v", n, err)
	}
	var lastErr string
	db.QueryRowContext(context.Background(), `SELECT last_error FROM outbox`).Scan(&lastErr)
	if !strings.Contains(lastErr, "STARTTLS") || len(srv.Messages()) != 0 {
		t.Fatalf("last_error %q, %d delivered; want a STARTTLS refusal and nothing sent", lastErr, len(srv.Messages()))
	}
}
