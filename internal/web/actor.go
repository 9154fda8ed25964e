package web

import (
	"net/http"
	"strconv"

	"candour/internal/audit"
	"candour/internal/authz"
)

// actor is the signed-in user as the audit log records them.
func actor(r *http.Request) audit.Actor {
	p := authz.PrincipalFrom(r.Context())
	if p == nil {
		return audit.Actor{Label: "anonymous"}
	}
	return audit.Actor{UserID: p.UserID, Label: p.Email}
}

// pathID reads a numeric path value such as {id}; ok is false when it is not
// a positive number.
func pathID(r *http.Request, name string) (int64, bool) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return n, err == nil && n > 0
}
