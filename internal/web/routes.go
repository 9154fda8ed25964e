package web

import (
	"net/http"

	"candour/internal/authz"
)

// routes registers every page with the policy that guards it. Per-record
// rules (whose case, which concern) live in the domain packages; this table
// says which roles may reach a page at all.
func (s *Server) routes() {
	m := s.mux
	public, signedIn := authz.Public(), authz.SignedIn()
	admin := authz.AnyOf(authz.Admin)
	directory := authz.AnyOf(authz.Admin, authz.HR)
	headcount := authz.AnyOf(authz.Admin, authz.HR, authz.Exec)

	m.Handle("GET /static/", public, s.assets.handler())
	m.HandleFunc("GET /{$}", public, s.home)
	m.HandleFunc("GET /accessibility", public, s.accessibility)
	m.HandleFunc("GET /privacy", public, s.privacy)
	m.HandleFunc("GET /sign-in", public, s.signInShow)
	m.HandleFunc("POST /sign-in", public, s.signInSubmit)
	m.HandleFunc("POST /sign-out", signedIn, s.signOut)

	m.HandleFunc("GET /account", signedIn, s.accountShow)
	m.HandleFunc("POST /account/password", signedIn, s.passwordChange)
	m.HandleFunc("POST /account/sign-out-everywhere", signedIn, s.signOutEverywhere)
	m.HandleFunc("POST /account/tokens", signedIn, s.tokenCreate)
	m.HandleFunc("POST /account/tokens/{id}/revoke", signedIn, s.tokenRevoke)

	m.HandleFunc("GET /admin/users", admin, s.usersList)
	m.HandleFunc("GET /admin/users/new", admin, s.userNew)
	m.HandleFunc("POST /admin/users", admin, s.userCreate)
	m.HandleFunc("GET /admin/users/{id}", admin, s.userEdit)
	m.HandleFunc("POST /admin/users/{id}", admin, s.userUpdate)
	m.HandleFunc("POST /admin/users/{id}/password", admin, s.userResetPassword)
	m.HandleFunc("POST /admin/users/{id}/unlock", admin, s.userUnlock)
	m.HandleFunc("POST /admin/users/{id}/sign-out", admin, s.userSignOut)
	m.HandleFunc("GET /admin/audit", admin, s.auditList)
	m.HandleFunc("POST /admin/audit/verify", admin, s.auditVerify)
	m.HandleFunc("GET /admin/settings", admin, s.settingsShow)
	m.HandleFunc("POST /admin/settings", admin, s.settingsUpdate)

	m.HandleFunc("GET /organisation", directory, s.organisationShow)
	m.HandleFunc("GET /organisation/sites/new", admin, s.siteNew)
	m.HandleFunc("POST /organisation/sites", admin, s.siteCreate)
	m.HandleFunc("GET /organisation/sites/{id}/edit", admin, s.siteEdit)
	m.HandleFunc("POST /organisation/sites/{id}", admin, s.siteUpdate)
	m.HandleFunc("GET /organisation/departments/new", admin, s.departmentNew)
	m.HandleFunc("POST /organisation/departments", admin, s.departmentCreate)
	m.HandleFunc("GET /organisation/departments/{id}/edit", admin, s.departmentEdit)
	m.HandleFunc("POST /organisation/departments/{id}", admin, s.departmentUpdate)

	m.HandleFunc("GET /people", directory, s.peopleList)
	m.HandleFunc("GET /people/new", directory, s.personNew)
	m.HandleFunc("POST /people", directory, s.personCreate)
	m.HandleFunc("GET /people/import", directory, s.peopleImportShow)
	m.HandleFunc("POST /people/import", directory, s.peopleImportSubmit)
	m.HandleFunc("GET /people/{id}", directory, s.personShow)
	m.HandleFunc("GET /people/{id}/edit", directory, s.personEdit)
	m.HandleFunc("POST /people/{id}", directory, s.personUpdate)
	m.HandleFunc("GET /headcount", headcount, s.headcountShow)

	// Speaking up: anyone may report, anonymously without signing in.
	m.HandleFunc("GET /report", public, s.reportStart)
	m.HandleFunc("GET /report/safety-event", public, s.reportEventForm)
	m.HandleFunc("POST /report/safety-event", public, s.reportEventSubmit)
	m.HandleFunc("GET /report/concern", public, s.reportConcernForm)
	m.HandleFunc("POST /report/concern", public, s.reportConcernSubmit)
	m.HandleFunc("GET /follow-up", public, s.followUpStart)
	m.HandleFunc("POST /follow-up", public, s.followUpShow)
	m.HandleFunc("POST /follow-up/messages", public, s.followUpMessage)
	m.HandleFunc("POST /follow-up/feedback", public, s.followUpFeedback)
	m.HandleFunc("POST /follow-up/attachments/{aid}", public, s.followUpAttachment)
	m.HandleFunc("GET /my-reports", signedIn, s.myReportsList)
	m.HandleFunc("GET /my-reports/{id}", signedIn, s.myReportShow)
	m.HandleFunc("POST /my-reports/{id}/messages", signedIn, s.myReportMessage)
	m.HandleFunc("POST /my-reports/{id}/feedback", signedIn, s.myReportFeedback)
	m.HandleFunc("GET /my-reports/{id}/attachments/{aid}", signedIn, s.myReportAttachment)
	m.HandleFunc("GET /notifications", signedIn, s.notificationsList)
	m.HandleFunc("POST /notifications/read", signedIn, s.notificationsRead)

	// Handling: the patient safety team and the guardians, each for their
	// own team's reports (checked per record by the report package).
	handlers, guardians := authz.AnyOf(authz.Safety, authz.Guardian), authz.AnyOf(authz.Guardian)
	m.HandleFunc("GET /reports", handlers, s.reportsQueue)
	m.HandleFunc("GET /reports/return", guardians, s.reportsReturn)
	m.HandleFunc("GET /reports/return.csv", guardians, s.reportsReturnCSV)
	m.HandleFunc("GET /reports/{id}", handlers, s.reportShow)
	m.HandleFunc("GET /reports/{id}/attachments/{aid}", handlers, s.reportAttachment)
	m.HandleFunc("POST /reports/{id}/acknowledge", handlers, s.reportAcknowledge)
	m.HandleFunc("POST /reports/{id}/assign", handlers, s.reportAssign)
	m.HandleFunc("POST /reports/{id}/status", handlers, s.reportStatus)
	m.HandleFunc("POST /reports/{id}/messages", handlers, s.reportMessage)
	m.HandleFunc("POST /reports/{id}/notes", handlers, s.reportNote)
	m.HandleFunc("POST /reports/{id}/link", handlers, s.reportLink)
	m.HandleFunc("POST /reports/{id}/duplicate", handlers, s.reportDuplicate)
	m.HandleFunc("POST /reports/{id}/reroute", handlers, s.reportReroute)
	m.HandleFunc("POST /reports/{id}/classify", handlers, s.reportClassify)
	m.HandleFunc("POST /reports/{id}/close", handlers, s.reportClose)
	m.HandleFunc("POST /reports/{id}/reopen", handlers, s.reportReopen)
	m.HandleFunc("POST /reports/{id}/reveal", handlers, s.reportReveal)
	m.HandleFunc("POST /reports/{id}/redact", handlers, s.reportRedact)

	// Just culture guide: managers, the safety team and HR start
	// assessments; who may read or answer one is decided per record.
	starters := authz.AnyOf(authz.Manager, authz.Safety, authz.HR)
	guideReaders := authz.AnyOf(authz.Manager, authz.Safety, authz.HR, authz.Admin)
	m.HandleFunc("GET /assessments", signedIn, s.assessmentsList)
	m.HandleFunc("GET /assessments/new", starters, s.assessmentNew)
	m.HandleFunc("POST /assessments", starters, s.assessmentCreate)
	m.HandleFunc("GET /assessments/insight", authz.AnyOf(authz.Safety, authz.HR), s.assessmentInsight)
	m.HandleFunc("GET /assessments/{id}", signedIn, s.assessmentShow)
	m.HandleFunc("GET /assessments/{id}/question", signedIn, s.assessmentQuestion)
	m.HandleFunc("POST /assessments/{id}/answers", signedIn, s.assessmentAnswer)
	m.HandleFunc("POST /assessments/{id}/bias-check", signedIn, s.assessmentBiasCheck)
	m.HandleFunc("POST /assessments/{id}/revisit", signedIn, s.assessmentRevisit)
	m.HandleFunc("POST /assessments/{id}/share", signedIn, s.assessmentShare)
	m.HandleFunc("GET /guides", guideReaders, s.guidesList)
	m.HandleFunc("GET /guides/{id}", guideReaders, s.guideShow)
	m.HandleFunc("POST /guides", admin, s.guideUpload)
	m.HandleFunc("POST /guides/{id}/retire", admin, s.guideRetire)

	// Learn and restore: each capability registers its own pages.
	s.learningRoutes(m)
	s.restoreRoutes(m)
	s.caseworkRoutes(m)
	s.equalityRoutes(m)
	s.actionsRoutes(m)
	s.libraryRoutes(m)

	// Anything else is a page that does not exist.
	m.HandleFunc("/", public, func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) })
}
