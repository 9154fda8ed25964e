// Package smtptest runs a real, minimal SMTP server in the test's process, so
// that tests of email exercise an actual SMTP conversation over TCP. It speaks
// the part of RFC 5321 a submission client needs (greeting, EHLO/HELO, MAIL,
// RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT), offers no TLS and no
// authentication, and keeps every message it accepts in memory.
package smtptest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Limits that keep a misbehaving client from exhausting the test's memory.
const (
	maxLine       = 4096
	maxMessage    = 10 << 20
	maxRecipients = 100
	idleTimeout   = 30 * time.Second
)

// Received is one message the server accepted.
type Received struct {
	// From is the envelope sender (MAIL FROM).
	From string
	// To holds the envelope recipients (RCPT TO).
	To []string
	// Data is the message as sent after DATA, dot-unstuffed, with its
	// CRLF line endings, without the terminating ".".
	Data string
}

// Message parses Data as an RFC 5322 message.
func (r Received) Message() (*mail.Message, error) {
	return mail.ReadMessage(strings.NewReader(r.Data))
}

// Server is a running SMTP server on 127.0.0.1.
type Server struct {
	ln net.Listener
	wg sync.WaitGroup

	mu       sync.Mutex
	msgs     []Received
	failNext int
	conns    map[net.Conn]struct{}
	closed   bool
	changed  chan struct{} // closed and replaced whenever msgs grows
}

// New starts a server on a free port of 127.0.0.1 and stops it when the test
// ends.
func New(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s := &Server{ln: ln, conns: map[net.Conn]struct{}{}, changed: make(chan struct{})}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(s.Close)
	return s
}

// Addr is the server's HOST:PORT.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Host is the server's IP address, "127.0.0.1".
func (s *Server) Host() string { return s.ln.Addr().(*net.TCPAddr).IP.String() }

// Port is the server's TCP port.
func (s *Server) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// Messages returns a copy of the messages accepted so far, in order.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Received, len(s.msgs))
	for i, m := range s.msgs {
		m.To = append([]string(nil), m.To...)
		out[i] = m
	}
	return out
}

// WaitFor waits until at least n messages have arrived and returns them all,
// or returns what has arrived and an error after timeout.
func (s *Server) WaitFor(n int, timeout time.Duration) ([]Received, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		got, ch := len(s.msgs), s.changed
		s.mu.Unlock()
		if got >= n {
			return s.Messages(), nil
		}
		select {
		case <-ch:
		case <-deadline.C:
			return s.Messages(), fmt.Errorf("smtptest: %d messages after %v, want %d", got, timeout, n)
		}
	}
}

// FailNext makes the server answer the next n DATA commands with "451"
// (a temporary failure), so that tests can see a client retry.
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	s.failNext = n
	s.mu.Unlock()
}

// Close stops the server, ends open connections and waits for them. It is
// safe to call more than once.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.ln.Close()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *Server) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return // closed
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			defer func() {
				s.mu.Lock()
				delete(s.conns, c)
				s.mu.Unlock()
				c.Close()
			}()
			s.session(c)
		}()
	}
}

// errTooLong reports a line or message over the limits.
var errTooLong = errors.New("too long")

