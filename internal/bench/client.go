package bench

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"time"
)

// Poster sends submissions over keep-alive HTTP/1.1 connections to one
// loopback server. Like wrk, it writes each request as bytes and reads only
// the status line, the headers it needs and the body's length, so that the
// load generator, which shares the machine's two cores with the server,
// takes as little of them as it can. Each connection carries one request at
// a time (no pipelining).
type Poster struct {
	addr, host, path string
	idle             chan *rawConn
}

// NewPoster returns a Poster for url (http://127.0.0.1:PORT/path) keeping
// up to conns idle connections.
func NewPoster(rawURL string, conns int) (*Poster, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("poster: %s: only http:// to a loopback address", rawURL)
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("poster: %s is not a loopback address", u.Hostname())
	}
	return &Poster{addr: u.Host, host: u.Host, path: u.RequestURI(), idle: make(chan *rawConn, conns)}, nil
}

// Close closes the idle connections.
func (p *Poster) Close() {
	for {
		select {
		case c := <-p.idle:
			c.c.Close()
		default:
			return
		}
	}
}

type rawConn struct {
	c   net.Conn
	r   *bufio.Reader
	w   *bufio.Writer
	buf []byte
	// until is the connection's deadline: a request that takes longer
	// than the rest of it fails rather than hang the benchmark.
	until time.Time
}

func (p *Poster) get() (*rawConn, error) {
	select {
	case c := <-p.idle:
		return c, nil
	default:
	}
	c, err := net.DialTimeout("tcp", p.addr, 5*time.Second)
	if err != nil {
		return nil, err
	}
	return &rawConn{c: c, r: bufio.NewReaderSize(c, 4096), w: bufio.NewWriterSize(c, 8192)}, nil
}

func (p *Poster) put(c *rawConn) {
	select {
	case p.idle <- c:
	default:
		c.c.Close()
	}
}

var errMalformed = errors.New("poster: malformed response")

// Post sends body as JSON with an Idempotency-Key header (and, when token
// is not empty, a bearer token) and returns the response status; the body
// is read and dropped.
func (p *Poster) Post(body []byte, key, token string) (int, error) {
	c, err := p.get()
	if err != nil {
		return 0, err
	}
	// Moving the deadline costs a timer update, 1% of a submission's
	// CPU on a loaded machine, so it moves only when less than 20 s of it
	// are left; every request still has at least that long.
	if now := time.Now(); c.until.Sub(now) < 20*time.Second {
		c.until = now.Add(30 * time.Second)
		c.c.SetDeadline(c.until)
	}
	b := c.buf[:0]
	b = append(b, "POST "...)
	b = append(b, p.path...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, p.host...)
	b = append(b, "\r\nContent-Type: application/json\r\nIdempotency-Key: "...)
	b = append(b, key...)
	if token != "" {
		b = append(b, "\r\nAuthorization: Bearer "...)
		b = append(b, token...)
	}
	b = append(b, "\r\nContent-Length: "...)
	b = strconv.AppendInt(b, int64(len(body)), 10)
	b = append(b, "\r\n\r\n"...)
	c.buf = b
	c.w.Write(b)
	c.w.Write(body)
	if err := c.w.Flush(); err != nil {
		c.c.Close()
		return 0, err
	}
	status, keep, err := readResponse(c.r)
	if err != nil {
		c.c.Close()
		return 0, err
	}
	if keep {
		p.put(c)
	} else {
		c.c.Close()
	}
	return status, nil
}

// readResponse reads one HTTP/1.1 response, returning its status and
// whether the connection may be used again.
func readResponse(r *bufio.Reader) (status int, keep bool, err error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return 0, false, err
	}
	// "HTTP/1.1 201 Created\r\n"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, false, errMalformed
	}
	status, err = strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, false, errMalformed
	}
	length, chunked, keep := -1, false, true
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return 0, false, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, false, errMalformed
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(value)); err != nil {
				return 0, false, errMalformed
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			keep = !bytes.EqualFold(value, []byte("close"))
		}
	}
	switch {
	case chunked:
		for {
			line, err := r.ReadSlice('\n')
			if err != nil {
				return 0, false, err
			}
			size, _, _ := bytes.Cut(bytes.TrimRight(line, "\r\n"), []byte(";"))
			n, err := strconv.ParseInt(string(size), 16, 64)
			if err != nil {
				return 0, false, errMalformed
			}
			if _, err := r.Discard(int(n) + 2); err != nil {
				return 0, false, err
			}
			if n == 0 {
				break
			}
		}
	case length >= 0:
		if _, err := r.Discard(length); err != nil {
			return 0, false, err
		}
	default:
		// No length: the body runs to the end of the connection.
		io.Copy(io.Discard, r)
		keep = false
	}
	return status, keep, nil
}
