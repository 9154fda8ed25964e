package api

import (
	"net/http"
	"strconv"
	"time"

	"candour/internal/authz"
	"candour/internal/library"
	"candour/internal/validate"
)

// lessonsList lists published lessons, newest first; ?theme= filters by
// theme, ?status=draft lists drafts (safety team), ?unread=true the lessons
// sent to the caller that they have not read.
func (s *Server) lessonsList(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	q := r.URL.Query()
	lq := library.ListQuery{Theme: q.Get("theme"), Unread: q.Get("unread") == "true"}
	switch q.Get("status") {
	case "", "published":
	case "draft":
		lq.Drafts = true
	default:
		invalidQuery(w, r, "status", "Give status as published or draft")
		return
	}
	if lq.Theme != "" && library.ThemeLabel(lq.Theme) == lq.Theme {
		invalidQuery(w, r, "theme", "Give one of the theme codes in the OpenAPI document")
		return
	}
	list, err := s.Library.List(r.Context(), p, lq)
	if err != nil {
		s.libraryProblem(w, r, err)
		return
	}
	out := List[lessonSummaryJSON]{Items: []lessonSummaryJSON{}}
	for _, l := range list {
		t := l.Themes
		if t == nil {
			t = []string{}
		}
		out.Items = append(out.Items, lessonSummaryJSON{ID: l.ID, Title: l.Title, Summary: l.Summary, Themes: t, Status: string(l.Status),
			PublishedAt: lessonTime(l.PublishedAt), UpdatedAt: l.UpdatedAt, Read: l.Read, SentToYou: l.SentToYou})
	}
	writeJSON(w, http.StatusOK, out)
}

func invalidQuery(w http.ResponseWriter, r *http.Request, field, msg string) {
	invalid(w, r, validate.Errors{{Field: field, Message: msg}})
}

// lessonCreate saves a draft lesson.
func (s *Server) lessonCreate(w http.ResponseWriter, r *http.Request) {
	var req lessonRequest
	if !s.decode(w, r, &req) {
		return
	}
	l, err := s.Library.Create(r.Context(), authz.PrincipalFrom(r.Context()), req.input())
	if err != nil {
		s.libraryProblem(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/lessons/"+strconv.FormatInt(l.ID, 10))
	writeJSON(w, http.StatusCreated, toLessonJSON(l))
}

// lessonGet returns a lesson: published ones to everyone, drafts to the
// safety team.
func (s *Server) lessonGet(w http.ResponseWriter, r *http.Request) {
	id, ok := lessonID(w, r)
	if !ok {
		return
	}
	s.writeLesson(w, r, id, http.StatusOK)
}

func (s *Server) writeLesson(w http.ResponseWriter, r *http.Request, id int64, status int) {
	l, err := s.Library.Get(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.libraryProblem(w, r, err)
		return
	}
	writeJSON(w, status, toLessonJSON(l))
}

// lessonUpdate replaces a lesson's text and tags. A published lesson's new
// text must pass the publishing check (422 with findings otherwise).
func (s *Server) lessonUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := lessonID(w, r)
	if !ok {
		return
	}
	var req lessonRequest
	if !s.decode(w, r, &req) {
		return
	}
	if err := s.Library.Update(r.Context(), authz.PrincipalFrom(r.Context()), id, req.input()); err != nil {
		s.libraryProblem(w, r, err)
		return
	}
	s.writeLesson(w, r, id, http.StatusOK)
}

// lessonPublish publishes a draft, or answers 422 listing what stops it.
func (s *Server) lessonPublish(w http.ResponseWriter, r *http.Request) {
	id, ok := lessonID(w, r)
	if !ok {
		return
	}
	if err := s.Library.Publish(r.Context(), authz.PrincipalFrom(r.Context()), id); err != nil {
		s.libraryProblem(w, r, err)
		return
	}
	s.writeLesson(w, r, id, http.StatusOK)
}

// lessonRead marks a published lesson as read by the caller.
func (s *Server) lessonRead(w http.ResponseWriter, r *http.Request) {
	id, ok := lessonID(w, r)
	if !ok {
		return
	}
	if err := s.Library.MarkRead(r.Context(), authz.PrincipalFrom(r.Context()), id); err != nil {
		s.libraryProblem(w, r, err)
		return
	}
	s.writeLesson(w, r, id, http.StatusOK)
}

// sendRequest chooses who a lesson is sent to.
type sendRequest struct {
	DepartmentIDs []int64  `json:"department_ids"`
	StaffGroups   []string `json:"staff_groups"`
}

// lessonSend sends a published lesson to departments and staff groups.
func (s *Server) lessonSend(w http.ResponseWriter, r *http.Request) {
	id, ok := lessonID(w, r)
	if !ok {
		return
	}
	var req sendRequest
	if !s.decode(w, r, &req) {
		return
	}
	res, err := s.Library.Send(r.Context(), authz.PrincipalFrom(r.Context()), id, library.SendInput{DepartmentIDs: req.DepartmentIDs, StaffGroups: req.StaffGroups})
	if err != nil {
		s.libraryProblem(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"sent": res.Added, "already_sent": res.Already})
}

type readerJSON struct {
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Email      string     `json:"email"`
	Department string     `json:"department"`
	SentAt     *time.Time `json:"sent_at"`
	ReadAt     *time.Time `json:"read_at"`
}

type readsJSON struct {
	Sent     int          `json:"sent"`
	SentRead int          `json:"sent_read"`
	Readers  int          `json:"readers"`
	People   []readerJSON `json:"people"`
}

// lessonReads returns who a lesson was sent to and who read it.
func (s *Server) lessonReads(w http.ResponseWriter, r *http.Request) {
	id, ok := lessonID(w, r)
	if !ok {
		return
	}
	rd, err := s.Library.Reads(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.libraryProblem(w, r, err)
		return
	}
	out := readsJSON{Sent: rd.Sent, SentRead: rd.SentRead, Readers: rd.Readers, People: []readerJSON{}}
	for _, p := range rd.People {
		out.People = append(out.People, readerJSON{UserID: p.UserID, Name: p.Name, Email: p.Email, Department: p.Department,
			SentAt: lessonTime(p.SentAt), ReadAt: lessonTime(p.ReadAt)})
	}
	writeJSON(w, http.StatusOK, out)
}

// similarTextRequest is text being written, to find lessons for.
type similarTextRequest struct {
	Text string `json:"text"`
}

// lessonsSimilar returns the published lessons that resemble a text, for
// someone writing a report. Never events.
func (s *Server) lessonsSimilar(w http.ResponseWriter, r *http.Request) {
	var req similarTextRequest
	if !s.decode(w, r, &req) {
		return
	}
	if len(req.Text) > 100_000 {
		invalidQuery(w, r, "text", "Send at most 100,000 characters")
		return
	}
	hits, err := s.Library.SimilarToText(r.Context(), authz.PrincipalFrom(r.Context()), req.Text, 5)
	if err != nil {
		s.libraryProblem(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, List[library.LessonHit]{Items: nonNil(hits)})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
