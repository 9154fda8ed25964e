package e2e

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"

	"candour/internal/app/apptest"
	"candour/internal/authz"
	"candour/internal/demo"
)

// browser is the one Chromium every test uses; nil when there is none.
var browser *Browser

func TestMain(m *testing.M) { os.Exit(run(m)) }

func run(m *testing.M) int {
	b, err := StartBrowser()
	switch {
	case errors.Is(err, ErrNoBrowser):
		if os.Getenv(BrowserEnv) == "require" {
			fmt.Fprintf(os.Stderr, "FAIL: %s=require, but there is no browser at %s (apt-get install chromium)\n", BrowserEnv, ChromiumPath)
			return 1
		}
		// Loud, and again in each test's skip message.
		fmt.Fprintf(os.Stderr, "\n*** %s ***\n\n", SkipMessage)
	case err != nil:
		fmt.Fprintf(os.Stderr, "FAIL: %v\n", err)
		return 1
	default:
		browser = b
		defer b.Close()
	}
	return m.Run()
}

// needBrowser returns the browser, or skips the test when there is none.
func needBrowser(t *testing.T) *Browser {
	t.Helper()
	if browser == nil {
		t.Skip(SkipMessage)
	}
	return browser
}

// TestBrowser runs the browser checks, each a subtest, against one candour:
// loading the demo trust takes seconds, so they share it. They run in
// parallel (go test -parallel, by default the number of CPUs), each role in a
// tab and browser context of its own. None of them changes what another
// checks: no password is changed, nobody is locked out.
//
// Run one part with, for example, go test ./internal/e2e -run 'TestBrowser/pages/admin'.
func TestBrowser(t *testing.T) {
	s := newSite(t)
	t.Run("forms-have-error-states", func(t *testing.T) { t.Parallel(); testFormsHaveErrorStates(t, s) })
	b := needBrowser(t)
	for _, c := range []struct {
		name string
		fn   func(t *testing.T, b *Browser, s *site)
	}{
		{"axe-finds-violations", testAxeFindsViolations},
		{"pages", testPages},
		{"states", testStates},
		{"status-pages", testStatusPages},
		{"without-javascript", testWithoutJavaScript},
	} {
		t.Run(c.name, func(t *testing.T) { t.Parallel(); c.fn(t, b, s) })
	}
}

// site is a running candour over SQLite holding the demo trust, with one
// test user per role (password apptest.Password).
type site struct {
	*apptest.Env
	// fx are the records made for the tests beyond the demo trust.
	fx *fixtures
	// params fills path parameters, for each role: see pathParams.
	params map[authz.Role]map[string]string
}

// newSite starts a candour and loads the demo trust into it, with its
// reports, assessments and cases, and the tests' own records (fixtures).
func newSite(t *testing.T) *site {
	t.Helper()
	e := apptest.NewSQLite(t)
	if _, err := demo.Load(context.Background(), demo.Deps{DB: e.DB, Accounts: e.App.Accounts, Org: e.App.Org,
		Reports: e.App.Reports, Culture: e.App.Culture, Cases: e.App.Cases, Now: e.App.Now}); err != nil {
		t.Fatalf("load the demo trust: %v", err)
	}
	fx := newFixtures(t, e)
	return &site{Env: e, fx: fx, params: pathParams(t, e, fx)}
}

// who names a role in test and screenshot names; "" is nobody signed in.
func who(r authz.Role) string {
	if r == "" {
		return "signed-out"
	}
	return string(r)
}

// tabFor opens a tab signed in as the test user holding role r (signed out
// for "").
func (s *site) tabFor(t *testing.T, b *Browser, r authz.Role, o TabOptions) *Tab {
	t.Helper()
	tab := b.NewTab(t, s.Server.URL, who(r), o)
	if r != "" {
		tab.SignIn(t, s.Users[r].Email, apptest.Password)
	}
	return tab
}

// principal is the test user holding r, as the authz policies see them; nil
// for "".
func (s *site) principal(r authz.Role) *authz.Principal {
	if r == "" {
		return nil
	}
	u := s.Users[r]
	return &authz.Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Roles: []authz.Role{r}}
}
