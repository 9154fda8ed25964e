package app_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"candour/internal/app/apptest"
	"candour/internal/authz"
)

// who may reach each route, written out by hand rather than read from the
// policies, so that a policy changed by mistake fails here. A route missing
// from this table fails too: every new route must say who it is for.
func expectedAccess() map[string][]authz.Role {
	m := coreAccess()
	for _, more := range []map[string][]authz.Role{learningAccess(), restoreAccess(), actionsAccess(), libraryAccess(), caseworkAccess(), caseworkSupportAccess(), caseworkAPIAccess(), equalityAccess()} {
		for k, v := range more {
			m[k] = v
		}
	}
	return m
}

func coreAccess() map[string][]authz.Role {
	all := authz.Roles()
	anyone := append([]authz.Role{"anonymous"}, all...)
	admin := []authz.Role{authz.Admin}
	directory := []authz.Role{authz.Admin, authz.HR}
	headcount := []authz.Role{authz.Admin, authz.HR, authz.Exec}
	handlers := []authz.Role{authz.Safety, authz.Guardian}
	starters := []authz.Role{authz.Manager, authz.Safety, authz.HR}
	insight := []authz.Role{authz.Safety, authz.HR}
	guideReaders := []authz.Role{authz.Manager, authz.Safety, authz.HR, authz.Admin}
	return map[string][]authz.Role{
		"GET /static/":                                            anyone,
		"GET /{$}":                                                anyone,
		"GET /accessibility":                                      anyone,
		"GET /privacy":                                            anyone,
		"GET /sign-in":                                            anyone,
		"POST /sign-in":                                           anyone,
		"/":                                                       anyone,
		"POST /sign-out":                                          all,
		"GET /account":                                            all,
		"POST /account/password":                                  all,
		"POST /account/sign-out-everywhere":                       all,
		"POST /account/tokens":                                    all,
		"POST /account/tokens/{id}/revoke":                        all,
		"GET /admin/users":                                        admin,
		"GET /admin/users/new":                                    admin,
		"POST /admin/users":                                       admin,
		"GET /admin/users/{id}":                                   admin,
		"POST /admin/users/{id}":                                  admin,
		"POST /admin/users/{id}/password":                         admin,
		"POST /admin/users/{id}/unlock":                           admin,
		"POST /admin/users/{id}/sign-out":                         admin,
		"GET /admin/audit":                                        admin,
		"POST /admin/audit/verify":                                admin,
		"GET /admin/settings":                                     admin,
		"POST /admin/settings":                                    admin,
		"GET /organisation":                                       directory,
		"GET /organisation/sites/new":                             admin,
		"POST /organisation/sites":                                admin,
		"GET /organisation/sites/{id}/edit":                       admin,
		"POST /organisation/sites/{id}":                           admin,
		"GET /organisation/departments/new":                       admin,
		"POST /organisation/departments":                          admin,
		"GET /organisation/departments/{id}/edit":                 admin,
		"POST /organisation/departments/{id}":                     admin,
		"GET /people":                                             directory,
		"GET /people/new":                                         directory,
		"POST /people":                                            directory,
		"GET /people/import":                                      directory,
		"POST /people/import":                                     directory,
		"GET /people/{id}":                                        directory,
		"GET /people/{id}/edit":                                   directory,
		"POST /people/{id}":                                       directory,
		"GET /headcount":                                          headcount,
		"GET /api/v1/openapi.json":                                anyone,
		"/api/":                                                   anyone,
		"GET /api/v1/me":                                          all,
		"GET /api/v1/tokens":                                      all,
		"DELETE /api/v1/tokens/{id}":                              all,
		"GET /api/v1/sites":                                       anyone,
		"GET /api/v1/departments":                                 anyone,
		"GET /api/v1/staff-groups":                                anyone,
		"GET /api/v1/people":                                      directory,
		"POST /api/v1/people/import":                              directory,
		"GET /api/v1/people/{employee_number}":                    directory,
		"GET /api/v1/headcount":                                   headcount,
		"GET /api/v1/audit":                                       admin,
		"GET /assessments":                                        all,
		"GET /assessments/new":                                    starters,
		"POST /assessments":                                       starters,
		"GET /assessments/insight":                                insight,
		"GET /assessments/{id}":                                   all,
		"GET /assessments/{id}/question":                          all,
		"POST /assessments/{id}/answers":                          all,
		"POST /assessments/{id}/bias-check":                       all,
		"POST /assessments/{id}/revisit":                          all,
		"POST /assessments/{id}/share":                            all,
		"GET /guides":                                             guideReaders,
		"GET /guides/{id}":                                        guideReaders,
		"POST /guides":                                            admin,
		"POST /guides/{id}/retire":                                admin,
		"GET /api/v1/guides":                                      all,
		"GET /api/v1/guides/{id}":                                 all,
		"POST /api/v1/assessments":                                starters,
		"GET /api/v1/assessments":                                 all,
		"GET /api/v1/assessments/{id}":                            all,
		"POST /api/v1/assessments/{id}/revisit":                   all,
		"POST /api/v1/assessments/{id}/bias-check":                all,
		"GET /report":                                             anyone,
		"GET /report/safety-event":                                anyone,
		"POST /report/safety-event":                               anyone,
		"GET /report/concern":                                     anyone,
		"POST /report/concern":                                    anyone,
		"GET /follow-up":                                          anyone,
		"POST /follow-up":                                         anyone,
		"POST /follow-up/messages":                                anyone,
		"POST /follow-up/feedback":                                anyone,
		"POST /follow-up/attachments/{aid}":                       anyone,
		"GET /my-reports":                                         all,
		"GET /my-reports/{id}":                                    all,
		"POST /my-reports/{id}/messages":                          all,
		"POST /my-reports/{id}/feedback":                          all,
		"GET /my-reports/{id}/attachments/{aid}":                  all,
		"GET /notifications":                                      all,
		"POST /notifications/read":                                all,
		"GET /reports":                                            handlers,
		"GET /reports/{id}":                                       handlers,
		"GET /reports/return":                                     {authz.Guardian},
		"GET /reports/return.csv":                                 {authz.Guardian},
		"GET /reports/{id}/attachments/{aid}":                     handlers,
		"POST /reports/{id}/acknowledge":                          handlers,
		"POST /reports/{id}/assign":                               handlers,
		"POST /reports/{id}/status":                               handlers,
		"POST /reports/{id}/messages":                             handlers,
		"POST /reports/{id}/notes":                                handlers,
		"POST /reports/{id}/link":                                 handlers,
		"POST /reports/{id}/duplicate":                            handlers,
		"POST /reports/{id}/reroute":                              handlers,
		"POST /reports/{id}/classify":                             handlers,
		"POST /reports/{id}/close":                                handlers,
		"POST /reports/{id}/reopen":                               handlers,
		"POST /reports/{id}/reveal":                               handlers,
		"POST /reports/{id}/redact":                               handlers,
		"POST /api/v1/reports":                                    anyone,
		"GET /api/v1/reports":                                     handlers,
		"GET /api/v1/reports/{id}":                                handlers,
		"GET /api/v1/reports/return":                              {authz.Guardian},
		"POST /api/v1/reports/{id}/reopen":                        handlers,
		"POST /api/v1/reports/{id}/redact":                        handlers,
		"POST /api/v1/reports/{id}/reveal":                        handlers,
		"GET /api/v1/reports/{id}/attachments/{attachment_id}":    handlers,
		"POST /api/v1/reports/{id}/messages":                      handlers,
		"POST /api/v1/reports/{id}/notes":                         handlers,
		"POST /api/v1/reports/{id}/acknowledge":                   handlers,
		"GET /api/v1/reports/{id}/assignees":                      handlers,
		"POST /api/v1/reports/{id}/assign":                        handlers,
		"POST /api/v1/reports/{id}/status":                        handlers,
		"POST /api/v1/reports/{id}/link":                          handlers,
		"POST /api/v1/reports/{id}/duplicate":                     handlers,
		"POST /api/v1/reports/{id}/reroute":                       handlers,
		"POST /api/v1/reports/{id}/classify":                      handlers,
		"POST /api/v1/reports/{id}/close":                         handlers,
		"GET /api/v1/my-reports":                                  all,
		"GET /api/v1/my-reports/{id}":                             all,
		"POST /api/v1/my-reports/{id}/messages":                   all,
		"POST /api/v1/my-reports/{id}/feedback":                   all,
		"GET /api/v1/my-reports/{id}/attachments/{attachment_id}": all,
		"GET /api/v1/followup/attachments/{attachment_id}":        anyone,
		"POST /api/v1/followup/session":                           anyone,
		"GET /api/v1/followup":                                    anyone,
		"POST /api/v1/followup/messages":                          anyone,
		"POST /api/v1/followup/feedback":                          anyone,
	}
}

