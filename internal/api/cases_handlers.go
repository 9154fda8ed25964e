package api

import (
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/localtime"
	"candour/internal/store"
	"candour/internal/validate"
)

// caseOpenRequest opens an early concern.
type caseOpenRequest struct {
	Type    string `json:"type"`
	Person  string `json:"person"`
	Summary string `json:"summary"`
	// ReportID is the patient safety event the concern arose from: its
	// reference (SE-...) or its number.
	ReportID  flexText `json:"report_id"`
	AppealOf  string   `json:"appeal_of"`
	Manager   string   `json:"manager"`
	HRAdviser string   `json:"hr_adviser"`
}

// caseOpen opens an early concern about a member of staff. It is not a
// formal case: that needs the checklist, the just culture gate and a second
// sign-off.
func (s *Server) caseOpen(w http.ResponseWriter, r *http.Request) {
	var req caseOpenRequest
	if !s.decode(w, r, &req) {
		return
	}
	report, err := s.reportReference(r, string(req.ReportID))
	if errs, ok := validate.As(err); ok {
		invalid(w, r, errs)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	c, err := s.Cases.Open(r.Context(), authz.PrincipalFrom(r.Context()), casework.OpenInput{Type: req.Type, Person: req.Person,
		Summary: req.Summary, Report: report, AppealOf: req.AppealOf, Manager: req.Manager, HRAdviser: req.HRAdviser})
	if err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+strconv.FormatInt(c.ID, 10))
	writeJSON(w, http.StatusCreated, toCaseJSON(c))
}

// reportReference turns report_id, sent as a reference or as a number, into
// the reference the casework package looks up. Whether the caller may link
// that event is the casework package's decision.
func (s *Server) reportReference(r *http.Request, v string) (string, error) {
	v = strings.TrimSpace(v)
	n, err := strconv.ParseInt(v, 10, 64)
	if v == "" || err != nil {
		return v, nil
	}
	var ref string
	err = s.DB.QueryRowContext(r.Context(), `SELECT reference FROM reports WHERE id = ?`, n).Scan(&ref)
	if errors.Is(err, sql.ErrNoRows) || n <= 0 {
		return "", validate.Errors{{Field: "report_id", Message: "There is no patient safety event with this number. Send its reference instead, for example SE-004512-5"}}
	}
	if err != nil {
		return "", fmt.Errorf("api: read report reference: %w", err)
	}
	return ref, nil
}

// caseTypes are the case types a filter may name.
var caseTypes = []casework.Type{casework.Disciplinary, casework.Grievance, casework.BullyingHarassment, casework.CapabilityPerformance,
	casework.CapabilityIllHealth, casework.SicknessAbsence, casework.Appeal, casework.EmploymentTribunal}

// casesList lists the cases the caller may see, newest first. Filters:
// status, type, overdue.
func (s *Server) casesList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := casework.Filter{Status: casework.Status(q.Get("status")), Type: casework.Type(q.Get("type"))}
	var errs validate.Errors
	switch f.Status {
	case "", casework.EarlyConcern, casework.Formal, casework.Closed:
	default:
		errs.Add("status", "must be one of early_concern, formal, closed")
	}
	if f.Type != "" && !slicesContains(caseTypes, f.Type) {
		names := make([]string, len(caseTypes))
		for i, t := range caseTypes {
			names[i] = string(t)
		}
		errs.Add("type", "must be one of "+strings.Join(names, ", "))
	}
	if v := q.Get("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs.Add("overdue", "must be true or false")
		}
		f.Overdue = b
	}
	if len(errs) > 0 {
		invalid(w, r, errs)
		return
	}
	cs, err := s.Cases.List(r.Context(), authz.PrincipalFrom(r.Context()), f)
	if err != nil {
		s.caseError(w, r, "This list", err)
		return
	}
	out := List[caseSummaryJSON]{Items: []caseSummaryJSON{}}
	for _, c := range cs {
		out.Items = append(out.Items, toCaseSummaryJSON(c))
	}
	writeJSON(w, http.StatusOK, out)
}

