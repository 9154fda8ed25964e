package api

import (
	"errors"
	"net/http"

	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/store"
	"candour/internal/validate"
)

// returnCountJSON is one value of a measure and how many cases (or answers) have it.
type returnCountJSON struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// guardianReturnJSON is the guardians' quarterly return.
type guardianReturnJSON struct {
	Quarter       string            `json:"quarter"`
	Label         string            `json:"label"`
	From          string            `json:"from"`
	To            string            `json:"to"`
	Cases         int               `json:"cases"`
	Anonymous     int               `json:"anonymous"`
	Detriment     int               `json:"detriment"`
	Elements      []returnCountJSON `json:"elements"`
	StaffGroups   []returnCountJSON `json:"staff_groups"`
	Feedback      []returnCountJSON `json:"feedback"`
	FeedbackTotal int               `json:"feedback_total"`
}

// reportsReturn is the Freedom to Speak Up guardians' quarterly return for
// ?quarter= (like 2026-q2; the last whole quarter when left out): counts
// only, for the guardians alone.
func (s *Server) reportsReturn(w http.ResponseWriter, r *http.Request) {
	q, err := s.Reports.ReturnQuarter(r.URL.Query().Get("quarter"))
	if errs, ok := validate.As(err); ok {
		invalid(w, r, errs)
		return
	}
	ret, err := s.Reports.GuardianReturnFor(r.Context(), authz.PrincipalFrom(r.Context()), q)
	if errors.Is(err, report.ErrNotAllowed) {
		problem(w, r, http.StatusForbidden, "Not allowed", "Only the Freedom to Speak Up guardians make the quarterly return.", nil)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	counts := func(cs []report.Count) []returnCountJSON {
		out := make([]returnCountJSON, 0, len(cs))
		for _, c := range cs {
			out = append(out, returnCountJSON{Value: c.Value, Label: c.Label, Count: c.N})
		}
		return out
	}
	writeJSON(w, http.StatusOK, guardianReturnJSON{
		Quarter: q.String(), Label: q.Label(),
		From: q.Start().Format(store.DateLayout), To: q.End().AddDate(0, 0, -1).Format(store.DateLayout),
		Cases: ret.Cases, Anonymous: ret.Anonymous, Detriment: ret.Detriment,
		Elements: counts(ret.Elements), StaffGroups: counts(ret.StaffGroups),
		Feedback: counts(ret.Feedback), FeedbackTotal: ret.FeedbackTotal,
	})
}