// TestEveryRouteAgainstEveryRole sends a request to every registered route as
// every role and as someone not signed in, and checks that the server lets in
// exactly the roles the table names.
func TestEveryRouteAgainstEveryRole(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		want := expectedAccess()
		routes := append(e.App.Web.Routes(), e.App.API.Routes()...)
		seen := map[string]bool{}
		for _, route := range routes {
			seen[route.Pattern] = true
			allowed, ok := want[route.Pattern]
			if !ok {
				t.Errorf("route %q is not in the access table; add who may use it", route.Pattern)
				continue
			}
			for _, role := range append([]authz.Role{"anonymous"}, authz.Roles()...) {
				got := reaches(t, e, route, role)
				if got != contains(allowed, role) {
					t.Errorf("%s as %s: reached=%v, want %v", route.Pattern, role, got, !got)
				}
			}
		}
		for p := range want {
			if !seen[p] {
				t.Errorf("access table names %q, which is not a registered route", p)
			}
		}
	})
}

func contains(roles []authz.Role, r authz.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

// reaches sends one request to route as role and reports whether the
// handler ran (rather than the policy refusing it). Path parameters get an id
// that matches nothing, so allowed requests change nothing.
func reaches(t *testing.T, e *apptest.Env, route authz.Route, role authz.Role) bool {
	t.Helper()
	method := route.Method()
	if method == "" {
		method = http.MethodGet
	}
	path := route.Path()
	path = strings.ReplaceAll(path, "{$}", "")
	for _, p := range []string{"{id}", "{employee_number}", "{aid}", "{attachment_id}"} {
		path = strings.ReplaceAll(path, p, "999999")
	}
	if strings.HasSuffix(path, "/") && path != "/" {
		path += "nothing-here"
	}
	req, err := http.NewRequest(method, e.URL(path), nil)
	if err != nil {
		t.Fatal(err)
	}
	api := strings.HasPrefix(path, "/api/")
	if role != "anonymous" {
		if api {
			req.Header.Set("Authorization", "Bearer "+e.Token(t, role))
		} else {
			token, err := e.App.Accounts.StartSession(context.Background(), e.Users[role])
			if err != nil {
				t.Fatal(err)
			}
			req.AddCookie(&http.Cookie{Name: "candour_session", Value: token})
		}
	}
	res, err := e.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if api && (res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden) {
		// The policy's own refusals have these titles; any other 401 or 403
		// comes from a handler that ran (a follow-up token check, say).
		var p struct{ Title string }
		json.Unmarshal(body, &p)
		return p.Title != "Authentication required" && p.Title != "Not allowed"
	}
	switch {
	case res.StatusCode == http.StatusForbidden:
		return false
	case res.StatusCode == http.StatusUnauthorized:
		return false
	case res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/sign-in"):
		return false
	}
	return true
}
