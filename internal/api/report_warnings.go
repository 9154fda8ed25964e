package api

import (
	"strconv"

	"candour/internal/pii"
	"candour/internal/report"
)

// warningJSON is a passage of a submitted report that looks like it
// identifies someone. It is a prompt, not a refusal: the report is stored.
type warningJSON struct {
	Field string `json:"field"`
	Kind  string `json:"kind"`
	Text  string `json:"text"`
}

// narrativeWarnings scans the free text of a submission, people's
// descriptions included, for names, NHS numbers and contact details.
func narrativeWarnings(sub report.Submission) []warningJSON {
	out := []warningJSON{}
	texts := []struct{ name, text string }{
		{"description", sub.Description},
		{"immediate_actions", sub.ImmediateActions},
		{"desired_outcome", sub.DesiredOutcome},
		{"raised_elsewhere", sub.RaisedElsewhere},
	}
	// A person's description is stored as written; only their name is
	// sealed.
	for i, p := range sub.People {
		texts = append(texts, struct{ name, text string }{"people[" + strconv.Itoa(i) + "].description", p.Description})
	}
	for _, f := range texts {
		for _, fd := range pii.Scan(f.text) {
			out = append(out, warningJSON{Field: f.name, Kind: fd.Kind, Text: fd.Text})
		}
	}
	return out
}
