package httpx

import (
	"io"
	"net/http"
	"time"
)

// SlowUploadRate is the slowest upload, in bytes a second, that a large
// request body is given time to arrive at: 32 KiB/s, about 260 kbit/s, a
// poor ward Wi-Fi or phone signal.
const SlowUploadRate = 32 << 10

// RequestTime is what the server gives every request to arrive and be
// answered (app.Serve's ReadTimeout and WriteTimeout), and a body that
// stops arriving before its end.
const RequestTime = 60 * time.Second

// TimeForBody lets r's body, of declared length, take as long as arriving
// at SlowUploadRate needs, and the server RequestTime more to answer: the
// server's flat deadline would cut a few megabytes of photos off on a slow
// link, with no answer at all. The time is given as the bytes arrive,
// not up front: each read that brings some moves the deadline to
// RequestTime from then (never past what the whole body needs), so a client
// that stops sending is cut off as it always was. It does nothing for a
// body that fits the usual time. Call it before wrapping r.Body.
func TimeForBody(w http.ResponseWriter, r *http.Request) {
	giveTime(w, r, SlowUploadRate, RequestTime)
}

// giveTime is TimeForBody at rate bytes a second, for a server that gives
// each request base.
func giveTime(w http.ResponseWriter, r *http.Request, rate int64, base time.Duration) {
	need := time.Duration(r.ContentLength/rate+1) * time.Second
	if r.ContentLength <= 0 || need <= base {
		return
	}
	rc := http.NewResponseController(w)
	end := time.Now().Add(need)
	rc.SetWriteDeadline(end.Add(base))
	r.Body = &arriving{ReadCloser: r.Body, rc: rc, end: end, base: base}
}

// arriving is a body whose read deadline moves on as its bytes arrive.
type arriving struct {
	io.ReadCloser
	rc    *http.ResponseController
	end   time.Time // the latest the body may finish arriving
	base  time.Duration
	moved time.Time // when the deadline last moved
}

func (b *arriving) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if now := time.Now(); n > 0 && now.Sub(b.moved) >= b.base/60 {
		// A second apart at most (for a minute's base): moving it is a
		// timer reset, not free.
		b.moved = now
		next := now.Add(b.base)
		if next.After(b.end) {
			next = b.end
		}
		b.rc.SetReadDeadline(next)
		// The answer has its time after the last byte, whatever else
		// (a wait for memory, say) set the write deadline meanwhile.
		b.rc.SetWriteDeadline(next.Add(b.base))
	}
	return n, err
}
