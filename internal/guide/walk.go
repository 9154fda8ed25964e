package guide

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Answer is the answer given to one question, with the reason for it.
type Answer struct {
	// Value is true for yes and false for no.
	Value bool `json:"answer"`
	// Reason says why; it is required, and at most MaxReasonLength
	// characters once surrounding spaces are trimmed.
	Reason string `json:"reason"`
}

// Step is one answered question on a path.
type Step struct {
	// Question is the question's id.
	Question string `json:"question"`
	// Answer is the answer given, its reason trimmed.
	Answer Answer `json:"answer"`
}

// Result is where a complete set of answers leads.
type Result struct {
	// Outcome is the id of the end point reached.
	Outcome string `json:"outcome"`
	// Path is the ids of the questions asked, in the order they were asked.
	Path []string `json:"path"`
	// Steps pairs each question on Path with its answer.
	Steps []Step `json:"steps"`
	// EndPoint is the end point reached.
	EndPoint EndPoint `json:"end_point"`
}

// AnswerError is implemented by every error that Walk and Next return
// because of the answers given, so that an API can report them all as one
// kind of problem naming the question.
type AnswerError interface {
	error
	// QuestionID is the id of the question the problem is about.
	QuestionID() string
}

// ErrUnanswered means the answers stop before an end point: Question is on
// the path but has no answer.
type ErrUnanswered struct {
	// Question is the first question on the path without an answer.
	Question string
}

// Error names the unanswered question.
func (e *ErrUnanswered) Error() string {
	return fmt.Sprintf("question %q has no answer, so the answers stop before an end point", e.Question)
}

// QuestionID returns e.Question.
func (e *ErrUnanswered) QuestionID() string { return e.Question }

// ErrOffPath means a question was answered that the path never reaches:
// the answers lead elsewhere, so the answer cannot count.
type ErrOffPath struct {
	// Question is the first such question in definition order.
	Question string
	// Questions is every such question, in definition order.
	Questions []string
	// Outcome is the end point the other answers reach, or "" when they
	// stop before one (the question is then unreachable from where they
	// stop).
	Outcome string
}

// Error names the question or questions off the path.
func (e *ErrOffPath) Error() string {
	what := fmt.Sprintf("question %q", e.Question)
	if len(e.Questions) > 1 {
		q := make([]string, len(e.Questions))
		for i, id := range e.Questions {
			q[i] = fmt.Sprintf("%q", id)
		}
		what = "questions " + strings.Join(q, ", ")
	}
	if e.Outcome != "" {
		return fmt.Sprintf("%s answered, but the answers lead to end point %q without asking it", what, e.Outcome)
	}
	return fmt.Sprintf("%s answered, but the earlier answers lead elsewhere, so it is never asked", what)
}

// QuestionID returns e.Question.
func (e *ErrOffPath) QuestionID() string { return e.Question }

// ErrUnknownQuestion means an answer names a question the guide does not
// have.
type ErrUnknownQuestion struct {
	// Question is the unknown id (the first in sorted order).
	Question string
	// EndPoint is true when the id names an end point rather than nothing.
	EndPoint bool
}

// Error names the unknown id.
func (e *ErrUnknownQuestion) Error() string {
	if e.EndPoint {
		return fmt.Sprintf("%q is an end point, not a question, so it cannot be answered", e.Question)
	}
	return fmt.Sprintf("%q is not a question in this guide", e.Question)
}

// QuestionID returns e.Question.
func (e *ErrUnknownQuestion) QuestionID() string { return e.Question }

// ErrNoReason means an answer on the path has a missing or blank reason.
type ErrNoReason struct {
	// Question is the first question on the path whose reason is blank.
	Question string
}

// Error names the question missing a reason.
func (e *ErrNoReason) Error() string {
	return fmt.Sprintf("question %q: give a reason for the answer", e.Question)
}

// QuestionID returns e.Question.
func (e *ErrNoReason) QuestionID() string { return e.Question }

// ErrBadReason means a reason is too long or contains control characters.
type ErrBadReason struct {
	// Question is the question whose reason is at fault.
	Question string
	// Problem says what is wrong with the reason.
	Problem string
}

// Error names the question and the problem.
func (e *ErrBadReason) Error() string {
	return fmt.Sprintf("question %q: %s", e.Question, e.Problem)
}

// QuestionID returns e.Question.
func (e *ErrBadReason) QuestionID() string { return e.Question }