func slicesContains[T comparable](xs []T, x T) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// caseGet returns one case to those who may see it (audited); 404 for
// anyone else.
func (s *Server) caseGet(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	s.writeCase(w, r, http.StatusOK, id)
}

// writeCase answers with the case as it now is.
func (s *Server) writeCase(w http.ResponseWriter, r *http.Request, status int, id int64) {
	c, err := s.Cases.Get(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	writeJSON(w, status, toCaseJSON(c))
}

// caseAssignRequest changes who handles and manages a case.
type caseAssignRequest struct {
	HRAdviser string `json:"hr_adviser"`
	Manager   string `json:"manager"`
}

// caseAssign changes the HR adviser and the manager (the ER lead or the
// current adviser).
func (s *Server) caseAssign(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	var req caseAssignRequest
	if !s.decode(w, r, &req) {
		return
	}
	err := s.Cases.Assign(r.Context(), authz.PrincipalFrom(r.Context()), id, casework.AssignInput{HRAdviser: req.HRAdviser, Manager: req.Manager})
	if err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	s.writeCase(w, r, http.StatusOK, id)
}

// caseRepresentativeRequest names the union representative the employee
// asked for.
type caseRepresentativeRequest struct {
	Representative string `json:"representative"`
	RequestedOn    string `json:"requested_on"`
}

// caseRepresentative records the representative the employee asked for,
// who then sees this case and no other; an empty email removes them.
func (s *Server) caseRepresentative(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	var req caseRepresentativeRequest
	if !s.decode(w, r, &req) {
		return
	}
	if err := s.Cases.RequestRepresentative(r.Context(), authz.PrincipalFrom(r.Context()), id, req.Representative, req.RequestedOn); err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	s.writeCase(w, r, http.StatusOK, id)
}

// caseEmployeeAccessRequest gives or withdraws the employee's access.
type caseEmployeeAccessRequest struct {
	Allow *bool `json:"allow"`
}

// caseEmployeeAccess gives or withdraws the employee's read access to their
// own case timeline.
func (s *Server) caseEmployeeAccess(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	var req caseEmployeeAccessRequest
	if !s.decode(w, r, &req) {
		return
	}
	if req.Allow == nil {
		invalid(w, r, validate.Errors{{Field: "allow", Message: "Say whether the employee may read their case timeline: true or false"}})
		return
	}
	if err := s.Cases.SetEmployeeAccess(r.Context(), authz.PrincipalFrom(r.Context()), id, *req.Allow); err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	s.writeCase(w, r, http.StatusOK, id)
}

// casesLearning lists the anonymised lessons from cases closed in a period
// (from and to, YYYY-MM-DD; by default the last twelve months).
func (s *Server) casesLearning(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	to := localtime.Today(s.Now())
	from := to.AddDate(-1, 0, 1)
	var errs validate.Errors
	for name, dst := range map[string]*time.Time{"from": &from, "to": &to} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse(store.DateLayout, v)
			if err != nil {
				errs.Add(name, "Enter a date as YYYY-MM-DD, for example 2026-04-01")
				continue
			}
			*dst = t
		}
	}
	if len(errs) == 0 && to.Before(from) {
		errs.Add("to", "The end of the period must be on or after its start")
	}
	if len(errs) > 0 {
		invalid(w, r, errs)
		return
	}
	ls, err := s.Cases.LearningLog(r.Context(), authz.PrincipalFrom(r.Context()), from, to)
	if err != nil {
		s.caseError(w, r, "This list", err)
		return
	}
	out := List[learningLessonJSON]{Items: []learningLessonJSON{}}
	for _, l := range ls {
		out.Items = append(out.Items, learningLessonJSON{ID: l.ID, Type: string(l.Type), Category: l.Category, Lesson: l.Lesson, ClosedMonth: l.ClosedMonth})
	}
	writeJSON(w, http.StatusOK, out)
}
