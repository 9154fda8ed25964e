package guide

import (
	"errors"
	"testing"
)

// FuzzParse checks that Parse never panics, that every refusal is a list of
// located problems, and that any accepted definition walks to an end point
// when every answer is yes and when every answer is no.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"valid.json", "cycle.json", "dangling.json", "unknown_field.json"} {
		f.Add(readFixture(f, name))
	}
	f.Add(justCulture(f).Raw())
	f.Add([]byte(`{"id":"x","version":1,"title":"X","start":"q","tests":[{"id":"t","title":"T","questions":[{"id":"q","text":"?","yes":"E","no":"E"}]}],"end_points":[{"id":"E","title":"E","individual_action":"likely","supports_formal_action":true,"summary":"s","actions":["a"],"system_learning":"l"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := Parse(data)
		if err != nil {
			var ve ValidationErrors
			if g != nil || !errors.As(err, &ve) || len(ve) == 0 {
				t.Fatalf("refusal is %T %v with guide %v", err, err, g)
			}
			for _, e := range ve {
				if e.Where == "" || e.Problem == "" {
					t.Fatalf("problem without place or description: %+v", e)
				}
			}
			return
		}
		for _, value := range []bool{true, false} {
			answers := map[string]Answer{}
			for range len(g.Questions()) + 1 {
				q, done, err := g.Next(answers)
				if err != nil {
					t.Fatalf("Next: %v", err)
				}
				if done {
					break
				}
				answers[q.ID] = Answer{Value: value, Reason: "r"}
			}
			res, err := g.Walk(answers)
			if err != nil {
				t.Fatalf("all-%v answers did not reach an end point: %v", value, err)
			}
			checkValidPath(t, g, answers, res)
		}
		g2, err := Parse(g.Raw())
		if err != nil || g2.Checksum() != g.Checksum() {
			t.Fatalf("re-parsing Raw: %v", err)
		}
	})
}
