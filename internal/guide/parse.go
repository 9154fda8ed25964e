package guide

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Size limits, so that an uploaded definition cannot exhaust memory or
// produce pages nobody can read. Text lengths count characters (runes).
const (
	MaxDefinitionBytes = 1 << 20 // whole definition
	MaxQuestions       = 200     // questions in a guide
	MaxTests           = 50      // tests in a guide
	MaxEndPoints       = 50      // end points in a guide
	MaxCautions        = 20      // cautions in a guide
	MaxActions         = 20      // actions at one end point
	MaxIDLength        = 64      // any id
	MaxTitleLength     = 200     // titles
	MaxTextLength      = 2000    // question text, cautions, actions, system learning
	MaxLongTextLength  = 8000    // help, summaries, source
	MaxReasonLength    = 2000    // the reason given with an answer
	MaxVersion         = 1000000 // highest version number

	maxProblems = 100  // problems reported by one Parse
	maxDepth    = 8    // JSON nesting; the format needs 5
	maxElements = 1000 // entries in any one JSON array
	maxKeys     = 50   // members in any one JSON object
)

var (
	guideIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	itemIDPattern  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
)

// ValidationError is one problem with a definition, saying what is wrong
// and where.
type ValidationError struct {
	// Where names the place for people, e.g. `question "3b"`,
	// `end point "D"`, `test "health"`, `definition` or `line 4, column 9`.
	Where string `json:"where"`
	// Path is the JSON path of the offending value, e.g.
	// "tests[2].questions[1].yes"; empty for the definition as a whole.
	Path string `json:"path,omitempty"`
	// Line is the 1-based line of the offending value, 0 when unknown.
	Line int `json:"line,omitempty"`
	// Problem says what is wrong, e.g. `"yes" goes to "9z", which is
	// neither a question nor an end point`.
	Problem string `json:"problem"`
}

// Error returns "Where: Problem".
func (e ValidationError) Error() string { return e.Where + ": " + e.Problem }

// ValidationErrors is every problem Parse found, in the order they appear
// in the definition (structure first, then routing). Parse returns it as
// its error; use errors.As to get at the list.
type ValidationErrors []ValidationError

// Error joins the problems with "; ".
func (es ValidationErrors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "; ")
}

// Unwrap returns the problems as a list of errors.
func (es ValidationErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Parse decodes and validates a definition. Decoding is strict: unknown
// fields, duplicate keys, wrong types and trailing data are errors. On
// failure the error is a ValidationErrors listing every problem found (up
// to a limit), each naming the place.
func Parse(data []byte) (*Guide, error) {
	fail := func(where string, line int, format string, args ...any) (*Guide, error) {
		return nil, ValidationErrors{{Where: where, Line: line, Problem: fmt.Sprintf(format, args...)}}
	}
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return fail("definition", 0, "is empty")
	case len(data) > MaxDefinitionBytes:
		return fail("definition", 0, "is %d bytes; at most %d are allowed", len(data), MaxDefinitionBytes)
	case !utf8.Valid(data):
		off := invalidUTF8(data)
		l, c := lineCol(data, off)
		return fail(fmt.Sprintf("line %d, column %d", l, c), l, "is not valid UTF-8 text")
	}
	body := trimBOM(data)
	tb := &treeBuilder{data: body, dec: json.NewDecoder(bytes.NewReader(body)), lines: lineStarts(body)}
	tb.dec.UseNumber()
	root, verr := tb.document()
	if verr != nil {
		return nil, ValidationErrors{*verr}
	}
	p := &problems{}
	g, locs := decodeGuide(root, p)
	if !locs.oversize {
		checkGraph(g, locs, p)
	}
	if p.more > 0 {
		p.list = append(p.list, ValidationError{Where: "definition", Problem: fmt.Sprintf("and %d more problems not listed", p.more)})
	}
	if len(p.list) > 0 {
		return nil, p.list
	}
	g.raw = bytes.Clone(data)
	c, err := canonical(data)
	if err != nil { // cannot happen: the bytes decoded above
		return nil, err
	}
	sum := sha256.Sum256(c)
	g.checksum = hex.EncodeToString(sum[:])
	return g, nil
}

func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }

