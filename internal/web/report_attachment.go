package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"candour/internal/authz"
	"candour/internal/report"
)

// reportAttachment sends a file attached to a report or one of its
// messages, as a download that the browser never renders in place.
func (s *Server) reportAttachment(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	aid, ok2 := pathID(r, "aid")
	if !ok || !ok2 {
		s.notFound(w, r)
		return
	}
	a, data, err := s.Reports.AttachmentData(r.Context(), authz.PrincipalFrom(r.Context()), nil, id, aid)
	if errors.Is(err, report.ErrNotAllowed) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	h := w.Header()
	ct := a.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", handlingDisposition(a.Filename))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.WriteHeader(http.StatusOK)
	w.Write(data)
}

// handlingDisposition names a download: an ASCII fallback for old
// browsers and the real name as RFC 5987 UTF-8.
func handlingDisposition(name string) string {
	fallback := strings.Map(func(c rune) rune {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '/' || c == ';' {
			return '_'
		}
		return c
	}, name)
	if fallback == "" {
		fallback = "attachment"
	}
	// PathEscape leaves a few characters RFC 5987 does not allow in a value.
	enc := strings.NewReplacer("'", "%27", "(", "%28", ")", "%29", "*", "%2A", ",", "%2C", ";", "%3B", "=", "%3D", "+", "%2B", "&", "%26", "@", "%40", ":", "%3A", "$", "%24").
		Replace(url.PathEscape(name))
	return `attachment; filename="` + fallback + `"; filename*=UTF-8''` + enc
}
