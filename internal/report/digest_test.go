package report

import (
	"testing"

	"candour/internal/attach"
)

// contentDigest must not change between versions: the submission keys
// stored on PostgreSQL are hashed with it, so a new digest for the same
// content would let a retry sent across an upgrade store a second report.
// These digests were taken from the version that first stored them.
func TestContentDigestIsStable(t *testing.T) {
	event := Submission{Kind: SafetyEvent, DepartmentID: 42, OccurredOn: "2026-03-01", OccurredTime: "14:30",
		Description: "Insulin given twice; the chart was not signed.", ImmediateActions: "Doctor informed.",
		EventType: "incident", PhysicalHarm: "low", PsychologicalHarm: "none",
		People: []Involved{{Role: "patient", Description: "Bed 4"}, {Role: "staff", Description: "Agency nurse", Name: "Jo"}}}
	concern := Submission{Kind: Concern, Description: "Rotas are changed at a day's notice — “again”.", DesiredOutcome: "Fair rotas",
		RaisedElsewhere: "no", StaffGroup: "nursing", Elements: []string{"worker_safety", "behaviours"}}
	files := []attach.File{{SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}}
	for _, c := range []struct {
		name  string
		sub   Submission
		files []attach.File
		want  string
	}{
		{"empty", Submission{}, nil, "c07f118c6110a8ea9364043ae7a09d69b2955ab0bdcea4bed6f4ef4058a8aa85"},
		{"event", event, nil, "68ecb6f6ac2839dc36ee4f31eb4d8790e6b3484db4e00ae0aac2901a6112e66f"},
		{"event with a file", event, files, "ba248dd023a09090a14166503a0333ed818c4fd2994e573088d704fb408c3b45"},
		{"concern", concern, nil, "3c987bc9d97ad5ce174631395a4a6a70833511b8d1ab118476db5d335ffce5a9"},
	} {
		if got := contentDigest(c.sub, c.files); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
