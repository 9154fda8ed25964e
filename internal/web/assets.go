package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed static
var staticFS embed.FS

// assets serves the embedded static files. URLs carry a content hash
// (?v=...), so browsers may cache them for a year and still see every change.
type assets struct {
	fs     fs.FS
	hashes map[string]string
}

func newAssets() (*assets, error) {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	a := &assets{fs: sub, hashes: map[string]string{}}
	err = fs.WalkDir(sub, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.hashes[path] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("checksum static files: %w", err)
	}
	return a, nil
}

// url returns the cache-busting URL of a static file; it panics at template
// execution on a file that does not exist, which the page tests catch.
func (a *assets) url(path string) (string, error) {
	h, ok := a.hashes[path]
	if !ok {
		return "", fmt.Errorf("no static file %q", path)
	}
	return "/static/" + path + "?v=" + h, nil
}

func (a *assets) handler() http.Handler {
	files := http.FileServerFS(a.fs)
	return http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := a.hashes[strings.TrimPrefix(r.URL.Path, "/")]; !ok {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		files.ServeHTTP(w, r)
	}))
}
