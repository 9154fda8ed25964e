package web

import (
	"net/http"
	"net/url"
	"slices"

	"candour/internal/authz"
	"candour/internal/library"
	"candour/internal/validate"
)

// libraryRow is one lesson in the library list.
type libraryRow struct {
	Href, Title, Summary, Date string
	Themes                     []string
	Read, SentToYou, Draft     bool
}

// libraryListView is the library page.
type libraryListView struct {
	Rows      []libraryRow
	Themes    []orgChoice
	Author    bool
	Drafts    bool
	Unread    bool
	Searched  bool
	Query     string
	Filtered  bool
	Heading   string
	EmptyText string
}

// libraryList shows the published lessons (or, for authors, the drafts),
// filtered by theme, unread lessons sent to the caller, or words.
func (s *Server) libraryList(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	qv := r.URL.Query()
	f := &Form{Values: url.Values{}}
	v := libraryListView{Themes: lessonThemeChoices(), Author: library.IsAuthor(p), Heading: "Learning library"}
	theme := qv.Get("theme")
	if theme != "" && library.ThemeLabel(theme) == theme {
		f.Errors.Add("theme", "Choose a theme from the list")
		theme = ""
	}
	f.Values.Set("theme", theme)
	v.Drafts = qv.Get("drafts") == "yes" && v.Author
	v.Unread = qv.Get("unread") == "yes"
	v.Query = trimQuery(qv.Get("q"))
	f.Values.Set("q", v.Query)
	status := http.StatusOK
	if v.Query != "" {
		v.Searched, v.Filtered = true, true
		hits, _, err := s.Library.SearchLessons(r.Context(), p, v.Query, 50)
		if errs, ok := validate.As(err); ok {
			f.Errors = append(f.Errors, errs...)
			status = http.StatusBadRequest
		} else if err != nil {
			s.libraryFailed(w, r, err)
			return
		}
		for _, h := range hits {
			if theme != "" && !slices.Contains(h.Themes, theme) {
				continue
			}
			v.Rows = append(v.Rows, libraryRow{Href: lessonHref(h.LessonID), Title: h.Title, Summary: h.Summary,
				Date: formatDate(h.PublishedAt.Format("2006-01-02")), Themes: lessonThemeLabels(h.Themes)})
		}
		v.Heading = "Lessons matching your search"
	} else {
		list, err := s.Library.List(r.Context(), p, library.ListQuery{Theme: theme, Drafts: v.Drafts, Unread: v.Unread})
		if err != nil {
			s.libraryFailed(w, r, err)
			return
		}
		for _, l := range list {
			row := libraryRow{Href: lessonHref(l.ID), Title: l.Title, Summary: l.Summary, Themes: lessonThemeLabels(l.Themes),
				Read: l.Read, SentToYou: l.SentToYou, Draft: l.Status == library.Draft}
			if row.Draft {
				row.Date = "Last changed " + formatDate(l.UpdatedAt.Format("2006-01-02"))
			} else {
				row.Date = formatDate(l.PublishedAt.Format("2006-01-02"))
			}
			v.Rows = append(v.Rows, row)
		}
		v.Filtered = theme != "" || v.Unread
		switch {
		case v.Drafts:
			v.Heading = "Draft lessons"
		case v.Unread:
			v.Heading = "Lessons sent to you that you have not read"
		}
	}
	switch {
	case v.Drafts:
		v.EmptyText = "There are no draft lessons."
	case v.Unread:
		v.EmptyText = "You have read every lesson sent to you. Thank you."
	case v.Filtered:
		v.EmptyText = "No published lessons match. Try other words or another theme, or clear the filters."
	default:
		v.EmptyText = "No lessons have been published yet."
	}
	s.render(w, r, status, "library", &Page{Title: v.Heading, Form: f, Data: v})
}
