package guide

import (
	"errors"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// routing2018 is domain.md section 6.1's routing table, written out
// independently of the JSON definition: question -> {yes, no}.
var routing2018 = map[string][2]string{
	"1a": {"A", "2a"},
	"2a": {"B", "2b"},
	"2b": {"C", "2c"},
	"2c": {"C", "3a"},
	"3a": {"3b", "D"},
	"3b": {"3c", "D"},
	"3c": {"4a", "D"},
	"4a": {"E", "4b"},
	"4b": {"E", "4c"},
	"4c": {"E", "5a"},
	"5a": {"F", "G"},
}

var questionIDs2018 = []string{"1a", "2a", "2b", "2c", "3a", "3b", "3c", "4a", "4b", "4c", "5a"}

// reference follows routing2018 with the given answers (missing means no)
// and returns the path and end point.
func reference(values map[string]bool) ([]string, string) {
	var path []string
	cur := "1a"
	for {
		r, ok := routing2018[cur]
		if !ok {
			return path, cur
		}
		path = append(path, cur)
		if values[cur] {
			cur = r[0]
		} else {
			cur = r[1]
		}
	}
}

func justCulture(t testing.TB) *Guide {
	t.Helper()
	g, ok := BuiltinByID("nhs-just-culture-2018")
	if !ok {
		t.Fatal("built-in nhs-just-culture-2018 is missing")
	}
	return g
}

// parsePath turns "1a- 2a+" into answers and the question ids in order.
func parsePath(s string) (map[string]Answer, []string) {
	answers := map[string]Answer{}
	var ids []string
	for _, f := range strings.Fields(s) {
		id, v := f[:len(f)-1], f[len(f)-1] == '+'
		answers[id] = Answer{Value: v, Reason: "because " + f}
		ids = append(ids, id)
	}
	return answers, ids
}

// TestEveryPath2018 walks each of the twelve paths through the 2018 guide,
// written out by hand from domain.md, and checks the end point and path.
func TestEveryPath2018(t *testing.T) {
	const health = "1a- 2a- 2b- 2c-"
	const foresight = health + " 3a+ 3b+ 3c+"
	const substitution = foresight + " 4a- 4b- 4c-"
	paths := []struct{ path, outcome string }{
		{"1a+", "A"},
		{"1a- 2a+", "B"},
		{"1a- 2a- 2b+", "C"},
		{health[:len(health)-1] + "+", "C"},
		{health + " 3a-", "D"},
		{health + " 3a+ 3b-", "D"},
		{health + " 3a+ 3b+ 3c-", "D"},
		{foresight + " 4a+", "E"},
		{foresight + " 4a- 4b+", "E"},
		{foresight + " 4a- 4b- 4c+", "E"},
		{substitution + " 5a+", "F"},
		{substitution + " 5a-", "G"},
	}
	g := justCulture(t)
	reached := map[string]bool{}
	for _, p := range paths {
		t.Run(p.outcome+": "+p.path, func(t *testing.T) {
			answers, ids := parsePath(p.path)
			res, err := g.Walk(answers)
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome != p.outcome || res.EndPoint.ID != p.outcome {
				t.Errorf("outcome %q (end point %q), want %q", res.Outcome, res.EndPoint.ID, p.outcome)
			}
			if !slices.Equal(res.Path, ids) {
				t.Errorf("path %v, want %v", res.Path, ids)
			}
			for i, s := range res.Steps {
				if s.Question != ids[i] || s.Answer != answers[ids[i]] {
					t.Errorf("step %d is %+v, want %s %+v", i, s, ids[i], answers[ids[i]])
				}
			}
			// Asking one question at a time gives the same questions in order.
			sofar := map[string]Answer{}
			for _, id := range ids {
				q, done, err := g.Next(sofar)
				if err != nil || done || q.ID != id {
					t.Fatalf("Next after %v = %v, %v, %v; want %s", slices.Sorted(maps.Keys(sofar)), q, done, err, id)
				}
				sofar[id] = answers[id]
			}
			if q, done, err := g.Next(sofar); !done || q != nil || err != nil {
				t.Errorf("Next at the end = %v, %v, %v; want done", q, done, err)
			}
			reached[res.Outcome] = true
		})
	}
	if len(reached) != 7 {
		t.Errorf("reached %d end points, want all seven: %v", len(reached), reached)
	}
}

// TestAllAnswerCombinations2018 enumerates all 2^11 yes/no combinations,
// keeps the answers along each one's path, and checks the guide agrees
// with the domain.md table on the end point and the exact path.
func TestAllAnswerCombinations2018(t *testing.T) {
	g := justCulture(t)
	count := map[string]int{}
	for mask := range 1 << len(questionIDs2018) {
		values := map[string]bool{}
		for i, id := range questionIDs2018 {
			values[id] = mask&(1<<i) != 0
		}
		wantPath, wantOutcome := reference(values)
		answers := map[string]Answer{}
		for _, id := range wantPath {
			answers[id] = Answer{Value: values[id], Reason: "r"}
		}
		res, err := g.Walk(answers)
		if err != nil {
			t.Fatalf("mask %b: %v", mask, err)
		}
		if res.Outcome != wantOutcome || !slices.Equal(res.Path, wantPath) {
			t.Fatalf("mask %b: got %s %v, want %s %v", mask, res.Outcome, res.Path, wantOutcome, wantPath)
		}
		count[res.Outcome]++
	}
	if len(count) != 7 {
		t.Errorf("end points reached: %v", count)
	}
}

// TestPropertyRandomOnPath: random answers along the path always end at
// exactly one end point along a valid path.
func TestPropertyRandomOnPath(t *testing.T) {
	g := justCulture(t)
	rng := rand.New(rand.NewPCG(2018, 6))
	for i := range 5000 {
		answers := map[string]Answer{}
		cur := g.Start()
		for {
			q, ok := g.Question(cur)
			if !ok {
				break
			}
			v := rng.IntN(2) == 0
			answers[cur] = Answer{Value: v, Reason: "r"}
			cur = q.Target(v)
		}
		res, err := g.Walk(answers)
		if err != nil {
			t.Fatalf("iteration %d: %v", i, err)
		}
		checkValidPath(t, g, answers, res)
	}
}

// checkValidPath asserts that res is a path of routed steps from the start
// that uses every answer and ends at the one end point the last step
// routes to.
func checkValidPath(t *testing.T, g *Guide, answers map[string]Answer, res Result) {
	t.Helper()
	if len(res.Path) == 0 || res.Path[0] != g.Start() || len(res.Path) != len(answers) {
		t.Fatalf("path %v does not start at %s or does not use all %d answers", res.Path, g.Start(), len(answers))
	}
	for i, id := range res.Path {
		q, ok := g.Question(id)
		if !ok {
			t.Fatalf("path step %q is not a question", id)
		}
		next := q.Target(answers[id].Value)
		if i+1 < len(res.Path) && next != res.Path[i+1] {
			t.Fatalf("step %s routes to %s, but the path goes to %s", id, next, res.Path[i+1])
		}
		if i+1 == len(res.Path) && next != res.Outcome {
			t.Fatalf("last step %s routes to %s, but the outcome is %s", id, next, res.Outcome)
		}
	}
	if _, ok := g.EndPoint(res.Outcome); !ok || res.EndPoint.ID != res.Outcome {
		t.Fatalf("outcome %q is not an end point", res.Outcome)
	}
	if _, ok := g.Question(res.Outcome); ok {
		t.Fatalf("outcome %q is a question", res.Outcome)
	}
}

// TestPropertyRandomFullAnswers: answering all eleven questions is refused
// with ErrOffPath naming the first question off the path, unless every
// question happens to be on it.
func TestPropertyRandomFullAnswers(t *testing.T) {
	g := justCulture(t)
	rng := rand.New(rand.NewPCG(11, 2018))
	onPathCount := 0
	for i := range 5000 {
		values := map[string]bool{}
		answers := map[string]Answer{}
		for _, id := range questionIDs2018 {
			values[id] = rng.IntN(4) != 0 // bias towards yes so that long paths turn up too
			if id[0] < '3' || id == "4a" || id == "4b" || id == "4c" {
				values[id] = rng.IntN(5) == 0 // bias towards no where no continues
			}
			answers[id] = Answer{Value: values[id], Reason: "r"}
		}
		wantPath, wantOutcome := reference(values)
		res, err := g.Walk(answers)
		if len(wantPath) == len(questionIDs2018) {
			onPathCount++
			if err != nil || res.Outcome != wantOutcome {
				t.Fatalf("iteration %d: all on the path, got %v %v", i, res.Outcome, err)
			}
			continue
		}
		var off *ErrOffPath
		if !errors.As(err, &off) {
			t.Fatalf("iteration %d: got %v, want ErrOffPath", i, err)
		}
		var wantOff []string
		for _, id := range questionIDs2018 {
			if !slices.Contains(wantPath, id) {
				wantOff = append(wantOff, id)
			}
		}
		if off.Question != wantOff[0] || !slices.Equal(off.Questions, wantOff) || off.Outcome != wantOutcome {
			t.Fatalf("iteration %d: got %+v, want %v ending at %s", i, off, wantOff, wantOutcome)
		}
		if _, _, err := g.Next(answers); !reflect.DeepEqual(err, off) {
			t.Fatalf("iteration %d: Next gave %v, Walk gave %v", i, err, off)
		}
	}
	if onPathCount == 0 {
		t.Error("no random full answer set was entirely on the path; the generator is too narrow")
	}
}

// TestPropertyRandomTruncations: dropping the answers from some point on
// the path gives ErrUnanswered for that question, and Next asks it; so
// does leaving out one answer in the middle.
func TestPropertyRandomTruncations(t *testing.T) {
	g := justCulture(t)
	rng := rand.New(rand.NewPCG(3, 14))
	for i := range 5000 {
		values := map[string]bool{}
		for _, id := range questionIDs2018 {
			values[id] = rng.IntN(3) == 0
		}
		path, _ := reference(values)
		k := rng.IntN(len(path))
		answers := map[string]Answer{}
		for j, id := range path {
			if j < k || (i%2 == 1 && j > k) { // odd iterations drop only path[k]
				answers[id] = Answer{Value: values[id], Reason: "r"}
			}
		}
		_, err := g.Walk(answers)
		var un *ErrUnanswered
		if !errors.As(err, &un) || un.Question != path[k] {
			t.Fatalf("iteration %d: path %v without %s: got %v", i, path, path[k], err)
		}
		q, done, err := g.Next(answers)
		if err != nil || done || q.ID != path[k] {
			t.Fatalf("iteration %d: Next = %v, %v, %v; want %s", i, q, done, err, path[k])
		}
	}
}

func TestWalkErrors(t *testing.T) {
	g := justCulture(t)
	ok := func(v bool) Answer { return Answer{Value: v, Reason: "a reason"} }
	tests := []struct {
		name     string
		answers  map[string]Answer
		want     any // pointer to the expected error value
		question string
		message  string
	}{
		{"nothing answered", nil, &ErrUnanswered{}, "1a", `question "1a" has no answer`},
		{"stops early", map[string]Answer{"1a": ok(false), "2a": ok(false)}, &ErrUnanswered{}, "2b", "stop before an end point"},
		{"gap in the middle", map[string]Answer{"1a": ok(false), "2b": ok(false)}, &ErrUnanswered{}, "2a", `"2a"`},
		{"off path after end", map[string]Answer{"1a": ok(true), "3a": ok(true)}, &ErrOffPath{}, "3a", `lead to end point "A"`},
		{"changed earlier answer", map[string]Answer{"1a": ok(false), "2a": ok(true), "2b": ok(false), "2c": ok(false)}, &ErrOffPath{}, "2b", `questions "2b", "2c"`},
		{"unknown question", map[string]Answer{"1a": ok(false), "9z": ok(true)}, &ErrUnknownQuestion{}, "9z", `"9z" is not a question`},
		{"end point answered", map[string]Answer{"A": ok(true)}, &ErrUnknownQuestion{}, "A", "is an end point"},
		{"no reason", map[string]Answer{"1a": {Value: false}}, &ErrNoReason{}, "1a", "give a reason"},
		{"blank reason", map[string]Answer{"1a": ok(false), "2a": {Value: true, Reason: " \n\t "}}, &ErrNoReason{}, "2a", "give a reason"},
		{"long reason", map[string]Answer{"1a": {Value: true, Reason: strings.Repeat("ü", MaxReasonLength+1)}}, &ErrBadReason{}, "1a", "2001 characters"},
		{"control in reason", map[string]Answer{"1a": {Value: true, Reason: "a\x00b"}}, &ErrBadReason{}, "1a", "control characters"},
		{"bad reason off path still unknown first", map[string]Answer{"zz": {}, "1a": {}}, &ErrUnknownQuestion{}, "zz", "zz"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := g.Walk(tt.answers)
			if err == nil {
				t.Fatal("Walk accepted the answers")
			}
			if reflect.TypeOf(err) != reflect.TypeOf(tt.want) {
				t.Fatalf("error %T %v, want %T", err, err, tt.want)
			}
			var ae AnswerError
			if !errors.As(err, &ae) || ae.QuestionID() != tt.question {
				t.Errorf("error names question %v, want %q", ae, tt.question)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("message %q does not contain %q", err, tt.message)
			}
			if _, ok := tt.want.(*ErrUnanswered); ok {
				return
			}
			if _, _, nerr := g.Next(tt.answers); !reflect.DeepEqual(nerr, err) {
				t.Errorf("Next gave %v, Walk gave %v", nerr, err)
			}
		})
	}
}

