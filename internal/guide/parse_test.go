package guide

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// parseErrors parses data expecting failure and returns the problems.
func parseErrors(t *testing.T, data []byte) ValidationErrors {
	t.Helper()
	g, err := Parse(data)
	if err == nil {
		t.Fatalf("Parse accepted an invalid definition: %v", g)
	}
	if g != nil {
		t.Errorf("Parse returned a guide with an error")
	}
	var ve ValidationErrors
	if !errors.As(err, &ve) || len(ve) == 0 {
		t.Fatalf("error is %T %v, want a non-empty ValidationErrors", err, err)
	}
	for _, e := range ve {
		if e.Where == "" || e.Problem == "" {
			t.Errorf("problem without a place or description: %+v", e)
		}
	}
	return ve
}

// wantProblem asserts that one problem's message (Where: Problem) contains
// every one of the fragments, and returns it.
func wantProblem(t *testing.T, ve ValidationErrors, fragments ...string) ValidationError {
	t.Helper()
outer:
	for _, e := range ve {
		for _, f := range fragments {
			if !strings.Contains(e.Error(), f) {
				continue outer
			}
		}
		return e
	}
	t.Fatalf("no problem contains all of %q; got:\n%s", fragments, strings.ReplaceAll(ve.Error(), "; ", "\n"))
	return ValidationError{}
}

func TestParseValidFixture(t *testing.T) {
	g, err := Parse(readFixture(t, "valid.json"))
	if err != nil {
		t.Fatal(err)
	}
	if g.ID() != "mini" || g.Version() != 1 || g.Start() != "q1" || len(g.Questions()) != 2 || len(g.EndPoints()) != 2 {
		t.Fatalf("unexpected guide %v: %+v", g, g.Questions())
	}
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file      string
		fragments []string // all in one problem's message
		line      int      // the problem's line, when it should be known
	}{
		{"cycle.json", []string{`question "q2"`, "circle", "q2 → q3 → q2"}, 12},
		{"dangling.json", []string{`question "q2": "yes" goes to "9z", which is neither a question nor an end point`}, 12},
		{"unreachable_question.json", []string{`question "q3"`, "cannot be reached", `"q1"`}, 13},
		{"unreachable_end_point.json", []string{`end point "E3"`, "cannot be reached"}, 19},
		{"duplicate_id.json", []string{`question "Q2" (tests[0].questions[2])`, `id "Q2" is already used by question "q2" at tests[0].questions[1]`}, 13},
		{"no_end_points.json", []string{"definition", "no end points"}, 0},
		{"missing_start.json", []string{`definition: "start" is missing`}, 0},
		{"start_is_end_point.json", []string{`"start" is "E1", which is an end point`}, 5},
		{"unknown_field.json", []string{`question "q1"`, `unknown field "colour"`, "tests[0].questions[0].colour"}, 11},
		{"blank_text.json", []string{`question "q2"`, `"text" is blank`}, 12},
		{"blank_text.json", []string{`end point "E2"`, `"title" is blank`}, 18},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.fragments[0], func(t *testing.T) {
			ve := parseErrors(t, readFixture(t, tt.file))
			e := wantProblem(t, ve, tt.fragments...)
			if tt.line != 0 && e.Line != tt.line {
				t.Errorf("problem %q is on line %d, want %d", e, e.Line, tt.line)
			}
		})
	}
}

func TestParseNoEndPointsAlsoNamesDanglingTargets(t *testing.T) {
	ve := parseErrors(t, readFixture(t, "no_end_points.json"))
	wantProblem(t, ve, `question "q1": "no" goes to "E1"`)
	wantProblem(t, ve, `question "q2": "yes" goes to "E1"`)
	wantProblem(t, ve, `question "q2": "no" goes to "E2"`)
}

func TestParseReportsEveryProblem(t *testing.T) {
	// One definition with several independent problems: all are reported.
	src := string(readFixture(t, "valid.json"))
	src = strings.Replace(src, `"text": "First?", `, `"text": "First?", "colour": "red", `, 1)
	src = strings.Replace(src, `"yes": "E1", "no": "E2"`, `"yes": "9z", "no": "E2"`, 1)
	src = strings.Replace(src, `"title": "Two"`, `"title": " "`, 1)
	src = strings.Replace(src, `"version": 1`, `"version": 0`, 1)
	ve := parseErrors(t, []byte(src))
	wantProblem(t, ve, `unknown field "colour"`)
	wantProblem(t, ve, `"yes" goes to "9z"`)
	wantProblem(t, ve, `end point "E2": "title" is blank`)
	wantProblem(t, ve, `definition: "version" must be a whole number`)
	if len(ve) != 4 {
		t.Errorf("got %d problems, want 4: %v", len(ve), ve)
	}
}