// Walk follows the answers from the start question to an end point.
//
// Every question on the path needs an answer with a reason, and no other
// question may be answered. Errors, all AnswerError, are checked in this
// order: *ErrUnknownQuestion; then along the path *ErrNoReason or
// *ErrBadReason for the first bad reason; then *ErrOffPath for answers the
// path can never reach; then *ErrUnanswered if the answers stop before an
// end point.
func (g *Guide) Walk(answers map[string]Answer) (Result, error) {
	res, stop, err := g.walk(answers)
	if err != nil {
		return Result{}, err
	}
	if stop != "" {
		return Result{}, &ErrUnanswered{Question: stop}
	}
	return res, nil
}

// Next returns the next question to ask given the answers so far, for a
// flow that asks one question per page. When the answers reach an end
// point, done is true and question is nil. It returns the same errors as
// Walk, except that stopping before an end point is not an error: that
// question is the one returned. An answer to a question further along a
// possible path is not an error yet (it is kept for when the path gets
// there); an answer that no path from here can reach is *ErrOffPath.
func (g *Guide) Next(answers map[string]Answer) (question *Question, done bool, err error) {
	_, stop, err := g.walk(answers)
	if err != nil {
		return nil, false, err
	}
	if stop == "" {
		return nil, true, nil
	}
	q, _ := g.Question(stop)
	return q, false, nil
}

// walk follows the answers. It returns the id of the first unanswered
// question on the path in stop, or a complete result.
func (g *Guide) walk(answers map[string]Answer) (res Result, stop string, err error) {
	if unknown := g.unknownAnswers(answers); len(unknown) > 0 {
		_, isEnd := g.eIndex[unknown[0]]
		return Result{}, "", &ErrUnknownQuestion{Question: unknown[0], EndPoint: isEnd}
	}
	onPath := map[string]bool{}
	cur := g.start
	// A valid guide has no cycles, so a path has at most len(questions)
	// questions; the bound guards the loop regardless.
	for range len(g.questions) + 1 {
		if g.isEndPoint(cur) {
			break
		}
		i, ok := g.qIndex[cur]
		if !ok {
			return Result{}, "", fmt.Errorf("guide %s: routing leads to unknown %q", g, cur)
		}
		a, answered := answers[cur]
		if !answered {
			stop = cur
			break
		}
		reason, err := checkReason(cur, a.Reason)
		if err != nil {
			return Result{}, "", err
		}
		onPath[cur] = true
		res.Path = append(res.Path, cur)
		res.Steps = append(res.Steps, Step{Question: cur, Answer: Answer{Value: a.Value, Reason: reason}})
		cur = g.questions[i].Target(a.Value)
	}
	if stop == "" && !g.isEndPoint(cur) {
		return Result{}, "", fmt.Errorf("guide %s: a path does not finish at an end point", g)
	}

	allowed := onPath
	if stop != "" {
		allowed = g.reachableFrom(stop)
		for id := range onPath {
			allowed[id] = true
		}
	}
	var off []string
	for _, q := range g.questions {
		if _, answered := answers[q.ID]; answered && !allowed[q.ID] {
			off = append(off, q.ID)
		}
	}
	if len(off) > 0 {
		e := &ErrOffPath{Question: off[0], Questions: off}
		if stop == "" {
			e.Outcome = cur
		}
		return Result{}, "", e
	}
	if stop != "" {
		return Result{}, stop, nil
	}
	res.Outcome = cur
	res.EndPoint = cloneEndPoint(g.endPoints[g.eIndex[cur]])
	return res, "", nil
}

func (g *Guide) unknownAnswers(answers map[string]Answer) []string {
	var unknown []string
	for id := range answers {
		if !g.isQuestion(id) {
			unknown = append(unknown, id)
		}
	}
	sort.Strings(unknown)
	return unknown
}

// reachableFrom is the set of questions reachable from id, including id.
func (g *Guide) reachableFrom(id string) map[string]bool {
	seen := map[string]bool{id: true}
	queue := []string{id}
	for len(queue) > 0 {
		q := g.questions[g.qIndex[queue[0]]]
		queue = queue[1:]
		for _, t := range []string{q.Yes, q.No} {
			if g.isQuestion(t) && !seen[t] {
				seen[t] = true
				queue = append(queue, t)
			}
		}
	}
	return seen
}

func checkReason(question, reason string) (string, error) {
	r := strings.TrimSpace(reason)
	switch {
	case r == "":
		return "", &ErrNoReason{Question: question}
	case !utf8.ValidString(r):
		return "", &ErrBadReason{Question: question, Problem: "the reason contains characters that cannot be read"}
	case utf8.RuneCountInString(r) > MaxReasonLength:
		return "", &ErrBadReason{Question: question, Problem: fmt.Sprintf("the reason is %d characters; at most %d are allowed", utf8.RuneCountInString(r), MaxReasonLength)}
	case hasControl(r):
		return "", &ErrBadReason{Question: question, Problem: "the reason must not contain control characters"}
	}
	return r, nil
}
