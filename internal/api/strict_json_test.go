package api

import (
	"encoding/json"
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

// The check never fails on well-formed JSON it cannot place, nor reads past
// the body, whatever the body is.
func FuzzCheckShape(f *testing.F) {
	for _, s := range []string{`{"kind": "a"}`, `{"people": [{"role": "\ud800"}]}`, `[1, {"a": "\\"}]`, `"\u00e9"`, `{"answers": {"x": {}}}`} {
		f.Add(s)
	}
	var c shapes
	sh := c.of(&shapeRequest{})
	f.Fuzz(func(t *testing.T, body string) {
		if !json.Valid([]byte(body)) {
			return
		}
		checkShape([]byte(body), sh)
	})
}
