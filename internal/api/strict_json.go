package api

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// encoding/json matches an object's keys to a struct's fields ignoring case,
// and lets a repeated key overwrite the one before. Neither is safe in a
// request: {"mode": "anonymous", "MODE": "open"} would be stored as an open
// report, with its sender's name, while a proxy, a log reader or the
// client's own code read it as anonymous. So every body is also checked
// against the shape of what it is decoded into: each object's keys must be
// the fields' exact names, each given once, and no string may hold half of
// a UTF-16 surrogate pair (which the decoder would quietly turn into U+FFFD).

// jsonShape is what one place in a request body may hold.
type jsonShape struct {
	// fields is set for an object decoded into a struct: its fields by
	// their exact JSON names. Any other object (a map, or a value decoded
	// into any) may have any keys, each once.
	fields map[string]*jsonShape
	// folded holds the fields' names in lower case, to tell a client that
	// sent "Mode" which name it meant.
	folded map[string]string
	// elem is the shape of a map's values or of an array's elements.
	elem *jsonShape
}

// anyShape is the shape of a value whose keys are data, not field names.
var anyShape = &jsonShape{}

// shapes caches each request type's shape: request types are few and
// fixed, and building a shape takes reflection over every field.
type shapes struct{ m sync.Map }

// of returns the shape of the value v points to.
func (c *shapes) of(v any) *jsonShape {
	t := reflect.TypeOf(v)
	if sh, ok := c.m.Load(t); ok {
		return sh.(*jsonShape)
	}
	sh := shapeOf(t, map[reflect.Type]*jsonShape{})
	c.m.Store(t, sh)
	return sh
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// shapeOf builds t's shape; seen breaks cycles in recursive types.
func shapeOf(t reflect.Type, seen map[reflect.Type]*jsonShape) *jsonShape {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if sh, ok := seen[t]; ok {
		return sh
	}
	pt := reflect.PointerTo(t)
	if t.Implements(jsonUnmarshaler) || pt.Implements(jsonUnmarshaler) || t.Implements(textUnmarshaler) || pt.Implements(textUnmarshaler) {
		return anyShape // it reads its own JSON
	}
	switch t.Kind() {
	case reflect.Struct:
		sh := &jsonShape{fields: map[string]*jsonShape{}, folded: map[string]string{}}
		seen[t] = sh
		addFields(sh, t, seen)
		return sh
	case reflect.Map:
		return &jsonShape{elem: shapeOf(t.Elem(), seen)}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return anyShape // base64 text
		}
		return &jsonShape{elem: shapeOf(t.Elem(), seen)}
	}
	return anyShape
}

// addFields adds struct t's JSON fields to sh, those of embedded structs
// included, as encoding/json sees them.
func addFields(sh *jsonShape, t reflect.Type, seen map[reflect.Type]*jsonShape) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				addFields(sh, ft, seen)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		sh.fields[name] = shapeOf(f.Type, seen)
		sh.folded[strings.ToLower(name)] = name
	}
}

// fieldError is a key or string in the body that the shape refuses, at its
// place in the body (as "people[0].role").
type fieldError struct {
	path, message string
}

// Error makes a fieldError an error, for logs and tests.
func (e *fieldError) Error() string { return e.path + " " + e.message }

// within puts the place of the value holding the error in front of its
// path: a key (".key") or an index ("[i]").
func (e *fieldError) within(step string) *fieldError {
	if e.path == "" || strings.HasPrefix(e.path, "[") {
		e.path = step + e.path
	} else {
		e.path = step + "." + e.path
	}
	return e
}

// checkShape checks body, which must already have decoded without a syntax
// error, against sh. It returns nil when every key is a field's exact name,
// given once, and every string is whole Unicode.
func checkShape(body []byte, sh *jsonShape) *fieldError {
	sc := shapeScan{b: body}
	return sc.value(sh)
}

// shapeScan walks JSON text that is known to be well formed.
type shapeScan struct {
	b []byte
	i int
}

// space skips white space.
func (sc *shapeScan) space() {
	for sc.i < len(sc.b) {
		switch sc.b[sc.i] {
		case ' ', '\t', '\n', '\r':
			sc.i++
		default:
			return
		}
	}
}

// value checks the value at sc.i against sh and moves past it.
func (sc *shapeScan) value(sh *jsonShape) *fieldError {
	sc.space()
	if sc.i >= len(sc.b) {
		return nil
	}
	switch sc.b[sc.i] {
	case '{':
		return sc.object(sh)
	case '[':
		return sc.array(sh)
	case '"':
		_, err := sc.str(false)
		return err
	}
	for sc.i < len(sc.b) && !endsLiteral(sc.b[sc.i]) {
		sc.i++ // a number, true, false or null
	}
	return nil
}

