package web

import (
	"context"
	"net/http"
	"strings"

	"candour/internal/authz"
	"candour/internal/report"
)

// reportClassify sets a report's event type and harm (safety events) or
// what it is about (concerns): triage often regrades what the reporter
// chose, and a report passed from the other team arrives without either.
func (s *Server) reportClassify(w http.ResponseWriter, r *http.Request) {
	hf := handlingForm{fields: map[string]string{"event_type": "class_event_type", "physical_harm": "class_physical_harm",
		"psychological_harm": "class_psychological_harm", "elements": "class_elements"}, first: "class_event_type"}
	s.handlingAction(w, r, hf, func(ctx context.Context, p *authz.Principal, id int64, f *Form, _ handlingFiles) (string, string, error) {
		c := report.Classification{
			EventType:         strings.TrimSpace(f.Get("class_event_type")),
			PhysicalHarm:      strings.TrimSpace(f.Get("class_physical_harm")),
			PsychologicalHarm: strings.TrimSpace(f.Get("class_psychological_harm")),
			Elements:          f.Values["class_elements"],
		}
		if err := s.Reports.Classify(ctx, p, id, c); err != nil {
			return "", "", err
		}
		return "Classification saved", "", nil
	})
}