func TestParseStructuralProblems(t *testing.T) {
	valid := string(readFixture(t, "valid.json"))
	tests := []struct {
		name      string
		src       string
		fragments []string
	}{
		{"empty", "", []string{"definition: is empty"}},
		{"not an object", `[1, 2]`, []string{"definition: must be a JSON object, not a list"}},
		{"syntax error", "{\n  \"id\": \"x\",\n  \"version\": 1,,\n}", []string{"line 3, column", "not valid JSON"}},
		{"truncated", valid[:200], []string{"not valid JSON", "ends before it is complete"}},
		{"trailing data", valid + `{}`, []string{"more data after the end"}},
		{"duplicate key", strings.Replace(valid, `"title": "Mini guide",`, `"title": "Mini guide", "title": "Again",`, 1), []string{`field "title" appears more than once`}},
		{"wrong type", strings.Replace(valid, `"text": "First?"`, `"text": 42`, 1), []string{`question "q1": "text" must be text, not a number`}},
		{"null", strings.Replace(valid, `"help": "Some help."`, `"help": null`, 1), []string{`question "q1": "help" must be text, not null`}},
		{"bool as string", strings.Replace(valid, `"supports_formal_action": true`, `"supports_formal_action": "yes"`, 1), []string{`end point "E1": "supports_formal_action" must be true or false`}},
		{"missing bool", strings.Replace(valid, `"supports_formal_action": true, `, ``, 1), []string{`end point "E1": "supports_formal_action" is missing`}},
		{"fractional version", strings.Replace(valid, `"version": 1`, `"version": 1.5`, 1), []string{`"version" must be a whole number`}},
		{"missing id", strings.Replace(valid, `"id": "mini",`, ``, 1), []string{`definition: "id" is missing`}},
		{"bad guide id", strings.Replace(valid, `"id": "mini"`, `"id": "Mini Guide"`, 1), []string{`"id" is "Mini Guide"`, "lowercase"}},
		{"bad question id", strings.Replace(valid, `"id": "q1"`, `"id": "q 1"`, 1), []string{`tests[0].questions[0]: "id" is "q 1"`}},
		{"unknown top-level field", strings.Replace(valid, `"version": 1,`, `"version": 1, "author": "me",`, 1), []string{`definition: unknown field "author" at author`}},
		{"unknown end point field", strings.Replace(valid, `"title": "One",`, `"title": "One", "colour": "red",`, 1), []string{`end point "E1": unknown field "colour" at end_points[0].colour`}},
		{"bad individual action", strings.Replace(valid, `"individual_action": "likely"`, `"individual_action": "maybe"`, 1), []string{`end point "E1": "individual_action" is "maybe"`}},
		{"formal action when unlikely", strings.Replace(valid, `"individual_action": "unlikely", "supports_formal_action": false`, `"individual_action": "unlikely", "supports_formal_action": true`, 1), []string{`end point "E2": "supports_formal_action" is true, but`}},
		{"no actions", strings.Replace(valid, `"actions": ["Follow guidance."]`, `"actions": []`, 1), []string{`end point "E1": "actions" is empty`}},
		{"blank action", strings.Replace(valid, `"actions": ["Follow guidance."]`, `"actions": ["  "]`, 1), []string{`end point "E1": "actions[0]" is blank`}},
		{"no tests", strings.Replace(strings.Replace(valid, `"start": "q1",`, ``, 1), `"tests": [`, `"tests": [], "x": [`, 1), []string{`"tests" is empty`}},
		{"start unknown", strings.Replace(valid, `"start": "q1"`, `"start": "q9"`, 1), []string{`definition: "start" is "q9", which is not a question`}},
		{"self loop", strings.Replace(valid, `"yes": "E1", "no": "E2"`, `"yes": "q2", "no": "E2"`, 1), []string{`question "q2"`, "q2 → q2"}},
		{"control character", strings.Replace(valid, `"text": "First?"`, `"text": "First\u0007?"`, 1), []string{`"text" contains control characters`}},
		{"invalid utf-8", strings.Replace(valid, `First?`, "First\xff?", 1), []string{"line 11, column", "not valid UTF-8"}},
		{"too deep", `{"id": [[[[[[[[[[[[1]]]]]]]]]]]}`, []string{"nested too deeply"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantProblem(t, parseErrors(t, []byte(tt.src)), tt.fragments...)
		})
	}
}

func TestParseNamesTheLineOfARoutingField(t *testing.T) {
	src := "{\"id\": \"x\", \"version\": 1, \"title\": \"X\", \"start\": \"q\",\n\"tests\": [{\"id\": \"t\", \"title\": \"T\", \"questions\": [{\"id\": \"q\", \"text\": \"?\",\n\"yes\": \"E\",\n\"no\": \"nowhere\"}]}],\n\"end_points\": [{\"id\": \"E\", \"title\": \"E\", \"individual_action\": \"likely\", \"supports_formal_action\": true, \"summary\": \"s\", \"actions\": [\"a\"], \"system_learning\": \"l\"}]}"
	e := wantProblem(t, parseErrors(t, []byte(src)), `question "q": "no" goes to "nowhere"`)
	if e.Line != 4 || e.Path != "tests[0].questions[0].no" {
		t.Errorf("problem at line %d path %q, want line 4 tests[0].questions[0].no", e.Line, e.Path)
	}
}

