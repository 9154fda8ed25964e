package api

import (
	"encoding/json"
	"testing"
)

// A key written twice in one object is legal JSON that most readers settle
// by keeping the last, silently dropping the first: in the OpenAPI document
// that loses a description or a response someone wrote. checkShape finds
// them as it does in requests.
func TestOpenAPIDocumentHasNoRepeatedKeys(t *testing.T) {
	doc := OpenAPIDocument()
	if !json.Valid(doc) {
		t.Fatal("the OpenAPI document is not JSON")
	}
	if err := checkShape(doc, anyShape); err != nil {
		t.Fatalf("%s %s", err.path, err.message)
	}
}

// Every operation that takes a JSON body can answer 413 (decode's bound),
// and says so.
func TestOpenAPIDocumentsTooLargeBodies(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody *struct {
				Content map[string]any `json:"content"`
			} `json:"requestBody"`
			Responses map[string]any `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(OpenAPIDocument(), &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if op.RequestBody == nil || op.RequestBody.Content["application/json"] == nil {
				continue
			}
			n++
			if op.Responses["413"] == nil {
				t.Errorf("%s %s takes JSON but does not list 413", method, path)
			}
		}
	}
	if n < 40 {
		t.Fatalf("only %d operations take JSON: the document was not read", n)
	}
}
