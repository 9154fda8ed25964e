package api

import (
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

// narrativeWarnings scans the free text of a submission for names, NHS
// numbers and contact details.
func narrativeWarnings(sub report.Submission) []warningJSON {
	out := []warningJSON{}
	for _, f := range []struct{ name, text string }{
		{"description", sub.Description},
		{"immediate_actions", sub.ImmediateActions},
		{"desired_outcome", sub.DesiredOutcome},
		{"raised_elsewhere", sub.RaisedElsewhere},
	} {
		for _, fd := range pii.Scan(f.text) {
			out = append(out, warningJSON{Field: f.name, Kind: fd.Kind, Text: fd.Text})
		}
	}
	return out
}
