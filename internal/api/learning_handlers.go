package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"candour/internal/authz"
	"candour/internal/learning"
	"candour/internal/validate"
)

// learningCreateRequest opens a learning response.
type learningCreateRequest struct {
	Method      string          `json:"method"`
	Title       string          `json:"title"`
	ReportIDs   []int64         `json:"report_ids"`
	OwnerUserID int64           `json:"owner_user_id"`
	Record      json.RawMessage `json:"record"`
}

// learningRecordRequest replaces a response's record.
type learningRecordRequest struct {
	Record json.RawMessage `json:"record"`
}

// learningEngagementRequest adds to the engagement and involvement log.
type learningEngagementRequest struct {
	Who          string `json:"who"`
	Name         string `json:"name"`
	Relationship string `json:"relationship"`
	ContactedOn  string `json:"contacted_on"`
	How          string `json:"how"`
	Questions    string `json:"questions"`
	Told         string `json:"told"`
}

// learningCandourRequest records the duty of candour.
type learningCandourRequest struct {
	Notifiable      *bool  `json:"notifiable"`
	NotifiedOn      string `json:"notified_on"`
	ApologyGiven    bool   `json:"apology_given"`
	WrittenFollowUp string `json:"written_follow_up"`
	Notes           string `json:"notes"`
}

// learningSignOffRequest signs a response off.
type learningSignOffRequest struct {
	Note string `json:"note"`
}

// learningStatusRequest moves a response on.
type learningStatusRequest struct {
	Status string `json:"status"`
}

// learningID reads the {id} path value, answering 404 itself when it is not
// a response id.
func learningID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		notFound(w, r, "This learning response")
		return 0, false
	}
	return id, true
}

// learningFail answers a domain error: field problems as 422 with request
// field names, a response the caller may not see as 404, a closed one as 409.
func (s *Server) learningFail(w http.ResponseWriter, r *http.Request, m learning.Method, err error) {
	if errs, ok := validate.As(err); ok {
		invalid(w, r, learningErrors(m, errs))
		return
	}
	switch {
	case errors.Is(err, learning.ErrNotAllowed):
		notFound(w, r, "This learning response")
	case errors.Is(err, learning.ErrClosed):
		problem(w, r, http.StatusConflict, "Learning response closed", "This learning response is signed off and closed, so its record and status cannot change.", nil)
	default:
		s.internal(w, r, err)
	}
}

// learningWritten answers a change with the response as it now is and the
// blame prompts in the text just saved.
func (s *Server) learningWritten(w http.ResponseWriter, r *http.Request, status int, id int64, prompts []learning.Prompt) {
	p := authz.PrincipalFrom(r.Context())
	resp, err := s.Learning.Get(r.Context(), p, id)
	if err != nil {
		s.learningFail(w, r, "", err)
		return
	}
	j := toLearningJSON(resp, s.Learning.Today(), true)
	if prompts == nil {
		prompts = []learning.Prompt{}
	}
	j.Prompts = &prompts
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/learning-responses/"+strconv.FormatInt(id, 10))
	}
	writeJSON(w, status, j)
}

// learningList lists the responses the caller may read, newest first,
// optionally by status and method.
func (s *Server) learningList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := learning.Filter{Status: learning.Status(q.Get("status")), Method: learning.Method(q.Get("method"))}
	var errs validate.Errors
	if f.Status != "" && !learning.ValidStatus(f.Status) {
		errs.Add("status", "must be one of open, in_progress, awaiting_sign_off, closed")
	}
	if f.Method != "" && !learning.ValidMethod(f.Method) {
		errs.Add("method", "must be one of psii, aar, swarm, mdt, thematic")
	}
	if len(errs) > 0 {
		invalid(w, r, errs)
		return
	}
	rs, err := s.Learning.List(r.Context(), authz.PrincipalFrom(r.Context()), f)
	if err != nil {
		s.learningFail(w, r, "", err)
		return
	}
	out := List[learningResponseJSON]{Items: []learningResponseJSON{}}
	today := s.Learning.Today()
	for _, resp := range rs {
		out.Items = append(out.Items, toLearningJSON(resp, today, false))
	}
	writeJSON(w, http.StatusOK, out)
}

// learningCreate opens a learning response on one or more safety events.
func (s *Server) learningCreate(w http.ResponseWriter, r *http.Request) {
	var req learningCreateRequest
	if !s.decode(w, r, &req) {
		return
	}
	m := learning.Method(strings.TrimSpace(req.Method))
	var errs validate.Errors
	rec := parseLearningRecord(m, req.Record, &s.shapes, &errs)
	if len(errs) > 0 {
		invalid(w, r, errs)
		return
	}
	resp, prompts, err := s.Learning.Open(r.Context(), authz.PrincipalFrom(r.Context()), learning.OpenInput{Method: m, Title: req.Title,
		ReportIDs: req.ReportIDs, OwnerUserID: req.OwnerUserID, Record: rec, Confirmed: true})
	if err != nil {
		s.learningFail(w, r, m, err)
		return
	}
	s.learningWritten(w, r, http.StatusCreated, resp.ID, prompts)
}

