package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"candour/internal/authz"
	"candour/internal/library"
	"candour/internal/validate"
)

// lessonFormView is the page that writes or changes a lesson.
type lessonFormView struct {
	Action      string
	Editing     bool
	Published   bool
	Themes      []orgChoice
	Departments []orgChoice
	StaffGroups []orgChoice
	// Findings are what stops the lesson being published.
	Findings []library.Finding
	Cancel   string
}

// lessonFields are the form's inputs in page order, for the error summary.
var lessonFields = []string{"title", "summary", "body", "themes", "departments", "staff_groups", "response"}

// lessonInput reads the form into what the library takes.
func lessonInput(f *Form) library.Input {
	in := library.Input{Title: f.Get("title"), Summary: f.Get("summary"), Body: f.Get("body"), Response: f.Get("response"),
		Themes: f.Values["themes"], StaffGroups: f.Values["staff_groups"]}
	for _, d := range f.Values["departments"] {
		if n, err := strconv.ParseInt(d, 10, 64); err == nil {
			in.DepartmentIDs = append(in.DepartmentIDs, n)
		} else {
			in.DepartmentIDs = append(in.DepartmentIDs, -1)
		}
	}
	return in
}

// lessonValues fills a form from a stored lesson.
func lessonValues(l library.Lesson) *Form {
	v := url.Values{"title": {l.Title}, "summary": {l.Summary}, "body": {l.Body}, "themes": l.Themes}
	if l.ResponseReference != "" {
		v.Set("response", l.ResponseReference)
	}
	for _, d := range l.Departments {
		v.Add("departments", idString(d.ID))
	}
	for _, g := range l.StaffGroups {
		v.Add("staff_groups", g.Code)
	}
	return &Form{Values: v}
}

// renderLessonForm shows the form; l is the lesson being changed, or nil
// for a new one.
func (s *Server) renderLessonForm(w http.ResponseWriter, r *http.Request, status int, f *Form, l *library.Lesson, findings []library.Finding) {
	v := lessonFormView{Action: "/library", Themes: lessonThemeChoices(), Findings: findings, Cancel: "/library"}
	title := "Write a lesson"
	if l != nil {
		v.Action, v.Editing, v.Published, v.Cancel = lessonHref(l.ID), true, l.Status == library.Published, lessonHref(l.ID)
		title = "Change the lesson"
	}
	if len(findings) > 0 {
		title = "Fix the lesson before it is published"
		for _, fd := range findings {
			f.Errors = append(f.Errors, validate.FieldError{Field: fd.Field, Message: fd.Message})
		}
	}
	deps, err := s.Org.Departments(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, d := range deps {
		v.Departments = append(v.Departments, orgChoice{Value: idString(d.ID), Label: d.Name, Hint: d.SiteName})
	}
	groups, err := s.Org.StaffGroups(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, g := range groups {
		v.StaffGroups = append(v.StaffGroups, orgChoice{Value: g.Code, Label: g.Name})
	}
	sortFieldErrors(f.Errors, lessonFields)
	s.render(w, r, status, "lesson_form", &Page{Title: title, Form: f, Data: v, BackLink: v.Cancel})
}

// sortFieldErrors orders errors as the fields appear on the page.
func sortFieldErrors(errs validate.Errors, order []string) {
	pos := func(field string) int {
		for i, f := range order {
			if f == field {
				return i
			}
		}
		return len(order)
	}
	for i := 1; i < len(errs); i++ {
		for j := i; j > 0 && pos(errs[j].Field) < pos(errs[j-1].Field); j-- {
			errs[j], errs[j-1] = errs[j-1], errs[j]
		}
	}
}

// lessonNew shows the form for a new lesson.
func (s *Server) lessonNew(w http.ResponseWriter, r *http.Request) {
	s.renderLessonForm(w, r, http.StatusOK, &Form{Values: url.Values{}}, nil, nil)
}

// lessonCreate saves a new draft, and publishes it when asked to.
func (s *Server) lessonCreate(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("title", err.Error())
		s.renderLessonForm(w, r, http.StatusBadRequest, f, nil, nil)
		return
	}
	p := authz.PrincipalFrom(r.Context())
	l, err := s.Library.Create(r.Context(), p, lessonInput(f))
	if errs, ok := validate.As(err); ok {
		f.Errors = errs
		s.renderLessonForm(w, r, http.StatusUnprocessableEntity, f, nil, nil)
		return
	}
	if err != nil {
		s.libraryFailed(w, r, err)
		return
	}
	if f.Get("publish") == "yes" {
		s.publishAndShow(w, r, l.ID, f)
		return
	}
	s.redirect(w, r, lessonHref(l.ID), "The lesson is saved as a draft. Publish it when it is ready")
}

// lessonEdit shows the form filled with the lesson.
func (s *Server) lessonEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	l, err := s.Library.Get(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.libraryFailed(w, r, err)
		return
	}
	s.renderLessonForm(w, r, http.StatusOK, lessonValues(l), &l, nil)
}

// lessonUpdate saves changes, and publishes when asked to.
func (s *Server) lessonUpdate(w http.ResponseWriter, r *http.Request) {
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
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("title", err.Error())
		s.renderLessonForm(w, r, http.StatusBadRequest, f, &l, nil)
		return
	}
	err = s.Library.Update(r.Context(), p, id, lessonInput(f))
	var np *library.NotPublishableError
	if errors.As(err, &np) {
		s.renderLessonForm(w, r, http.StatusUnprocessableEntity, f, &l, np.Findings)
		return
	}
	if errs, ok := validate.As(err); ok {
		f.Errors = errs
		s.renderLessonForm(w, r, http.StatusUnprocessableEntity, f, &l, nil)
		return
	}
	if err != nil {
		s.libraryFailed(w, r, err)
		return
	}
	if f.Get("publish") == "yes" && l.Status == library.Draft {
		s.publishAndShow(w, r, id, f)
		return
	}
	s.redirect(w, r, lessonHref(id), "Your changes are saved")
}

// lessonPublish publishes a draft from its page.
func (s *Server) lessonPublish(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	s.publishAndShow(w, r, id, nil)
}

// publishAndShow publishes lesson id; when the check finds problems it
// shows the lesson's form with each one, so the author can fix them there.
// f is the form just saved, or nil to fill it from the lesson.
func (s *Server) publishAndShow(w http.ResponseWriter, r *http.Request, id int64, f *Form) {
	p := authz.PrincipalFrom(r.Context())
	err := s.Library.Publish(r.Context(), p, id)
	var np *library.NotPublishableError
	if errors.As(err, &np) {
		l, gerr := s.Library.Get(r.Context(), p, id)
		if gerr != nil {
			s.libraryFailed(w, r, gerr)
			return
		}
		if f == nil {
			f = lessonValues(l)
		} else {
			f.Errors = nil
		}
		s.renderLessonForm(w, r, http.StatusUnprocessableEntity, f, &l, np.Findings)
		return
	}
	if err != nil {
		s.libraryFailed(w, r, err)
		return
	}
	s.redirect(w, r, lessonHref(id), "The lesson is published: every member of staff can now read it")
}

// lessonThemesText lists theme labels for a sentence.
func lessonThemesText(codes []string) string { return strings.Join(lessonThemeLabels(codes), ", ") }
