package web

import (
	"errors"
	"net/http"
	"strings"

	"candour/internal/library"
)

// Helpers shared by the library, search and similar-events pages.

// lessonHref is the page of lesson id.
func lessonHref(id int64) string { return "/library/" + idString(id) }

// lessonThemeLabels turns theme codes into labels.
func lessonThemeLabels(codes []string) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = library.ThemeLabel(c)
	}
	return out
}

// lessonThemeChoices are the themes as checkbox or select items.
func lessonThemeChoices() []orgChoice {
	var out []orgChoice
	for _, t := range library.Themes() {
		out = append(out, orgChoice{Value: t.Code, Label: t.Label})
	}
	return out
}

// libraryFailed answers an error from the library package.
func (s *Server) libraryFailed(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case library.IsNotFound(err):
		s.notFound(w, r)
	case errors.Is(err, library.ErrNotAllowed):
		s.render(w, r, http.StatusForbidden, "forbidden", &Page{Title: "You do not have access to this page"})
	default:
		s.serverError(w, r, err)
	}
}

// trimQuery bounds a query from the address bar.
func trimQuery(q string) string { return strings.TrimSpace(queryText(q)) }
