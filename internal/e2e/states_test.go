package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"candour/internal/app/apptest"
	"candour/internal/authz"
	"candour/internal/report"
)

// state is a page in the state a form submission leaves it in: usually with
// errors, after the form was sent empty or with a bad value.
type state struct {
	name string     // the state: part of the subtest and screenshot names
	role authz.Role // who is signed in; "" for nobody
	// as, when not "", is the email of another user holding role, signed
	// in instead of the role's test user (see otherUserVariant).
	as    string
	path  string // the page with the form; path parameters as in pathParams, e.g. /people/{id}/edit
	route string // the POST route the form sends to, as registered, e.g. "POST /account/password"
	// open, when not nil, brings the tab to the page with the form instead
	// of loading path: for a page that only a form leads to (follow-up with
	// an access code). path then only names the state.
	open func(t testing.TB, tab *Tab, s *site)
	// values are typed into fields: CSS selector → text. Leave a field out to
	// send it empty.
	values map[string]string
	// fill, when not nil, runs after values, for what typing cannot do:
	// selects, radios, checkboxes and files.
	fill   func(t testing.TB, tab *Tab, s *site)
	submit string // CSS selector of the button that sends the form
	status int    // HTTP status of the page the form leads to
	want   string // text the main part of that page shows
	// errors says the page must show an error summary, focused, whose every
	// link leads to a field on the page, and a title starting "Error: ".
	errors bool
	// check, when not nil, checks more of the page the form led to.
	check func(t testing.TB, tab *Tab, s *site)
}

