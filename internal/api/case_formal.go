package api

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
)

// checklistRequest is the pre-formal checklist as sent; PUT replaces every
// answer. wellbeing_contact is the email of a candour user.
type checklistRequest struct {
	FactsGathered          bool   `json:"facts_gathered"`
	FactsSummary           string `json:"facts_summary"`
	EmployeeAccountHeard   bool   `json:"employee_account_heard"`
	EmployeeAccountOn      string `json:"employee_account_on"`
	Allegations            string `json:"allegations"`
	AlternativesConsidered string `json:"alternatives_considered"`
	InvestigatorConflicts  string `json:"investigator_conflicts"`
	DecisionMakerConflicts string `json:"decision_maker_conflicts"`
	ConflictsDeclared      bool   `json:"conflicts_declared"`
	WellbeingContact       string `json:"wellbeing_contact"`
	UnionRepOffered        bool   `json:"union_rep_offered"`
	UnionRepOfferedOn      string `json:"union_rep_offered_on"`
}

// caseChecklistGet reads the pre-formal checklist.
func (s *Server) caseChecklistGet(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	s.writeChecklist(w, r, id)
}

func (s *Server) writeChecklist(w http.ResponseWriter, r *http.Request, id int64) {
	c, err := s.Cases.Checklist(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	writeJSON(w, http.StatusOK, toChecklistJSON(c))
}

// caseChecklistPut saves the checklist. Any change clears a sign-off, since
// the second person signed what they read.
func (s *Server) caseChecklistPut(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	var req checklistRequest
	if !s.decode(w, r, &req) {
		return
	}
	err := s.Cases.SaveChecklist(r.Context(), authz.PrincipalFrom(r.Context()), id, casework.ChecklistInput{
		FactsGathered: req.FactsGathered, FactsSummary: req.FactsSummary, EmployeeAccountHeard: req.EmployeeAccountHeard,
		EmployeeAccountOn: req.EmployeeAccountOn, Allegations: req.Allegations, AlternativesConsidered: req.AlternativesConsidered,
		InvestigatorConflicts: req.InvestigatorConflicts, DecisionMakerConflicts: req.DecisionMakerConflicts, ConflictsDeclared: req.ConflictsDeclared,
		WellbeingContact: req.WellbeingContact, UnionRepOffered: req.UnionRepOffered, UnionRepOfferedOn: req.UnionRepOfferedOn})
	if err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	s.writeChecklist(w, r, id)
}

// casePreconditions lists every precondition of the move to formal and
// whether it is met.
func (s *Server) casePreconditions(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	s.writePreconditions(w, r, id)
}

func (s *Server) writePreconditions(w http.ResponseWriter, r *http.Request, id int64) {
	ps, err := s.Cases.Preconditions(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	out := preconditionsJSON{Ready: true, Items: []preconditionJSON{}}
	for _, pc := range ps {
		out.Items = append(out.Items, toPreconditionJSON(pc))
		out.Ready = out.Ready && pc.Met
	}
	writeJSON(w, http.StatusOK, out)
}

// signOffRequest is the second senior person's sign-off.
type signOffRequest struct {
	Note string `json:"note"`
}

// caseSignOff records the second senior person's sign-off of the checklist
// (an executive or the ER lead, never the case's own adviser) and answers
// with the preconditions as they now stand.
func (s *Server) caseSignOff(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	var req signOffRequest
	if !s.decode(w, r, &req) {
		return
	}
	if err := s.Cases.SignOff(r.Context(), authz.PrincipalFrom(r.Context()), id, req.Note); err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	s.writePreconditions(w, r, id)
}

// caseFormal makes an early concern formal, or answers 409 with a problem
// whose unmet member names every precondition not yet met.
func (s *Server) caseFormal(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	c, err := s.Cases.MoveToFormal(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	writeJSON(w, http.StatusOK, toCaseJSON(c))
}

// caseStages lists a case's stage history, oldest first.
func (s *Server) caseStages(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	sts, err := s.Cases.Stages(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	out := List[stageJSON]{Items: []stageJSON{}}
	for _, st := range sts {
		out.Items = append(out.Items, toStageJSON(st))
	}
	writeJSON(w, http.StatusOK, out)
}

// stageRequest moves a formal case to a stage.
type stageRequest struct {
	Stage     string `json:"stage"`
	StartedOn string `json:"started_on"`
}

// caseStage ends the current stage and starts the named one; a required
// stage cannot be skipped and dates cannot go backwards.
func (s *Server) caseStage(w http.ResponseWriter, r *http.Request) {
	id, ok := caseID(w, r)
	if !ok {
		return
	}
	var req stageRequest
	if !s.decode(w, r, &req) {
		return
	}
	if err := s.Cases.AdvanceStage(r.Context(), authz.PrincipalFrom(r.Context()), id, req.Stage, req.StartedOn); err != nil {
		s.caseError(w, r, "This case", err)
		return
	}
	s.writeCase(w, r, http.StatusOK, id)
}