// session holds one SMTP conversation.
func (s *Server) session(c net.Conn) {
	r := bufio.NewReaderSize(c, maxLine)
	w := bufio.NewWriter(c)
	reply := func(lines ...string) bool {
		for _, l := range lines {
			w.WriteString(l + "\r\n")
		}
		return w.Flush() == nil
	}
	var (
		greeted bool
		from    *string
		to      []string
	)
	reset := func() { from, to = nil, nil }
	if !reply("220 127.0.0.1 smtptest ESMTP ready") {
		return
	}
	for {
		c.SetReadDeadline(time.Now().Add(idleTimeout))
		line, err := readLine(r)
		if errors.Is(err, errTooLong) {
			if !reply("500 5.5.2 line too long") {
				return
			}
			continue
		}
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			if arg == "" {
				reply("501 5.5.4 EHLO needs a domain")
				continue
			}
			greeted = true
			reset()
			reply("250-127.0.0.1 greets "+arg, "250-8BITMIME", "250-SIZE "+strconv.Itoa(maxMessage), "250 PIPELINING")
		case "HELO":
			if arg == "" {
				reply("501 5.5.4 HELO needs a domain")
				continue
			}
			greeted = true
			reset()
			reply("250 127.0.0.1")
		case "MAIL":
			switch {
			case !greeted:
				reply("503 5.5.1 say EHLO first")
			case from != nil:
				reply("503 5.5.1 sender already given")
			default:
				p, ok := path(arg, "FROM:")
				if !ok {
					reply("501 5.5.4 syntax: MAIL FROM:<address>")
					continue
				}
				from = &p
				reply("250 2.1.0 OK")
			}
		case "RCPT":
			switch {
			case from == nil:
				reply("503 5.5.1 need MAIL first")
			case len(to) >= maxRecipients:
				reply("452 4.5.3 too many recipients")
			default:
				p, ok := path(arg, "TO:")
				if !ok || p == "" {
					reply("501 5.5.4 syntax: RCPT TO:<address>")
					continue
				}
				to = append(to, p)
				reply("250 2.1.5 OK")
			}
		case "DATA":
			if len(to) == 0 {
				reply("503 5.5.1 need RCPT first")
				continue
			}
			s.mu.Lock()
			fail := s.failNext > 0
			if fail {
				s.failNext--
			}
			s.mu.Unlock()
			if fail {
				reset()
				reply("451 4.3.0 temporary failure, try again later")
				continue
			}
			if !reply("354 end data with <CR><LF>.<CR><LF>") {
				return
			}
			data, err := readData(r, c)
			if errors.Is(err, errTooLong) {
				reset()
				reply("552 5.3.4 message too big")
				continue
			}
			if err != nil {
				return
			}
			s.mu.Lock()
			s.msgs = append(s.msgs, Received{From: *from, To: to, Data: data})
			n := len(s.msgs)
			close(s.changed)
			s.changed = make(chan struct{})
			s.mu.Unlock()
			reset()
			reply("250 2.0.0 OK queued as " + strconv.Itoa(n))
		case "RSET":
			reset()
			reply("250 2.0.0 OK")
		case "NOOP":
			reply("250 2.0.0 OK")
		case "QUIT":
			reply("221 2.0.0 bye")
			return
		default:
			reply("502 5.5.2 command not implemented")
		}
	}
}

// path extracts the address from "FROM:<a@b> PARAMS" or "TO:<a@b>".
func path(arg, prefix string) (string, bool) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", false
	}
	rest := strings.TrimLeft(arg[len(prefix):], " ")
	if !strings.HasPrefix(rest, "<") {
		return "", false
	}
	end := strings.IndexByte(rest, '>')
	if end < 0 {
		return "", false
	}
	return rest[1:end], true
}

// readLine reads one command line without its CRLF.
func readLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		// Discard the rest of the over-long line.
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = r.ReadSlice('\n')
		}
		if err != nil {
			return "", err
		}
		return "", errTooLong
	}
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(line), "\r\n"), nil
}

// readData reads the message after DATA up to the line holding only ".",
// removing the extra dot a client puts before any line that starts with one.
func readData(r *bufio.Reader, c net.Conn) (string, error) {
	var b strings.Builder
	tooLong := false
	for {
		c.SetReadDeadline(time.Now().Add(idleTimeout))
		line, err := r.ReadString('\n')
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return "", err
		}
		if line == ".\r\n" || line == ".\n" {
			break
		}
		if strings.HasPrefix(line, ".") {
			line = line[1:]
		}
		if b.Len()+len(line) > maxMessage {
			tooLong = true
			continue
		}
		b.WriteString(line)
	}
	if tooLong {
		return "", errTooLong
	}
	return b.String(), nil
}
