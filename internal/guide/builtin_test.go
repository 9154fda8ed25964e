package guide

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestBuiltin2018Definition(t *testing.T) {
	all := Builtin()
	if len(all) != 1 || all[0].ID() != "nhs-just-culture-2018" || all[0].Version() != 1 {
		t.Fatalf("Builtin() = %v", all)
	}
	g := justCulture(t)
	if g != all[0] {
		t.Error("BuiltinByID and Builtin disagree")
	}
	if _, ok := BuiltinByID("nope"); ok {
		t.Error("BuiltinByID found an unknown guide")
	}
	raw, err := os.ReadFile("definitions/nhs-just-culture-2018.json")
	if err != nil {
		t.Fatal(err)
	}
	if string(g.Raw()) != string(raw) {
		t.Error("Raw is not the embedded file")
	}
	if len(g.Checksum()) != 64 {
		t.Errorf("checksum %q", g.Checksum())
	}

	for _, credit := range []string{"NHS Improvement", "A just culture guide", "2018", "James Reason", "Incident Decision Tree", "being fair tool"} {
		if !strings.Contains(g.Source(), credit) {
			t.Errorf("source does not credit %q", credit)
		}
	}
	cautions := strings.ToLower(strings.Join(g.Cautions(), " "))
	for _, rule := range []string{"not for routine use", "patient safety investigation", "hr", "one action or omission at a time", "revisited", "unconscious bias", "ethnic minority"} {
		if !strings.Contains(cautions, rule) {
			t.Errorf("cautions do not mention %q", rule)
		}
	}

	if g.Start() != "1a" {
		t.Errorf("start %q", g.Start())
	}
	var ids []string
	for _, q := range g.Questions() {
		ids = append(ids, q.ID)
		want := routing2018[q.ID]
		if q.Yes != want[0] || q.No != want[1] {
			t.Errorf("question %s routes yes→%s no→%s, want yes→%s no→%s", q.ID, q.Yes, q.No, want[0], want[1])
		}
		if strings.TrimSpace(q.Help) == "" || !strings.HasSuffix(q.Text, "?") {
			t.Errorf("question %s needs help text and a question mark", q.ID)
		}
	}
	if !slices.Equal(ids, questionIDs2018) {
		t.Errorf("questions %v, want %v", ids, questionIDs2018)
	}

	wantTests := map[string][]string{
		"deliberate_harm": {"1a"}, "health": {"2a", "2b", "2c"}, "foresight": {"3a", "3b", "3c"},
		"substitution": {"4a", "4b", "4c"}, "mitigation": {"5a"},
	}
	tests := g.Tests()
	if len(tests) != 5 {
		t.Errorf("%d tests, want 5", len(tests))
	}
	for _, tt := range tests {
		var qs []string
		for _, q := range tt.Questions {
			qs = append(qs, q.ID)
			if got, ok := g.TestOf(q.ID); !ok || got.ID != tt.ID || q.Test != tt.ID {
				t.Errorf("TestOf(%s) = %v, want %s", q.ID, got, tt.ID)
			}
		}
		if !slices.Equal(qs, wantTests[tt.ID]) {
			t.Errorf("test %s has %v, want %v", tt.ID, qs, wantTests[tt.ID])
		}
	}

	wantEnd := map[string]struct {
		individual string
		formal     bool
	}{
		"A": {IndividualActionLikely, true}, "B": {IndividualActionLikely, true}, "C": {IndividualActionLikely, true},
		"D": {IndividualActionUnlikely, false}, "E": {IndividualActionUnlikely, false},
		"F": {IndividualActionMayNotBeAppropriate, true}, "G": {IndividualActionLikely, true},
	}
	var ends []string
	for _, e := range g.EndPoints() {
		ends = append(ends, e.ID)
		w := wantEnd[e.ID]
		if e.IndividualAction != w.individual || e.SupportsFormalAction != w.formal {
			t.Errorf("end point %s: individual %q formal %v, want %q %v", e.ID, e.IndividualAction, e.SupportsFormalAction, w.individual, w.formal)
		}
		if len(e.Actions) == 0 || !strings.Contains(strings.ToLower(e.SystemLearning), "system level") {
			t.Errorf("end point %s needs actions and the system-learning reminder", e.ID)
		}
	}
	if !slices.Equal(ends, []string{"A", "B", "C", "D", "E", "F", "G"}) {
		t.Errorf("end points %v", ends)
	}
}

// TestBuiltinWordedInOwnWords checks that no question is the guide's own
// sentence (as quoted in domain.md 6.1).
func TestBuiltinWordedInOwnWords(t *testing.T) {
	quoted := []string{
		"Was there any intention to cause harm?",
		"Are there indications of substance abuse?",
		"Are there indications of physical ill health?",
		"Are there indications of mental ill health?",
		"Are there agreed protocols/accepted practice in place that apply to the action/omission in question?",
		"Were the protocols/accepted practice workable and in routine use?",
		"Did the individual knowingly depart from these protocols?",
		"Are there indications that other individuals from the same peer group, with comparable experience and qualifications, would behave in the same way in similar circumstances?",
		"Was the individual missed out when relevant training was provided to their peer group?",
		"Did more senior members of the team fail to provide supervision that normally should be provided?",
		"Were there any significant mitigating circumstances?",
	}
	norm := func(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }
	raw := norm(string(justCulture(t).Raw()))
	for _, q := range quoted {
		if strings.Contains(raw, norm(strings.TrimSuffix(q, "?"))) {
			t.Errorf("the definition copies the guide's sentence %q", q)
		}
	}
}

func TestAccessorsReturnCopies(t *testing.T) {
	g := justCulture(t)
	g.Questions()[0].Yes = "G"
	g.Tests()[0].Questions[0].Yes = "G"
	g.EndPoints()[0].Actions[0] = "changed"
	g.Cautions()[0] = "changed"
	e, _ := g.EndPoint("A")
	e.Actions[0] = "changed"
	q, _ := g.Question("1a")
	q.Yes = "G"
	tt, _ := g.TestOf("1a")
	tt.Questions[0].Yes = "G"
	if q, _ := g.Question("1a"); q.Yes != "A" {
		t.Error("a returned question changed the guide")
	}
	if e, _ := g.EndPoint("A"); e.Actions[0] == "changed" {
		t.Error("a returned end point changed the guide")
	}
	if g.Cautions()[0] == "changed" {
		t.Error("returned cautions changed the guide")
	}
	if res, _ := g.Walk(map[string]Answer{"1a": {true, "r"}}); res.Outcome != "A" {
		t.Error("routing changed")
	}
	if _, ok := g.Question("A"); ok {
		t.Error("Question found an end point")
	}
	if _, ok := g.EndPoint("1a"); ok {
		t.Error("EndPoint found a question")
	}
	if _, ok := g.TestOf("zz"); ok {
		t.Error("TestOf found an unknown question")
	}
	if g.String() != "nhs-just-culture-2018 version 1" {
		t.Errorf("String() = %q", g)
	}
}
