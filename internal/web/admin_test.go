package web_test

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"candour/internal/account"
	"candour/internal/app/apptest"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/settings"
	"candour/internal/store"
)

var shownPassword = regexp.MustCompile(`<code class="candour-token">([^<]+)</code>`)

// passwordOnPage returns the password a page shows once.
func passwordOnPage(t *testing.T, body string) string {
	t.Helper()
	m := shownPassword.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no password shown on the page:\n%s", body)
	}
	return html.UnescapeString(m[1])
}

func userPath(id int64) string { return fmt.Sprintf("/admin/users/%d", id) }

// contains fails the test unless body contains every one of want.
func contains(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s does not contain %q", what, w)
		}
	}
}

func TestAdminCreatesUser(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		admin := e.SignIn(t, authz.Admin)

		status, body := e.Get(t, admin, "/admin/users/new")
		if status != http.StatusOK {
			t.Fatalf("GET /admin/users/new: %d", status)
		}
		contains(t, "new user page", body, "<h1>Add a user</h1>", "Freedom to Speak Up guardian", roleHintFragment)

		res, body := e.PostForm(t, admin, "/admin/users", url.Values{
			"email": {"  New.Guardian@Example.NHS.uk "}, "name": {"Nia Guardian"},
			"roles": {"guardian", "staff"}, "password": {""},
		})
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("create: status %d\n%s", res.StatusCode, body)
		}
		contains(t, "page after create", body, "The account for Nia Guardian has been created", "shown only this once", "Give it to them securely")
		pw := passwordOnPage(t, body)

		u, err := e.App.Accounts.ByEmail(ctx, "new.guardian@example.nhs.uk")
		if err != nil {
			t.Fatal(err)
		}
		if u.Name != "Nia Guardian" || !slices.Equal(u.Roles, []authz.Role{authz.Guardian, authz.Staff}) {
			t.Errorf("stored user %+v", u)
		}
		// The new user signs in with the password shown, and has both roles.
		c := e.SignInAs(t, "new.guardian@example.nhs.uk", pw)
		_, acct := e.Get(t, c, "/account")
		contains(t, "new user's account page", acct, "Freedom to Speak Up guardian, Staff member")

		// Showing the user again does not show the password again.
		_, again := e.Get(t, admin, userPath(u.ID))
		if strings.Contains(again, pw) {
			t.Error("the generated password is shown a second time")
		}

		// The users list shows the new account, and search finds it.
		_, list := e.Get(t, admin, "/admin/users?q=guardian")
		contains(t, "users search", list, `href="`+userPath(u.ID)+`"`, "new.guardian@example.nhs.uk", "Active", `value="guardian"`)
		if strings.Contains(list, "staff@test.example") {
			t.Error("search for guardian lists the staff user")
		}
		_, all := e.Get(t, admin, "/admin/users")
		contains(t, "users list", all, "Add a user", "staff@test.example", "admin@test.example", "<caption")

		// With a password typed in, that password works and none is shown.
		res, body = e.PostForm(t, admin, "/admin/users", url.Values{
			"email": {"chosen@example.nhs.uk"}, "name": {"Chosen Password"}, "roles": {"hr"}, "password": {"a chosen passphrase"},
		})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create with password: status %d\n%s", res.StatusCode, body)
		}
		e.SignInAs(t, "chosen@example.nhs.uk", "a chosen passphrase")
	})
}

// roleHintFragment is part of a role's one-line hint on the role checkboxes.
const roleHintFragment = "Cannot read the content of cases"

