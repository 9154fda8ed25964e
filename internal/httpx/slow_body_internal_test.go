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
// is read in full when the handler gives it time, and cut off when not.
func TestSlowBodiesAreGivenTime(t *testing.T) {
	const size, base = 3000, 300 * time.Millisecond
	for _, give := range []bool{true, false} {
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if give {
				giveTime(w, r.ContentLength, 1000, base) // 1 KB/s: three seconds and a bit
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
		fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", size)
		// A third of a second's deadline; the body takes about a second.
		for range 10 {
			time.Sleep(100 * time.Millisecond)
			if _, err := conn.Write([]byte(strings.Repeat("x", size/10))); err != nil {
				break
			}
		}
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		got, _ := io.ReadAll(conn)
		conn.Close()
		srv.Close()
		if ok := strings.Contains(string(got), "read 3000"); ok != give {
			t.Errorf("given time %v: the answer was %q", give, got)
		}
	}
}
