package api

import (
	"net/http"
	"time"

	"candour/internal/authz"
)

// tokenJSON describes an API token; its secret is never returned.
type tokenJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	Revoked    bool       `json:"revoked"`
}

// tokensList lists the caller's own API tokens.
func (s *Server) tokensList(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	tokens, err := s.Accounts.Tokens(r.Context(), p.UserID)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := List[tokenJSON]{Items: []tokenJSON{}}
	for _, t := range tokens {
		j := tokenJSON{ID: t.ID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt, Revoked: !t.RevokedAt.IsZero()}
		if !t.LastUsedAt.IsZero() {
			used := t.LastUsedAt
			j.LastUsedAt = &used
		}
		out.Items = append(out.Items, j)
	}
	writeJSON(w, http.StatusOK, out)
}