// states are the form states, checked like every page plus what errors
// need. Add a row for every new form: TestBrowser/forms-have-error-states fails for a
// POST route with no row (or no entry in noErrorState).
//
// Each role's rows run in order in a tab of its own, the roles in parallel
// with each other and with the pages checks, all against one site. A row
// that changes something (a success state) must leave every other row and
// page as it found it, or work on a record of its own made in newFixtures.
func states(s *site) []state {
	long := strings.Repeat("x", 101)
	fx := s.fx
	at := func(format string, ids ...any) string { return fmt.Sprintf(format, ids...) }
	form := func(action string) string { return `form[action$="` + action + `"] button[type=submit]` }
	// openDetails opens the details element that holds the form sending
	// to action, as a person would to reach it.
	openDetails := func(action string) func(t testing.TB, tab *Tab) {
		return func(t testing.TB, tab *Tab) { tab.Click(t, `details:has(form[action$="`+action+`"]) > summary`) }
	}
	return append([]state{
		{name: "empty", path: "/sign-in", route: "POST /sign-in",
			submit: signInButton, status: 422, want: "Enter your email address", errors: true},
		{name: "wrong-password", path: "/sign-in", route: "POST /sign-in",
			values: map[string]string{"#email": "staff@test.example", "#password": "not the password"},
			submit: signInButton, status: 401, want: "Your email address or password is not correct", errors: true},

		{name: "password-empty", role: authz.Staff, path: "/account", route: "POST /account/password",
			submit: `form[action="/account/password"] button[type=submit]`, status: 422, want: "Enter your current password", errors: true},
		{name: "password-mismatch", role: authz.Staff, path: "/account", route: "POST /account/password",
			values: map[string]string{"#current_password": apptest.Password, "#new_password": "a brand new passphrase here",
				"#confirm_password": "a different passphrase"},
			submit: `form[action="/account/password"] button[type=submit]`, status: 422, want: "The passwords do not match", errors: true},
		{name: "password-too-short", role: authz.Staff, path: "/account", route: "POST /account/password",
			values: map[string]string{"#current_password": apptest.Password, "#new_password": "short", "#confirm_password": "short"},
			submit: `form[action="/account/password"] button[type=submit]`, status: 422, want: "Your new password is not long enough", errors: true},
		{name: "token-name-too-long", role: authz.Staff, path: "/account", route: "POST /account/tokens",
			values: map[string]string{"#token_name": long},
			submit: `form[action="/account/tokens"] button[type=submit]`, status: 422, want: "Token name must be 100 characters or fewer", errors: true},
		{name: "token-created", role: authz.Staff, path: "/account", route: "POST /account/tokens",
			values: map[string]string{"#token_name": "reporting script"},
			submit: `form[action="/account/tokens"] button[type=submit]`, status: 201, want: "Your new token is shown once"},

		{name: "empty", role: authz.Admin, path: "/admin/users/new", route: "POST /admin/users",
			submit: mainSubmit, status: 422, want: "There is a problem", errors: true},
		{name: "name-removed", role: authz.Admin, path: "/admin/users/{id}", route: "POST /admin/users/{id}",
			values: map[string]string{"#name": ""},
			submit: mainSubmit, status: 422, want: "There is a problem", errors: true},
		{name: "bad-threshold", role: authz.Admin, path: "/admin/settings", route: "POST /admin/settings",
			values: map[string]string{"#small_number_threshold": "lots"},
			submit: mainSubmit, status: 422, want: "The smallest count to show must be a whole number", errors: true},
		{name: "bad-date", role: authz.Admin, path: "/admin/audit", route: "GET /admin/audit",
			values: map[string]string{"#from": "17/03/2026"},
			submit: `form[action="/admin/audit"] button[type=submit]`, status: 422, want: "There is a problem", errors: true},

		{name: "empty", role: authz.Admin, path: "/organisation/sites/new", route: "POST /organisation/sites",
			submit: mainSubmit, status: 422, want: "There is a problem", errors: true},
		{name: "bad-code", role: authz.Admin, path: "/organisation/sites/{id}/edit", route: "POST /organisation/sites/{id}",
			values: map[string]string{"#code": "not a code!"},
			submit: mainSubmit, status: 422, want: "must only include letters, numbers, hyphens", errors: true},
		{name: "empty", role: authz.Admin, path: "/organisation/departments/new", route: "POST /organisation/departments",
			submit: mainSubmit, status: 422, want: "Select the site", errors: true},
		{name: "name-removed", role: authz.Admin, path: "/organisation/departments/{id}/edit", route: "POST /organisation/departments/{id}",
			values: map[string]string{"#name": ""},
			submit: mainSubmit, status: 422, want: "There is a problem", errors: true},

		{name: "empty", role: authz.HR, path: "/people/new", route: "POST /people",
			submit: mainSubmit, status: 422, want: "Select the department", errors: true},
		{name: "impossible-start-date", role: authz.HR, path: "/people/{id}/edit", route: "POST /people/{id}",
			values: map[string]string{"#start_date-day": "31", "#start_date-month": "2", "#start_date-year": "2024"},
			submit: mainSubmit, status: 422, want: "There is a problem", errors: true},
		{name: "no-file", role: authz.HR, path: "/people/import", route: "POST /people/import",
			submit: mainSubmit, status: 422, want: "Select a CSV file", errors: true},
		{name: "bad-rows", role: authz.HR, path: "/people/import", route: "POST /people/import",
			fill: func(t testing.TB, tab *Tab, s *site) {
				f := filepath.Join(t.TempDir(), "esr.csv")
				csv := "Employee Number,First Name,Last Name,Email Address,Organisation,Staff Group,Position Title,Supervisor Employee Number,Hire Date,Termination Date\n" +
					"12345678,Ann,Other,ann@example.org,NO-SUCH-DEPT,nursing_midwifery,Staff Nurse,,01/02/2020,\n" +
					"bad number!,Bob,Else,not an email,NGH-AMU,no_such_group,Porter,,31/02/2020,\n"
				if err := os.WriteFile(f, []byte(csv), 0o600); err != nil {
					t.Fatal(err)
				}
				tab.UploadFile(t, "#file", f)
			},
			submit: mainSubmit, status: 422, want: "There is a problem", errors: true},
		{name: "search", role: authz.HR, path: "/people", route: "GET /people",
			values: map[string]string{"#q": "Okoro"},
			submit: `form[action="/people"] button[type=submit]`, status: 200, want: "Sam Okoro"},
		{name: "impossible-date", role: authz.Exec, path: "/headcount", route: "GET /headcount",
			values: map[string]string{"#date-day": "31", "#date-month": "2", "#date-year": "2025"},
			submit: `form[action="/headcount"] button[type=submit]`, status: 422, want: "Date must be a real date", errors: true},

		// Speaking up: the report forms.
		{name: "empty", path: "/report/safety-event", route: "POST /report/safety-event",
			submit: form("/report/safety-event"), status: 422, want: "Choose how you want to raise this", errors: true},
		{name: "empty", role: authz.Staff, path: "/report/safety-event", route: "POST /report/safety-event",
			submit: form("/report/safety-event"), status: 422, want: "Enter the date it happened", errors: true},
		{name: "empty", path: "/report/concern", route: "POST /report/concern",
			submit: form("/report/concern"), status: 422, want: "Tell us what your concern is about", errors: true},
		{name: "privacy-warning", role: authz.Staff, path: "/report/safety-event", route: "POST /report/safety-event",
			fill:   fillEvent("#mode", "The patient with NHS number 943 476 5919 was given insulin twice because the chart was not signed."),
			submit: form("/report/safety-event"), status: 422, want: "Check what you wrote before you send it", errors: true,
			check: func(t testing.TB, tab *Tab, s *site) {
				if got := tab.Text(t, "#privacy-warning"); !strings.Contains(got, "943 476 5919") {
					t.Errorf("the privacy warning does not name the NHS number: %q", got)
				}
				if !tab.Exists(t, "#confirm_privacy") {
					t.Errorf("the privacy warning has no box to send it as it is (#confirm_privacy)")
				}
			}},
		{name: "anonymous-sent", path: "/report/safety-event", route: "POST /report/safety-event",
			fill:   fillEvent("#mode-3", "The emergency buzzer in delivery room 2 did not sound at the midwives' station when it was tested."),
			submit: form("/report/safety-event"), status: 200, want: "Your access code",
			check: func(t testing.TB, tab *Tab, s *site) {
				if code := tab.Text(t, "#access-code"); !accessCode.MatchString(code) {
					t.Errorf("the access code shown is %q, not a code like XXXX-XXXX-XXXX-XXXX-XXXX", code)
				}
			}},

		// Raising a concern confidentially without signing in: asked to
		// sign in, with what was typed carried through.
		{name: "sign-in-to-raise-confidentially", path: "/report/concern", route: "POST /report/concern",
			values: map[string]string{"#description": "Handover on the ward is rushed and the new starters are not shown the escalation policy."},
			fill:   func(t testing.TB, tab *Tab, s *site) { tab.Click(t, "#mode-2"); tab.Click(t, "#elements") },
			submit: form("/report/concern"), status: 200, want: "What you have written is kept"},
		{name: "sign-in-to-raise-confidentially-wrong-password", path: "/report/concern", route: "POST /report/concern",
			open: func(t testing.TB, tab *Tab, s *site) {
				tab.Visit(t, "/report/concern")
				tab.Submit(t, func(t testing.TB, tab *Tab) {
					tab.Type(t, "#description", "Handover on the ward is rushed and the new starters are not shown the escalation policy.")
					tab.Click(t, "#mode-2")
					tab.Click(t, "#elements")
				}, form("/report/concern"))
			},
			values: map[string]string{"#sign_in_email": "staff@test.example", "#sign_in_password": "not the password"},
			submit: `button[value="sign-in"]`, status: 401, want: "Your email address or password is not correct", errors: true,
			check: func(t testing.TB, tab *Tab, s *site) {
				if got := tab.Eval(t, `document.querySelector('input[type=hidden][name=description]').value`); !strings.Contains(got, "escalation policy") {
					t.Errorf("the draft is no longer carried: hidden description %q", got)
				}
			}},

		// Following up an anonymous report with its access code.
		{name: "empty", path: "/follow-up", route: "POST /follow-up",
			submit: form("/follow-up"), status: 422, want: "Enter your access code", errors: true},
		{name: "wrong-code", path: "/follow-up", route: "POST /follow-up",
			values: map[string]string{"#code": "AAAA-CCCC-DDDD-EEEE-FFFF"},
			submit: form("/follow-up"), status: 401, want: "That access code does not match a report", errors: true},
		{name: "valid-code", path: "/follow-up", route: "POST /follow-up",
			fill:   func(t testing.TB, tab *Tab, s *site) { tab.Type(t, "#code", s.fx.code) },
			submit: form("/follow-up"), status: 200, want: "Is the buzzer in room 4 affected too?"},
		{name: "message-empty", path: "/follow-up", route: "POST /follow-up/messages", open: followUp(fx.code),
			submit: form("/follow-up/messages"), status: 422, want: "There is a problem", errors: true},
		{name: "feedback-empty", path: "/follow-up", route: "POST /follow-up/feedback", open: followUp(fx.closedCode),
			submit: form("/follow-up/feedback"), status: 422, want: "Choose whether you would speak up again", errors: true},
		{name: "feedback-treated-worse", path: "/follow-up", route: "POST /follow-up/feedback", open: followUp(fx.treatedWorseCode),
			fill:   func(t testing.TB, tab *Tab, s *site) { tab.Click(t, "#speak_up_again-3"); tab.Click(t, "#detriment-2") },
			submit: form("/follow-up/feedback"), status: 200, want: "We are sorry this happened to you"},

		// My reports and notifications.
		{name: "message-empty", role: authz.Staff, path: at("/my-reports/%d", fx.own[authz.Staff]), route: "POST /my-reports/{id}/messages",
			submit: form("/messages"), status: 422, want: "There is a problem", errors: true},
		{name: "feedback-empty", role: authz.Staff, path: at("/my-reports/%d", fx.staffClosed), route: "POST /my-reports/{id}/feedback",
			submit: form("/feedback"), status: 422, want: "Choose whether you would speak up again", errors: true},
		{name: "all-read", role: authz.Staff, path: "/notifications", route: "POST /notifications/read",
			submit: `form[action="/notifications/read"]:has(input[name=all]) button[type=submit]`, status: 200, want: "All your notifications are marked as read"},

		// Handling a report. None of these changes the report.
		{name: "find-unknown-reference", role: authz.Safety, path: "/reports", route: "GET /reports",
			values: map[string]string{"#reference": "SE-999999-0"},
			submit: `form[action="/reports"] button[type=submit]`, status: 404, want: "None of your team's reports has the reference SE-999999-0", errors: true},
		{name: "find-by-reference", role: authz.Safety, path: "/reports", route: "GET /reports",
			fill: func(t testing.TB, tab *Tab, s *site) {
				var ref string
				if err := s.DB.QueryRowContext(context.Background(), `SELECT reference FROM reports WHERE id = ?`, s.fx.closedEvent).Scan(&ref); err != nil {
					t.Fatal(err)
				}
				tab.Type(t, "#reference", strings.ToLower(ref))
			},
			submit: `form[action="/reports"] button[type=submit]`, status: 200, want: "Pharmacy now packs the two pens apart"},
		{name: "close-without-outcome", role: authz.Safety, path: at("/reports/%d", fx.handled[authz.Safety]), route: "POST /reports/{id}/close",
			submit: form("/close"), status: 422, want: "Enter what you found and what changed", errors: true},
		{name: "message-empty", role: authz.Safety, path: at("/reports/%d", fx.handled[authz.Safety]), route: "POST /reports/{id}/messages",
			submit: form("/messages"), status: 422, want: "There is a problem", errors: true},
		{name: "note-empty", role: authz.Guardian, path: at("/reports/%d", fx.handled[authz.Guardian]), route: "POST /reports/{id}/notes",
			submit: form("/notes"), status: 422, want: "There is a problem", errors: true},
		{name: "reveal-without-reason", role: authz.Guardian, path: at("/reports/%d", fx.confidential), route: "POST /reports/{id}/reveal",
			submit: form("/reveal"), status: 422, want: "Give the reason you need to know who raised this", errors: true},
		{name: "redact-without-words", role: authz.Safety, path: at("/reports/%d", fx.handled[authz.Safety]), route: "POST /reports/{id}/redact",
			fill: func(t testing.TB, tab *Tab, s *site) {
				openDetails("/redact")(t, tab)
				tab.SetValue(t, "#redact_target", "description")
				tab.Type(t, "#redact_reason", "A name was given in the description")
			},
			submit: form("/redact"), status: 422, want: "Enter the exact words to redact", errors: true},
		{name: "link-unknown-reference", role: authz.Safety, path: at("/reports/%d", fx.handled[authz.Safety]), route: "POST /reports/{id}/link",
			fill: func(t testing.TB, tab *Tab, s *site) {
				openDetails("/link")(t, tab)
				tab.Type(t, "#related", report.Reference(report.SafetyEvent, 999999))
			},
			submit: form("/link"), status: 422, want: "No report you can see has the reference " + report.Reference(report.SafetyEvent, 999999), errors: true},
		{name: "duplicate-without-reference", role: authz.Guardian, path: at("/reports/%d", fx.handled[authz.Guardian]), route: "POST /reports/{id}/duplicate",
			fill:   func(t testing.TB, tab *Tab, s *site) { openDetails("/duplicate")(t, tab) },
			submit: form("/duplicate"), status: 422, want: "Enter the reference of the report this one duplicates", errors: true},
		{name: "reroute-without-reason", role: authz.Guardian, path: at("/reports/%d", fx.handled[authz.Guardian]), route: "POST /reports/{id}/reroute",
			fill:   func(t testing.TB, tab *Tab, s *site) { openDetails("/reroute")(t, tab) },
			submit: form("/reroute"), status: 422, want: "Say why this report belongs with the other team", errors: true},
		{name: "classify-concern-about-nothing", role: authz.Guardian, path: at("/reports/%d", fx.handled[authz.Guardian]), route: "POST /reports/{id}/classify",
			fill: func(t testing.TB, tab *Tab, s *site) {
				openDetails("/classify")(t, tab)
				tab.Eval(t, `document.querySelectorAll('input[name="class_elements"]').forEach(c => { c.checked = false }), ""`)
			},
			submit: form("/classify"), status: 422, want: "Choose at least one thing the concern is about", errors: true},
		{name: "reopen-without-reason", role: authz.Safety, path: at("/reports/%d", fx.closedEvent), route: "POST /reports/{id}/reopen",
			submit: form("/reopen"), status: 422, want: "Enter why you are reopening the report", errors: true},
		{name: "assign-nobody", role: authz.Safety, path: at("/reports/%d", fx.handled[authz.Safety]), route: "POST /reports/{id}/assign",
			fill:   func(t testing.TB, tab *Tab, s *site) { tab.SetValue(t, "#assignee", "") },
			submit: form("/assign"), status: 422, want: "Choose who will handle this report", errors: true},

		// Just culture assessments and guides.
		{name: "empty", role: authz.Manager, path: "/assessments/new", route: "POST /assessments",
			submit: form("/assessments"), status: 422, want: "There is a problem", errors: true},
		{name: "answer-without-reason", role: authz.Manager, path: at("/assessments/%d/question", fx.inProgress), route: "POST /assessments/{id}/answers",
			fill:   func(t testing.TB, tab *Tab, s *site) { tab.Click(t, "#answer") },
			submit: form("/answers"), status: 422, want: "There is a problem", errors: true},
		{name: "bias-check-without-reason", role: authz.Manager, path: at("/assessments/%d", fx.atBiasCheck), route: "POST /assessments/{id}/bias-check",
			fill:   func(t testing.TB, tab *Tab, s *site) { tab.Click(t, "#bias_same") },
			submit: form("/bias-check"), status: 422, want: "There is a problem", errors: true},
		{name: "no-file", role: authz.Admin, path: "/guides", route: "POST /guides",
			submit: form("/guides"), status: 422, want: "Select a guide definition file", errors: true},
		{name: "bad-definition", role: authz.Admin, path: "/guides", route: "POST /guides",
			fill: func(t testing.TB, tab *Tab, s *site) {
				f := filepath.Join(t.TempDir(), "guide.json")
				if err := os.WriteFile(f, []byte(loopingGuide), 0o600); err != nil {
					t.Fatal(err)
				}
				tab.UploadFile(t, "#definition", f)
			},
			submit: form("/guides"), status: 422, want: "There is a problem", errors: true},

		// Learning responses. None of these changes the response.
		{name: "empty", role: authz.Safety, path: "/learning/new", route: "POST /learning",
			submit: form("/learning"), status: 422, want: "There is a problem", errors: true},
		{name: "record-too-long", role: authz.Safety, path: at("/learning/%d", fx.response), route: "POST /learning/{id}/record",
			fill:   func(t testing.TB, tab *Tab, s *site) { tab.SetValue(t, "#expected", strings.Repeat("x", 10001)) },
			submit: form("/record"), status: 422, want: "There is a problem", errors: true},
		{name: "engagement-empty", role: authz.Safety, path: at("/learning/%d", fx.response), route: "POST /learning/{id}/engagements",
			fill:   func(t testing.TB, tab *Tab, s *site) { openDetails("/engagements")(t, tab) },
			submit: form("/engagements"), status: 422, want: "Choose whether they are the patient", errors: true},
		{name: "candour-empty", role: authz.Safety, path: at("/learning/%d", fx.response), route: "POST /learning/{id}/duty-of-candour",
			submit: form("/duty-of-candour"), status: 422, want: "Say whether this is a notifiable safety incident", errors: true},
		{name: "ready-but-incomplete", role: authz.Safety, path: at("/learning/%d", fx.response), route: "POST /learning/{id}/status",
			fill:   func(t testing.TB, tab *Tab, s *site) { tab.SetValue(t, "#status", "awaiting_sign_off") },
			submit: form("/status"), status: 422, want: "There is a problem", errors: true},
		{name: "sign-off-without-note", role: authz.Safety, path: at("/learning/%d", fx.awaitingSignOff), route: "POST /learning/{id}/sign-off",
			submit: form("/sign-off"), status: 422, want: "There is a problem", errors: true},

		// Restorative records and support plans. None of these changes them.
		{name: "empty", role: authz.Safety, path: "/restore/new", route: "POST /restore",
			submit: form("/restore"), status: 422, want: "Enter the reference of the patient safety event", errors: true},
		{name: "need-empty", role: authz.Safety, path: at("/restore/%d", fx.restoreRecord), route: "POST /restore/{id}/needs",
			submit: form("/needs"), status: 422, want: "Choose who has been hurt", errors: true},
		{name: "met-without-needs", role: authz.Safety, path: at("/restore/%d/needs/%d", fx.restoreRecord, fx.restoreNeed), route: "POST /restore/{id}/needs/{nid}",
			values: map[string]string{"#needs": ""},
			fill:   func(t testing.TB, tab *Tab, s *site) { tab.Click(t, "#met") },
			submit: form(at("/needs/%d", fx.restoreNeed)), status: 422, want: "Write down what they need before marking it as met", errors: true},
		{name: "achieved-without-note", role: authz.Safety, path: at("/restore/%d", fx.restoreRecord), route: "POST /restore/{id}/goals",
			fill: func(t testing.TB, tab *Tab, s *site) {
				tab.Click(t, `form[action$="/goals"] input[type=radio][value=yes]`)
			},
			submit: form("/goals"), status: 422, want: "There is a problem", errors: true},
		{name: "empty", role: authz.Safety, path: "/support/new", route: "POST /support",
			submit: form("/support"), status: 422, want: "Enter the staff member's employee number", errors: true},
		{name: "check-in-empty", role: authz.Safety, path: at("/support/%d", fx.plan), route: "POST /support/{id}/check-ins",
			submit: form("/check-ins"), status: 422, want: "Enter the date of the check-in", errors: true},

		// Improvement actions. None of these changes the action.
		{name: "empty", role: authz.Safety, path: "/actions/new", route: "POST /actions",
			submit: mainSubmit, status: 422, want: "There is a problem", errors: true},
		{name: "title-removed", role: authz.Safety, path: at("/actions/%d/edit", fx.action), route: "POST /actions/{id}",
			values: map[string]string{"#title": ""},
			submit: mainSubmit, status: 422, want: "There is a problem", errors: true},
		{name: "done-without-evidence", role: authz.Manager, path: at("/actions/%d", fx.action), route: "POST /actions/{id}/status",
			fill: func(t testing.TB, tab *Tab, s *site) {
				tab.Click(t, `form[action$="/status"] input[type=radio][value=done]`)
			},
			submit: form("/status"), status: 422, want: "Enter the evidence of completion", errors: true},

		// The library. None of these changes a lesson.
		{name: "empty", role: authz.Safety, path: "/library/new", route: "POST /library",
			submit: mainSubmit, status: 422, want: "There is a problem", errors: true},
		{name: "title-removed", role: authz.Safety, path: at("/library/%d/edit", fx.draftLesson), route: "POST /library/{id}",
			values: map[string]string{"#title": ""},
			submit: mainSubmit, status: 422, want: "There is a problem", errors: true},
		{name: "send-to-nobody", role: authz.Safety, path: at("/library/%d/send", fx.lesson), route: "POST /library/{id}/send",
			submit: form("/send"), status: 422, want: "Choose at least one department or staff group", errors: true},
	}, caseworkStates(s)...)
}

