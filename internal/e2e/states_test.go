package e2e

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"candour/internal/app/apptest"
	"candour/internal/authz"
)

// state is a page in the state a form submission leaves it in: usually with
// errors, after the form was sent empty or with a bad value.
type state struct {
	name  string     // the state: part of the subtest and screenshot names
	role  authz.Role // who is signed in; "" for nobody
	path  string     // the page with the form; path parameters as in pathParams, e.g. /people/{id}/edit
	route string     // the POST route the form sends to, as registered, e.g. "POST /account/password"
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
}

// states are the form states, checked like every page plus what errors
// need. Add a row for every new form: TestBrowser/forms-have-error-states fails for a
// POST route with no row (or no entry in noErrorState).
func states() []state {
	long := strings.Repeat("x", 101)
	return []state{
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
	}
}

// mainSubmit selects the submit button of the first form in main that posts.
const mainSubmit = `main form[method=post] button[type=submit]`

// noErrorState are POST routes whose forms have nothing a person types, so
// no error state to show, and why.
var noErrorState = map[string]string{
	"POST /sign-out":                    "a button",
	"POST /account/sign-out-everywhere": "a button",
	"POST /account/tokens/{id}/revoke":  "a button",
	"POST /admin/users/{id}/unlock":     "a button",
	"POST /admin/users/{id}/sign-out":   "a button",
	"POST /admin/audit/verify":          "a button",
	"POST /admin/users/{id}/password":   "a button: the new password is generated and shown",
}

// testFormsHaveErrorStates fails for every POST route that has neither a row
// in states nor an entry in noErrorState, so that no form escapes the checks.
func testFormsHaveErrorStates(t *testing.T, s *site) {
	covered := map[string]bool{}
	for _, st := range states() {
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
	tabs := map[authz.Role]*Tab{}
	for _, st := range states() {
		if tabs[st.role] == nil {
			tabs[st.role] = s.tabFor(t, b, st.role, TabOptions{})
		}
	}
	for _, st := range states() {
		t.Run(who(st.role)+st.path+"/"+st.name, func(t *testing.T) {
			tab := tabs[st.role]
			path, err := fillPath(st.path, s.params)
			if err != nil {
				t.Fatal(err)
			}
			if res := tab.Visit(t, path); res.Status != 200 {
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
			tab.CheckPage(t, path, st.name)
		})
	}
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
