package web

import (
	"context"
	"net/http"

	"candour/internal/authz"
	"candour/internal/report"
)

// reportReroute passes the report to the other team, with a reason. The
// reporter's identity protection goes with it. Someone who does not work
// in the other team can no longer see the report, so they go back to
// their queue.
func (s *Server) reportReroute(w http.ResponseWriter, r *http.Request) {
	hf := handlingForm{fields: map[string]string{"reason": "reroute_reason"}, first: "reroute_reason"}
	s.handlingAction(w, r, hf, func(ctx context.Context, p *authz.Principal, id int64, f *Form, _ handlingFiles) (string, string, error) {
		if err := s.Reports.Reroute(ctx, p, id, f.Get("reroute_reason")); err != nil {
			return "", "", err
		}
		teams := report.TeamsOf(p)
		if len(teams) == 1 {
			other := report.Guardians
			if teams[0] == report.Guardians {
				other = report.SafetyTeam
			}
			return "The report has been passed to the " + handlingTeamLower(other), "/reports", nil
		}
		return "The report has been passed to the other team", "", nil
	})
}

// handlingTeamLower names a team in the middle of a sentence.
func handlingTeamLower(t report.Team) string {
	if t == report.Guardians {
		return "Freedom to Speak Up guardians"
	}
	return "patient safety team"
}
