package smtptest_test

import (
	"net/textproto"
	"testing"
	"time"

	"candour/internal/notify/smtptest"
)

func TestConversation(t *testing.T) {
	srv := smtptest.New(t)
	c, err := textproto.Dial("tcp", srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	expect := func(code int, format string, args ...any) {
		t.Helper()
		if format != "" {
			if err := c.PrintfLine(format, args...); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := c.ReadResponse(code); err != nil {
			t.Fatalf("after %q: %v", format, err)
		}
	}
	expect(220, "")
	expect(503, "MAIL FROM:<a@example.org>") // no EHLO yet
	expect(250, "EHLO client.example")
	expect(503, "RCPT TO:<b@example.org>") // no MAIL yet
	expect(250, "MAIL FROM:<a@example.org> BODY=8BITMIME")
	expect(250, "RCPT TO:<b@example.org>")
	expect(250, "RSET")
	expect(503, "DATA") // RSET dropped the recipients
	expect(250, "NOOP")
	expect(502, "VRFY b@example.org")

	srv.FailNext(1)
	expect(250, "MAIL FROM:<a@example.org>")
	expect(250, "RCPT TO:<b@example.org>")
	expect(451, "DATA")

	expect(250, "MAIL FROM:<a@example.org>")
	expect(250, "RCPT TO:<b@example.org>")
	expect(250, "RCPT TO:<c@example.org>")
	expect(354, "DATA")
	expect(250, "Subject: hi\r\n\r\n..leading dot\r\nlast\r\n.")
	expect(221, "QUIT")

	msgs, err := srv.WaitFor(1, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	m := msgs[0]
	if m.From != "a@example.org" || len(m.To) != 2 || m.To[1] != "c@example.org" {
		t.Errorf("envelope = %q -> %q", m.From, m.To)
	}
	if want := "Subject: hi\r\n\r\n.leading dot\r\nlast\r\n"; m.Data != want {
		t.Errorf("data = %q, want %q", m.Data, want)
	}
	if _, err := srv.WaitFor(2, 50*time.Millisecond); err == nil {
		t.Error("WaitFor(2) succeeded with one message")
	}
}
