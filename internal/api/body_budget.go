package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"candour/internal/httpx"
)

// Bodies with files run to tens of megabytes, and a report needs no
// sign-in. So the memory for the part of any body past its first
// maxJSONBytes comes from one budget the whole server shares, taken as the
// bytes arrive, never on a client's word: the buffer doubles as it fills,
// up to the length declared, so a client that stalls holds at most twice
// what it has sent, and only until the server's read timeout. When the
// budget is spent, a body waits for some to be given back, and one that
// waits too long is asked to come back later (503). Bodies of ordinary
// size never touch it.

// largeBodyWait is how long a body waits for memory before it is answered
// 503 with Retry-After (Server.largeBodyWait).
const largeBodyWait = 20 * time.Second

// largeBodiesAtOnce is how many bodies of the largest size allowed the
// budget holds at once.
const largeBodiesAtOnce = 3

// errBusy means a body waited for memory longer than largeBodyWait.
var errBusy = errors.New("api: no memory free for the body in time")

// errLongerThanDeclared means a body went on past its Content-Length,
// which net/http does not allow today; were it to happen, reading stops.
var errLongerThanDeclared = errors.New("api: body longer than its declared length")

// bodyBudget is a number of bytes shared by the bodies being read.
type bodyBudget struct {
	mu      sync.Mutex
	free    int64
	changed chan struct{} // closed, and replaced, whenever bytes come back
}

func newBodyBudget(total int64) *bodyBudget {
	return &bodyBudget{free: total, changed: make(chan struct{})}
}

// acquire takes n bytes, waiting until they are free or ctx ends. It
// reports whether it had to wait.
func (b *bodyBudget) acquire(ctx context.Context, n int64) (waited bool, err error) {
	for {
		b.mu.Lock()
		if b.free >= n {
			b.free -= n
			b.mu.Unlock()
			return waited, nil
		}
		ch := b.changed
		b.mu.Unlock()
		waited = true
		select {
		case <-ch:
		case <-ctx.Done():
			return waited, ctx.Err()
		}
	}
}

// release gives back n bytes and wakes whoever is waiting.
func (b *bodyBudget) release(n int64) {
	if n <= 0 {
		return
	}
	b.mu.Lock()
	b.free += n
	close(b.changed)
	b.changed = make(chan struct{})
	b.mu.Unlock()
}

// readBody reads all of rd, which r's body is behind. The first
// maxJSONBytes need nothing from the budget: a declared length up to that
// sizes the buffer at once (io.ReadAll would start small and grow it,
// copying, on every report sent). Past that, each doubling of the buffer
// takes its bytes from the budget first, and they go back when the
// request ends. If it had to wait for them, the connection's deadlines
// start again, so that the wait does not eat the time the client has to
// send the rest and the server to answer. (A large body on a slow link is
// given time as it arrives: decode wraps it with httpx.TimeForBody.)
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, rd io.Reader) ([]byte, error) {
	declared := r.ContentLength
	size := int64(32 << 10) // unknown length: start small, double as it comes
	if declared >= 0 {
		size = min(declared, maxJSONBytes) + 1 // +1: the read that finds the end
	}
	b := make([]byte, 0, size)
	var held int64
	defer func() {
		if held > 0 {
			context.AfterFunc(r.Context(), func() { s.bodies.release(held) })
		}
	}()
	for {
		if len(b) == cap(b) {
			if declared >= 0 && int64(len(b)) > declared {
				return b, errLongerThanDeclared
			}
			grow := int64(cap(b))
			if declared >= 0 {
				grow = min(grow, declared+1-int64(len(b)))
			}
			// Only what lies past the free first part is paid for.
			if owed := max(0, int64(cap(b))+grow-(maxJSONBytes+1)) - held; owed > 0 {
				ctx, cancel := context.WithTimeout(r.Context(), s.largeBodyWait)
				waited, err := s.bodies.acquire(ctx, owed)
				cancel()
				if err != nil {
					return b, errBusy
				}
				held += owed
				if waited {
					rc := http.NewResponseController(w)
					rc.SetReadDeadline(time.Now().Add(bodyReadTime))
					rc.SetWriteDeadline(time.Now().Add(2 * bodyReadTime))
				}
			}
			b = slices.Grow(b, int(grow))
		}
		n, err := rd.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// bodyReadTime is the time a body that waited for memory is given to
// arrive, as the server gives every request (app.Serve's ReadTimeout).
const bodyReadTime = httpx.RequestTime
