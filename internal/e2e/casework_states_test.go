package e2e

import (
	"fmt"
	"strings"
	"testing"

	"candour/internal/authz"
	"candour/internal/casework"
)

// caseworkStates are the form states of the casework, equality and
// oversight pages. None of them changes a case: each sends its form empty or
// with a value the service refuses, so that the pages checks, which run at
// the same time, see the fixtures as they were made.
func caseworkStates(s *site) []state {
	cw := s.fx.cw
	at := func(format string, ids ...any) string { return fmt.Sprintf(format, ids...) }
	form := func(action string) string { return `form[action$="` + action + `"] button[type=submit]` }
	early, formal := at("/cases/%d", cw.early), at("/cases/%d", cw.formal)
	notHR := s.Users[authz.Manager].Email
	out := []state{
		// Opening a case.
		{name: "empty", role: authz.HR, path: "/cases/new", route: "POST /cases",
			submit: mainSubmit, status: 422, want: "Enter the employee number of the person the concern is about", errors: true},
		{name: "empty", role: authz.Manager, path: "/cases/new", route: "POST /cases",
			submit: mainSubmit, status: 422, want: "There is a problem", errors: true},

		// The case page's forms, on the early concern.
		{name: "adviser-not-in-hr", role: authz.HR, path: early, route: "POST /cases/{id}/assign",
			values: map[string]string{"#hr_adviser": notHR},
			submit: form("/assign"), status: 422, want: "is not in HR in candour", errors: true},
		{name: "representative-not-a-rep", role: authz.HR, path: early, route: "POST /cases/{id}/representative",
			values: map[string]string{"#rep": notHR},
			submit: form("/representative"), status: 422, want: "is not a trade union representative in candour", errors: true},
		{name: "party-empty", role: authz.HR, path: early, route: "POST /cases/{id}/parties",
			submit: form("/parties"), status: 422, want: "There is a problem", errors: true},
		{name: "entry-empty", role: authz.HR, path: early, route: "POST /cases/{id}/entries",
			submit: form("/entries"), status: 422, want: "There is a problem", errors: true},
		{name: "entry-empty", role: authz.Manager, path: early, route: "POST /cases/{id}/entries",
			submit: form("/entries"), status: 422, want: "There is a problem", errors: true},
		{name: "rep-note-empty", role: authz.UnionRep, path: early, route: "POST /cases/{id}/entries",
			submit: form("/entries"), status: 422, want: "There is a problem", errors: true},
		{name: "no-document", role: authz.HR, path: early, route: "POST /cases/{id}/documents",
			submit: form("/documents"), status: 422, want: "Choose a document to upload", errors: true},

		// The checklist and the move to formal.
		{name: "unknown-wellbeing-contact", role: authz.HR, path: early + "/checklist", route: "POST /cases/{id}/checklist",
			values: map[string]string{"#wellbeing_contact": "nobody@test.example"},
			submit: form("/checklist"), status: 422, want: "No active candour user has the email address nobody@test.example", errors: true},
		{name: "unmet-preconditions", role: authz.HR, path: early + "/formal", route: "POST /cases/{id}/formal",
			submit: "#move", status: 409, want: "Work through the just culture guide", errors: true},
		{name: "sign-off-unmet", role: authz.Exec, path: early + "/formal", route: "POST /cases/{id}/signoff",
			submit: form("/signoff"), status: 409, want: "Investigator named", errors: true},
		{name: "sign-off-note-too-long", role: authz.Exec, path: at("/cases/%d/formal", cw.ready), route: "POST /cases/{id}/signoff",
			values: map[string]string{"#signoff_note": strings.Repeat("x", 2001)},
			submit: form("/signoff"), status: 422, want: "There is a problem", errors: true},

		// A formal case.
		{name: "stage-empty", role: authz.HR, path: formal, route: "POST /cases/{id}/stage",
			fill: func(t testing.TB, tab *Tab, s *site) {
				tab.SetValue(t, "#stage", "")
			},
			submit: form("/stage"), status: 422, want: "There is a problem", errors: true},
		{name: "empty", role: authz.HR, path: formal + "/close", route: "POST /cases/{id}/close",
			submit: form("/close"), status: 422, want: "There is a problem", errors: true},

		// Wellbeing.
		{name: "contact-empty", role: authz.HR, path: early + "/wellbeing", route: "POST /cases/{id}/wellbeing",
			submit: form("/wellbeing"), status: 422, want: "There is a problem", errors: true},
		{name: "log-empty", role: authz.HR, path: early + "/wellbeing", route: "POST /cases/{id}/wellbeing/{wid}/contacts",
			submit: form(at("/wellbeing/%d/contacts", cw.earlyWellbeing)), status: 422, want: "There is a problem", errors: true},
		{name: "log-empty", role: authz.Manager, path: early + "/wellbeing", route: "POST /cases/{id}/wellbeing/{wid}/contacts",
			submit: form(at("/wellbeing/%d/contacts", cw.earlyWellbeing)), status: 422, want: "There is a problem", errors: true},

		// Suspensions.
		{name: "empty", role: authz.HR, path: early + "/suspensions/new", route: "POST /cases/{id}/suspensions",
			submit: form("/suspensions"), status: 422, want: "There is a problem", errors: true},
		{name: "review-empty", role: authz.HR, path: at("/suspensions/%d", cw.active), route: "POST /suspensions/{sid}/review",
			submit: form("/review"), status: 422, want: "There is a problem", errors: true},
		{name: "oversight-empty", role: authz.Exec, path: at("/suspensions/%d", cw.active), route: "POST /suspensions/{sid}/oversight",
			submit: form("/oversight"), status: 422, want: "There is a problem", errors: true},
		{name: "decision-empty", role: authz.Exec, as: cw.approver.Email, path: at("/suspensions/%d", cw.proposed), route: "POST /suspensions/{sid}/decision",
			submit: form("/decision"), status: 422, want: "Choose whether you agree", errors: true},

		// Responsibilities.
		{name: "empty", role: authz.Admin, path: "/admin/casework", route: "POST /admin/casework/designations",
			submit: form("/admin/casework/designations"), status: 422, want: "There is a problem", errors: true},

		// The periods of the equality measures and the oversight views.
		{name: "impossible-date", role: authz.HR, path: "/equality", route: "GET /equality",
			values: impossibleFrom, submit: form("/equality"), status: 422, want: "must be a real date", errors: true},
		{name: "impossible-date", role: authz.Exec, path: "/oversight", route: "GET /oversight",
			values: impossibleFrom, submit: form("/oversight"), status: 422, want: "must be a real date", errors: true},
		{name: "impossible-date", role: authz.UnionRep, path: "/partnership", route: "GET /partnership",
			values: impossibleFrom, submit: form("/partnership"), status: 422, want: "must be a real date", errors: true},
	}
	// The stage editor has a route for each type of case.
	for _, typ := range casework.Types() {
		path := "/cases/stages/" + typ.Value
		out = append(out, state{name: "target-not-a-number", role: authz.HR, path: path, route: "POST " + path,
			values: map[string]string{"#stages-1-target_days": "four weeks"},
			submit: mainSubmit, status: 422, want: "Enter the target for stage 1 as a whole number of days", errors: true})
	}
	return out
}

// impossibleFrom types a start date that does not exist.
var impossibleFrom = map[string]string{"#from-day": "31", "#from-month": "2", "#from-year": "2026"}
