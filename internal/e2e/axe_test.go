package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
)

// TestAxeVendored checks testdata/axe.min.js against the checksum its
// manifest records.
func TestAxeVendored(t *testing.T) {
	m := regexp.MustCompile(`(?m)^\s+([0-9a-f]{64})\s+axe\.min\.js$`).FindStringSubmatch(AxeManifest)
	if m == nil {
		t.Fatal("testdata/AXE_VERSION records no sha256 for axe.min.js")
	}
	sum := sha256.Sum256([]byte(axeSource))
	if got := hex.EncodeToString(sum[:]); got != m[1] {
		t.Fatalf("testdata/axe.min.js has sha256 %s, AXE_VERSION says %s", got, m[1])
	}
}

// testAxeFindsViolations shows the checks can fail: axe goes into a page
// despite its Content-Security-Policy (which does stop an inline script), and
// reports an unlabelled field added to the page.
func testAxeFindsViolations(t *testing.T, b *Browser, s *site) {
	tab := s.tabFor(t, b, "", TabOptions{})
	if res := tab.Visit(t, "/sign-in"); res.Status != 200 {
		t.Fatalf("GET /sign-in: status %d", res.Status)
	}
	tab.CheckScriptsRan(t)
	// The policy is in force: an inline script without the nonce does not run.
	var ran bool
	tab.EvalInto(t, `(() => {
		const s = document.createElement('script');
		s.textContent = 'window.inlineRan = true';
		document.body.appendChild(s);
		return !!window.inlineRan;
	})()`, &ran)
	if ran {
		t.Fatal("an inline script without the nonce ran: the page has no Content-Security-Policy, so this test proves nothing")
	}
	if p := strings.Join(tab.Problems(t), "\n"); !strings.Contains(p, "Content Security Policy") {
		t.Errorf("want the refused inline script reported as a console error; got %q", p)
	}

	tab.InjectAxe(t)
	want := regexp.MustCompile(`(?m)^version:\s*(\S+)`).FindStringSubmatch(AxeManifest)
	if got := tab.Eval(t, `axe.version`); want == nil || got != want[1] {
		t.Errorf("axe.version %q, want %q from AXE_VERSION", got, want)
	}
	if vs := tab.Axe(t); len(vs) != 0 {
		t.Fatalf("the sign-in page has violations before the test breaks it:\n%s", FormatViolations(vs))
	}

	tab.Eval(t, `document.querySelector('main form').insertAdjacentHTML('beforeend', '<input type="text" name="unlabelled">'), ''`)
	vs := tab.Axe(t)
	var found *Violation
	for i := range vs {
		if vs[i].ID == "label" {
			found = &vs[i]
		}
	}
	if found == nil {
		t.Fatalf("axe did not report the unlabelled field; got:\n%s", FormatViolations(vs))
	}
	report := FormatViolations(vs)
	for _, w := range []string{"label [critical]", `<input type="text" name="unlabelled">`, "https://dequeuniversity.com/rules/axe/"} {
		if !strings.Contains(report, w) {
			t.Errorf("the report does not contain %q:\n%s", w, report)
		}
	}
}
