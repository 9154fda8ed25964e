package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"candour/internal/bench"
	"candour/internal/store/storetest"
)

// The load generator's reader copes with each way a response can end.
func TestPosterReadsEveryKindOfResponse(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("Idempotency-Key") {
		case "chunked":
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(strings.Repeat("x", 100)))
			w.(http.Flusher).Flush()
			w.Write([]byte("end"))
		case "close":
			w.Header().Set("Connection", "close")
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte("bye"))
		default:
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"ok":true}`))
		}
	}))
	defer srv.Close()
	p, err := bench.NewPoster(srv.URL+"/api/v1/reports", 2)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for _, c := range []struct {
		key  string
		want int
	}{{"plain", 201}, {"chunked", 201}, {"plain", 201}, {"close", 503}, {"plain", 201}} {
		got, err := p.Post([]byte(`{}`), c.key, "")
		if err != nil || got != c.want {
			t.Fatalf("%s: %d %v, want %d", c.key, got, err, c.want)
		}
	}
	if _, err := bench.NewPoster("http://192.0.2.1:80/x", 1); err == nil {
		t.Fatal("a non-loopback address was accepted")
	}
}

// What the load generator counts as a 201 is a stored report, as a standard
// client sees it.
func TestPosterAgreesWithAStandardClient(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	depts, err := bench.Seed(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := bench.StartServer(ctx, db, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	p, err := bench.NewPoster(srv.URL, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	body := bench.Bodies(depts, 1, 0, "")[0].Body
	const key = "poster-agrees-0123456789"
	if code, err := p.Post(body, key, ""); err != nil || code != http.StatusCreated {
		t.Fatalf("poster: %d %v", code, err)
	}
	req, _ := http.NewRequest("POST", srv.URL, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var rec struct {
		Reference string `json:"reference"`
		Repeat    bool   `json:"repeat"`
	}
	json.NewDecoder(res.Body).Decode(&rec)
	if res.StatusCode != http.StatusOK || !rec.Repeat || !strings.HasPrefix(rec.Reference, "SE-") {
		t.Fatalf("the same submission again: %d %+v, want 200 and the first report's reference", res.StatusCode, rec)
	}
	var n int
	db.QueryRowContext(ctx, `SELECT count(*) FROM reports`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d reports stored, want 1", n)
	}
}
