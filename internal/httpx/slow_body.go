package httpx

import (
	"net/http"
	"time"
)

// SlowUploadRate is the slowest upload, in bytes a second, that a large
// request body is given time to arrive at: 32 KiB/s, about 260 kbit/s, a
// poor ward Wi-Fi or phone signal.
const SlowUploadRate = 32 << 10

// requestTime is what the server gives every request to arrive and be
// answered (app.Serve's ReadTimeout and WriteTimeout).
const requestTime = 60 * time.Second

// TimeForBody gives the rest of a request's body, n more bytes, time to
// arrive at SlowUploadRate, and the server a further requestTime to answer
// once it has: the server's flat deadline would cut off a few megabytes of
// photos on a slow link with no answer at all. It never shortens the time
// a request already has, and does nothing for a body that fits the usual
// time.
func TimeForBody(w http.ResponseWriter, n int64) { giveTime(w, n, SlowUploadRate, requestTime) }

// giveTime is TimeForBody at rate bytes a second, for a server that gives
// each request base.
func giveTime(w http.ResponseWriter, n, rate int64, base time.Duration) {
	need := time.Duration(n/rate+1) * time.Second
	if need <= base {
		return
	}
	rc := http.NewResponseController(w)
	deadline := time.Now().Add(need)
	rc.SetReadDeadline(deadline)
	rc.SetWriteDeadline(deadline.Add(base))
}
