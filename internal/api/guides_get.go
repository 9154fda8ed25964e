package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"candour/internal/justculture"
	"candour/internal/store"
	"candour/internal/validate"
)

// guideVersionJSON is one stored version of a guide in the list.
type guideVersionJSON struct {
	ID           string     `json:"id"`
	Version      int        `json:"version"`
	Title        string     `json:"title"`
	Checksum     string     `json:"checksum"`
	Builtin      bool       `json:"builtin"`
	Retired      bool       `json:"retired"`
	RetiredAt    *time.Time `json:"retired_at"`
	Current      bool       `json:"current"`
	DefinitionID int64      `json:"definition_id"`
	CreatedAt    time.Time  `json:"created_at"`
}

// guidesList lists every stored version of every guide, retired ones
// included, newest version first within each guide. Current marks the
// version new assessments use.
func (s *Server) guidesList(w http.ResponseWriter, r *http.Request) {
	defs, err := s.Culture.Definitions(r.Context(), true)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := List[guideVersionJSON]{Items: []guideVersionJSON{}}
	seenCurrent := map[string]bool{}
	for _, d := range defs {
		j := guideVersionJSON{ID: d.GuideID, Version: d.Version, Title: d.Title, Checksum: d.Checksum, Builtin: d.Builtin,
			Retired: d.Retired(), DefinitionID: d.ID, CreatedAt: d.CreatedAt.UTC()}
		if d.Retired() {
			t := d.RetiredAt.UTC()
			j.RetiredAt = &t
		} else if !seenCurrent[d.GuideID] {
			// Versions come newest first: the first one not retired is current.
			seenCurrent[d.GuideID], j.Current = true, true
		}
		out.Items = append(out.Items, j)
	}
	writeJSON(w, http.StatusOK, out)
}

// guideGet returns a guide definition as the JSON document it was stored
// as (compacted), so that the SHA-256 of the body is the version's checksum.
// Without ?version it is the current version; with it, any stored version,
// retired ones included, so that past assessments can be read.
func (s *Server) guideGet(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var def justculture.Definition
	if v := r.URL.Query().Get("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			invalid(w, r, validate.Errors{{Field: "version", Message: "Give the version as a whole number, 1 or more"}})
			return
		}
		versions, err := s.Culture.Versions(r.Context(), id)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		found := false
		for _, d := range versions {
			if d.Version == n {
				def, found = d, true
				break
			}
		}
		if !found {
			notFound(w, r, "Version "+v+" of guide "+strconv.Quote(id))
			return
		}
	} else {
		var err error
		def, err = s.Culture.Current(r.Context(), id)
		switch {
		case errors.Is(err, justculture.ErrRetired):
			problem(w, r, http.StatusNotFound, "Not found", "Every version of guide "+strconv.Quote(id)+" has been retired; ask for one with ?version=N (GET /api/v1/guides lists them).", nil)
			return
		case errors.Is(err, store.ErrNotFound):
			notFound(w, r, "A guide with the id "+strconv.Quote(id))
			return
		case err != nil:
			s.internal(w, r, err)
			return
		}
	}
	b, err := def.Guide.MarshalJSON()
	if err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("ETag", `"`+def.Checksum+`"`)
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}
