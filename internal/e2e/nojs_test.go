package e2e

import (
	"strings"
	"testing"

	"candour/internal/authz"
)

// testWithoutJavaScript signs in and sends a form in a tab with JavaScript
// turned off: every page must work without it.
func testWithoutJavaScript(t *testing.T, b *Browser, s *site) {
	tab := s.tabFor(t, b, authz.Staff, TabOptions{NoScript: true})
	if res := tab.Visit(t, "/account"); res.Status != 200 || res.Path != "/account" {
		t.Fatalf("GET /account: status %d at %s", res.Status, res.Path)
	}
	if cls := tab.Eval(t, `document.body.className`); strings.Contains(cls, "js-enabled") {
		t.Fatalf("JavaScript ran in the tab (body class %q): the test would prove nothing", cls)
	}
	res := tab.Submit(t, func(t testing.TB, tab *Tab) {
		tab.Type(t, "#token_name", "no-script token")
	}, `form[action="/account/tokens"] button[type=submit]`)
	if res.Status != 201 {
		t.Errorf("create a token: status %d, want 201 (h1 %q, errors %q)", res.Status, tab.Text(t, "h1"), tab.Text(t, ".nhsuk-error-summary"))
	}
	if token := tab.Text(t, "code.candour-token"); token == "" {
		t.Errorf("the new token is not shown; main says:\n%s", tab.Text(t, "main"))
	}
	if table := tab.Text(t, "main table"); !strings.Contains(table, "no-script token") {
		t.Errorf("the tokens table does not list the new token: %q", table)
	}
	tab.Screenshot(t, "/account", "no-javascript-token-created")
	if p := tab.Problems(t); len(p) > 0 {
		t.Errorf("console errors:\n  %s", strings.Join(p, "\n  "))
	}
}