// endsLiteral reports whether c ends a number, true, false or null.
func endsLiteral(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// manyKeys is how many keys an object may have before object looks for a
// repeat in a set rather than along a list: a request's own objects have a
// few dozen fields at most, but a map (assessment answers, say) is data and
// may hold thousands, where a list would take time growing with their
// square.
const manyKeys = 16

// object checks one object against sh, from its opening brace.
func (sc *shapeScan) object(sh *jsonShape) *fieldError {
	sc.i++ // {
	var seenBuf [manyKeys][]byte
	seen := seenBuf[:0]
	var seenSet map[string]bool
	for {
		sc.space()
		if sc.i >= len(sc.b) || sc.b[sc.i] == '}' {
			sc.i++
			return nil
		}
		if sc.b[sc.i] == ',' {
			sc.i++
			continue
		}
		key, err := sc.str(true)
		if err != nil {
			return err
		}
		repeated := false
		if seenSet != nil {
			repeated = seenSet[string(key)]
			seenSet[string(key)] = true
		} else {
			for _, k := range seen {
				repeated = repeated || bytes.Equal(k, key)
			}
			if seen = append(seen, key); len(seen) == manyKeys {
				seenSet = make(map[string]bool, 2*manyKeys)
				for _, k := range seen {
					seenSet[string(k)] = true
				}
			}
		}
		if repeated {
			return &fieldError{path: string(key), message: "is given more than once"}
		}
		next := sh.elem
		if sh.fields != nil {
			var ok bool
			if next, ok = sh.fields[string(key)]; !ok {
				msg := "is not a field of this request"
				if meant, ok := sh.folded[strings.ToLower(string(key))]; ok {
					msg += fmt.Sprintf(" (names are case-sensitive: did you mean %q?)", meant)
				}
				return &fieldError{path: string(key), message: msg}
			}
		}
		if next == nil {
			next = anyShape
		}
		sc.space()
		sc.i++ // :
		if err := sc.value(next); err != nil {
			return err.within(string(key))
		}
	}
}

// array checks each element of the array at sc.i against sh's elements.
func (sc *shapeScan) array(sh *jsonShape) *fieldError {
	sc.i++ // [
	elem := sh.elem
	if elem == nil {
		elem = anyShape
	}
	for n := 0; ; {
		sc.space()
		if sc.i >= len(sc.b) || sc.b[sc.i] == ']' {
			sc.i++
			return nil
		}
		if sc.b[sc.i] == ',' {
			sc.i++
			n++
			continue
		}
		if err := sc.value(elem); err != nil {
			return err.within("[" + strconv.Itoa(n) + "]")
		}
	}
}

// str reads a string, refusing half of a surrogate pair. For a key it
// returns the text: the raw bytes between the quotes when it has no
// escapes, as almost every key has, else decoded. A value's text is not
// needed, and is not decoded: narratives are full of escaped line breaks.
func (sc *shapeScan) str(key bool) ([]byte, *fieldError) {
	start := sc.i + 1
	escaped := false
	for sc.i = start; sc.i < len(sc.b); sc.i++ {
		switch sc.b[sc.i] {
		case '"':
			raw := sc.b[start:sc.i]
			sc.i++
			if !escaped || !key {
				return raw, nil
			}
			var s string
			if err := json.Unmarshal(sc.b[start-1:sc.i], &s); err != nil {
				return raw, nil // cannot happen in well-formed JSON
			}
			return []byte(s), nil
		case '\\':
			escaped = true
			if sc.i+1 < len(sc.b) && sc.b[sc.i+1] == 'u' {
				if err := sc.surrogate(); err != nil {
					return nil, err
				}
				continue
			}
			sc.i++ // the escaped character
		}
	}
	return sc.b[start:], nil
}

// surrogate checks the \u escape at sc.i, leaving sc.i on its last digit
// (or on the last digit of the low half that completes a pair).
func (sc *shapeScan) surrogate() *fieldError {
	r, ok := sc.hex4(sc.i + 2)
	if !ok {
		return nil
	}
	sc.i += 5
	switch {
	case r >= 0xD800 && r < 0xDC00:
		if sc.i+6 < len(sc.b) && sc.b[sc.i+1] == '\\' && sc.b[sc.i+2] == 'u' {
			if lo, ok := sc.hex4(sc.i + 3); ok && lo >= 0xDC00 && lo <= 0xDFFF {
				sc.i += 6
				return nil
			}
		}
	case r >= 0xDC00 && r <= 0xDFFF:
	default:
		return nil
	}
	return &fieldError{message: fmt.Sprintf(`holds \u%04X, half of a UTF-16 surrogate pair: send the whole character`, r)}
}

// hex4 reads the four hex digits at i.
func (sc *shapeScan) hex4(i int) (rune, bool) {
	if i+4 > len(sc.b) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(sc.b[i:i+4]), 16, 16)
	return rune(v), err == nil
}