// accessCode is what an access code looks like.
var accessCode = regexp.MustCompile(`^[A-Z0-9]{4}(-[A-Z0-9]{4}){4}$`)

// fillEvent fills the safety event form as a reporter would, raising it the
// way the radio button mode (CSS) selects, with description as the
// narrative.
func fillEvent(mode, description string) func(t testing.TB, tab *Tab, s *site) {
	return func(t testing.TB, tab *Tab, s *site) {
		day := s.App.Now().AddDate(0, 0, -1)
		tab.Click(t, mode)
		tab.Click(t, "#event_type") // an incident
		tab.Type(t, "#occurred_on-day", strconv.Itoa(day.Day()))
		tab.Type(t, "#occurred_on-month", strconv.Itoa(int(day.Month())))
		tab.Type(t, "#occurred_on-year", strconv.Itoa(day.Year()))
		tab.SetValue(t, "#department_id", tab.Eval(t, `document.querySelector('#department_id optgroup option').value`))
		tab.Type(t, "#description", description)
		tab.Click(t, "#physical_harm")      // none
		tab.Click(t, "#psychological_harm") // none
		tab.UploadFile(t, "#attachments", s.fx.pngPath)
	}
}

// followUp returns an open function that enters code on the follow-up page,
// as an anonymous reporter does to reach their report.
func followUp(code string) func(t testing.TB, tab *Tab, s *site) {
	return func(t testing.TB, tab *Tab, s *site) {
		t.Helper()
		if res := tab.Visit(t, "/follow-up"); res.Status != 200 {
			t.Fatalf("GET /follow-up: status %d", res.Status)
		}
		res := tab.Submit(t, func(t testing.TB, tab *Tab) { tab.Type(t, "#code", code) }, `form[action="/follow-up"] button[type=submit]`)
		if res.Status != 200 {
			t.Fatalf("follow up with the access code: status %d (h1 %q, errors %q)", res.Status, tab.Text(t, "h1"), tab.Text(t, ".nhsuk-error-summary"))
		}
	}
}

