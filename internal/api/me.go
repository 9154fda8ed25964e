package api

import (
	"net/http"

	"candour/internal/authz"
)

// meResponse describes the caller.
type meResponse struct {
	ID    int64    `json:"id"`
	Email string   `json:"email"`
	Name  string   `json:"name"`
	Roles []string `json:"roles"`
}

// me returns the caller and their roles.
func (s *Server) me(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	roles := make([]string, len(p.Roles))
	for i, role := range p.Roles {
		roles[i] = string(role)
	}
	writeJSON(w, http.StatusOK, meResponse{ID: p.UserID, Email: p.Email, Name: p.Name, Roles: roles})
}
