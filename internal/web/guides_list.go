package web

import (
	"net/http"
	"strconv"

	"candour/internal/authz"
)

// guideRow is one stored guide version in the list.
type guideRow struct {
	ID       int64
	Title    string
	GuideID  string
	Version  int
	Current  bool
	Retired  bool
	Builtin  bool
	Added    string
	Checksum string
}

// guidesView is the data of the guides page.
type guidesView struct {
	Rows    []guideRow
	Admin   bool
	MaxSize string
}

// guidesList lists every guide and version, current and retired; an
// administrator can upload a new guide or version there.
func (s *Server) guidesList(w http.ResponseWriter, r *http.Request) {
	s.renderGuides(w, r, http.StatusOK, &Form{})
}

// renderGuides shows the guides page with the upload form f.
func (s *Server) renderGuides(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	defs, err := s.Culture.Definitions(r.Context(), true)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := guidesView{Admin: authz.PrincipalFrom(r.Context()).Has(authz.Admin), MaxSize: sizeText(s.guideMaxBytes())}
	current := map[string]bool{}
	for _, d := range defs {
		// Newest version first within each guide: the first not retired
		// is the current one.
		row := guideRow{ID: d.ID, Title: d.Title, GuideID: d.GuideID, Version: d.Version, Retired: d.Retired(), Builtin: d.Builtin,
			Added: shortDate(d.CreatedAt), Checksum: shortChecksum(d.Checksum)}
		if !row.Retired && !current[d.GuideID] {
			current[d.GuideID] = true
			row.Current = true
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, status, "guides", &Page{Title: "Just culture guides", Form: f, Data: v})
}

// shortChecksum is the first 12 characters of a checksum, enough to tell
// versions apart on screen.
func shortChecksum(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

// versionText is "version N".
func versionText(n int) string { return "version " + strconv.Itoa(n) }
