package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"candour/internal/httpx"
	"candour/internal/library"
	"candour/internal/validate"
)

// lessonJSON is a lesson as the API shows it.
type lessonJSON struct {
	ID                int64              `json:"id"`
	Title             string             `json:"title"`
	Summary           string             `json:"summary"`
	Body              string             `json:"body"`
	Themes            []string           `json:"themes"`
	Status            string             `json:"status"`
	ResponseID        *int64             `json:"response_id"`
	ResponseReference string             `json:"response_reference,omitempty"`
	Departments       []lessonDepartment `json:"departments"`
	StaffGroups       []lessonStaffGroup `json:"staff_groups"`
	CreatedAt         time.Time          `json:"created_at"`
	UpdatedAt         time.Time          `json:"updated_at"`
	PublishedAt       *time.Time         `json:"published_at"`
	ReadAt            *time.Time         `json:"read_at"`
	SentToYou         bool               `json:"sent_to_you"`
}

type lessonDepartment struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type lessonStaffGroup struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// lessonTime is t, or nil when zero.
func lessonTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func toLessonJSON(l library.Lesson) lessonJSON {
	out := lessonJSON{ID: l.ID, Title: l.Title, Summary: l.Summary, Body: l.Body, Themes: l.Themes, Status: string(l.Status),
		ResponseReference: l.ResponseReference, CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt, PublishedAt: lessonTime(l.PublishedAt),
		ReadAt: lessonTime(l.ReadAt), SentToYou: l.SentToYou, Departments: []lessonDepartment{}, StaffGroups: []lessonStaffGroup{}}
	if out.Themes == nil {
		out.Themes = []string{}
	}
	if l.ResponseID != 0 {
		id := l.ResponseID
		out.ResponseID = &id
	}
	for _, d := range l.Departments {
		out.Departments = append(out.Departments, lessonDepartment{d.ID, d.Name})
	}
	for _, g := range l.StaffGroups {
		out.StaffGroups = append(out.StaffGroups, lessonStaffGroup{g.Code, g.Name})
	}
	return out
}

// lessonSummaryJSON is a lesson in a list.
type lessonSummaryJSON struct {
	ID          int64      `json:"id"`
	Title       string     `json:"title"`
	Summary     string     `json:"summary"`
	Themes      []string   `json:"themes"`
	Status      string     `json:"status"`
	PublishedAt *time.Time `json:"published_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Read        bool       `json:"read"`
	SentToYou   bool       `json:"sent_to_you"`
}

// lessonRequest is a lesson as a client writes it.
type lessonRequest struct {
	Title         string   `json:"title"`
	Summary       string   `json:"summary"`
	Body          string   `json:"body"`
	Themes        []string `json:"themes"`
	ResponseID    int64    `json:"response_id"`
	Response      string   `json:"response_reference"`
	DepartmentIDs []int64  `json:"department_ids"`
	StaffGroups   []string `json:"staff_groups"`
}

func (q lessonRequest) input() library.Input {
	in := library.Input{Title: q.Title, Summary: q.Summary, Body: q.Body, Themes: q.Themes, Response: q.Response,
		DepartmentIDs: q.DepartmentIDs, StaffGroups: q.StaffGroups}
	if in.Response == "" && q.ResponseID != 0 {
		in.Response = strconv.FormatInt(q.ResponseID, 10)
	}
	return in
}

// lessonFieldNames map the domain's fields to the request's.
var lessonFieldNames = map[string]string{"departments": "department_ids", "response": "response_reference"}

// notPublishable is the 422 answer to a lesson that may not be published:
// a validation problem whose errors name the fields, plus the findings
// with their kinds and the passages found.
type notPublishable struct {
	Problem
	Findings []library.Finding `json:"findings"`
}

// lessonID reads {id}, answering 404 when it is not a positive number.
func lessonID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n <= 0 {
		notFound(w, r, "A lesson with this id")
		return 0, false
	}
	return n, true
}

// libraryProblem answers an error from the library package.
func (s *Server) libraryProblem(w http.ResponseWriter, r *http.Request, err error) {
	var np *library.NotPublishableError
	if errors.As(err, &np) {
		var errs validate.Errors
		for _, f := range np.Findings {
			field := f.Field
			if n, ok := lessonFieldNames[field]; ok {
				field = n
			}
			errs = append(errs, validate.FieldError{Field: field, Message: f.Message})
		}
		p := notPublishable{Problem: Problem{Type: ProblemType("The lesson cannot be published yet", errs), Title: "The lesson cannot be published yet",
			Status: http.StatusUnprocessableEntity, Detail: "It could identify someone, or its learning response is not closed. Change what the findings list and try again.",
			Instance: r.URL.Path, RequestID: httpx.RequestID(r.Context()), Errors: errs}, Findings: np.Findings}
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusUnprocessableEntity)
		json.NewEncoder(w).Encode(p)
		return
	}
	if errs, ok := validate.As(err); ok {
		invalid(w, r, renameFields(errs, lessonFieldNames))
		return
	}
	switch {
	case library.IsNotFound(err):
		notFound(w, r, "A lesson or report with this id")
	case errors.Is(err, library.ErrNotAllowed):
		problem(w, r, http.StatusForbidden, "Not allowed", "The patient safety team writes, publishes and sends lessons.", nil)
	default:
		s.internal(w, r, err)
	}
}
