package api

import "candour/internal/authz"

// caseworkRoutes registers the employee-relations casework routes. The
// casework package decides, case by case, who may see what; the policies
// here only keep out roles that can never take part (administrators see no
// case at all). A case the caller may not see answers 404, never 403, so
// that probing ids reveals nothing.
func (s *Server) caseworkRoutes(m *authz.Mux) {
	hr := authz.AnyOf(authz.HR)
	openers := authz.AnyOf(authz.HR, authz.Manager)
	listers := authz.AnyOf(authz.HR, authz.Manager, authz.UnionRep)
	// The employee may be given read access to their own case timeline,
	// whatever their role; the casework package checks that it is theirs.
	readers := authz.AnyOf(authz.HR, authz.Manager, authz.UnionRep, authz.Staff)
	seniors := authz.AnyOf(authz.HR, authz.Exec)
	exec := authz.AnyOf(authz.Exec)

	m.HandleFunc("POST /api/v1/cases", openers, s.caseOpen)
	m.HandleFunc("GET /api/v1/cases", listers, s.casesList)
	m.HandleFunc("GET /api/v1/cases/learning", authz.AnyOf(authz.HR, authz.Exec, authz.UnionRep), s.casesLearning)
	m.HandleFunc("GET /api/v1/cases/{id}", readers, s.caseGet)
	m.HandleFunc("POST /api/v1/cases/{id}/assign", hr, s.caseAssign)
	m.HandleFunc("POST /api/v1/cases/{id}/representative", hr, s.caseRepresentative)
	m.HandleFunc("POST /api/v1/cases/{id}/employee-access", hr, s.caseEmployeeAccess)

	// The way to formal: checklist, sign-off by a second senior person, the
	// preconditions, then the move itself.
	m.HandleFunc("GET /api/v1/cases/{id}/checklist", hr, s.caseChecklistGet)
	m.HandleFunc("PUT /api/v1/cases/{id}/checklist", hr, s.caseChecklistPut)
	m.HandleFunc("GET /api/v1/cases/{id}/preconditions", seniors, s.casePreconditions)
	m.HandleFunc("POST /api/v1/cases/{id}/signoff", seniors, s.caseSignOff)
	m.HandleFunc("POST /api/v1/cases/{id}/formal", hr, s.caseFormal)
	m.HandleFunc("GET /api/v1/cases/{id}/stages", readers, s.caseStages)
	m.HandleFunc("POST /api/v1/cases/{id}/stage", hr, s.caseStage)

	m.HandleFunc("GET /api/v1/cases/{id}/parties", hr, s.casePartiesList)
	m.HandleFunc("POST /api/v1/cases/{id}/parties", hr, s.casePartyAdd)
	m.HandleFunc("DELETE /api/v1/cases/{id}/parties/{pid}", hr, s.casePartyRemove)
	m.HandleFunc("GET /api/v1/cases/{id}/entries", readers, s.caseEntriesList)
	m.HandleFunc("POST /api/v1/cases/{id}/entries", readers, s.caseEntryAdd)
	m.HandleFunc("POST /api/v1/cases/{id}/close", hr, s.caseClose)

	m.HandleFunc("GET /api/v1/cases/{id}/wellbeing", openers, s.caseWellbeingList)
	m.HandleFunc("POST /api/v1/cases/{id}/wellbeing", openers, s.caseWellbeingAdd)
	m.HandleFunc("POST /api/v1/cases/{id}/wellbeing/{wid}/contacts", openers, s.caseWellbeingContact)

	// Suspension or exclusion: proposed by HR with the alternatives, agreed
	// by two executives, reviewed by HR, overseen by the non-executive
	// reviewer.
	m.HandleFunc("POST /api/v1/cases/{id}/suspensions", hr, s.suspensionPropose)
	m.HandleFunc("GET /api/v1/suspensions", seniors, s.suspensionsList)
	m.HandleFunc("GET /api/v1/suspensions/{sid}", seniors, s.suspensionGet)
	m.HandleFunc("POST /api/v1/suspensions/{sid}/approvals", exec, s.suspensionDecide)
	m.HandleFunc("POST /api/v1/suspensions/{sid}/reviews", hr, s.suspensionReview)
	m.HandleFunc("POST /api/v1/suspensions/{sid}/oversight", exec, s.suspensionOversight)
}
