// Package e2e drives candour in a real headless Chromium and checks every page
// and page state for accessibility with axe-core (WCAG 2.2 AA and best
// practice), signed in as each role and signed out.
//
// The tests start one browser for the whole test binary and one candour, over
// a SQLite database filled with the demo trust, per top-level test. Each role
// gets its own browser context (its own cookies) and tab, and signs in through
// the real sign-in form.
//
// Run them with:
//
//	go test ./internal/e2e/
//
// They need Chromium at /usr/bin/chromium (Debian package chromium). Without
// it they skip, saying so; set CANDOUR_TEST_BROWSER=require to make a missing
// browser a failure instead, as CI does. Set CANDOUR_SCREENSHOTS=DIR to save a
// full-page PNG of every page and state visited, named role_path_state.png.
//
// The checks, for every page and state: the HTTP status, exactly one h1, a
// title ending " – candour", a skip link to the main landmark, one main
// landmark, no axe violation (tags wcag2a, wcag2aa, wcag21a, wcag21aa,
// wcag22aa and best-practice), and no JavaScript exception or console error
// other than the web fonts from assets.nhs.uk that the Content-Security-Policy
// blocks.
//
// axe-core is vendored in testdata/axe.min.js (version in testdata/AXE_VERSION)
// and injected with the DevTools protocol's Runtime.evaluate, which the page's
// Content-Security-Policy does not apply to, so the pages need no change for
// the tests.
//
// To cover a new page, register its route in internal/web/routes.go: the
// tests find every GET route there. A route with a path parameter needs a
// value in pathParams (pages_test.go), for each role a record that role can
// see, or the test fails naming it; records beyond the demo trust's are made
// in newFixtures (fixtures_test.go). A role the route's policy lets in but
// whose record is not theirs to see goes in notTheirs, and must get the
// not-found page; a route that sends a file goes in downloads. A new form
// needs a row in the states table (states_test.go) that submits it empty or
// with a bad value, or TestBrowser/forms-have-error-states fails naming its
// POST route.
package e2e