// loopingGuide is a guide definition whose questions go round in a loop,
// which the upload must refuse, saying where.
const loopingGuide = `{
  "id": "mini",
  "version": 1,
  "title": "Mini guide",
  "start": "q1",
  "tests": [
    {
      "id": "t1",
      "title": "First test",
      "questions": [
        {"id": "q1", "text": "First?", "help": "Some help.", "yes": "q2", "no": "E1"},
        {"id": "q2", "text": "Second?", "yes": "q3", "no": "E2"},
        {"id": "q3", "text": "Third?", "yes": "q2", "no": "E1"}
      ]
    }
  ],
  "end_points": [
    {"id": "E1", "title": "One", "individual_action": "likely", "supports_formal_action": true, "summary": "Act.", "actions": ["Follow guidance."], "system_learning": "Learn anyway."},
    {"id": "E2", "title": "Two", "individual_action": "unlikely", "supports_formal_action": false, "summary": "Do not single out.", "actions": ["Improve the system."], "system_learning": "Learn anyway."}
  ]
}`

// mainSubmit selects the submit button of the first form in main that posts.
const mainSubmit = `main form[method=post] button[type=submit]`

// noErrorState are POST routes whose forms have nothing a person types, so
// no error state to show, and why. Casework's are in caseworkNoErrorState.
var noErrorState = map[string]string{
	"POST /sign-out":                    "a button",
	"POST /account/sign-out-everywhere": "a button",
	"POST /account/tokens/{id}/revoke":  "a button",
	"POST /admin/users/{id}/unlock":     "a button",
	"POST /admin/users/{id}/sign-out":   "a button",
	"POST /admin/audit/verify":          "a button",
	"POST /admin/users/{id}/password":   "a button: the new password is generated and shown",

	"POST /follow-up/attachments/{aid}": "a download button; the follow-up token goes in a hidden field",
	"POST /notifications/read":          "buttons: mark one notification, or all, as read",
	"POST /reports/{id}/acknowledge":    "a button, shown only while the report is not acknowledged",
	"POST /reports/{id}/status":         "a select that offers only the open statuses, and a button",
	"POST /assessments/{id}/revisit":    "a button, shown only on the latest complete version",
	"POST /assessments/{id}/share":      "a button: gives the staff member concerned a copy",
	"POST /guides/{id}/retire":          "a button",

	"POST /support/{id}/close":    "a button",
	"POST /support/{id}/own-view": "only the staff member the plan is for may write their view, and none of the test users is one; its only error is text over the length limit",
	"POST /library/{id}/publish":  "a button on a draft; what stops publishing is shown on the lesson's form",
	"POST /library/{id}/read":     "a button: marks the lesson as read",
}

