package httpx

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	nonceKey
	routeKey
)

// route holds the pattern of the route that served a request, filled in by
// whichever mux matched it, for logs and metrics.
type route struct{ pattern string }

// SetRoute records the route pattern that is serving the request.
func SetRoute(ctx context.Context, pattern string) {
	if r, ok := ctx.Value(routeKey).(*route); ok {
		r.pattern = pattern
	}
}

// RequestID returns the id of the request being served.
func RequestID(ctx context.Context) string {
	s, _ := ctx.Value(requestIDKey).(string)
	return s
}

// Nonce returns the request's Content-Security-Policy nonce.
func Nonce(ctx context.Context) string {
	s, _ := ctx.Value(nonceKey).(string)
	return s
}

// statusWriter remembers the status code and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Written reports whether anything of the response behind w has been sent
// (a status or a byte), as Log's writer has seen it; known is false when w
// is not one of Log's, which is then the only safe answer to "may I still
// answer?": no.
func Written(w http.ResponseWriter) (written, known bool) {
	for w != nil {
		if sw, ok := w.(*statusWriter); ok {
			return sw.status != 0, true
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			break
		}
		w = u.Unwrap()
	}
	return false, false
}

// Observer is told about every finished request, for metrics.
type Observer func(r *http.Request, pattern string, status int, d time.Duration)

// Log gives each request an id (echoed in X-Request-Id), recovers from
// panics with a plain 500 that leaks nothing, and writes one structured log
// line per request. It never logs the client's address, query strings or
// cookies: those can identify someone who reported anonymously.
//
// Requests on the routes quiet picks (those a reporter uses; nil picks
// none) are logged only when they fail on the server's side, and then
// without their path and size: a line for each, timed to the millisecond,
// would say when each anonymous report arrived (reports are numbered in
// order, and an anonymous receipt is longer than an open one), which the
// database keeps to the day. observe still counts them.
func Log(logger *slog.Logger, observe Observer, quiet func(pattern string) bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newID()
		rt := &route{}
		ctx := context.WithValue(context.WithValue(r.Context(), requestIDKey, id), routeKey, rt)
		r = r.WithContext(ctx)
		w.Header().Set("X-Request-Id", id)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				logger.LogAttrs(ctx, slog.LevelError, "panic", slog.String("request_id", id),
					slog.String("panic", fmt.Sprint(p)), slog.String("stack", string(debug.Stack())))
				if sw.status == 0 {
					sw.Header().Set("Content-Type", "text/plain; charset=utf-8")
					sw.WriteHeader(http.StatusInternalServerError)
					fmt.Fprintf(sw, "Sorry, something went wrong on our side. Reference: %s\n", id)
				}
			}
			d := time.Since(start)
			pattern := rt.pattern
			if pattern == "" {
				pattern = r.Pattern
			}
			if observe != nil {
				observe(r, pattern, sw.status, d)
			}
			if quiet != nil && quiet(pattern) {
				if sw.status >= http.StatusInternalServerError {
					logger.LogAttrs(ctx, slog.LevelInfo, "request",
						slog.String("request_id", id),
						slog.String("method", r.Method),
						slog.String("route", pattern),
						slog.Int("status", sw.status))
				}
				return
			}
			logger.LogAttrs(ctx, slog.LevelInfo, "request",
				slog.String("request_id", id),
				slog.String("method", r.Method),
				slog.String("route", pattern),
				slog.String("path", r.URL.Path),
				slog.Int("status", sw.status),
				slog.Int64("bytes", sw.bytes),
				slog.Duration("duration", d))
		}()
		next.ServeHTTP(sw, r)
	})
}

// apiPolicy is the Content-Security-Policy of API responses: JSON is
// never a page, so it may load nothing and be framed by nothing.
const apiPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// Secure sets security headers on every response and a strict
// Content-Security-Policy whose script nonce pages read with Nonce.
//
// API responses (under /api/) are JSON, never a document, so they get a
// fixed policy that allows nothing and no nonce, and not the headers that
// only mean something to a document (Referrer-Policy, Permissions-Policy,
// Cross-Origin-Opener-Policy). Report submission is the busiest path there
// is, and a nonce costs a random draw and a copy of the request.
func Secure(hsts bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			h.Set("Content-Security-Policy", apiPolicy)
			next.ServeHTTP(w, r)
			return
		}
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		b := make([]byte, 18)
		rand.Read(b)
		nonce := base64.RawURLEncoding.EncodeToString(b)
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-"+nonce+"'; style-src 'self'; "+
			"img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "+
			"form-action 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), nonceKey, nonce)))
	})
}

func newID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}