// learningGet returns one response with its engagement log, duty of candour
// and timeline.
func (s *Server) learningGet(w http.ResponseWriter, r *http.Request) {
	id, ok := learningID(w, r)
	if !ok {
		return
	}
	resp, err := s.Learning.Get(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.learningFail(w, r, "", err)
		return
	}
	writeJSON(w, http.StatusOK, toLearningJSON(resp, s.Learning.Today(), true))
}

// learningRecord replaces the method's record.
func (s *Server) learningRecord(w http.ResponseWriter, r *http.Request) {
	id, ok := learningID(w, r)
	if !ok {
		return
	}
	var req learningRecordRequest
	if !s.decode(w, r, &req) {
		return
	}
	p := authz.PrincipalFrom(r.Context())
	resp, err := s.Learning.Get(r.Context(), p, id)
	if err != nil {
		s.learningFail(w, r, "", err)
		return
	}
	var errs validate.Errors
	if len(req.Record) == 0 {
		errs.Add("record", "Send the record as an object with the fields of a "+learning.MethodLabel(resp.Method)+" record")
	}
	rec := parseLearningRecord(resp.Method, req.Record, &s.shapes, &errs)
	if len(errs) > 0 {
		invalid(w, r, errs)
		return
	}
	prompts, err := s.Learning.SaveRecord(r.Context(), p, id, learning.RecordInput{Record: rec, Confirmed: true})
	if err != nil {
		s.learningFail(w, r, resp.Method, err)
		return
	}
	s.learningWritten(w, r, http.StatusOK, id, prompts)
}

// learningEngagement adds an entry to the engagement and involvement log.
func (s *Server) learningEngagement(w http.ResponseWriter, r *http.Request) {
	id, ok := learningID(w, r)
	if !ok {
		return
	}
	var req learningEngagementRequest
	if !s.decode(w, r, &req) {
		return
	}
	_, prompts, err := s.Learning.AddEngagement(r.Context(), authz.PrincipalFrom(r.Context()), id, learning.EngagementInput{
		Group: req.Who, Name: req.Name, Relationship: req.Relationship, ContactedOn: req.ContactedOn, How: req.How,
		Questions: req.Questions, Told: req.Told, Confirmed: true})
	if err != nil {
		s.learningFail(w, r, "", err)
		return
	}
	s.learningWritten(w, r, http.StatusCreated, id, prompts)
}

// learningCandour records the duty of candour.
func (s *Server) learningCandour(w http.ResponseWriter, r *http.Request) {
	id, ok := learningID(w, r)
	if !ok {
		return
	}
	var req learningCandourRequest
	if !s.decode(w, r, &req) {
		return
	}
	err := s.Learning.SetDutyOfCandour(r.Context(), authz.PrincipalFrom(r.Context()), id, learning.CandourInput{
		Notifiable: req.Notifiable, NotifiedOn: req.NotifiedOn, ApologyGiven: req.ApologyGiven, WrittenFollowUp: req.WrittenFollowUp, Notes: req.Notes})
	if err != nil {
		s.learningFail(w, r, "", err)
		return
	}
	s.learningWritten(w, r, http.StatusOK, id, nil)
}

// learningSignOff signs a response off, which closes it.
func (s *Server) learningSignOff(w http.ResponseWriter, r *http.Request) {
	id, ok := learningID(w, r)
	if !ok {
		return
	}
	var req learningSignOffRequest
	if !s.decode(w, r, &req) {
		return
	}
	prompts, err := s.Learning.SignOff(r.Context(), authz.PrincipalFrom(r.Context()), id, req.Note, true)
	if err != nil {
		s.learningFail(w, r, "", err)
		return
	}
	s.learningWritten(w, r, http.StatusOK, id, prompts)
}

// learningStatus moves a response between open, in progress and awaiting
// sign-off.
func (s *Server) learningStatus(w http.ResponseWriter, r *http.Request) {
	id, ok := learningID(w, r)
	if !ok {
		return
	}
	var req learningStatusRequest
	if !s.decode(w, r, &req) {
		return
	}
	p := authz.PrincipalFrom(r.Context())
	err := s.Learning.SetStatus(r.Context(), p, id, learning.Status(req.Status))
	if err != nil {
		// Missing record fields are named as in a record request.
		var m learning.Method
		if resp, gerr := s.Learning.Get(r.Context(), p, id); gerr == nil {
			m = resp.Method
		}
		s.learningFail(w, r, m, err)
		return
	}
	s.learningWritten(w, r, http.StatusOK, id, nil)
}
