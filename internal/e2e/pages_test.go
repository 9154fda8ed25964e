package e2e

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"candour/internal/app/apptest"
	"candour/internal/authz"
	"candour/internal/demo"
	"candour/internal/org"
)

// pathParams gives a real value for every path parameter a page route has,
// keyed by the path segment before the parameter and the parameter itself:
// "users/{id}" is a user's id. A route whose parameter is missing here fails
// the pages check, naming it: add the parameter here.
func pathParams(t testing.TB, e *apptest.Env) map[string]string {
	t.Helper()
	ctx := context.Background()
	sites, err := e.App.Org.Sites(ctx)
	if err != nil || len(sites) == 0 {
		t.Fatalf("demo sites: %d, %v", len(sites), err)
	}
	deps, err := e.App.Org.Departments(ctx)
	if err != nil || len(deps) == 0 {
		t.Fatalf("demo departments: %d, %v", len(deps), err)
	}
	// The demo's staff member is a person with a line manager, a department
	// and a sign-in, so their page shows the most.
	staff, err := e.App.Accounts.ByEmail(ctx, "staff@"+demo.Domain)
	if err != nil {
		t.Fatalf("demo staff sign-in: %v", err)
	}
	person, err := e.App.Org.Person(ctx, staff.PersonID)
	if err != nil {
		people, _, perr := e.App.Org.People(ctx, org.PeopleQuery{Limit: 1})
		if perr != nil || len(people) == 0 {
			t.Fatalf("demo people: %v, %v", err, perr)
		}
		person = people[0]
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	return map[string]string{
		"users/{id}":       id(e.Users[authz.Staff].ID),
		"sites/{id}":       id(sites[0].ID),
		"departments/{id}": id(deps[0].ID),
		"people/{id}":      id(person.ID),
	}
}

// fillPath turns a route's path pattern into a real path: {$} goes, and each
// {param} takes its value from params.
func fillPath(pattern string, params map[string]string) (string, error) {
	segs := strings.Split(strings.TrimSuffix(pattern, "{$}"), "/")
	out := make([]string, len(segs))
	for i, seg := range segs {
		out[i] = seg
		if !strings.HasPrefix(seg, "{") {
			continue
		}
		key := seg
		if i > 0 {
			key = segs[i-1] + "/" + seg
		}
		v, ok := params[key]
		if !ok {
			return "", fmt.Errorf("route %s: no value for the path parameter %q; add one to pathParams in internal/e2e/pages_test.go", pattern, key)
		}
		out[i] = v
	}
	return strings.Join(out, "/"), nil
}

// signedInRedirects are pages that send a signed-in user elsewhere, and where.
var signedInRedirects = map[string]string{"/sign-in": "/"}

// pageRoutes lists the GET page routes that p may use, in order: everything
// in internal/web/routes.go except the static files and the catch-all.
func pageRoutes(routes []authz.Route, p *authz.Principal) []authz.Route {
	var out []authz.Route
	for _, r := range routes {
		if r.Method() != "GET" || strings.HasPrefix(r.Path(), "/static/") || !r.Policy.Allows(p) {
			continue
		}
		out = append(out, r)
	}
	return out
}

// testPages visits, as each role and signed out, every page that role may
// use, with real ids, and checks that it loads and passes axe.
func testPages(t *testing.T, b *Browser, s *site) {
	routes := s.App.Web.Routes()
	if len(pageRoutes(routes, nil)) == 0 {
		t.Fatal("no public page routes: is internal/web registering routes?")
	}
	// The roles with the most pages first, so that the parallel runs end
	// together.
	roles := append([]authz.Role{""}, authz.Roles()...)
	sort.SliceStable(roles, func(i, j int) bool {
		return len(pageRoutes(routes, s.principal(roles[i]))) > len(pageRoutes(routes, s.principal(roles[j])))
	})
	for _, r := range roles {
		t.Run(who(r), func(t *testing.T) {
			t.Parallel()
			tab := s.tabFor(t, b, r, TabOptions{})
			p := s.principal(r)
			for _, route := range pageRoutes(routes, p) {
				t.Run(route.Path(), func(t *testing.T) {
					path, err := fillPath(route.Path(), s.params)
					if err != nil {
						t.Fatal(err)
					}
					res := tab.Visit(t, path)
					wantPath := path
					if to, ok := signedInRedirects[path]; ok && p != nil {
						wantPath = to
					}
					if res.Status != 200 {
						t.Errorf("GET %s as %s: status %d, want 200 (h1 %q)", path, who(r), res.Status, tab.Text(t, "h1"))
					}
					if res.Path != wantPath {
						t.Errorf("GET %s as %s: ended at %s, want %s", path, who(r), res.Path, wantPath)
					}
					tab.CheckPage(t, path, "page")
					if res.Status == 200 {
						tab.CheckScriptsRan(t)
					}
				})
			}
		})
	}
}

func TestFillPath(t *testing.T) {
	params := map[string]string{"users/{id}": "7", "people/{id}": "9"}
	for pattern, want := range map[string]string{
		"/{$}":                  "/",
		"/account":              "/account",
		"/admin/users/{id}":     "/admin/users/7",
		"/people/{id}/edit":     "/people/9/edit",
		"/organisation/sites/x": "/organisation/sites/x",
	} {
		if got, err := fillPath(pattern, params); err != nil || got != want {
			t.Errorf("fillPath(%q) = %q, %v; want %q", pattern, got, err, want)
		}
	}
	if _, err := fillPath("/cases/{id}", params); err == nil || !strings.Contains(err.Error(), `"cases/{id}"`) {
		t.Errorf("fillPath with an unknown parameter: err %v, want one naming cases/{id}", err)
	}
}
