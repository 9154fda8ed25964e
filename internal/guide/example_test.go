package guide_test

import (
	"errors"
	"fmt"

	"candour/internal/guide"
)

func ExampleGuide_Walk() {
	g, _ := guide.BuiltinByID("nhs-just-culture-2018")
	res, err := g.Walk(map[string]guide.Answer{
		"1a": {Value: false, Reason: "No suggestion of intent."},
		"2a": {Value: false, Reason: "Nothing observed."},
		"2b": {Value: false, Reason: "Fit and well."},
		"2c": {Value: false, Reason: "No concerns raised."},
		"3a": {Value: true, Reason: "Double-checking policy applies."},
		"3b": {Value: false, Reason: "Second checker rarely available on nights."},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Outcome, res.Path, res.EndPoint.IndividualAction, res.EndPoint.SupportsFormalAction)
	// Output: D [1a 2a 2b 2c 3a 3b] unlikely false
}

func ExampleGuide_Next() {
	g, _ := guide.BuiltinByID("nhs-just-culture-2018")
	q, done, _ := g.Next(map[string]guide.Answer{"1a": {Value: false, Reason: "No intent."}})
	fmt.Println(q.ID, done)

	_, err := g.Walk(map[string]guide.Answer{"1a": {Value: true, Reason: "Intended."}, "2a": {Value: false, Reason: "x"}})
	var ae guide.AnswerError
	if errors.As(err, &ae) {
		fmt.Println(ae.QuestionID(), err)
	}
	// Output:
	// 2a false
	// 2a question "2a" answered, but the answers lead to end point "A" without asking it
}

func ExampleParse() {
	_, err := guide.Parse([]byte(`{"id": "x", "version": 1, "title": "X", "start": "3b",
	  "tests": [{"id": "t", "title": "T", "questions": [{"id": "3b", "text": "?", "yes": "9z", "no": "E"}]}],
	  "end_points": [{"id": "E", "title": "E", "individual_action": "unlikely", "supports_formal_action": false,
	    "summary": "s", "actions": ["a"], "system_learning": "l"}]}`))
	var problems guide.ValidationErrors
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Printf("line %d: %s\n", p.Line, p)
		}
	}
	// Output: line 2: question "3b": "yes" goes to "9z", which is neither a question nor an end point
}