func TestAdminCreateUserErrors(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		admin := e.SignIn(t, authz.Admin)
		before, _ := e.App.Accounts.List(ctx, "")

		res, body := e.PostForm(t, admin, "/admin/users", url.Values{
			"email": {"STAFF@test.example"}, "name": {"Second Staff"}, "roles": {"manager", "safety"},
			"employee_number": {""}, "password": {"a secret passphrase"},
		})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("duplicate email: status %d", res.StatusCode)
		}
		contains(t, "duplicate email page", body, "There is a problem", `href="#email">An account with this email address already exists`,
			`value="STAFF@test.example"`, `value="Second Staff"`, `value="manager" checked`, `value="safety" checked`, "<title>Error: Add a user")
		if strings.Contains(body, "a secret passphrase") {
			t.Error("the typed password is shown again")
		}

		tests := []struct {
			name  string
			form  url.Values
			field string
			msg   string
		}{
			{"no email", url.Values{"name": {"X"}, "roles": {"staff"}}, "email", "Enter an email address"},
			{"bad email", url.Values{"email": {"not-an-email"}, "name": {"X"}, "roles": {"staff"}}, "email", "Enter an email address in the correct format"},
			{"no name", url.Values{"email": {"x@example.nhs.uk"}, "roles": {"staff"}}, "name", "Enter full name"},
			{"no roles", url.Values{"email": {"x@example.nhs.uk"}, "name": {"X"}}, "roles", "Choose at least one role"},
			{"unknown role", url.Values{"email": {"x@example.nhs.uk"}, "name": {"X"}, "roles": {"superuser"}}, "roles", "Choose roles from the list"},
			{"short password", url.Values{"email": {"x@example.nhs.uk"}, "name": {"X"}, "roles": {"staff"}, "password": {"short"}}, "password", "Use at least 12 characters"},
			{"unknown employee number", url.Values{"email": {"x@example.nhs.uk"}, "name": {"X"}, "roles": {"staff"}, "employee_number": {"E404"}}, "employee_number", "There is nobody with employee number E404"},
		}
		for _, tt := range tests {
			res, body := e.PostForm(t, admin, "/admin/users", tt.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", tt.name, res.StatusCode)
				continue
			}
			contains(t, tt.name, body, `<a href="#`+tt.field+`">`+tt.msg)
		}
		after, _ := e.App.Accounts.List(ctx, "")
		if len(after) != len(before) {
			t.Errorf("refused forms created accounts: %d before, %d after", len(before), len(after))
		}
	})
}

func TestAdminPagesRefuseOtherRoles(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		for _, role := range authz.Roles() {
			if role == authz.Admin {
				continue
			}
			c := e.SignIn(t, role)
			for _, path := range []string{"/admin/users", "/admin/users/new", userPath(e.Users[authz.Staff].ID), "/admin/audit", "/admin/settings"} {
				if status, _ := e.Get(t, c, path); status != http.StatusForbidden {
					t.Errorf("%s GET %s: status %d, want 403", role, path, status)
				}
			}
			email := "made-by-" + string(role) + "@example.nhs.uk"
			res, _ := e.PostForm(t, c, "/admin/users", url.Values{"email": {email}, "name": {"Sneaky"}, "roles": {"admin"}})
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST /admin/users: status %d, want 403", role, res.StatusCode)
			}
			if _, err := e.App.Accounts.ByEmail(ctx, email); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s created an account: %v", role, err)
			}
			res, _ = e.PostForm(t, c, userPath(e.Users[role].ID), url.Values{"name": {"Me"}, "roles": {"admin"}})
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST to their own user page: status %d, want 403", role, res.StatusCode)
			}
			res, _ = e.PostForm(t, c, "/admin/settings", url.Values{"organisation_name": {"Hijacked"}, "small_number_threshold": {"2"}})
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s POST /admin/settings: status %d, want 403", role, res.StatusCode)
			}
		}
		if u, _ := e.App.Accounts.Get(ctx, e.Users[authz.Staff].ID); slices.Contains(u.Roles, authz.Admin) {
			t.Error("a non-admin gave themselves the admin role")
		}
		if st, _ := settings.Load(ctx, e.DB); st.OrganisationName == "Hijacked" {
			t.Error("a non-admin changed the settings")
		}
		// Nobody signed in is sent to sign in.
		if status, _ := e.Get(t, e.Client(), "/admin/users"); status != http.StatusSeeOther {
			t.Errorf("signed out GET /admin/users: status %d, want 303", status)
		}
	})
}

