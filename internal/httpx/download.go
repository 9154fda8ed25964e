package httpx

import (
	"net/http"
	"strconv"
	"strings"
)

// SendDownload answers with a stored file (a report's attachment, a case's
// document) as a download that the browser never renders in place: it may
// not guess the type, nothing may cache it, and were it opened anyway it
// runs in a sandbox with nothing allowed. The web pages and the API both
// send files through it, so that neither can lose a header the other keeps.
func SendDownload(w http.ResponseWriter, filename, contentType string, data []byte) {
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", downloadDisposition(filename))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}

// downloadDisposition names a download twice: in plain ASCII for old
// browsers, and exactly as stored in RFC 5987's UTF-8 form.
func downloadDisposition(name string) string {
	if name == "" {
		name = "attachment"
	}
	fallback := strings.Map(func(c rune) rune {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '/' || c == ';' {
			return '_'
		}
		return c
	}, name)
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + rfc5987(name)
}

// rfc5987 percent-encodes a filename for the filename* parameter (RFC 5987
// attr-chars stay as they are).
func rfc5987(name string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', strings.IndexByte("!#$&+-.^_`|~", c) >= 0:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