func canonical(raw []byte) ([]byte, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, trimBOM(raw)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func lineStarts(b []byte) []int {
	starts := []int{0}
	for i, c := range b {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

func lineCol(b []byte, off int) (int, int) {
	starts := lineStarts(b[:min(off, len(b))])
	return len(starts), off - starts[len(starts)-1] + 1
}

// problems collects validation errors.
type problems struct {
	list ValidationErrors
	more int
}

func (p *problems) add(l loc, format string, args ...any) {
	if len(p.list) >= maxProblems {
		p.more++
		return
	}
	p.list = append(p.list, ValidationError{Where: l.where, Path: l.path, Line: l.line, Problem: fmt.Sprintf(format, args...)})
}

// loc is a place in the definition.
type loc struct {
	where string
	path  string
	line  int
	// fields holds the lines of some of the object's fields, for problems
	// found after decoding.
	fields map[string]int
}

// at is the location of a member of the value at l.
func (l loc) at(key string, v *jv) loc {
	n := loc{where: l.where, path: joinPath(l.path, key), line: l.line}
	if v != nil {
		n.line = v.line
	} else if fl, ok := l.fields[key]; ok {
		n.line = fl
	}
	return n
}

func joinPath(base, key string) string {
	if base == "" {
		return key
	}
	return base + "." + key
}

// jv is a decoded JSON value that remembers its line and member order.
type jv struct {
	kind  byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null
	line  int
	str   string
	num   json.Number
	b     bool
	keys  []string
	vals  map[string]*jv
	elems []*jv
}

func (v *jv) describe() string {
	switch v.kind {
	case 'o':
		return "an object"
	case 'a':
		return "a list"
	case 's':
		return "text"
	case 'n':
		return "a number"
	case 'b':
		return "true or false"
	}
	return "null"
}

type treeBuilder struct {
	data  []byte
	dec   *json.Decoder
	lines []int
}

// nextLine is the line of the next token.
func (t *treeBuilder) nextLine() int {
	off := int(t.dec.InputOffset())
	for off < len(t.data) && strings.IndexByte(" \t\r\n:,", t.data[off]) >= 0 {
		off++
	}
	return sort.SearchInts(t.lines, off+1)
}

func (t *treeBuilder) syntax(err error) *ValidationError {
	var se *json.SyntaxError
	off := int(t.dec.InputOffset())
	msg := err.Error()
	switch {
	case errors.As(err, &se):
		off = int(se.Offset)
		msg = strings.TrimPrefix(se.Error(), "json: ")
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		off = len(t.data)
		msg = "the JSON ends before it is complete"
	}
	l, c := lineCol(t.data, off)
	return &ValidationError{Where: fmt.Sprintf("line %d, column %d", l, c), Line: l, Problem: "is not valid JSON: " + msg}
}

func (t *treeBuilder) document() (*jv, *ValidationError) {
	root, err := t.value("", 0)
	if err != nil {
		return nil, err
	}
	line := t.nextLine()
	if _, e := t.dec.Token(); e != io.EOF {
		if e != nil {
			return nil, t.syntax(e)
		}
		return nil, &ValidationError{Where: fmt.Sprintf("line %d", line), Line: line, Problem: "there is more data after the end of the definition"}
	}
	if root.kind != 'o' {
		return nil, &ValidationError{Where: "definition", Line: root.line, Problem: "must be a JSON object, not " + root.describe()}
	}
	return root, nil
}

func (t *treeBuilder) value(path string, depth int) (*jv, *ValidationError) {
	line := t.nextLine()
	tok, err := t.dec.Token()
	if err != nil {
		return nil, t.syntax(err)
	}
	where := path
	if where == "" {
		where = "definition"
	}
	fail := func(format string, args ...any) (*jv, *ValidationError) {
		return nil, &ValidationError{Where: where, Path: path, Line: line, Problem: fmt.Sprintf(format, args...)}
	}
	v := &jv{line: line}
	switch tok := tok.(type) {
	case string:
		v.kind, v.str = 's', tok
	case json.Number:
		v.kind, v.num = 'n', tok
	case bool:
		v.kind, v.b = 'b', tok
	case nil:
		v.kind = 'z'
	case json.Delim:
		if depth >= maxDepth {
			return fail("is nested too deeply")
		}
		if tok == '[' {
			v.kind = 'a'
			for t.dec.More() {
				if len(v.elems) >= maxElements {
					return fail("has more than %d entries", maxElements)
				}
				e, verr := t.value(fmt.Sprintf("%s[%d]", path, len(v.elems)), depth+1)
				if verr != nil {
					return nil, verr
				}
				v.elems = append(v.elems, e)
			}
		} else {
			v.kind, v.vals = 'o', map[string]*jv{}
			for t.dec.More() {
				kline := t.nextLine()
				ktok, err := t.dec.Token()
				if err != nil {
					return nil, t.syntax(err)
				}
				key := ktok.(string) // the decoder guarantees object keys are strings
				kpath := joinPath(path, key)
				if _, dup := v.vals[key]; dup {
					return nil, &ValidationError{Where: where, Path: kpath, Line: kline, Problem: fmt.Sprintf("field %q appears more than once", key)}
				}
				if len(v.keys) >= maxKeys {
					return fail("has more than %d fields", maxKeys)
				}
				e, verr := t.value(kpath, depth+1)
				if verr != nil {
					return nil, verr
				}
				v.keys = append(v.keys, key)
				v.vals[key] = e
			}
		}
		if _, err := t.dec.Token(); err != nil { // closing delimiter
			return nil, t.syntax(err)
		}
	}
	return v, nil
}

// reader pulls typed fields out of a decoded object, reporting problems.
type reader struct {
	p *problems
}

// object checks that v is an object with only the allowed fields.
func (r reader) object(v *jv, l loc, allowed ...string) bool {
	if v.kind != 'o' {
		r.p.add(l, "must be an object, not %s", v.describe())
		return false
	}
	for _, k := range v.keys {
		if !contains(allowed, k) {
			kl := l.at(k, v.vals[k])
			r.p.add(kl, "unknown field %q at %s (allowed: %s)", k, kl.path, quoteList(allowed))
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// text reads a string field, trimmed for the blank check but returned as
// written. max is in characters; required fields must not be blank.
func (r reader) text(obj *jv, key string, l loc, required bool, max int) string {
	v, ok := obj.vals[key]
	if !ok {
		if required {
			r.p.add(l.at(key, nil), "%q is missing", key)
		}
		return ""
	}
	return r.textValue(v, key, l.at(key, v), required, max)
}

func (r reader) textValue(v *jv, name string, l loc, required bool, max int) string {
	if v.kind != 's' {
		r.p.add(l, "%q must be text, not %s", name, v.describe())
		return ""
	}
	s := v.str
	switch {
	case strings.TrimSpace(s) == "":
		if required {
			r.p.add(l, "%q is blank", name)
		} else if s != "" {
			r.p.add(l, "%q is only spaces; leave it out or write something", name)
		}
		return ""
	case utf8.RuneCountInString(s) > max:
		r.p.add(l, "%q is %d characters; at most %d are allowed", name, utf8.RuneCountInString(s), max)
	case hasControl(s):
		r.p.add(l, "%q contains control characters", name)
	}
	return s
}

func hasControl(s string) bool {
	for _, c := range s {
		if unicode.IsControl(c) && c != '\n' && c != '\r' && c != '\t' {
			return true
		}
	}
	return false
}

// id reads a required id field.
func (r reader) id(obj *jv, key string, l loc, pattern *regexp.Regexp) string {
	s := r.text(obj, key, l, true, MaxIDLength)
	if s != "" && !pattern.MatchString(s) {
		letters := "letters"
		if pattern == guideIDPattern {
			letters = "lowercase letters"
		}
		r.p.add(l.at(key, obj.vals[key]), "%q is %q; ids may use only %s, digits, '.', '_' and '-', starting with a letter or digit", key, s, letters)
		return ""
	}
	return s
}

// list reads a list field; required lists must have at least one entry.
func (r reader) list(obj *jv, key string, l loc, required bool, max int) []*jv {
	v, ok := obj.vals[key]
	kl := l.at(key, v)
	switch {
	case !ok:
		if required {
			r.p.add(kl, "%q is missing", key)
		}
		return nil
	case v.kind != 'a':
		r.p.add(kl, "%q must be a list, not %s", key, v.describe())
		return nil
	case len(v.elems) == 0 && required:
		r.p.add(kl, "%q is empty", key)
	case len(v.elems) > max:
		r.p.add(kl, "%q has %d entries; at most %d are allowed", key, len(v.elems), max)
		return v.elems[:max]
	}
	return v.elems
}

// texts reads a list of text.
func (r reader) texts(obj *jv, key string, l loc, required bool, maxN, maxLen int) []string {
	var out []string
	for i, e := range r.list(obj, key, l, required, maxN) {
		name := fmt.Sprintf("%s[%d]", key, i)
		if s := r.textValue(e, name, l.at(name, e), true, maxLen); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// locations locates the parts of a definition for graph problems.
type locations struct {
	root      loc
	start     loc
	tests     []loc
	questions []loc // parallel to Guide.questions
	endPoints []loc // parallel to Guide.endPoints
	oversize  bool  // too many questions to check the routing
}

// peekID returns v's id field if it is a well-formed id, for naming the
// place before the object's fields are checked.
func peekID(v *jv) string {
	if v.kind != 'o' {
		return ""
	}
	if id, ok := v.vals["id"]; ok && id.kind == 's' && len(id.str) <= MaxIDLength && itemIDPattern.MatchString(id.str) {
		return id.str
	}
	return ""
}

func label(kind, id string, l loc) string {
	if id == "" {
		return l.path
	}
	return fmt.Sprintf("%s %q", kind, id)
}

func decodeGuide(root *jv, p *problems) (*Guide, *locations) {
	r := reader{p}
	g := &Guide{qIndex: map[string]int{}, eIndex: map[string]int{}, tIndex: map[string]int{}}
	locs := &locations{root: loc{where: "definition", line: root.line}}
	l := locs.root
	r.object(root, l, "id", "version", "title", "source", "summary", "cautions", "start", "tests", "end_points")

	g.id = r.id(root, "id", l, guideIDPattern)
	if v, ok := root.vals["version"]; !ok {
		p.add(l.at("version", nil), `"version" is missing`)
	} else if n, err := strconv.ParseInt(v.num.String(), 10, 64); v.kind != 'n' || err != nil || n < 1 || n > MaxVersion {
		p.add(l.at("version", v), `"version" must be a whole number from 1 to %d`, MaxVersion)
	} else {
		g.version = int(n)
	}
	g.title = r.text(root, "title", l, true, MaxTitleLength)
	g.source = r.text(root, "source", l, false, MaxLongTextLength)
	g.summary = r.text(root, "summary", l, false, MaxLongTextLength)
	g.cautions = r.texts(root, "cautions", l, false, MaxCautions, MaxTextLength)
	g.start = r.text(root, "start", l, true, MaxIDLength)
	locs.start = l.at("start", root.vals["start"])

	for ti, tv := range r.list(root, "tests", l, true, MaxTests) {
		tl := loc{path: fmt.Sprintf("tests[%d]", ti), line: tv.line}
		tl.where = label("test", peekID(tv), tl)
		if !r.object(tv, tl, "id", "title", "questions") {
			continue
		}
		t := Test{ID: r.id(tv, "id", tl, itemIDPattern)}
		tl.where = label("test", t.ID, tl)
		t.Title = r.text(tv, "title", tl, true, MaxTitleLength)
		for qi, qv := range r.list(tv, "questions", tl, true, maxElements) {
			ql := loc{path: fmt.Sprintf("%s.questions[%d]", tl.path, qi), line: qv.line}
			ql.where = label("question", peekID(qv), ql)
			if !r.object(qv, ql, "id", "text", "help", "yes", "no") {
				continue
			}
			q := Question{ID: r.id(qv, "id", ql, itemIDPattern), Test: t.ID}
			ql.where = label("question", q.ID, ql)
			q.Text = r.text(qv, "text", ql, true, MaxTextLength)
			q.Help = r.text(qv, "help", ql, false, MaxLongTextLength)
			q.Yes = r.text(qv, "yes", ql, true, MaxIDLength)
			q.No = r.text(qv, "no", ql, true, MaxIDLength)
			ql.fields = map[string]int{}
			for _, k := range []string{"yes", "no"} {
				if fv, ok := qv.vals[k]; ok {
					ql.fields[k] = fv.line
				}
			}
			t.Questions = append(t.Questions, q)
			g.questions = append(g.questions, q)
			locs.questions = append(locs.questions, ql)
		}
		g.tests = append(g.tests, t)
		locs.tests = append(locs.tests, tl)
	}
	if n := len(g.questions); n > MaxQuestions {
		p.add(l.at("tests", root.vals["tests"]), "there are %d questions; at most %d are allowed", n, MaxQuestions)
		locs.oversize = true
	}

	for ei, ev := range r.list(root, "end_points", l, false, MaxEndPoints) {
		el := loc{path: fmt.Sprintf("end_points[%d]", ei), line: ev.line}
		el.where = label("end point", peekID(ev), el)
		if !r.object(ev, el, "id", "title", "individual_action", "supports_formal_action", "summary", "actions", "system_learning") {
			continue
		}
		e := EndPoint{ID: r.id(ev, "id", el, itemIDPattern)}
		el.where = label("end point", e.ID, el)
		e.Title = r.text(ev, "title", el, true, MaxTitleLength)
		e.IndividualAction = r.text(ev, "individual_action", el, true, MaxIDLength)
		allowed := []string{IndividualActionLikely, IndividualActionMayNotBeAppropriate, IndividualActionUnlikely}
		if e.IndividualAction != "" && !contains(allowed, e.IndividualAction) {
			p.add(el.at("individual_action", ev.vals["individual_action"]), `"individual_action" is %q; it must be one of %s`, e.IndividualAction, quoteList(allowed))
		}
		if v, ok := ev.vals["supports_formal_action"]; !ok {
			p.add(el.at("supports_formal_action", nil), `"supports_formal_action" is missing; say true or false`)
		} else if v.kind != 'b' {
			p.add(el.at("supports_formal_action", v), `"supports_formal_action" must be true or false, not %s`, v.describe())
		} else {
			e.SupportsFormalAction = v.b
			if v.b && e.IndividualAction == IndividualActionUnlikely {
				p.add(el.at("supports_formal_action", v), `"supports_formal_action" is true, but "individual_action" says action against the individual is unlikely to be appropriate`)
			}
		}
		e.Summary = r.text(ev, "summary", el, true, MaxLongTextLength)
		e.Actions = r.texts(ev, "actions", el, true, MaxActions, MaxTextLength)
		e.SystemLearning = r.text(ev, "system_learning", el, true, MaxTextLength)
		g.endPoints = append(g.endPoints, e)
		locs.endPoints = append(locs.endPoints, el)
	}
	if ev, ok := root.vals["end_points"]; !ok || ev.kind == 'a' && len(ev.elems) == 0 {
		p.add(l.at("end_points", root.vals["end_points"]), "there are no end points; every path through the questions must finish at one")
	}
	return g, locs
}

// checkGraph checks ids and routing: unique ids, a start question, no
// dangling targets, no cycles, nothing unreachable, every path finishing.
func checkGraph(g *Guide, locs *locations, p *problems) {
	// Unique ids across tests, questions and end points. Case is ignored so
	// that "a" and "A" cannot be confused.
	seen := map[string]loc{}
	claim := func(id string, l loc) {
		if id == "" {
			return
		}
		key := strings.ToLower(id)
		if first, dup := seen[key]; dup {
			where := l
			where.where = fmt.Sprintf("%s (%s)", l.where, l.path)
			p.add(where, "id %q is already used by %s at %s", id, first.where, first.path)
			return
		}
		seen[key] = l
	}
	for i, t := range g.tests {
		claim(t.ID, locs.tests[i])
		if _, ok := g.tIndex[t.ID]; !ok && t.ID != "" {
			g.tIndex[t.ID] = i
		}
	}
	for i, q := range g.questions {
		claim(q.ID, locs.questions[i])
		if _, ok := g.qIndex[q.ID]; !ok && q.ID != "" {
			g.qIndex[q.ID] = i
		}
	}
	for i, e := range g.endPoints {
		claim(e.ID, locs.endPoints[i])
		if _, ok := g.eIndex[e.ID]; !ok && e.ID != "" {
			g.eIndex[e.ID] = i
		}
	}

	// Start and routing targets exist.
	startOK := false
	if g.start != "" {
		switch _, isEnd := g.eIndex[g.start]; {
		case g.isQuestion(g.start):
			startOK = true
		case isEnd:
			p.add(locs.start, `"start" is %q, which is an end point; it must name the first question`, g.start)
		default:
			p.add(locs.start, `"start" is %q, which is not a question`, g.start)
		}
	}
	for i, q := range g.questions {
		for _, side := range []struct{ key, target string }{{"yes", q.Yes}, {"no", q.No}} {
			if side.target == "" {
				continue
			}
			if !g.isQuestion(side.target) && !g.isEndPoint(side.target) {
				p.add(locs.questions[i].at(side.key, nil), "%q goes to %q, which is neither a question nor an end point", side.key, side.target)
			}
		}
	}

	// No cycles among questions.
	const (
		white = iota
		grey
		black
	)
	colour := make([]int, len(g.questions))
	var stack []int
	reported := map[string]bool{}
	var visit func(i int)
	visit = func(i int) {
		colour[i] = grey
		stack = append(stack, i)
		q := g.questions[i]
		for _, t := range []string{q.Yes, q.No} {
			j, ok := g.qIndex[t]
			if !ok {
				continue
			}
			switch colour[j] {
			case white:
				visit(j)
			case grey:
				k := len(stack) - 1
				for stack[k] != j {
					k--
				}
				cyc := stack[k:]
				ids := make([]string, len(cyc))
				lowest := j
				for n, x := range cyc {
					ids[n] = g.questions[x].ID
					lowest = min(lowest, x)
				}
				key := strings.Join(sortedCopy(ids), "\x00")
				if !reported[key] {
					reported[key] = true
					p.add(locs.questions[lowest], "the routing goes round in a circle: %s → %s", strings.Join(ids, " → "), g.questions[j].ID)
				}
			}
		}
		stack = stack[:len(stack)-1]
		colour[i] = black
	}
	for i := range g.questions {
		if colour[i] == white && g.qIndex[g.questions[i].ID] == i {
			visit(i)
		}
	}

	// Everything reachable from the start question.
	if startOK {
		reached := map[string]bool{g.start: true}
		queue := []string{g.start}
		for len(queue) > 0 {
			q := g.questions[g.qIndex[queue[0]]]
			queue = queue[1:]
			for _, t := range []string{q.Yes, q.No} {
				if !reached[t] && (g.isQuestion(t) || g.isEndPoint(t)) {
					reached[t] = true
					if g.isQuestion(t) {
						queue = append(queue, t)
					}
				}
			}
		}
		for i, q := range g.questions {
			if q.ID != "" && !reached[q.ID] {
				p.add(locs.questions[i], "cannot be reached: no path from the start question %q leads here", g.start)
			}
		}
		for i, e := range g.endPoints {
			if e.ID != "" && !reached[e.ID] {
				p.add(locs.endPoints[i], "cannot be reached: no answer to any question leads here")
			}
		}
	}

	// Belt and braces: walk from the start and confirm that every path
	// finishes at an end point within as many steps as there are questions.
	if len(p.list) == 0 {
		if where, ok := g.everyPathEnds(); !ok {
			p.add(locs.root, "a path from the start question does not finish at an end point (stuck at %q)", where)
		}
	}
}

// sortedCopy returns a sorted copy, used as a canonical key for a cycle.
func sortedCopy(ids []string) []string {
	c := append([]string(nil), ids...)
	sort.Strings(c)
	return c
}

func (g *Guide) isQuestion(id string) bool { _, ok := g.qIndex[id]; return ok }
func (g *Guide) isEndPoint(id string) bool { _, ok := g.eIndex[id]; return ok }

// everyPathEnds checks, with a memoised depth-first walk from the start,
// that every path reaches an end point. It reports the first id where a
// path gets stuck (a missing target or a loop).
func (g *Guide) everyPathEnds() (string, bool) {
	state := map[string]int{} // 1 on the current path, 2 known to finish
	var ends func(id string, depth int) (string, bool)
	ends = func(id string, depth int) (string, bool) {
		if g.isEndPoint(id) {
			return "", true
		}
		if !g.isQuestion(id) || state[id] == 1 || depth > len(g.questions) {
			return id, false
		}
		if state[id] == 2 {
			return "", true
		}
		state[id] = 1
		q := g.questions[g.qIndex[id]]
		for _, t := range []string{q.Yes, q.No} {
			if where, ok := ends(t, depth+1); !ok {
				return where, false
			}
		}
		state[id] = 2
		return "", true
	}
	return ends(g.start, 0)
}