func TestAdminResetsPassword(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		admin := e.SignIn(t, authz.Admin)
		staff := e.Users[authz.Staff]
		old := e.SignIn(t, authz.Staff)
		if status, _ := e.Get(t, old, "/account"); status != http.StatusOK {
			t.Fatalf("staff account page before reset: %d", status)
		}

		res, body := e.PostForm(t, admin, userPath(staff.ID)+"/password", nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("reset: status %d\n%s", res.StatusCode, body)
		}
		contains(t, "page after reset", body, "A new password has been set for "+staff.Name)
		pw := passwordOnPage(t, body)
		if pw == apptest.Password {
			t.Fatal("the new password is the old one")
		}

		// Their old session has ended.
		if status, _ := e.Get(t, old, "/account"); status != http.StatusSeeOther {
			t.Errorf("old session after reset: status %d, want a redirect to sign in", status)
		}
		// The old password no longer works; the new one does.
		res, _ = e.PostForm(t, e.Client(), "/sign-in", url.Values{"email": {staff.Email}, "password": {apptest.Password}})
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("old password: status %d, want 401", res.StatusCode)
		}
		e.SignInAs(t, staff.Email, pw)
	})
}

func TestAdminSignsUserOutEverywhere(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		admin := e.SignIn(t, authz.Admin)
		hr := e.Users[authz.HR]
		c := e.SignIn(t, authz.HR)
		res, _ := e.PostForm(t, admin, userPath(hr.ID)+"/sign-out", nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign out: status %d", res.StatusCode)
		}
		_, body := e.Get(t, admin, res.Header.Get("Location"))
		contains(t, "page after signing out", body, hr.Name+" has been signed out on every device")
		if status, _ := e.Get(t, c, "/account"); status != http.StatusSeeOther {
			t.Errorf("session after sign out everywhere: status %d, want a redirect to sign in", status)
		}
		// Their password still works.
		e.SignIn(t, authz.HR)
	})
}

func TestAdminUnlocksUser(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		admin := e.SignIn(t, authz.Admin)
		mgr := e.Users[authz.Manager]
		for range account.LockoutThreshold {
			e.PostForm(t, e.Client(), "/sign-in", url.Values{"email": {mgr.Email}, "password": {"not the password"}})
		}
		res, _ := e.PostForm(t, e.Client(), "/sign-in", url.Values{"email": {mgr.Email}, "password": {apptest.Password}})
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("right password while locked: status %d, want 401", res.StatusCode)
		}
		_, list := e.Get(t, admin, "/admin/users?q=manager")
		contains(t, "users list", list, "Locked")
		_, page := e.Get(t, admin, userPath(mgr.ID))
		contains(t, "locked user's page", page, "Locked until", "Unlock account", `action="`+userPath(mgr.ID)+`/unlock"`)

		res, _ = e.PostForm(t, admin, userPath(mgr.ID)+"/unlock", nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("unlock: status %d", res.StatusCode)
		}
		_, page = e.Get(t, admin, res.Header.Get("Location"))
		contains(t, "page after unlock", page, "The account for "+mgr.Name+" has been unlocked")
		if strings.Contains(page, "Unlock account") {
			t.Error("the unlock button is still shown")
		}
		e.SignIn(t, authz.Manager)
	})
}

