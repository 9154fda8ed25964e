package httpx

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A body that arrives more slowly than the server's flat deadline allows
// is read in full when the handler gives it time, and cut off when not;
// one that stops arriving is cut off after the usual time, not the time
// the whole body would have needed.
func TestSlowBodiesAreGivenTimeAsTheyArrive(t *testing.T) {
	const size, base = 3000, 300 * time.Millisecond
	for _, tc := range []struct {
		name        string
		give        bool
		chunks      int // of size/10, 100 ms apart
		wantRead    bool
		withinAbout time.Duration
	}{
		{"slow, given time", true, 10, true, 3 * time.Second},
		{"slow, not given time", false, 10, false, 3 * time.Second},
		{"stalled, given time", true, 2, false, 1500 * time.Millisecond},
	} {
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tc.give {
				giveTime(w, r, 1000, base) // 1 KB/s: the whole body may take three seconds and a bit
			}
			b, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			fmt.Fprintf(w, "read %d", len(b))
		}))
		srv.Config.ReadTimeout, srv.Config.WriteTimeout = base, base
		srv.Start()
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", size)
		for range tc.chunks {
			time.Sleep(100 * time.Millisecond)
			if _, err := conn.Write([]byte(strings.Repeat("x", size/10))); err != nil {
				break
			}
		}
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		got, _ := io.ReadAll(conn)
		took := time.Since(start)
		conn.Close()
		srv.Close()
		if read := strings.Contains(string(got), "read 3000"); read != tc.wantRead {
			t.Errorf("%s: the answer was %q", tc.name, got)
		}
		if took > tc.withinAbout {
			t.Errorf("%s: the connection lasted %v, want within about %v", tc.name, took, tc.withinAbout)
		}
	}
}
