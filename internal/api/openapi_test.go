package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"
)

// A key written twice in one object is legal JSON that most readers settle
// by keeping the last, silently dropping the first: in the OpenAPI document
// that loses a description or a response someone wrote.
func TestOpenAPIDocumentHasNoRepeatedKeys(t *testing.T) {
	dec := json.NewDecoder(bytes.NewReader(OpenAPIDocument()))
	type frame struct {
		object bool
		keys   map[string]bool
		key    bool // the next string token is a key
	}
	var stack []*frame
	path := func() int { return len(stack) }
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				if top != nil && top.object {
					top.key = true
				}
				stack = append(stack, &frame{object: true, keys: map[string]bool{}, key: true})
			case '[':
				if top != nil && top.object {
					top.key = true
				}
				stack = append(stack, &frame{})
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			if top != nil && top.object && top.key {
				if top.keys[v] {
					t.Errorf("key %q appears twice in one object (depth %d)", v, path())
				}
				top.keys[v] = true
				top.key = false
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
