package api

import (
	"context"
	"net/http"

	"candour/internal/authz"
	"candour/internal/report"
)

// classifyRequest is the body of POST /reports/{id}/classify: event type
// and harm for a safety event, elements for a concern.
type classifyRequest struct {
	EventType         string   `json:"event_type"`
	PhysicalHarm      string   `json:"physical_harm"`
	PsychologicalHarm string   `json:"psychological_harm"`
	Elements          []string `json:"elements"`
}

// reportClassify sets a report's classification during triage.
func (s *Server) reportClassify(w http.ResponseWriter, r *http.Request) {
	var req classifyRequest
	s.reportAction(w, r, &req, nil, func(ctx context.Context, p *authz.Principal, id int64) error {
		return s.Reports.Classify(ctx, p, id, report.Classification{EventType: req.EventType, PhysicalHarm: req.PhysicalHarm,
			PsychologicalHarm: req.PsychologicalHarm, Elements: req.Elements})
	})
}
