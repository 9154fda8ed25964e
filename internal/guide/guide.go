package guide

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sync"
)

// Values of EndPoint.IndividualAction: how likely it is that action
// directed at the individual is appropriate at that end point.
const (
	// IndividualActionLikely: action directed at the individual (support or
	// management) is likely to be appropriate.
	IndividualActionLikely = "likely"
	// IndividualActionMayNotBeAppropriate: action directed at the individual
	// may not be appropriate; weigh the circumstances with senior HR advice.
	IndividualActionMayNotBeAppropriate = "may_not_be_appropriate"
	// IndividualActionUnlikely: action singling out the individual is
	// unlikely to be appropriate; the causes lie mainly in the system.
	IndividualActionUnlikely = "unlikely"
)

// Guide is a validated, immutable decision-support guide. It is safe for
// concurrent use. Obtain one from Parse, Builtin or BuiltinByID; the zero
// value is not usable.
type Guide struct {
	id       string
	version  int
	title    string
	source   string
	summary  string
	cautions []string
	start    string

	tests     []Test // each test's Questions are filled in
	questions []Question
	endPoints []EndPoint
	qIndex    map[string]int // question id -> index in questions
	eIndex    map[string]int // end point id -> index in endPoints
	tIndex    map[string]int // test id -> index in tests

	raw      []byte
	checksum string
}

// Test groups questions that probe one thing, such as the health test.
type Test struct {
	// ID is unique among the guide's tests, questions and end points.
	ID string `json:"id"`
	// Title is shown above the test's questions, e.g. "Health test".
	Title string `json:"title"`
	// Questions are the test's questions in definition order (which need
	// not be the order they are asked in).
	Questions []Question `json:"questions"`
}

// Question is one yes/no question with its routing.
type Question struct {
	// ID is unique among the guide's tests, questions and end points.
	ID string `json:"id"`
	// Text is the question as shown to people.
	Text string `json:"text"`
	// Help is optional guidance shown with the question.
	Help string `json:"help,omitempty"`
	// Yes names the question or end point that a "yes" answer leads to.
	Yes string `json:"yes"`
	// No names the question or end point that a "no" answer leads to.
	No string `json:"no"`
	// Test is the ID of the test the question belongs to. It is derived
	// from the definition's structure, not written in it.
	Test string `json:"-"`
}

// Target returns the question or end point id that answer leads to.
func (q Question) Target(answer bool) string {
	if answer {
		return q.Yes
	}
	return q.No
}

// EndPoint is an outcome of a guide, with what it recommends.
type EndPoint struct {
	// ID is unique among the guide's tests, questions and end points.
	ID string `json:"id"`
	// Title names the outcome.
	Title string `json:"title"`
	// IndividualAction is one of IndividualActionLikely,
	// IndividualActionMayNotBeAppropriate or IndividualActionUnlikely.
	IndividualAction string `json:"individual_action"`
	// SupportsFormalAction reports whether reaching this end point can
	// support opening a formal case about the individual. It is never true
	// when IndividualAction is IndividualActionUnlikely.
	SupportsFormalAction bool `json:"supports_formal_action"`
	// Summary says what the outcome means.
	Summary string `json:"summary"`
	// Actions are the recommended next steps, in order.
	Actions []string `json:"actions"`
	// SystemLearning reminds people that learning at system level still
	// applies whatever happens about the individual.
	SystemLearning string `json:"system_learning"`
}

// ID returns the guide's id, e.g. "nhs-just-culture-2018".
func (g *Guide) ID() string { return g.id }

// Version returns the definition's version number (1 or more).
func (g *Guide) Version() int { return g.version }

// Title returns the guide's title.
func (g *Guide) Title() string { return g.title }

// Source returns the guide's source and credit.
func (g *Guide) Source() string { return g.source }

// Summary returns a short description of what the guide is for.
func (g *Guide) Summary() string { return g.summary }

