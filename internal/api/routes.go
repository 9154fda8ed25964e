package api

import "candour/internal/authz"

// routes registers every API route with its policy. openapi.json documents
// each one; TestOpenAPICoversEveryRoute keeps the two in step.
func (s *Server) routes() {
	m := s.mux
	public, signedIn := authz.Public(), authz.SignedIn()
	directory := authz.AnyOf(authz.Admin, authz.HR)
	headcount := authz.AnyOf(authz.Admin, authz.HR, authz.Exec)

	m.HandleFunc("GET /api/v1/openapi.json", public, s.openAPI)
	m.HandleFunc("GET /api/v1/me", signedIn, s.me)
	m.HandleFunc("GET /api/v1/tokens", signedIn, s.tokensList)
	m.HandleFunc("DELETE /api/v1/tokens/{id}", signedIn, s.tokenRevoke)
	// The lists a report is written against are public, as the report form
	// that shows them is: a ward kiosk reporting anonymously has no token.
	m.HandleFunc("GET /api/v1/sites", public, s.sitesList)
	m.HandleFunc("GET /api/v1/departments", public, s.departmentsList)
	m.HandleFunc("GET /api/v1/staff-groups", public, s.staffGroupsList)
	m.HandleFunc("GET /api/v1/people", directory, s.peopleList)
	m.HandleFunc("POST /api/v1/people/import", directory, s.peopleImport)
	m.HandleFunc("GET /api/v1/people/{employee_number}", directory, s.personGet)
	m.HandleFunc("GET /api/v1/headcount", headcount, s.headcount)
	m.HandleFunc("GET /api/v1/audit", authz.AnyOf(authz.Admin), s.auditList)

	// Speaking up. Anonymous reports need no token; open and confidential
	// ones need the reporter's own token (checked by the handler).
	handlers := authz.AnyOf(authz.Safety, authz.Guardian)
	m.HandleFunc("POST /api/v1/reports", public, s.reportSubmit)
	m.HandleFunc("GET /api/v1/reports", handlers, s.reportsList)
	m.HandleFunc("GET /api/v1/reports/{id}", handlers, s.reportGet)
	m.HandleFunc("GET /api/v1/reports/return", authz.AnyOf(authz.Guardian), s.reportsReturn)
	m.HandleFunc("GET /api/v1/reports/{id}/attachments/{attachment_id}", handlers, s.reportAttachment)
	m.HandleFunc("POST /api/v1/reports/{id}/messages", handlers, s.reportMessage)
	m.HandleFunc("POST /api/v1/reports/{id}/notes", handlers, s.reportNote)
	m.HandleFunc("POST /api/v1/reports/{id}/acknowledge", handlers, s.reportAcknowledge)
	m.HandleFunc("GET /api/v1/reports/{id}/assignees", handlers, s.reportAssignees)
	m.HandleFunc("POST /api/v1/reports/{id}/assign", handlers, s.reportAssign)
	m.HandleFunc("POST /api/v1/reports/{id}/status", handlers, s.reportStatus)
	m.HandleFunc("POST /api/v1/reports/{id}/link", handlers, s.reportLink)
	m.HandleFunc("POST /api/v1/reports/{id}/duplicate", handlers, s.reportDuplicate)
	m.HandleFunc("POST /api/v1/reports/{id}/reroute", handlers, s.reportReroute)
	m.HandleFunc("POST /api/v1/reports/{id}/classify", handlers, s.reportClassify)
	m.HandleFunc("POST /api/v1/reports/{id}/close", handlers, s.reportClose)
	m.HandleFunc("POST /api/v1/reports/{id}/reopen", handlers, s.reportReopen)
	m.HandleFunc("POST /api/v1/reports/{id}/redact", handlers, s.reportRedact)
	m.HandleFunc("POST /api/v1/reports/{id}/reveal", handlers, s.reportReveal)
	m.HandleFunc("GET /api/v1/my-reports", signedIn, s.myReports)
	m.HandleFunc("GET /api/v1/my-reports/{id}", signedIn, s.myReportGet)
	m.HandleFunc("POST /api/v1/my-reports/{id}/messages", signedIn, s.myReportMessage)
	m.HandleFunc("POST /api/v1/my-reports/{id}/feedback", signedIn, s.myReportFeedback)
	m.HandleFunc("GET /api/v1/my-reports/{id}/attachments/{attachment_id}", signedIn, s.myReportAttachment)

	// Just culture guide.
	m.HandleFunc("GET /api/v1/guides", signedIn, s.guidesList)
	m.HandleFunc("GET /api/v1/guides/{id}", signedIn, s.guideGet)
	m.HandleFunc("POST /api/v1/assessments", authz.AnyOf(authz.Manager, authz.Safety, authz.HR), s.assessmentCreate)
	m.HandleFunc("GET /api/v1/assessments", signedIn, s.assessmentsList)
	m.HandleFunc("GET /api/v1/assessments/{id}", signedIn, s.assessmentGet)
	m.HandleFunc("POST /api/v1/assessments/{id}/revisit", signedIn, s.assessmentRevisit)
	m.HandleFunc("POST /api/v1/assessments/{id}/bias-check", signedIn, s.assessmentBiasCheck)
	// The reporter's side needs the access code alone: it buys a short-lived
	// follow-up token, sent as the bearer token.
	m.HandleFunc("POST /api/v1/followup/session", public, s.followUpSession)
	m.HandleFunc("GET /api/v1/followup", public, s.followUpGet)
	m.HandleFunc("GET /api/v1/followup/attachments/{attachment_id}", public, s.followUpAttachment)
	m.HandleFunc("POST /api/v1/followup/messages", public, s.followUpMessage)
	m.HandleFunc("POST /api/v1/followup/feedback", public, s.followUpFeedback)

	s.learningRoutes(m)
	s.restoreRoutes(m)
	s.caseworkRoutes(m)
	s.equalityRoutes(m)
	s.actionsRoutes(m)
	s.libraryRoutes(m)

	m.HandleFunc(catchAll, public, s.noRoute)
}

// catchAll is the pattern for every API path no other route takes.
const catchAll = "/api/"
