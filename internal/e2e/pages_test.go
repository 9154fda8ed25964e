package e2e

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"candour/internal/app/apptest"
	"candour/internal/authz"
	"candour/internal/demo"
	"candour/internal/org"
)

// pathParams gives, for each role and for nobody signed in (""), a real
// value for every path parameter a page route has, keyed by the path
// segments up to the parameter: "users/{id}" is a user's id. The longest key
// that ends a route's path up to the parameter wins, so that
// "my-reports/{id}/attachments/{aid}" (a file on one's own report) can differ
// from "attachments/{aid}". The values are records that role can really
// see, unless notTheirs says otherwise. A route whose parameter is missing
// here fails the pages check, naming it: add the parameter here.
func pathParams(t testing.TB, e *apptest.Env, fx *fixtures) map[authz.Role]map[string]string {
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
	common := map[string]string{
		"users/{id}":       id(e.Users[authz.Staff].ID),
		"sites/{id}":       id(sites[0].ID),
		"departments/{id}": id(deps[0].ID),
		"people/{id}":      id(person.ID),
		// The test manager's assessment, in progress, which the safety
		// lead and HR take part in; notTheirs lists who may not see it.
		"assessments/{id}": id(fx.inProgress),
		"guides/{id}":      id(fx.guide),
		// Learning and restoring: the fixtures' records; notTheirs lists
		// who may not see them.
		"learning/{id}": id(fx.response),
		"restore/{id}":  id(fx.restoreRecord),
		"needs/{nid}":   id(fx.restoreNeed),
		"support/{id}":  id(fx.plan),
		"actions/{id}":  id(fx.action),
		"library/{id}":  id(fx.lesson),
	}
	out := map[authz.Role]map[string]string{}
	for _, r := range append([]authz.Role{""}, authz.Roles()...) {
		m := maps.Clone(common)
		if r != "" {
			m["my-reports/{id}"] = id(fx.own[r])
			m["my-reports/{id}/attachments/{aid}"] = id(fx.ownFile[r])
		}
		if h, ok := fx.handled[r]; ok {
			m["reports/{id}"] = id(h)
			m["reports/{id}/attachments/{aid}"] = id(fx.handledFile[r])
		}
		caseworkParams(m, r, fx)
		out[r] = m
	}
	return out
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

// notTheirs are the page routes whose policy lets a role in but whose record
// in pathParams is not theirs to see: they must get the not-found page, just
// as for a record that does not exist, so that nobody learns it exists.
// Every other page must load (200).
// Casework's are in caseworkNotTheirs (casework_pages_test.go).
var notTheirs = map[string][]authz.Role{
	// Only the participants, the patient safety team, HR on a case and the
	// staff member concerned (once given a copy) read an assessment.
	"/assessments/{id}":          {authz.Staff, authz.Guardian, authz.UnionRep, authz.Exec, authz.Admin},
	"/assessments/{id}/question": {authz.Staff, authz.Guardian, authz.UnionRep, authz.Exec, authz.Admin},
	// A learning response: the patient safety team, its owner and its
	// participants (the test staff member is one).
	"/learning/{id}": {authz.Guardian, authz.Manager, authz.HR, authz.UnionRep, authz.Exec, authz.Admin},
	// A support plan: the staff member it is for (the demo's, not a test
	// user), the supporter (the test safety lead) and the safety team.
	"/support/{id}": {authz.Staff, authz.Guardian, authz.Manager, authz.HR, authz.UnionRep, authz.Exec, authz.Admin},
	// An improvement action: the patient safety team and its owner (the
	// test manager).
	"/actions/{id}": {authz.Staff, authz.Guardian, authz.HR, authz.UnionRep, authz.Exec, authz.Admin},
}

// downloads are the GET routes that send a file, not a page: the browser
// would save them, so the check fetches them in the role's tab and checks
// the response instead of the page. Each maps to the content type expected
// of the fixtures' photo; casework's are in caseworkDownloads.
var downloads = map[string]string{
	"/my-reports/{id}/attachments/{aid}": "image/png",
	"/reports/{id}/attachments/{aid}":    "image/png",
	"/reports/return.csv":                "text/csv; charset=utf-8",
}

// pageVariant is a page visited again with other records, for states of it
// that the records in pathParams do not show: a closed report, an
// assessment at its end point.
type pageVariant struct {
	role   authz.Role
	route  string            // the GET route, as registered
	params map[string]string // values that replace pathParams'
	name   string            // the state: part of subtest and screenshot names
}

// pageVariants are the pages to visit again, as their role.
func pageVariants(fx *fixtures) []pageVariant {
	one := func(key string, n int64) map[string]string { return map[string]string{key: id(n)} }
	vs := []pageVariant{
		{authz.Staff, "/my-reports/{id}", one("my-reports/{id}", fx.staffClosed), "closed-feedback-wanted"},
		{authz.Safety, "/reports/{id}", one("reports/{id}", fx.newEvent), "new-anonymous"},
		{authz.Safety, "/reports/{id}", one("reports/{id}", fx.closedEvent), "closed-with-feedback"},
		{authz.Safety, "/reports/{id}", one("reports/{id}", fx.reopenedEvent), "reopened-with-earlier-feedback"},
		{authz.Safety, "/reports/{id}", one("reports/{id}", fx.gradedBeforeKept), "reporters-grading-not-known"},
		{authz.Guardian, "/reports/{id}", one("reports/{id}", fx.confidential), "confidential-assigned"},
		{authz.Manager, "/assessments/{id}", one("assessments/{id}", fx.atBiasCheck), "bias-check"},
		{authz.Manager, "/assessments/{id}", one("assessments/{id}", fx.complete), "complete"},
		{authz.HR, "/assessments/{id}", one("assessments/{id}", fx.complete), "complete"},
		{authz.Safety, "/assessments/{id}", one("assessments/{id}", fx.demoComplete), "complete-not-a-participant"},
		{authz.Safety, "/library/{id}", one("library/{id}", fx.draftLesson), "draft"},
		{authz.Safety, "/library/{id}/edit", one("library/{id}", fx.draftLesson), "draft"},
	}
	return append(vs, caseworkVariants(fx)...)
}

// fillPath turns a route's path pattern into a real path: {$} goes, and each
// {param} takes its value from params, under the longest key that ends the
// path up to it ("a/{x}/b/{y}", then "b/{y}").
func fillPath(pattern string, params map[string]string) (string, error) {
	segs := strings.Split(strings.TrimSuffix(pattern, "{$}"), "/")
	out := make([]string, len(segs))
	for i, seg := range segs {
		out[i] = seg
		if !strings.HasPrefix(seg, "{") {
			continue
		}
		// The keys from the longest to the shortest, "x/{param}".
		keys := []string{seg}
		if i > 0 {
			keys = []string{segs[i-1] + "/" + seg}
			for from := i - 2; from >= 1; from-- {
				keys = append([]string{strings.Join(segs[from:i+1], "/")}, keys...)
			}
		}
		found := false
		for _, k := range keys {
			if v, ok := params[k]; ok {
				out[i], found = v, true
				break
			}
		}
		if !found {
			return "", fmt.Errorf("route %s: no value for the path parameter %q; add one to pathParams in internal/e2e/pages_test.go", pattern, keys[len(keys)-1])
		}
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
// use, with real ids, and checks that it loads and passes axe; then the
// page variants for that role.
func testPages(t *testing.T, b *Browser, s *site) {
	routes := s.App.Web.Routes()
	if len(pageRoutes(routes, nil)) == 0 {
		t.Fatal("no public page routes: is internal/web registering routes?")
	}
	registered := map[string]bool{}
	for _, r := range routes {
		// A path may have both a GET and a POST route (/actions/{id}).
		registered[r.Path()] = registered[r.Path()] || r.Method() == "GET"
	}
	for route := range notTheirs {
		if !registered[route] {
			t.Errorf("notTheirs names %s, which is not a registered GET route", route)
		}
	}
	for route := range downloads {
		if !registered[route] {
			t.Errorf("downloads names %s, which is not a registered GET route", route)
		}
	}
	variants := pageVariants(s.fx)
	// The roles with the most pages first, so that the parallel runs end
	// together.
	roles := append([]authz.Role{""}, authz.Roles()...)
	work := func(r authz.Role) int {
		n := len(pageRoutes(routes, s.principal(r)))
		for _, v := range variants {
			if v.role == r {
				n++
			}
		}
		return n
	}
	sort.SliceStable(roles, func(i, j int) bool { return work(roles[i]) > work(roles[j]) })
	for _, r := range roles {
		t.Run(who(r), func(t *testing.T) {
			t.Parallel()
			tab := s.tabFor(t, b, r, TabOptions{})
			p := s.principal(r)
			for _, route := range pageRoutes(routes, p) {
				t.Run(route.Path(), func(t *testing.T) {
					path, err := fillPath(route.Path(), s.params[r])
					if err != nil {
						t.Fatal(err)
					}
					if slices.Contains(notTheirs[route.Path()], r) {
						checkNotFound(t, tab, path)
						return
					}
					if ct, ok := downloads[route.Path()]; ok {
						checkDownload(t, tab, path, ct, downloadSize(s, route.Path()))
						return
					}
					wantPath := path
					if to, ok := signedInRedirects[path]; ok && p != nil {
						wantPath = to
					}
					checkPageLoads(t, tab, path, wantPath, "page")
				})
			}
			for _, v := range variants {
				if v.role != r {
					continue
				}
				t.Run(v.route+"/"+v.name, func(t *testing.T) {
					params := maps.Clone(s.params[r])
					maps.Copy(params, v.params)
					path, err := fillPath(v.route, params)
					if err != nil {
						t.Fatal(err)
					}
					checkPageLoads(t, tab, path, path, v.name)
				})
			}
		})
	}
	testOtherUserPages(t, b, s)
}

// checkPageLoads visits path and checks it loads (200) at wantPath and
// passes the page checks.
func checkPageLoads(t *testing.T, tab *Tab, path, wantPath, state string) {
	t.Helper()
	res := tab.Visit(t, path)
	if res.Status != 200 {
		t.Errorf("GET %s as %s: status %d, want 200 (h1 %q)", path, tab.Who, res.Status, tab.Text(t, "h1"))
	}
	if res.Path != wantPath {
		t.Errorf("GET %s as %s: ended at %s, want %s", path, tab.Who, res.Path, wantPath)
	}
	tab.CheckPage(t, path, state)
	if res.Status == 200 {
		tab.CheckScriptsRan(t)
	}
}

// checkNotFound visits path, a record the tab's role may not see, and checks
// it gets the not-found page, which must pass the page checks too.
func checkNotFound(t *testing.T, tab *Tab, path string) {
	t.Helper()
	res := tab.Visit(t, path)
	if res.Status != 404 || res.Path != path {
		t.Errorf("GET %s as %s, whose record it is not: status %d at %s, want 404 at %s", path, tab.Who, res.Status, res.Path, path)
	}
	if h1 := tab.Text(t, "h1"); h1 != "Page not found" {
		t.Errorf("GET %s as %s: h1 %q, want \"Page not found\"", path, tab.Who, h1)
	}
	tab.CheckPage(t, path, "not-theirs")
}

// checkDownload fetches path in the tab, as its role, and checks that it is
// a download (Content-Disposition: attachment) of size bytes of contentType
// (not empty, when size is 0), kept out of caches.
func checkDownload(t *testing.T, tab *Tab, path, contentType string, size int) {
	t.Helper()
	d := tab.Fetch(t, path)
	if d.Status != 200 {
		t.Fatalf("GET %s as %s: status %d, want 200", path, tab.Who, d.Status)
	}
	if d.ContentType != contentType {
		t.Errorf("GET %s: Content-Type %q, want %q", path, d.ContentType, contentType)
	}
	if !strings.HasPrefix(d.Disposition, "attachment;") {
		t.Errorf("GET %s: Content-Disposition %q, want an attachment", path, d.Disposition)
	}
	if d.Size != size && (size != 0 || d.Size == 0) {
		t.Errorf("GET %s: %d bytes, want %d", path, d.Size, size)
	}
	if d.CacheControl != "no-store" {
		t.Errorf("GET %s: Cache-Control %q, want no-store", path, d.CacheControl)
	}
}

func TestFillPath(t *testing.T) {
	params := map[string]string{"users/{id}": "7", "people/{id}": "9",
		"reports/{id}": "3", "attachments/{aid}": "4", "my-reports/{id}": "5", "my-reports/{id}/attachments/{aid}": "6"}
	for pattern, want := range map[string]string{
		"/{$}":                               "/",
		"/account":                           "/account",
		"/admin/users/{id}":                  "/admin/users/7",
		"/people/{id}/edit":                  "/people/9/edit",
		"/organisation/sites/x":              "/organisation/sites/x",
		"/reports/{id}/attachments/{aid}":    "/reports/3/attachments/4",
		"/my-reports/{id}/attachments/{aid}": "/my-reports/5/attachments/6",
	} {
		if got, err := fillPath(pattern, params); err != nil || got != want {
			t.Errorf("fillPath(%q) = %q, %v; want %q", pattern, got, err, want)
		}
	}
	if _, err := fillPath("/cases/{id}", params); err == nil || !strings.Contains(err.Error(), `"cases/{id}"`) {
		t.Errorf("fillPath with an unknown parameter: err %v, want one naming cases/{id}", err)
	}
}