// Cautions returns the rules of use to show before anyone starts.
func (g *Guide) Cautions() []string { return slices.Clone(g.cautions) }

// Start returns the id of the first question.
func (g *Guide) Start() string { return g.start }

// Tests returns the guide's tests, each with its questions, in definition
// order.
func (g *Guide) Tests() []Test {
	out := make([]Test, len(g.tests))
	for i, t := range g.tests {
		out[i] = Test{ID: t.ID, Title: t.Title, Questions: slices.Clone(t.Questions)}
	}
	return out
}

// Questions returns every question in definition order (test by test),
// which does not depend on any answers.
func (g *Guide) Questions() []Question { return slices.Clone(g.questions) }

// EndPoints returns every end point in definition order.
func (g *Guide) EndPoints() []EndPoint {
	out := make([]EndPoint, len(g.endPoints))
	for i, e := range g.endPoints {
		out[i] = cloneEndPoint(e)
	}
	return out
}

// Question returns the question with the given id.
func (g *Guide) Question(id string) (*Question, bool) {
	i, ok := g.qIndex[id]
	if !ok {
		return nil, false
	}
	q := g.questions[i]
	return &q, true
}

// EndPoint returns the end point with the given id.
func (g *Guide) EndPoint(id string) (*EndPoint, bool) {
	i, ok := g.eIndex[id]
	if !ok {
		return nil, false
	}
	e := cloneEndPoint(g.endPoints[i])
	return &e, true
}

// TestOf returns the test that the question with the given id belongs to.
func (g *Guide) TestOf(questionID string) (*Test, bool) {
	i, ok := g.qIndex[questionID]
	if !ok {
		return nil, false
	}
	t := g.tests[g.tIndex[g.questions[i].Test]]
	t.Questions = slices.Clone(t.Questions)
	return &t, true
}

// Raw returns a copy of the definition's bytes exactly as they were parsed,
// so that a stored version can be shown as it was loaded.
func (g *Guide) Raw() []byte { return slices.Clone(g.raw) }

// Checksum returns the lowercase hex SHA-256 of the definition's canonical
// form: the raw bytes without a leading UTF-8 byte order mark, compacted as
// by encoding/json.Compact. Whitespace and line endings outside strings do
// not change it; any change to a key, value or their order does. A recorded
// assessment stores it to prove which definition it used.
func (g *Guide) Checksum() string { return g.checksum }

// MarshalJSON returns the definition as it was parsed (compacted).
func (g *Guide) MarshalJSON() ([]byte, error) { return canonical(g.raw) }

// String returns "id version N".
func (g *Guide) String() string { return fmt.Sprintf("%s version %d", g.id, g.version) }

func cloneEndPoint(e EndPoint) EndPoint {
	e.Actions = slices.Clone(e.Actions)
	return e
}

//go:embed definitions/*.json
var definitions embed.FS

var builtin = sync.OnceValue(func() []*Guide {
	names, err := fs.Glob(definitions, "definitions/*.json")
	if err != nil {
		panic(err)
	}
	var out []*Guide
	for _, name := range names {
		data, err := definitions.ReadFile(name)
		if err != nil {
			panic(err)
		}
		g, err := Parse(data)
		if err != nil {
			panic(fmt.Sprintf("guide: built-in definition %s is invalid: %v", path.Base(name), err))
		}
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b *Guide) int {
		if a.id != b.id {
			if a.id < b.id {
				return -1
			}
			return 1
		}
		return a.version - b.version
	})
	return out
})

// Builtin returns the guides that ship with the product, ordered by id and
// then version. The guides are shared and immutable.
func Builtin() []*Guide { return slices.Clone(builtin()) }

// BuiltinByID returns the highest version of the built-in guide with the
// given id.
func BuiltinByID(id string) (*Guide, bool) {
	var found *Guide
	for _, g := range builtin() {
		if g.id == id {
			found = g
		}
	}
	return found, found != nil
}