// testFormsHaveErrorStates fails for every POST route that has neither a row
// in states nor an entry in noErrorState, so that no form escapes the checks.
func testFormsHaveErrorStates(t *testing.T, s *site) {
	covered := map[string]bool{}
	for _, st := range states(s) {
		covered[st.route] = covered[st.route] || st.errors
	}
	registered := map[string]bool{}
	var missing []string
	for _, r := range s.App.Web.Routes() {
		registered[r.Pattern] = true
		if r.Method() != "POST" {
			continue
		}
		if !covered[r.Pattern] && noErrorState[r.Pattern] == "" {
			missing = append(missing, r.Pattern)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("%s has no row in states (internal/e2e/states_test.go): add one that sends the form empty or with a bad value", m)
	}
	for route := range covered {
		if !registered[route] {
			t.Errorf("states has a row for %s, which is not a registered route", route)
		}
	}
}

// testStates sends each form in states and checks the page it leads to.
func testStates(t *testing.T, b *Browser, s *site) {
	// Each user's rows run in order in its own tab; the users (each role's
	// test user, and any other user a row signs in as) run in parallel.
	var users []string
	byUser := map[string][]state{}
	for _, st := range states(s) {
		u := who(st.role)
		if st.as != "" {
			u = userName(st.as)
		}
		if byUser[u] == nil {
			users = append(users, u)
		}
		byUser[u] = append(byUser[u], st)
	}
	for _, u := range users {
		t.Run(u, func(t *testing.T) {
			t.Parallel()
			first := byUser[u][0]
			var tab *Tab
			if first.as != "" {
				tab = s.tabAs(t, b, first.as)
			} else {
				tab = s.tabFor(t, b, first.role, TabOptions{})
			}
			for _, st := range byUser[u] {
				t.Run(strings.TrimPrefix(st.path, "/")+"/"+st.name, func(t *testing.T) { checkState(t, tab, s, st) })
			}
		})
	}
}

// checkState sends the form of st in tab and checks the page it leads to.
func checkState(t *testing.T, tab *Tab, s *site, st state) {
	path, err := fillPath(st.path, s.params[st.role])
	if err != nil {
		t.Fatal(err)
	}
	if st.open != nil {
		st.open(t, tab, s)
	} else if res := tab.Visit(t, path); res.Status != 200 {
		t.Fatalf("GET %s as %s: status %d, want 200 (h1 %q)", path, who(st.role), res.Status, tab.Text(t, "h1"))
	}
	checkFormRoute(t, tab, st)
	res := tab.Submit(t, func(t testing.TB, tab *Tab) {
		for sel, v := range st.values {
			tab.Type(t, sel, v)
		}
		if st.fill != nil {
			st.fill(t, tab, s)
		}
	}, st.submit)
	if res.Status != st.status {
		t.Errorf("status %d, want %d (h1 %q)", res.Status, st.status, tab.Text(t, "h1"))
	}
	if main := tab.Text(t, "main"); !strings.Contains(main, st.want) {
		t.Errorf("the page does not say %q; main says:\n%s", st.want, main)
	}
	if st.errors {
		checkErrorSummary(t, tab)
	} else if got := tab.Text(t, ".nhsuk-error-summary"); got != "" {
		t.Errorf("unexpected error summary: %q", got)
	}
	if st.check != nil {
		st.check(t, tab, s)
	}
	tab.CheckPage(t, path, st.name)
}

// checkFormRoute fails the test unless the button st.submit selects sends its
// form to st.route, so that the states table cannot claim a route it misses.
func checkFormRoute(t *testing.T, tab *Tab, st state) {
	t.Helper()
	var f struct{ Method, Action string }
	tab.EvalInto(t, `(() => {
		const b = document.querySelector(`+jsString(st.submit)+`);
		const f = b && b.form;
		// getAttribute, not f.action: a field named "action" hides that.
		const attr = (name) => b.getAttribute('form' + name) || f.getAttribute(name) || '';
		return f ? {method: (attr('method') || 'get').toUpperCase(), action: new URL(attr('action'), document.baseURI).href} : {method: '', action: ''};
	})()`, &f)
	if f.Action == "" {
		t.Fatalf("no form button matches %s", st.submit)
	}
	u, err := url.Parse(f.Action)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc(st.route, func(http.ResponseWriter, *http.Request) {})
	if _, pattern := mux.Handler(httptest.NewRequest(f.Method, u.Path, nil)); pattern != st.route {
		t.Fatalf("the form of %s sends %s %s, which is not %s", st.submit, f.Method, u.Path, st.route)
	}
}

// checkErrorSummary checks what a page with form errors must do: a title
// starting "Error: ", an error summary that has focus (the NHS.UK frontend
// focuses it so screen readers announce it), and links that each lead to an
// element on the page; the first linked field marked as in error.
func checkErrorSummary(t *testing.T, tab *Tab) {
	t.Helper()
	var es struct {
		Present, Focused bool
		Title            string
		Links            []struct{ Href, Text string }
		Missing          []string
		Unmarked         []string
	}
	tab.EvalInto(t, `(() => {
		const s = document.querySelector('.nhsuk-error-summary');
		const links = s ? Array.from(s.querySelectorAll('a'), a => ({href: a.getAttribute('href'), text: a.innerText.trim()})) : [];
		const targets = links.map(l => l.href && l.href.startsWith('#') ? document.getElementById(l.href.slice(1)) : null);
		return {
			present: !!s,
			focused: !!s && !!document.activeElement && !!document.activeElement.closest('.nhsuk-error-summary'),
			title: document.title,
			links: links,
			missing: links.filter((l, i) => !targets[i]).map(l => l.href),
			unmarked: links.filter((l, i) => targets[i] && !targets[i].closest('.nhsuk-form-group--error')).map(l => l.href),
		};
	})()`, &es)
	switch {
	case !es.Present:
		t.Errorf("no error summary")
		return
	case !es.Focused:
		t.Errorf("the error summary does not have focus")
	}
	if !strings.HasPrefix(es.Title, "Error: ") {
		t.Errorf("title %q does not start with \"Error: \"", es.Title)
	}
	if len(es.Links) == 0 {
		t.Errorf("the error summary has no links to the fields in error")
	}
	for _, m := range es.Missing {
		t.Errorf("error summary link %s leads to no element on the page", m)
	}
	for _, m := range es.Unmarked {
		t.Errorf("error summary link %s leads to a field not marked as in error (nhsuk-form-group--error)", m)
	}
}

// testStatusPages checks the pages people see when they may not, or cannot,
// see what they asked for.
func testStatusPages(t *testing.T, b *Browser, s *site) {
	cases := []struct {
		role             authz.Role
		path, state      string
		status           int
		wantPath, wantH1 string
	}{
		{"", "/no-such-page", "not-found", 404, "/no-such-page", "Page not found"},
		{"", "/account", "sign-in-first", 200, "/sign-in?next=%2Faccount", "Sign in"},
		{authz.Staff, "/no-such-page", "not-found", 404, "/no-such-page", "Page not found"},
		{authz.Staff, "/admin/users", "forbidden", 403, "/admin/users", "You do not have access to this page"},
	}
	tabs := map[authz.Role]*Tab{}
	for _, c := range cases {
		if tabs[c.role] == nil {
			tabs[c.role] = s.tabFor(t, b, c.role, TabOptions{})
		}
	}
	for _, c := range cases {
		t.Run(who(c.role)+"/"+c.state, func(t *testing.T) {
			tab := tabs[c.role]
			res := tab.Visit(t, c.path)
			if res.Status != c.status || res.Path != c.wantPath {
				t.Errorf("GET %s: status %d at %s, want %d at %s", c.path, res.Status, res.Path, c.status, c.wantPath)
			}
			if h1 := tab.Text(t, "h1"); h1 != c.wantH1 {
				t.Errorf("h1 %q, want %q", h1, c.wantH1)
			}
			tab.CheckPage(t, c.path, c.state)
		})
	}
}
