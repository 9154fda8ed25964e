package api

import (
	"net/http"
	"strconv"

	"candour/internal/authz"
	"candour/internal/casework"
)

// partyRequest adds a party: a directory person by employee number, a
// candour user by email, or just a name (an external witness, say).
type partyRequest struct {
	Role   string `json:"role"`
	Person string `json:"person"`
	User   string `json:"user"`
	Name   string `json:"name"`
}

// casePartiesList lists a case's parties.
func (s *Server) casePartiesList(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	ps, err := s.Cases.Parties(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	out := List[partyJSON]{Items: []partyJSON{}}
	for _, p := range ps {
		out.Items = append(out.Items, toPartyJSON(p))
	}
	writeJSON(w, http.StatusOK, out)
}

// casePartyAdd adds a party; an investigator cannot also be the decision
// maker.
func (s *Server) casePartyAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	var req partyRequest
	if !s.decode(w, r, &req) {
		return
	}
	p, err := s.Cases.AddParty(r.Context(), authz.PrincipalFrom(r.Context()), id, casework.PartyInput{Role: req.Role, Person: req.Person, User: req.User, Name: req.Name})
	if err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+strconv.FormatInt(id, 10)+"/parties/"+strconv.FormatInt(p.ID, 10))
	writeJSON(w, http.StatusCreated, toPartyJSON(p))
}

// casePartyRemove removes a party; the history keeps them.
func (s *Server) casePartyRemove(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	pid, ok := pathID(r, "pid")
	if !ok {
		notFound(w, r, "This party")
		return
	}
	if err := s.Cases.RemoveParty(r.Context(), authz.PrincipalFrom(r.Context()), id, pid); err != nil {
		s.caseError(w, r, "This party", err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// entryRequest adds to a case's timeline.
type entryRequest struct {
	Kind              string `json:"kind"`
	OccurredOn        string `json:"occurred_on"`
	Title             string `json:"title"`
	Body              string `json:"body"`
	VisibleToEmployee bool   `json:"visible_to_employee"`
}

// caseEntriesList lists a case's timeline as the caller may see it, newest
// first: the employee sees only what was shared with them.
func (s *Server) caseEntriesList(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	es, err := s.Cases.Timeline(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	out := List[entryJSON]{Items: []entryJSON{}}
	for _, e := range es {
		out.Items = append(out.Items, toEntryJSON(e))
	}
	writeJSON(w, http.StatusOK, out)
}

// caseEntryAdd adds a timeline entry. The representative may add only
// rep_note entries, which HR sees; the casework package enforces it.
func (s *Server) caseEntryAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	var req entryRequest
	if !s.decode(w, r, &req) {
		return
	}
	e, err := s.Cases.AddEntry(r.Context(), authz.PrincipalFrom(r.Context()), id, casework.EntryInput{Kind: req.Kind, OccurredOn: req.OccurredOn,
		Title: req.Title, Body: req.Body, VisibleToEmployee: req.VisibleToEmployee})
	if err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	writeJSON(w, http.StatusCreated, toEntryJSON(e))
}

// closeRequest closes a case with its outcome and what was learned.
type closeRequest struct {
	Outcome          string              `json:"outcome"`
	OutcomeDetail    string              `json:"outcome_detail"`
	ClosedOn         string              `json:"closed_on"`
	Learning         []caseLessonRequest `json:"learning"`
	NoLearningReason string              `json:"no_learning_reason"`
}

// caseLessonRequest is one lesson for the anonymised learning log.
type caseLessonRequest struct {
	Category string `json:"category"`
	Lesson   string `json:"lesson"`
}

// caseClose closes a case. At least one lesson, or a reason there is none,
// goes to the anonymised learning log, which keeps no link to the case.
func (s *Server) caseClose(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	var req closeRequest
	if !s.decode(w, r, &req) {
		return
	}
	in := casework.CloseInput{Outcome: req.Outcome, OutcomeDetail: req.OutcomeDetail, ClosedOn: req.ClosedOn, NoLearningReason: req.NoLearningReason}
	for _, l := range req.Learning {
		in.Learning = append(in.Learning, casework.LearningInput{Category: l.Category, Lesson: l.Lesson})
	}
	if err := s.Cases.Close(r.Context(), authz.PrincipalFrom(r.Context()), id, in); err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	s.writeCase(w, r, http.StatusOK, id)
}