func TestParseExactDuplicateAcrossKinds(t *testing.T) {
	valid := string(readFixture(t, "valid.json"))
	// The test and an end point both claim "t1"; a second end point reuses "E1".
	src := strings.Replace(valid, `"id": "E2"`, `"id": "t1"`, 1)
	ve := parseErrors(t, []byte(src))
	wantProblem(t, ve, `end point "t1" (end_points[1]): id "t1" is already used by test "t1" at tests[0]`)
}

// chain builds a definition with n questions in a line.
func chain(n int, text string) []byte {
	var qs []string
	for i := 1; i <= n; i++ {
		next := fmt.Sprintf("q%d", i+1)
		if i == n {
			next = "E2"
		}
		qs = append(qs, fmt.Sprintf(`{"id": "q%d", "text": %q, "yes": "E1", "no": %q}`, i, text, next))
	}
	return fmt.Appendf(nil, `{"id": "chain", "version": 1, "title": "Chain", "start": "q1",
  "tests": [{"id": "t", "title": "T", "questions": [%s]}],
  "end_points": [
    {"id": "E1", "title": "One", "individual_action": "likely", "supports_formal_action": true, "summary": "s", "actions": ["a"], "system_learning": "l"},
    {"id": "E2", "title": "Two", "individual_action": "unlikely", "supports_formal_action": false, "summary": "s", "actions": ["a"], "system_learning": "l"}]}`,
		strings.Join(qs, ",\n"))
}

func TestParseOversize(t *testing.T) {
	if _, err := Parse(chain(MaxQuestions, "Q?")); err != nil {
		t.Fatalf("%d questions should be allowed: %v", MaxQuestions, err)
	}
	wantProblem(t, parseErrors(t, chain(MaxQuestions+1, "Q?")), "there are 201 questions; at most 200 are allowed")
	wantProblem(t, parseErrors(t, chain(2, strings.Repeat("é", MaxTextLength+1))), `question "q1": "text" is 2001 characters; at most 2000 are allowed`)
	big := chain(1, strings.Repeat("x", MaxDefinitionBytes))
	wantProblem(t, parseErrors(t, big), "definition: is", "bytes; at most 1048576 are allowed")
	huge := "[" + strings.Repeat("0,", maxElements) + "0]"
	wantProblem(t, parseErrors(t, []byte(`{"cautions": `+huge+`}`)), "cautions", "more than 1000 entries")
}

func TestParseCapsTheNumberOfProblems(t *testing.T) {
	// 200 questions all routing nowhere: far more problems than are listed.
	src := bytes.ReplaceAll(chain(MaxQuestions, "Q?"), []byte(`"yes": "E1"`), []byte(`"yes": "nowhere"`))
	ve := parseErrors(t, src)
	if len(ve) != maxProblems+1 {
		t.Fatalf("got %d problems, want %d plus a summary", len(ve), maxProblems)
	}
	wantProblem(t, ve, "more problems not listed")
}

func TestChecksumAndRaw(t *testing.T) {
	data := readFixture(t, "valid.json")
	g, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(g.Raw(), data) {
		t.Error("Raw differs from the input")
	}
	raw := g.Raw()
	raw[0] = 'X'
	if !bytes.Equal(g.Raw(), data) {
		t.Error("Raw is not a copy")
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, data); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(compact.Bytes())
	if g.Checksum() != hex.EncodeToString(sum[:]) {
		t.Errorf("Checksum %s is not the sha256 of the compact form", g.Checksum())
	}
	// Re-indented, with CRLF line endings and a byte order mark: same checksum.
	var indented bytes.Buffer
	if err := json.Indent(&indented, data, "", "\t"); err != nil {
		t.Fatal(err)
	}
	crlf := append([]byte("\xef\xbb\xbf"), bytes.ReplaceAll(indented.Bytes(), []byte("\n"), []byte("\r\n"))...)
	g2, err := Parse(crlf)
	if err != nil {
		t.Fatal(err)
	}
	if g2.Checksum() != g.Checksum() {
		t.Error("layout changed the checksum")
	}
	if !bytes.Equal(g2.Raw(), crlf) {
		t.Error("Raw did not keep the bytes exactly as loaded")
	}
	// Any change to the content changes it.
	g3, err := Parse(bytes.Replace(data, []byte("First?"), []byte("First!"), 1))
	if err != nil {
		t.Fatal(err)
	}
	if g3.Checksum() == g.Checksum() {
		t.Error("changed text kept the checksum")
	}
	out, err := json.Marshal(g)
	if err != nil || !bytes.Equal(out, compact.Bytes()) {
		t.Errorf("MarshalJSON = %s, %v; want the compact definition", out, err)
	}
}
