package web

import (
	"net/http"
	"strings"

	"candour/internal/authz"
	"candour/internal/library"
	"candour/internal/validate"
)

// lessonView is a lesson's page.
type lessonView struct {
	Lesson      library.Lesson
	Paragraphs  []string
	Themes      string
	Departments string
	StaffGroups string
	Published   string
	ReadAt      string
	Author      bool
	Draft       bool
}

// lessonShow shows a lesson, with "Mark as read" for readers and the
// author's actions for the safety team.
func (s *Server) lessonShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	p := authz.PrincipalFrom(r.Context())
	l, err := s.Library.Get(r.Context(), p, id)
	if err != nil {
		s.libraryFailed(w, r, err)
		return
	}
	v := lessonView{Lesson: l, Paragraphs: lessonParagraphs(l.Body), Themes: lessonThemesText(l.Themes),
		Author: library.IsAuthor(p), Draft: l.Status == library.Draft}
	var names []string
	for _, d := range l.Departments {
		names = append(names, d.Name)
	}
	v.Departments = strings.Join(names, ", ")
	names = nil
	for _, g := range l.StaffGroups {
		names = append(names, g.Name)
	}
	v.StaffGroups = strings.Join(names, ", ")
	if !l.PublishedAt.IsZero() {
		v.Published = l.PublishedAt.In(london()).Format("2 January 2006")
	}
	if !l.ReadAt.IsZero() {
		v.ReadAt = l.ReadAt.In(london()).Format("2 January 2006 at 15:04")
	}
	s.render(w, r, http.StatusOK, "lesson", &Page{Title: l.Title, Data: v, BackLink: "/library"})
}

// lessonParagraphs splits text into paragraphs at line breaks.
func lessonParagraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// lessonRead marks the lesson as read by the caller.
func (s *Server) lessonRead(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	err := s.Library.MarkRead(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if errs, ok := validate.As(err); ok {
		s.redirect(w, r, lessonHref(id), errs[0].Message)
		return
	}
	if err != nil {
		s.libraryFailed(w, r, err)
		return
	}
	s.redirect(w, r, lessonHref(id), "Thank you: the lesson is marked as read")
}
