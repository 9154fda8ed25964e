package api

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

type shapeInner struct {
	Role string `json:"role"`
}

type shapeBase struct {
	Kind string `json:"kind"`
}

type shapeRequest struct {
	shapeBase
	Mode    string                `json:"mode,omitempty"`
	Secret  string                `json:"-"`
	People  []shapeInner          `json:"people"`
	Grid    [][]shapeInner        `json:"grid"`
	Answers map[string]shapeInner `json:"answers"`
	Extra   any                   `json:"extra"`
	Raw     json.RawMessage       `json:"raw"`
	Untag   string
}

func TestCheckShape(t *testing.T) {
	var c shapes
	sh := c.of(&shapeRequest{})
	if c.of(&shapeRequest{}) != sh {
		t.Fatal("the shape is built again for the same type")
	}
	for _, tc := range []struct{ body, path, says string }{
		{`{"kind": "a", "mode": "b", "people": [{"role": "x"}], "Untag": "u"}`, "", ""},
		// Map keys and the insides of any or raw values are data.
		{`{"answers": {"Q1": {"role": "x"}, "q1": {"role": "y"}}, "extra": {"Any": 1, "ANY": [{"x": 1}]}, "raw": {"K": 1}}`, "", ""},
		{`{"kind": "a", "Kind": "b"}`, "Kind", `did you mean "kind"`},
		{`{"secret": "s"}`, "secret", "not a field"},
		{`{"untag": "u"}`, "untag", `did you mean "Untag"`},
		{`{"mode": "a", "m\u006fde": "b"}`, "mode", "more than once"},
		{`{"people": [{"role": "x"}, {"role": "y", "role": "z"}]}`, "people[1].role", "more than once"},
		{`{"grid": [[], [{"role": "x"}, {"rôle": "y"}]]}`, "grid[1][1].rôle", "not a field"},
		{`{"answers": {"Q1": {"role": "x"}, "Q1": {"role": "y"}}}`, "answers.Q1", "more than once"},
		{`{"answers": {"Q1": {"Role": "x"}}}`, "answers.Q1.Role", "did you mean"},
		{`{"extra": {"a": 1, "a": 2}}`, "extra.a", "more than once"},
		{`{"kind": "\ud83d\ude00 \\ud800 \"\ud800\""}`, "kind", `\uD800`},
		{`{"people": [{"role": "\udfff"}]}`, "people[0].role", `\uDFFF`},
		{`{"kind": "\ud800\u0041"}`, "kind", "surrogate"},
		{`{"kind": "ends in half \ud800"}`, "kind", "surrogate"},
	} {
		if !json.Valid([]byte(tc.body)) {
			t.Fatalf("test body is not JSON: %s", tc.body)
		}
		err := checkShape([]byte(tc.body), sh)
		switch {
		case tc.says == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.body, err)
		case tc.says != "" && err == nil:
			t.Errorf("%s: accepted", tc.body)
		case tc.says != "" && (err.path != tc.path || !strings.Contains(err.message, tc.says)):
			t.Errorf("%s: got %q %q, want %q and %q", tc.body, err.path, err.message, tc.path, tc.says)
		}
	}
}

// The check never panics nor reads past the body, and on data (anyShape)
// it finds a repeated key exactly when encoding/json's own tokens show
// one, escaped keys included. (A half surrogate pair, which the tokens
// turn into U+FFFD, is refused first, so those bodies are left out.)
func FuzzCheckShape(f *testing.F) {
	for _, s := range []string{`{"kind": "a"}`, `{"people": [{"role": "\ud800"}]}`, `[1, {"a": "\\"}]`, `"\u00e9"`,
		`{"answers": {"x": {}}}`, `{"a": 1, "\u0061": 2}`, `{"a": {"b": 1}, "c": [{"b": 2, "b": 3}]}`} {
		f.Add(s)
	}
	var c shapes
	sh := c.of(&shapeRequest{})
	halfPair := regexp.MustCompile(`\\u[dD][89a-fA-F]`)
	f.Fuzz(func(t *testing.T, body string) {
		if !json.Valid([]byte(body)) {
			return
		}
		checkShape([]byte(body), sh)
		if halfPair.MatchString(body) {
			return
		}
		err := checkShape([]byte(body), anyShape)
		if got, want := err != nil && strings.Contains(err.message, "more than once"), repeatsByTokens(body); got != want {
			t.Fatalf("checkShape found a repeated key: %v (%v); the tokens: %v", got, err, want)
		}
	})
}

// repeatsByTokens reports whether some object in body repeats a key, read
// with encoding/json's tokens.
func repeatsByTokens(body string) bool {
	type frame struct {
		object, key bool // key: the next string is a key
		keys        map[string]bool
	}
	var stack []*frame
	dec := json.NewDecoder(strings.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return false // the end
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '}' || v == ']' {
				stack = stack[:len(stack)-1]
				continue
			}
			if top != nil && top.object {
				top.key = true // after this value, a key
			}
			stack = append(stack, &frame{object: v == '{', key: true, keys: map[string]bool{}})
		case string:
			if top != nil && top.object && top.key {
				if top.keys[v] {
					return true
				}
				top.keys[v], top.key = true, false
				continue
			}
			if top != nil && top.object {
				top.key = true
			}
		default:
			if top != nil && top.object {
				top.key = true
			}
		}
	}
}

// A report as clients send it, its narrative full of escaped line breaks
// and quotes: the shape check runs on every report submitted.
func BenchmarkCheckShapeReport(b *testing.B) {
	body := []byte(`{"kind": "safety_event", "mode": "anonymous", "department_id": 3, "occurred_at": "2026-11-28T14:30:00Z",
		"event_type": "incident", "physical_harm": "low", "psychological_harm": "none",
		"description": "` + strings.Repeat(`The \"second check\" was missed at handover.\nThe chart was not signed.\n`, 14) + `",
		"people": [{"role": "patient", "description": "Patient in bay 3"}], "idempotency_key": "4f1c2b9e-7d1a-4a55-9c1e-0a4f6b2d8e11"}`)
	var c shapes
	sh := c.of(&submitRequest{})
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if err := checkShape(body, sh); err != nil {
			b.Fatal(err)
		}
	}
}

// A report's body decoded whole, as decode does after the shape check has
// passed it: json.Unmarshal over the buffer read, no copy of it.
func BenchmarkDecodeReport(b *testing.B) {
	body := []byte(`{"kind": "safety_event", "mode": "anonymous", "department_id": 3, "occurred_at": "2026-11-28T14:30:00Z",
		"event_type": "incident", "physical_harm": "low", "psychological_harm": "none",
		"description": "` + strings.Repeat(`The second check was missed at handover. The chart was not signed. `, 5) + `",
		"idempotency_key": "4f1c2b9e-7d1a-4a55-9c1e-0a4f6b2d8e11"}`)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var req submitRequest
		if err := json.Unmarshal(body, &req); err != nil {
			b.Fatal(err)
		}
	}
}

// A map of data keys (an assessment's answers, say) as large as a body may
// be: the check for repeated keys must grow with the keys, not their square.
func BenchmarkCheckShapeManyKeys(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"answers": {`)
	for i := 0; sb.Len() < maxJSONBytes-40; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `"q%06d": {}`, i)
	}
	sb.WriteString(`}}`)
	body := []byte(sb.String())
	var c shapes
	sh := c.of(&revisitRequest{})
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := checkShape(body, sh); err != nil {
			b.Fatal(err)
		}
	}
}
