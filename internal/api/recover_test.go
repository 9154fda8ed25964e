package api

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"candour/internal/httpx"
)

// A handler that fails as badly as a Go program can still answers as the
// API always does, with a problem document the client can quote, unless
// it had already begun its answer; the panic and where it happened are in
// the log either way.
func TestPanicsAnswerAsProblems(t *testing.T) {
	var logs bytes.Buffer
	s := &Server{Deps: Deps{Logger: slog.New(slog.NewJSONHandler(&logs, nil))}}
	serve := func(h http.HandlerFunc) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		httpx.Log(s.Logger, nil, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer s.recoverAsProblem(w, r)
			h(w, r)
		})).ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/reports/7", nil))
		return w
	}

	w := serve(func(http.ResponseWriter, *http.Request) { panic("index out of range") })
	var p Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || w.Code != http.StatusInternalServerError ||
		w.Header().Get("Content-Type") != "application/problem+json" || p.Type != ProblemType("Internal error", nil) ||
		p.RequestID == "" || p.RequestID != w.Header().Get("X-Request-Id") || p.Instance != "/api/v1/reports/7" {
		t.Fatalf("a panic before any answer: %d %v %s", w.Code, w.Header(), w.Body)
	}
	if !strings.Contains(logs.String(), `"panic":"index out of range"`) || !strings.Contains(logs.String(), "recover_test.go") {
		t.Fatalf("the panic is not logged with its stack: %s", logs.String())
	}

	logs.Reset()
	w = serve(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`{"items": [`))
		panic("half way")
	})
	if w.Code != http.StatusOK || w.Body.String() != `{"items": [` {
		t.Fatalf("a panic after the answer began: %d %s", w.Code, w.Body)
	}
	if !strings.Contains(logs.String(), `"panic":"half way"`) {
		t.Fatalf("a panic after the answer began is not logged: %s", logs.String())
	}

	defer func() {
		if p := recover(); p != http.ErrAbortHandler {
			t.Fatalf("http.ErrAbortHandler became %v", p)
		}
	}()
	serve(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) })
	t.Fatal("http.ErrAbortHandler was swallowed")
}