func TestAdminUpdatesUser(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		admin := e.SignIn(t, authz.Admin)
		a := e.Users[authz.Admin]
		safety := e.Users[authz.Safety]

		_, page := e.Get(t, admin, userPath(safety.ID))
		contains(t, "user page", page, "<h1>"+safety.Name+"</h1>", safety.Email, "Turn off this account", `value="safety" checked`, "Failed sign-in attempts")
		if status, _ := e.Get(t, admin, "/admin/users/99999"); status != http.StatusNotFound {
			t.Errorf("missing user: %d, want 404", status)
		}

		// Rename, change roles, turn off: their session ends and sign-in is refused.
		c := e.SignIn(t, authz.Safety)
		res, body := e.PostForm(t, admin, userPath(safety.ID), url.Values{"name": {"Sam Safety"}, "roles": {"safety", "manager"}, "disabled": {"yes"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("update: status %d\n%s", res.StatusCode, body)
		}
		u, _ := e.App.Accounts.Get(ctx, safety.ID)
		if u.Name != "Sam Safety" || !u.Disabled || !slices.Equal(u.Roles, []authz.Role{authz.Manager, authz.Safety}) {
			t.Errorf("after update: %+v", u)
		}
		if status, _ := e.Get(t, c, "/account"); status != http.StatusSeeOther {
			t.Errorf("session of a turned-off account: status %d, want redirect", status)
		}
		_, list := e.Get(t, admin, "/admin/users?q=sam")
		contains(t, "users list", list, "Disabled")

		// No roles: refused, typed name kept.
		res, body = e.PostForm(t, admin, userPath(safety.ID), url.Values{"name": {"Typed Name"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("no roles: status %d, want 422", res.StatusCode)
		}
		contains(t, "no roles page", body, `href="#roles">Choose at least one role`, `value="Typed Name"`)

		// The only administrator cannot stop being one, nor turn themselves off.
		res, body = e.PostForm(t, admin, userPath(a.ID), url.Values{"name": {a.Name}, "roles": {"staff"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("last admin removing the role: status %d, want 422", res.StatusCode)
		}
		contains(t, "last admin page", body, `href="#roles">You cannot take the System administrator role away from the last active administrator`)
		res, body = e.PostForm(t, admin, userPath(a.ID), url.Values{"name": {a.Name}, "roles": {"admin"}, "disabled": {"yes"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("admin turning off own account: status %d, want 422", res.StatusCode)
		}
		contains(t, "turn off own account page", body, `href="#disabled">You cannot turn off your own account`)
		if u, _ := e.App.Accounts.Get(ctx, a.ID); !slices.Contains(u.Roles, authz.Admin) || u.Disabled {
			t.Errorf("refused changes were stored: %+v", u)
		}

		// With a second administrator, the first may give up the role.
		res, _ = e.PostForm(t, admin, userPath(e.Users[authz.HR].ID), url.Values{"name": {e.Users[authz.HR].Name}, "roles": {"hr", "admin"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("making a second admin: status %d", res.StatusCode)
		}
		res, _ = e.PostForm(t, admin, userPath(a.ID), url.Values{"name": {a.Name}, "roles": {"staff"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Errorf("giving up the admin role with another admin: status %d to %q, want 303 to /", res.StatusCode, res.Header.Get("Location"))
		}
		if status, _ := e.Get(t, admin, "/admin/users"); status != http.StatusForbidden {
			t.Errorf("former admin on /admin/users: %d, want 403", status)
		}
	})
}

func TestAuditLogPage(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		admin := e.SignIn(t, authz.Admin)
		e.PostForm(t, e.Client(), "/sign-in", url.Values{"email": {"staff@test.example"}, "password": {"wrong password"}})

		status, body := e.Get(t, admin, "/admin/audit")
		if status != http.StatusOK {
			t.Fatalf("GET /admin/audit: %d", status)
		}
		contains(t, "audit page", body, "<h1>Audit log</h1>", "<caption", "user.sign_in", "admin@test.example", "user.sign_in_failed", "failed attempt 1", "user.create")
		// Newest first: the failed sign-in comes before the admin's sign-in, which comes before the accounts were created.
		if i, j := strings.Index(body, "user.sign_in_failed"), strings.Index(body, "user.create"); i < 0 || j < 0 || i > j {
			t.Error("entries are not newest first")
		}

		_, body = e.Get(t, admin, "/admin/audit?action=user.create")
		contains(t, "filtered audit page", body, "user.create", "Clear the filters", `value="user.create"`)
		if strings.Contains(body, "<code>user.sign_in</code>") {
			t.Error("filter by action user.create lists sign-ins")
		}
		_, body = e.Get(t, admin, "/admin/audit?action=user.sign_in_failed&actor=STAFF@")
		contains(t, "filter by actor and action", body, "<code>user.sign_in_failed</code>")
		if strings.Contains(body, "<code>user.create</code>") {
			t.Error("filter by actor and action lists other actions")
		}
		_, body = e.Get(t, admin, "/admin/audit?from=2000-01-01&to=2000-01-02")
		contains(t, "audit page for a day long ago", body, "No entries match these filters")

		status, body = e.Get(t, admin, "/admin/audit?from=yesterday&to=2026-02-30")
		if status != http.StatusUnprocessableEntity {
			t.Errorf("bad dates: status %d, want 422", status)
		}
		contains(t, "bad dates page", body, "There is a problem", `href="#from">Enter the from date`, `href="#to">Enter the to date`, `value="yesterday"`)
		status, body = e.Get(t, admin, "/admin/audit?from=2026-03-05&to=2026-03-04")
		if status != http.StatusUnprocessableEntity {
			t.Errorf("to before from: status %d, want 422", status)
		}
		contains(t, "to before from page", body, `href="#to">The to date must be the same as or after the from date`)
	})
}

func TestAuditLogPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		admin := e.SignIn(t, authz.Admin)
		for i := range 60 {
			err := e.DB.InTx(ctx, func(tx *store.Tx) error {
				return audit.Record(ctx, tx, time.Now(), audit.System, "test.page", "thing", fmt.Sprint(i+1), fmt.Sprintf("entry number %d.", i+1))
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		_, body := e.Get(t, admin, "/admin/audit?action=test.page")
		contains(t, "first page", body, "Older entries", "entry number 60.", "entry number 11.")
		if strings.Contains(body, "entry number 10.") || strings.Contains(body, "Newest entries") {
			t.Error("the first page shows more than 50 entries, or a link to newer ones")
		}
		m := regexp.MustCompile(`href="(/admin/audit\?[^"]*)" rel="next"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no link to older entries:\n%s", body)
		}
		older := html.UnescapeString(m[1])
		if !strings.Contains(older, "action=test.page") || !strings.Contains(older, "before=") {
			t.Errorf("older link %q drops the filter or the page", older)
		}
		status, body := e.Get(t, admin, older)
		if status != http.StatusOK {
			t.Fatalf("older page: %d", status)
		}
		contains(t, "second page", body, "Newest entries", "entry number 10.", "entry number 1.")
		if strings.Contains(body, "entry number 11.") || strings.Contains(body, "Older entries") {
			t.Error("the last page repeats entries or links to older ones")
		}
	})
}

func TestAuditVerify(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		admin := e.SignIn(t, authz.Admin)
		res, body := e.PostForm(t, admin, "/admin/audit/verify", nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("verify: status %d", res.StatusCode)
		}
		// 8 accounts created by the harness and the admin's sign-in.
		contains(t, "verify page", body, "Audit log verified: 9 entries, chain unbroken", "<code>user.sign_in</code>")
	})
}

func TestSettingsPage(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		ctx := context.Background()
		admin := e.SignIn(t, authz.Admin)
		status, body := e.Get(t, admin, "/admin/settings")
		if status != http.StatusOK {
			t.Fatalf("GET /admin/settings: %d", status)
		}
		contains(t, "settings page", body, "<h1>Settings</h1>", `value="Your organisation"`, `value="5"`, "Hide counts smaller than", "commonly 5 or 10")

		for _, tt := range []struct{ value, msg string }{
			{"abc", "The smallest count to show must be a whole number, like 5"},
			{"50", "The smallest count to show must be between 2 and 20"},
			{"1", "The smallest count to show must be between 2 and 20"},
			{"", "Enter the smallest count to show"},
		} {
			res, body := e.PostForm(t, admin, "/admin/settings", url.Values{"organisation_name": {"Northgate NHS Trust"}, "small_number_threshold": {tt.value}})
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("threshold %q: status %d, want 422", tt.value, res.StatusCode)
			}
			contains(t, "threshold "+tt.value, body, `href="#small_number_threshold">`+tt.msg, `value="Northgate NHS Trust"`)
		}
		res, body := e.PostForm(t, admin, "/admin/settings", url.Values{"organisation_name": {" "}, "small_number_threshold": {"10"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("no name: status %d, want 422", res.StatusCode)
		}
		contains(t, "no name", body, `href="#organisation_name">Enter organisation name`, `value="10"`)

		var rows int
		if err := e.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM settings`).Scan(&rows); err != nil || rows != 0 {
			t.Errorf("refused forms stored %d settings (%v)", rows, err)
		}

		res, _ = e.PostForm(t, admin, "/admin/settings", url.Values{"organisation_name": {"Northgate NHS Trust"}, "small_number_threshold": {" 10 "}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: status %d", res.StatusCode)
		}
		_, body = e.Get(t, admin, res.Header.Get("Location"))
		contains(t, "settings after save", body, "Settings saved", `value="Northgate NHS Trust"`, `value="10"`)
		st, err := settings.Load(ctx, e.DB)
		if err != nil || st != (settings.Settings{OrganisationName: "Northgate NHS Trust", SmallNumberThreshold: 10}) {
			t.Errorf("stored settings %+v, %v", st, err)
		}
		_, body = e.Get(t, admin, "/admin/audit?action=settings.update")
		contains(t, "audit of settings", body, "<code>settings.update</code>", "admin@test.example")
	})
}
