package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"candour/internal/audit"
	"candour/internal/guide"
	"candour/internal/justculture"
	"candour/internal/store"
)

// builtinRaw is the built-in 2018 guide's definition as shipped.
func builtinRaw(t *testing.T) (*guide.Guide, string) {
	t.Helper()
	g, ok := guide.BuiltinByID("nhs-just-culture-2018")
	if !ok {
		t.Fatal("the 2018 guide is not built in")
	}
	return g, string(g.Raw())
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGuideValidate(t *testing.T) {
	g, raw := builtinRaw(t)
	dir := t.TempDir() // never migrated: validate must not need a database

	r := run(t, dir, "", "guide", "validate", writeFile(t, "good.json", raw))
	want := "valid: nhs-just-culture-2018 version 1, 5 tests, 11 questions, 7 end points, checksum " + g.Checksum() + "\n"
	if r.code != 0 || r.stdout != want || r.stderr != "" {
		t.Fatalf("valid file: %+v; want stdout %q", r, want)
	}

	replace := func(old, new string) string {
		t.Helper()
		if !strings.Contains(raw, old) {
			t.Fatalf("built-in definition no longer contains %q", old)
		}
		return strings.Replace(raw, old, new, 1)
	}
	for _, tt := range []struct {
		name, content string
		want          []string // each on stderr
	}{
		{"dangling.json", replace(`"yes": "3b",`, `"yes": "3z",`),
			[]string{`dangling.json: line 65: question "3a": "yes" goes to "3z", which is neither a question nor an end point`, "problems; the definition is not valid"}},
		{"cycle.json", replace(`"yes": "4a",
          "no": "D"`, `"yes": "4a",
          "no": "3a"`),
			[]string{"cycle.json: line ", "circle", "3a → 3b → 3c → 3a", "the definition is not valid"}},
		{"empty.json", "", []string{"empty.json: definition: is empty", "1 problem; the definition is not valid"}},
		{"broken.json", raw[:len(raw)/2], []string{"broken.json: line ", "the definition is not valid"}},
	} {
		r := run(t, dir, "", "guide", "validate", writeFile(t, tt.name, tt.content))
		if r.code != 1 || r.stdout != "" {
			t.Errorf("%s: %+v; want exit 1 and nothing on stdout", tt.name, r)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%s: stderr lacks %q:\n%s", tt.name, w, r.stderr)
			}
		}
	}
	if r := run(t, dir, "", "guide", "validate", filepath.Join(dir, "missing.json")); r.code != 1 || !strings.Contains(r.stderr, "missing.json") {
		t.Fatalf("missing file: %+v", r)
	}
	if r := run(t, dir, "", "guide", "validate"); r.code != 2 {
		t.Fatalf("no file: %+v", r)
	}
	if r := run(t, dir, "", "guide", "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, "validate, show or list") {
		t.Fatalf("unknown subcommand: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(dir, "candour.db")); err == nil {
		t.Fatal("guide validate created a database")
	}
}

func TestGuideShowAndList(t *testing.T) {
	g, raw := builtinRaw(t)
	dir := t.TempDir()
	if r := run(t, dir, "", "migrate"); r.code != 0 {
		t.Fatal(r)
	}
	r := run(t, dir, "", "guide", "show", "nhs-just-culture-2018")
	if r.code != 0 {
		t.Fatalf("show: %+v", r)
	}
	for _, w := range []string{g.Title(), "nhs-just-culture-2018 version 1 (current, built in)", "checksum " + g.Checksum(),
		"Source: ", "Before you start:", "Start at question 1a.",
		"  1a  Did the person mean to cause harm?", "Yes → A (end point: Harm was intended), No → 2a",
		"  3a  ", "Yes → 3b, No → D (end point: ", "  5a  ", "Help: ",
		"  G  No significant mitigating circumstances", "Recommended actions:", "        1. ", "System learning: ",
		"can support formal action", "does not support formal action"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("show lacks %q:\n%s", w, r.stdout)
		}
	}
	for _, q := range g.Questions() {
		if !strings.Contains(r.stdout, "  "+q.ID+"  "+strings.SplitN(q.Text, "\n", 2)[0]) {
			t.Errorf("show lacks question %s", q.ID)
		}
	}

	// A second version, stored as an administrator would upload it.
	db, err := store.Open(context.Background(), "sqlite:"+filepath.Join(dir, "candour.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v2 := strings.Replace(strings.Replace(raw, `"version": 1,`, `"version": 2,`, 1), g.Title(), "Local adaptation", 1)
	if _, err := justculture.NewService(db).AddDefinition(context.Background(), audit.Actor{Label: "test"}, []byte(v2)); err != nil {
		t.Fatal(err)
	}
	db.Close()

	r = run(t, dir, "", "guide", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "nhs-just-culture-2018\tversion 2\tcurrent\tuploaded\tLocal adaptation") ||
		!strings.Contains(r.stdout, "nhs-just-culture-2018\tversion 1\tolder\tbuilt in\t"+g.Title()) {
		t.Fatalf("list: %+v", r)
	}
	if r := run(t, dir, "", "guide", "show", "nhs-just-culture-2018"); r.code != 0 || !strings.HasPrefix(r.stdout, "Local adaptation\n") {
		t.Fatalf("show the current version: %+v", r)
	}
	for _, args := range [][]string{{"show", "nhs-just-culture-2018", "--version", "1"}, {"show", "--version", "1", "nhs-just-culture-2018"}} {
		if r := run(t, dir, "", append([]string{"guide"}, args...)...); r.code != 0 || !strings.Contains(r.stdout, "version 1 (older version, built in)") {
			t.Fatalf("show %v: %+v", args, r)
		}
	}
	if r := run(t, dir, "", "guide", "show", "nhs-just-culture-2018", "--version", "9"); r.code != 1 || !strings.Contains(r.stderr, "no version 9") {
		t.Fatalf("show a missing version: %+v", r)
	}
	if r := run(t, dir, "", "guide", "show", "no-such-guide"); r.code != 1 || !strings.Contains(r.stderr, `no guide has the id "no-such-guide"`) {
		t.Fatalf("show an unknown guide: %+v", r)
	}
	if r := run(t, dir, "", "guide", "show"); r.code != 2 {
		t.Fatalf("show without an id: %+v", r)
	}
}
