package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"candour/internal/authz"
	"candour/internal/library"
	"candour/internal/validate"
)

// lessonSendView is the page that sends a lesson to departments and staff
// groups.
type lessonSendView struct {
	Lesson      library.Lesson
	Departments []orgChoice
	StaffGroups []orgChoice
}

// lessonSendShow shows the choice of departments and staff groups, with the
// lesson's own tags chosen.
func (s *Server) lessonSendShow(w http.ResponseWriter, r *http.Request) {
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
	f := &Form{Values: url.Values{}}
	for _, d := range l.Departments {
		f.Values.Add("departments", idString(d.ID))
	}
	for _, g := range l.StaffGroups {
		f.Values.Add("staff_groups", g.Code)
	}
	s.renderLessonSend(w, r, http.StatusOK, l, f)
}

func (s *Server) renderLessonSend(w http.ResponseWriter, r *http.Request, status int, l library.Lesson, f *Form) {
	v := lessonSendView{Lesson: l}
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
	s.render(w, r, status, "lesson_send", &Page{Title: "Send the lesson to staff", Form: f, Data: v, BackLink: lessonHref(l.ID)})
}

// lessonSendSubmit sends the lesson to everyone in the chosen departments
// and staff groups.
func (s *Server) lessonSendSubmit(w http.ResponseWriter, r *http.Request) {
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
		f.Errors.Add("departments", err.Error())
		s.renderLessonSend(w, r, http.StatusBadRequest, l, f)
		return
	}
	in := library.SendInput{StaffGroups: f.Values["staff_groups"]}
	for _, d := range f.Values["departments"] {
		n, err := strconv.ParseInt(d, 10, 64)
		if err != nil {
			n = -1
		}
		in.DepartmentIDs = append(in.DepartmentIDs, n)
	}
	res, err := s.Library.Send(r.Context(), p, id, in)
	if errs, ok := validate.As(err); ok {
		f.Errors = errs
		s.renderLessonSend(w, r, http.StatusUnprocessableEntity, l, f)
		return
	}
	if err != nil {
		s.libraryFailed(w, r, err)
		return
	}
	msg := fmt.Sprintf("The lesson was sent to %s", people(res.Added))
	if res.Already > 0 {
		msg += fmt.Sprintf("; %s had been sent it before", people(res.Already))
	}
	s.redirect(w, r, lessonHref(id)+"/reads", msg)
}

func people(n int) string {
	if n == 1 {
		return "1 person"
	}
	return strconv.Itoa(n) + " people"
}

// lessonReadsView is who a lesson was sent to and who read it.
type lessonReadsView struct {
	Reads library.Reads
	Rows  []lessonReaderRow
	// Percent is the share of recipients who have read it.
	Percent int
}

type lessonReaderRow struct {
	Name, Email, Department, Sent, Read string
	HasRead                             bool
}

// lessonReads shows who the lesson was sent to and who has read it.
func (s *Server) lessonReads(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	rd, err := s.Library.Reads(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.libraryFailed(w, r, err)
		return
	}
	v := lessonReadsView{Reads: rd}
	if rd.Sent > 0 {
		v.Percent = rd.SentRead * 100 / rd.Sent
	}
	for _, p := range rd.People {
		row := lessonReaderRow{Name: p.Name, Email: p.Email, Department: p.Department, HasRead: p.Read(), Sent: "Not sent", Read: "Not yet"}
		if !p.SentAt.IsZero() {
			row.Sent = p.SentAt.In(london()).Format("2 January 2006")
		}
		if p.Read() {
			row.Read = p.ReadAt.In(london()).Format("2 January 2006 at 15:04")
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, http.StatusOK, "lesson_reads", &Page{Title: "Who has read the lesson", Data: v, BackLink: lessonHref(id)})
}
