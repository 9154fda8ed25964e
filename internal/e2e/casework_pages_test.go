package e2e

import (
	"maps"
	"strings"
	"testing"

	"candour/internal/app/apptest"
	"candour/internal/authz"
)

// The employee-relations casework, equality and oversight pages: what the
// pages checks need beyond pages_test.go. init merges these into notTheirs,
// downloads and noErrorState, so that the tables there stay the one place
// the checks read.
func init() {
	maps.Copy(notTheirs, caseworkNotTheirs)
	maps.Copy(downloads, caseworkDownloads)
	maps.Copy(noErrorState, caseworkNoErrorState)
}

// caseworkParams adds the casework path parameters for role r to m: the
// early concern for everyone who takes part in it (the employee, who has
// been given access, included), its document, and the suspension in place.
func caseworkParams(m map[string]string, r authz.Role, fx *fixtures) {
	cw := fx.cw
	m["cases/{id}"] = id(cw.early)
	m["documents/{did}"] = id(cw.earlyDocument)
	m["suspensions/{sid}"] = id(cw.active)
}

// caseworkNotTheirs are casework routes whose policy lets a role in but
// whose record is not theirs to see.
var caseworkNotTheirs = map[string][]authz.Role{
	// The employee reads only what is shared with them; documents never
	// are.
	"/cases/{id}/documents/{did}": {authz.Staff},
}

// caseworkDownloads are the casework routes that send a file: the case's
// document (the fixtures' photo) and the CSV exports, whose size depends on
// the demo trust's figures (see downloadSize).
var caseworkDownloads = map[string]string{
	"/cases/{id}/documents/{did}": "image/png",
	"/equality/wres3.csv":         "text/csv; charset=utf-8",
	"/equality/wdes3.csv":         "text/csv; charset=utf-8",
	"/oversight.csv":              "text/csv; charset=utf-8",
}

// downloadSize is the size in bytes expected of the download at route: the
// fixtures' photo, or 0 for a file whose size the tests do not know (it
// must then not be empty).
func downloadSize(s *site, route string) int {
	if downloads[route] == "image/png" {
		return len(s.fx.png)
	}
	return 0
}

// caseworkNoErrorState are casework POST routes with nothing a person
// types, and why.
var caseworkNoErrorState = map[string]string{
	"POST /cases/{id}/employee-access":         "a button: gives or withdraws the employee's access to their case",
	"POST /cases/{id}/parties/{pid}/remove":    "a button beside each person involved",
	"POST /admin/casework/designations/remove": "a button beside each person named",
}

// caseworkVariants are the casework pages to visit again with other cases
// and suspensions, for the states the early concern does not show.
func caseworkVariants(fx *fixtures) []pageVariant {
	cw := fx.cw
	c := func(n int64) map[string]string { return map[string]string{"cases/{id}": id(n)} }
	sp := func(n int64) map[string]string { return map[string]string{"suspensions/{sid}": id(n)} }
	return []pageVariant{
		{role: authz.HR, route: "/cases/{id}", params: c(cw.ready), name: "ready-for-sign-off"},
		{role: authz.HR, route: "/cases/{id}", params: c(cw.formal), name: "formal"},
		{role: authz.HR, route: "/cases/{id}", params: c(cw.closed), name: "closed"},
		{role: authz.HR, route: "/cases/{id}", params: c(cw.appeal), name: "appeal"},
		{role: authz.HR, route: "/cases/{id}/checklist", params: c(cw.ready), name: "complete"},
		{role: authz.HR, route: "/cases/{id}/checklist", params: c(cw.formal), name: "formal"},
		{role: authz.HR, route: "/cases/{id}/formal", params: c(cw.ready), name: "ready-for-sign-off"},
		{role: authz.HR, route: "/cases/{id}/formal", params: c(cw.formal), name: "formal"},
		{role: authz.HR, route: "/cases/{id}/close", params: c(cw.formal), name: "formal"},
		{role: authz.HR, route: "/cases/{id}/wellbeing", params: c(cw.formal), name: "formal"},
		{role: authz.HR, route: "/cases/{id}/wellbeing", params: c(cw.closed), name: "closed"},
		{role: authz.HR, route: "/cases/{id}/suspensions/new", params: c(cw.formal), name: "suspended"},
		{role: authz.HR, route: "/suspensions/{sid}", params: sp(cw.proposed), name: "proposed"},
		{role: authz.Manager, route: "/cases/{id}", params: c(cw.formal), name: "formal-suspended"},
		{role: authz.Exec, route: "/cases/{id}/formal", params: c(cw.ready), name: "ready-for-sign-off"},
		{role: authz.Exec, route: "/suspensions/{sid}", params: sp(cw.proposed), name: "proposed"},
	}
}

// otherUserVariant is a page visited as a user other than the role's test
// user: an executive who decides suspensions, where the test executive is
// the non-executive reviewer, who does not.
type otherUserVariant struct {
	as string // the user's email; they hold the variant's role
	pageVariant
}

// otherUserVariants are the pages to visit as other users.
func otherUserVariants(fx *fixtures) []otherUserVariant {
	cw := fx.cw
	sp := func(n int64) map[string]string { return map[string]string{"suspensions/{sid}": id(n)} }
	approver := cw.approver.Email
	return []otherUserVariant{
		{approver, pageVariant{role: authz.Exec, route: "/suspensions", name: "approver"}},
		{approver, pageVariant{role: authz.Exec, route: "/suspensions/{sid}", params: sp(cw.proposed), name: "approver-to-decide"}},
		{approver, pageVariant{role: authz.Exec, route: "/suspensions/{sid}", params: sp(cw.active), name: "approver-decided"}},
		{approver, pageVariant{role: authz.Exec, route: "/cases/sign-off", name: "approver"}},
		{approver, pageVariant{role: authz.Exec, route: "/cases/{id}/formal", params: map[string]string{"cases/{id}": id(cw.ready)}, name: "approver-ready-for-sign-off"}},
	}
}

// userName names a user by their email in test and screenshot names.
func userName(email string) string { return strings.SplitN(email, "@", 2)[0] }

// tabAs opens a tab signed in as the user with email (password
// apptest.Password), named by userName in screenshots.
func (s *site) tabAs(t *testing.T, b *Browser, email string) *Tab {
	t.Helper()
	tab := b.NewTab(t, s.Server.URL, userName(email), TabOptions{})
	tab.SignIn(t, email, apptest.Password)
	return tab
}

// testOtherUserPages visits the otherUserVariants, each user in a tab of
// their own, in parallel with the roles' pages.
func testOtherUserPages(t *testing.T, b *Browser, s *site) {
	byUser := map[string][]pageVariant{}
	var users []string
	for _, v := range otherUserVariants(s.fx) {
		if byUser[v.as] == nil {
			users = append(users, v.as)
		}
		byUser[v.as] = append(byUser[v.as], v.pageVariant)
	}
	for _, u := range users {
		t.Run(userName(u), func(t *testing.T) {
			t.Parallel()
			tab := s.tabAs(t, b, u)
			for _, v := range byUser[u] {
				t.Run(v.route+"/"+v.name, func(t *testing.T) {
					params := maps.Clone(s.params[v.role])
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
}
