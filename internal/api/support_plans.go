package api

import (
	"net/http"
	"strconv"

	"candour/internal/authz"
	"candour/internal/restore"
	"candour/internal/validate"
)

func toSupportPlanJSON(pl restore.Plan) restore.Plan {
	pl.CreatedAt, pl.UpdatedAt = pl.CreatedAt.UTC(), pl.UpdatedAt.UTC()
	if !pl.ClosedAt.IsZero() {
		pl.ClosedAt = pl.ClosedAt.UTC()
	}
	if pl.CheckIns == nil {
		pl.CheckIns = []restore.CheckIn{}
	}
	for i := range pl.CheckIns {
		pl.CheckIns[i].RecordedAt = pl.CheckIns[i].RecordedAt.UTC()
	}
	return pl
}

// supportPlansList lists the plans the caller may see: their own, those
// they support, and every plan for the patient safety team (audited).
func (s *Server) supportPlansList(w http.ResponseWriter, r *http.Request) {
	plans, err := s.Restore.Plans(r.Context(), authz.PrincipalFrom(r.Context()))
	if err != nil {
		s.restoreError(w, r, "This list", err)
		return
	}
	out := List[restore.Plan]{Items: []restore.Plan{}}
	for _, pl := range plans {
		pl = toSupportPlanJSON(pl)
		pl.CheckIns = nil
		out.Items = append(out.Items, pl)
	}
	writeJSON(w, http.StatusOK, out)
}

// supportPlanRequest starts a plan.
type supportPlanRequest struct {
	Person        string   `json:"person"`
	Supporter     string   `json:"supporter"`
	FrequencyDays *int     `json:"frequency_days"`
	Offered       []string `json:"offered"`
	OfferedOther  string   `json:"offered_other"`
	Report        string   `json:"report"`
	ResponseID    int64    `json:"response_id"`
}

// supportPlanCreate starts a support plan for a member of staff involved.
func (s *Server) supportPlanCreate(w http.ResponseWriter, r *http.Request) {
	var req supportPlanRequest
	if !s.decode(w, r, &req) {
		return
	}
	in := restore.PlanInput{EmployeeNumber: req.Person, SupporterEmail: req.Supporter, Offered: req.Offered, OfferedOther: req.OfferedOther,
		Report: req.Report, ResponseID: req.ResponseID}
	if req.FrequencyDays != nil {
		if *req.FrequencyDays < 1 {
			invalid(w, r, validate.Errors{{Field: "frequency_days", Message: "Enter how many days between check-ins, from 1 to 90"}})
			return
		}
		in.FrequencyDays = *req.FrequencyDays
	}
	pl, err := s.Restore.CreatePlan(r.Context(), authz.PrincipalFrom(r.Context()), in)
	if err != nil {
		s.restoreError(w, r, "This plan", err)
		return
	}
	w.Header().Set("Location", "/api/v1/support-plans/"+strconv.FormatInt(pl.ID, 10))
	writeJSON(w, http.StatusCreated, toSupportPlanJSON(pl))
}

// supportPlanGet returns one plan to those who may see it (audited); 404
// for anyone else.
func (s *Server) supportPlanGet(w http.ResponseWriter, r *http.Request) {
	id, ok := restorePathID(r, "id")
	if !ok {
		notFound(w, r, "This plan")
		return
	}
	pl, err := s.Restore.Plan(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.restoreError(w, r, "This plan", err)
		return
	}
	writeJSON(w, http.StatusOK, toSupportPlanJSON(pl))
}

// supportCheckInRequest logs a check-in.
type supportCheckInRequest struct {
	HeldOn string `json:"held_on"`
	Notes  string `json:"notes"`
}

// supportCheckIn logs a check-in, by the supporter or the patient safety team.
func (s *Server) supportCheckIn(w http.ResponseWriter, r *http.Request) {
	id, ok := restorePathID(r, "id")
	if !ok {
		notFound(w, r, "This plan")
		return
	}
	var req supportCheckInRequest
	if !s.decode(w, r, &req) {
		return
	}
	c, err := s.Restore.AddCheckIn(r.Context(), authz.PrincipalFrom(r.Context()), id, restore.CheckInInput{HeldOn: req.HeldOn, Notes: req.Notes})
	if err != nil {
		s.restoreError(w, r, "This plan", err)
		return
	}
	c.RecordedAt = c.RecordedAt.UTC()
	writeJSON(w, http.StatusCreated, c)
}

// supportOwnViewRequest is the staff member's own view.
type supportOwnViewRequest struct {
	OwnView string `json:"own_view"`
}

// supportOwnView records the staff member's own view; only they may.
func (s *Server) supportOwnView(w http.ResponseWriter, r *http.Request) {
	id, ok := restorePathID(r, "id")
	if !ok {
		notFound(w, r, "This plan")
		return
	}
	var req supportOwnViewRequest
	if !s.decode(w, r, &req) {
		return
	}
	pl, err := s.Restore.SetOwnView(r.Context(), authz.PrincipalFrom(r.Context()), id, req.OwnView)
	if err != nil {
		s.restoreError(w, r, "This plan", err)
		return
	}
	writeJSON(w, http.StatusOK, toSupportPlanJSON(pl))
}

// supportClose closes a plan, by the supporter or the patient safety team.
func (s *Server) supportClose(w http.ResponseWriter, r *http.Request) {
	id, ok := restorePathID(r, "id")
	if !ok {
		notFound(w, r, "This plan")
		return
	}
	pl, err := s.Restore.ClosePlan(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.restoreError(w, r, "This plan", err)
		return
	}
	writeJSON(w, http.StatusOK, toSupportPlanJSON(pl))
}