func TestReasonsTrimmedAndBounded(t *testing.T) {
	g := justCulture(t)
	res, err := g.Walk(map[string]Answer{"1a": {Value: true, Reason: "  " + strings.Repeat("é", MaxReasonLength) + "\n"}})
	if err != nil {
		t.Fatal(err)
	}
	if r := res.Steps[0].Answer.Reason; r != strings.Repeat("é", MaxReasonLength) {
		t.Errorf("reason not trimmed: %q", r[:10])
	}
}

func TestNextOutOfOrderAnswerIsKept(t *testing.T) {
	// 3a is answered before 2a: it is still reachable, so Next asks 2a and
	// later skips 3a; an answer no path can reach is refused at once.
	g := justCulture(t)
	a := map[string]Answer{"1a": {false, "r"}, "3a": {false, "r"}}
	if q, _, err := g.Next(a); err != nil || q.ID != "2a" {
		t.Fatalf("Next = %v, %v; want 2a", q, err)
	}
	a["2a"], a["2b"], a["2c"] = Answer{false, "r"}, Answer{false, "r"}, Answer{false, "r"}
	if _, done, err := g.Next(a); !done || err != nil {
		t.Fatalf("Next = %v, %v; want done", done, err)
	}

	mini, err := Parse([]byte(`{"id": "m", "version": 1, "title": "M", "start": "q1",
	 "tests": [{"id": "t", "title": "T", "questions": [
	  {"id": "q1", "text": "?", "yes": "q2", "no": "q3"},
	  {"id": "q2", "text": "?", "yes": "E", "no": "E"},
	  {"id": "q3", "text": "?", "yes": "q4", "no": "E"},
	  {"id": "q4", "text": "?", "yes": "E", "no": "E"}]}],
	 "end_points": [{"id": "E", "title": "E", "individual_action": "unlikely", "supports_formal_action": false, "summary": "s", "actions": ["a"], "system_learning": "l"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = mini.Next(map[string]Answer{"q1": {true, "r"}, "q4": {true, "r"}})
	var off *ErrOffPath
	if !errors.As(err, &off) || off.Question != "q4" || off.Outcome != "" || !strings.Contains(err.Error(), "never asked") {
		t.Fatalf("Next = %v; want q4 off the path", err)
	}
}
