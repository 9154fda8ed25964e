package web

import "candour/internal/authz"

// caseworkRoutes registers the employee-relations casework routes. The
// casework package decides, case by case, who may see what; the policies
// here only keep out roles that can never take part (administrators see no
// case at all).
func (s *Server) caseworkRoutes(m *authz.Mux) {
	hr := authz.AnyOf(authz.HR)
	openers := authz.AnyOf(authz.HR, authz.Manager)
	// Those who take part in cases: HR handles them, managers manage them,
	// representatives support the member who asked for them.
	takers := authz.AnyOf(authz.HR, authz.Manager, authz.UnionRep)
	// The employee reads their own case when given access, as a member of
	// staff (every account but an administrator's normally holds that role).
	readers := authz.AnyOf(authz.HR, authz.Manager, authz.UnionRep, authz.Staff)
	signers := authz.AnyOf(authz.HR, authz.Exec)
	learningReaders := authz.AnyOf(authz.HR, authz.Exec, authz.UnionRep)

	m.HandleFunc("GET /cases", takers, s.caseList)
	m.HandleFunc("GET /cases/new", openers, s.caseNew)
	m.HandleFunc("POST /cases", openers, s.caseCreate)
	m.HandleFunc("GET /cases/learning", learningReaders, s.caseLearning)
	m.HandleFunc("GET /my-cases", authz.SignedIn(), s.caseMine)
	m.HandleFunc("GET /cases/sign-off", authz.AnyOf(authz.HR, authz.Exec), s.caseSignOffs)

	m.HandleFunc("GET /cases/{id}", readers, s.caseShow)
	m.HandleFunc("POST /cases/{id}/assign", hr, s.caseAssign)
	m.HandleFunc("POST /cases/{id}/employee-access", hr, s.caseEmployeeAccess)
	m.HandleFunc("POST /cases/{id}/representative", hr, s.caseRepresentative)
	m.HandleFunc("POST /cases/{id}/parties", hr, s.casePartyAdd)
	m.HandleFunc("POST /cases/{id}/parties/{pid}/remove", hr, s.casePartyRemove)
	m.HandleFunc("POST /cases/{id}/entries", takers, s.caseEntryAdd)
	m.HandleFunc("POST /cases/{id}/documents", takers, s.caseDocumentUpload)
	m.HandleFunc("GET /cases/{id}/documents/{did}", readers, s.caseDocument)
	m.HandleFunc("POST /cases/{id}/stage", hr, s.caseStage)

	m.HandleFunc("GET /cases/{id}/checklist", hr, s.caseChecklist)
	m.HandleFunc("POST /cases/{id}/checklist", hr, s.caseChecklistSave)
	m.HandleFunc("GET /cases/{id}/formal", signers, s.caseFormal)
	m.HandleFunc("POST /cases/{id}/formal", hr, s.caseFormalMove)
	m.HandleFunc("POST /cases/{id}/signoff", signers, s.caseSignOff)
	m.HandleFunc("GET /cases/{id}/close", hr, s.caseCloseForm)
	m.HandleFunc("POST /cases/{id}/close", hr, s.caseClose)

	s.caseworkSupportRoutes(m)
}
