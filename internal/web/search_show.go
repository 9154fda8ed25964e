package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"candour/internal/authz"
	"candour/internal/library"
	"candour/internal/validate"
)

// searchView is the search page.
type searchView struct {
	Query    string
	Searched bool
	// Terms are the words searched for, quoted, for "Searched for ...".
	Terms   string
	Lessons []searchLessonRow
	Events  []searchEventRow
	// ShowEvents says the caller's searches include safety events.
	ShowEvents bool
}

type searchLessonRow struct {
	Href, Title, Summary, Themes, Date string
}

type searchEventRow struct {
	Href, Reference, Snippet, When, Where, Status, Score string
}

// searchEventRows turns event hits into table rows.
func searchEventRows(hits []library.EventHit) []searchEventRow {
	var out []searchEventRow
	for _, h := range hits {
		when := h.OccurredOn
		if when == "" {
			when = h.ReceivedOn
		}
		where := h.Department
		if where == "" {
			where = "Not given"
		}
		out = append(out, searchEventRow{Href: "/reports/" + idString(h.ReportID), Reference: h.Reference, Snippet: h.Snippet,
			When: formatDate(when), Where: where, Status: strings.ReplaceAll(h.Status, "_", " "), Score: fmt.Sprintf("%.2f", h.Score)})
	}
	return out
}

// searchLessonRows turns lesson hits into list rows.
func searchLessonRows(hits []library.LessonHit) []searchLessonRow {
	var out []searchLessonRow
	for _, h := range hits {
		out = append(out, searchLessonRow{Href: lessonHref(h.LessonID), Title: h.Title, Summary: h.Summary,
			Themes: lessonThemesText(h.Themes), Date: h.PublishedAt.In(london()).Format("2 January 2006")})
	}
	return out
}

// quoteWords writes words as ‘a’, ‘b’ and ‘c’.
func quoteWords(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = "‘" + w + "’"
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// searchShow searches lessons, and safety events for the patient safety
// team. No query shows the empty form; an empty or meaningless one says what
// to type; any other text is searched as words, whatever symbols it holds.
func (s *Server) searchShow(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	f := &Form{Values: url.Values{}}
	v := searchView{ShowEvents: library.CanSearchEvents(p)}
	status := http.StatusOK
	title := "Search lessons and events"
	if !v.ShowEvents {
		title = "Search the learning library"
	}
	if _, asked := r.URL.Query()["q"]; asked {
		v.Query = queryText(r.URL.Query().Get("q"))
		f.Values.Set("q", v.Query)
		res, err := s.Library.Search(r.Context(), p, v.Query, 20)
		if errs, ok := validate.As(err); ok {
			f.Errors = errs
			status = http.StatusBadRequest
		} else if err != nil {
			s.libraryFailed(w, r, err)
			return
		} else {
			v.Searched, v.Terms = true, quoteWords(res.Terms)
			v.Lessons, v.Events = searchLessonRows(res.Lessons), searchEventRows(res.Events)
			title = "Search results"
		}
	}
	s.render(w, r, status, "search", &Page{Title: title, Form: f, Data: v})
}
