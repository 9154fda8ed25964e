package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// stall gives n bytes, then fails as a connection past its read deadline
// does.
type stall struct{ n int }

var errTimeout = errors.New("i/o timeout")

func (s *stall) Read(p []byte) (int, error) {
	if s.n == 0 {
		return 0, errTimeout
	}
	k := min(len(p), s.n)
	s.n -= k
	return k, nil
}

func budgetServer(total int64) *Server {
	return &Server{bodies: newBodyBudget(total), largeBodyWait: 30 * time.Millisecond}
}

// request is a POST whose context ends when the test says.
func request(t *testing.T, declared int64) (*http.Request, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	r := httptest.NewRequestWithContext(ctx, "POST", "/api/v1/reports", nil)
	r.ContentLength = declared
	return r, cancel
}

func (b *bodyBudget) freeNow() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.free
}

// A body is read whole at every length it may declare; one that says
// nothing of its length is read too; one that ends early or runs on past
// its length is an error, never a hang.
func TestReadBodyAtEachLength(t *testing.T) {
	const mib = maxJSONBytes
	for _, c := range []struct {
		name     string
		declared int64
		sent     int
		wantErr  error
	}{
		{"empty", 0, 0, nil},
		{"small", 10, 10, nil},
		{"exactly 1 MiB", mib, mib, nil},
		{"1 MiB and a byte", mib + 1, mib + 1, nil},
		{"5 MiB", 5 * mib, 5 * mib, nil},
		{"unknown length, small", -1, 100, nil},
		{"unknown length, 3 MiB", -1, 3 * mib, nil},
		{"shorter than declared", 2 * mib, mib, io.ErrUnexpectedEOF},
		{"longer than declared", 5, 10, errLongerThanDeclared},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := budgetServer(16 * mib)
			r, end := request(t, c.declared)
			data := bytes.Repeat([]byte("x"), c.sent)
			var rd io.Reader = bytes.NewReader(data)
			if c.wantErr == io.ErrUnexpectedEOF {
				rd = io.MultiReader(rd, iotest{io.ErrUnexpectedEOF})
			}
			got, err := s.readBody(httptest.NewRecorder(), r, rd)
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("error %v, want %v", err, c.wantErr)
			}
			if c.wantErr == nil && !bytes.Equal(got, data) {
				t.Fatalf("read %d bytes, want %d", len(got), len(data))
			}
			end()
			waitFor(t, func() bool { return s.bodies.freeNow() == 16*mib }, "the budget to be whole again once the request ended")
		})
	}
}

type iotest struct{ err error }

func (e iotest) Read([]byte) (int, error) { return 0, e.err }

func waitFor(t *testing.T, ok func() bool, what string) {
	t.Helper()
	for i := 0; i < 200 && !ok(); i++ {
		time.Sleep(5 * time.Millisecond)
	}
	if !ok() {
		t.Fatalf("waited in vain for %s", what)
	}
}

// A client that says it will send 70 MB and stalls after 3 MB holds at
// most twice what it sent, and only until its request ends.
func TestAStalledBodyHoldsLittle(t *testing.T) {
	const mib = maxJSONBytes
	s := budgetServer(200 * mib)
	r, end := request(t, 70*mib)
	_, err := s.readBody(httptest.NewRecorder(), r, &stall{n: 3 * mib})
	if !errors.Is(err, errTimeout) {
		t.Fatalf("error %v, want the read timeout", err)
	}
	if held := 200*mib - s.bodies.freeNow(); held > 2*3*mib || held == 0 {
		t.Fatalf("a stalled body of 3 MiB holds %d bytes of the budget", held)
	}
	end()
	waitFor(t, func() bool { return s.bodies.freeNow() == 200*mib }, "the stalled body's bytes to come back")
}

// Bodies of ordinary size never wait, whatever else is being read; a
// large one waits for memory, and is answered busy when none comes back in
// time; once some does, it goes on.
func TestLargeBodiesWaitForMemory(t *testing.T) {
	const mib = maxJSONBytes
	s := budgetServer(4 * mib)
	if _, err := s.bodies.acquire(context.Background(), 4*mib); err != nil { // another body holds it all
		t.Fatal(err)
	}
	r, _ := request(t, mib)
	if _, err := s.readBody(httptest.NewRecorder(), r, bytes.NewReader(make([]byte, mib))); err != nil {
		t.Fatalf("a 1 MiB body while the budget is spent: %v", err)
	}
	r, _ = request(t, -1)
	if _, err := s.readBody(httptest.NewRecorder(), r, bytes.NewReader(make([]byte, 500))); err != nil {
		t.Fatalf("a small body of unknown length while the budget is spent: %v", err)
	}
	r, _ = request(t, 3*mib)
	if _, err := s.readBody(httptest.NewRecorder(), r, bytes.NewReader(make([]byte, 3*mib))); !errors.Is(err, errBusy) {
		t.Fatalf("a 3 MiB body with no memory free: %v, want busy", err)
	}
	s.largeBodyWait = 5 * time.Second
	go func() { time.Sleep(50 * time.Millisecond); s.bodies.release(4 * mib) }()
	r, end := request(t, 3*mib)
	got, err := s.readBody(httptest.NewRecorder(), r, bytes.NewReader(make([]byte, 3*mib)))
	if err != nil || len(got) != 3*mib {
		t.Fatalf("a 3 MiB body once memory came back: %d bytes, %v", len(got), err)
	}
	end()
	waitFor(t, func() bool { return s.bodies.freeNow() == 4*mib }, "the body's bytes to come back")
}
