package e2e

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// axeSource is axe-core, vendored by scripts/vendor-frontend.sh.
//
//go:embed testdata/axe.min.js
var axeSource string

// AxeManifest describes the vendored axe-core: version and checksums.
//
//go:embed testdata/AXE_VERSION
var AxeManifest string

// AxeTags are the axe rule tags the pages must pass: WCAG 2.0, 2.1 and 2.2
// at levels A and AA, and axe's best practices.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

// Violation is one axe rule that failed, with the elements that failed it.
type Violation struct {
	ID      string          `json:"id"`
	Impact  string          `json:"impact"`
	Help    string          `json:"help"`
	HelpURL string          `json:"helpUrl"`
	Nodes   []ViolationNode `json:"nodes"`
}

// ViolationNode is an element that failed a rule.
type ViolationNode struct {
	Target  []string `json:"target"`
	HTML    string   `json:"html"`
	Summary string   `json:"summary"`
}

// axeRunJS runs axe on the whole document and keeps only what a report
// needs. Targets inside iframes or shadow roots come as arrays; they are
// joined with " >>> ".
func axeRunJS() string {
	tags, _ := json.Marshal(AxeTags)
	return `axe.run(document, {runOnly: {type: "tag", values: ` + string(tags) + `}, resultTypes: ["violations"]})
	.then(r => r.violations.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({
			target: n.target.map(t => Array.isArray(t) ? t.join(" >>> ") : String(t)),
			html: n.html,
			summary: n.failureSummary || "",
		})),
	})))`
}

// InjectAxe puts axe-core into the page the tab shows, unless it is there
// already. It goes in through the DevTools protocol (Runtime.evaluate), to
// which the page's Content-Security-Policy does not apply, so no inline
// script or nonce is needed.
func (tab *Tab) InjectAxe(t testing.TB) {
	t.Helper()
	if tab.Eval(t, `typeof window.axe`) == "object" {
		return
	}
	var ok bool
	tab.EvalInto(t, axeSource+"\n;typeof window.axe === 'object' && typeof window.axe.run === 'function'", &ok)
	if !ok {
		t.Fatal("axe-core did not load into the page")
	}
}

// Axe runs axe-core on the page the tab shows and returns the violations.
func (tab *Tab) Axe(t testing.TB) []Violation {
	t.Helper()
	tab.InjectAxe(t)
	var vs []Violation
	tab.EvalInto(t, axeRunJS(), &vs)
	return vs
}

// maxNodes is how many failing elements a report shows for each rule.
const maxNodes = 4

// FormatViolations lists violations for a test failure: rule, impact, help,
// and for the first few failing elements their selector, HTML and why.
func FormatViolations(vs []Violation) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "  - %s [%s] %s (%d element(s))\n    %s\n", v.ID, v.Impact, v.Help, len(v.Nodes), v.HelpURL)
		for i, n := range v.Nodes {
			if i == maxNodes {
				fmt.Fprintf(&b, "      … and %d more\n", len(v.Nodes)-maxNodes)
				break
			}
			fmt.Fprintf(&b, "      at %s\n        %s\n", strings.Join(n.Target, " "), clip(oneLine(n.HTML), 300))
			if s := oneLine(n.Summary); s != "" {
				fmt.Fprintf(&b, "        %s\n", clip(s, 400))
			}
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func decodeJSON(raw []byte, v any) error {
	if len(bytes.TrimSpace(raw)) == 0 {
		raw = []byte("null")
	}
	return json.Unmarshal(raw, v)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
