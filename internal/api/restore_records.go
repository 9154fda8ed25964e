package api

import (
	"errors"
	"net/http"
	"strconv"

	"candour/internal/authz"
	"candour/internal/restore"
	"candour/internal/validate"
)

// restoreRecordJSON is a restorative record with its progress through the
// checklist.
type restoreRecordJSON struct {
	restore.Record
	Progress restore.Progress `json:"progress"`
}

func toRestoreRecordJSON(r restore.Record) restoreRecordJSON {
	if r.Needs == nil {
		r.Needs = []restore.Need{}
	}
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return restoreRecordJSON{Record: r, Progress: r.Progress()}
}

// restoreError answers a domain error from the restore package.
func (s *Server) restoreError(w http.ResponseWriter, r *http.Request, what string, err error) {
	var errs validate.Errors
	switch {
	case errors.As(err, &errs):
		invalid(w, r, errs)
	case errors.Is(err, restore.ErrNotAllowed):
		notFound(w, r, what)
	case errors.Is(err, restore.ErrStaffMemberOnly):
		problem(w, r, http.StatusForbidden, "Only the staff member", "Only the member of staff this plan is for can write their own view.", nil)
	case errors.Is(err, restore.ErrSupporterOnly):
		problem(w, r, http.StatusForbidden, "Only the supporter or the patient safety team", "Only the supporter or the patient safety team can do this.", nil)
	case errors.Is(err, restore.ErrClosed):
		problem(w, r, http.StatusConflict, "Support plan closed", "This support plan is closed, so it cannot be changed.", nil)
	default:
		s.internal(w, r, err)
	}
}

func restorePathID(r *http.Request, name string) (int64, bool) {
	n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return n, err == nil && n > 0
}

// restoreRecordsList lists every restorative record (audited).
func (s *Server) restoreRecordsList(w http.ResponseWriter, r *http.Request) {
	list, err := s.Restore.Records(r.Context(), authz.PrincipalFrom(r.Context()))
	if err != nil {
		s.restoreError(w, r, "This list", err)
		return
	}
	out := List[restore.Summary]{Items: []restore.Summary{}}
	for _, sm := range list {
		sm.CreatedAt, sm.UpdatedAt = sm.CreatedAt.UTC(), sm.UpdatedAt.UTC()
		out.Items = append(out.Items, sm)
	}
	writeJSON(w, http.StatusOK, out)
}

// restoreRecordRequest starts a record.
type restoreRecordRequest struct {
	Report     string `json:"report"`
	ResponseID int64  `json:"response_id"`
}

// restoreRecordCreate starts a restorative record for an event or a
// learning response.
func (s *Server) restoreRecordCreate(w http.ResponseWriter, r *http.Request) {
	var req restoreRecordRequest
	if !s.decode(w, r, &req) {
		return
	}
	rec, err := s.Restore.CreateRecord(r.Context(), authz.PrincipalFrom(r.Context()), restore.RecordInput{Report: req.Report, ResponseID: req.ResponseID})
	if err != nil {
		s.restoreError(w, r, "This record", err)
		return
	}
	w.Header().Set("Location", "/api/v1/restorative-records/"+strconv.FormatInt(rec.ID, 10))
	writeJSON(w, http.StatusCreated, toRestoreRecordJSON(rec))
}

// restoreRecordGet returns one record (audited).
func (s *Server) restoreRecordGet(w http.ResponseWriter, r *http.Request) {
	id, ok := restorePathID(r, "id")
	if !ok {
		notFound(w, r, "This record")
		return
	}
	rec, err := s.Restore.Record(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.restoreError(w, r, "This record", err)
		return
	}
	writeJSON(w, http.StatusOK, toRestoreRecordJSON(rec))
}

// restoreNeedRequest names someone hurt.
type restoreNeedRequest struct {
	Who         string `json:"who"`
	Description string `json:"description"`
	Needs       string `json:"needs"`
	Obligation  string `json:"obligation"`
	Met         bool   `json:"met"`
}

// restoreNeedAdd names someone hurt on a record.
func (s *Server) restoreNeedAdd(w http.ResponseWriter, r *http.Request) {
	id, ok := restorePathID(r, "id")
	if !ok {
		notFound(w, r, "This record")
		return
	}
	var req restoreNeedRequest
	if !s.decode(w, r, &req) {
		return
	}
	n, err := s.Restore.AddNeed(r.Context(), authz.PrincipalFrom(r.Context()), id, restore.NeedInput{Who: req.Who, Description: req.Description,
		Needs: req.Needs, Obligation: req.Obligation, Met: req.Met})
	if err != nil {
		s.restoreError(w, r, "This record", err)
		return
	}
	writeJSON(w, http.StatusCreated, n)
}

// restoreNeedUpdateRequest changes a need.
type restoreNeedUpdateRequest struct {
	Needs      string `json:"needs"`
	Obligation string `json:"obligation"`
	Met        bool   `json:"met"`
}

// restoreNeedUpdate records what someone needs, whose obligation it is and
// whether it has been met; it replaces all three.
func (s *Server) restoreNeedUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok1 := restorePathID(r, "id")
	nid, ok2 := restorePathID(r, "nid")
	if !ok1 || !ok2 {
		notFound(w, r, "This need")
		return
	}
	var req restoreNeedUpdateRequest
	if !s.decode(w, r, &req) {
		return
	}
	n, err := s.Restore.UpdateNeed(r.Context(), authz.PrincipalFrom(r.Context()), id, nid, restore.NeedUpdate{Needs: req.Needs, Obligation: req.Obligation, Met: req.Met})
	if err != nil {
		s.restoreError(w, r, "This need", err)
		return
	}
	writeJSON(w, http.StatusOK, n)
}

// restoreGoalJSON is one goal's answer: achieved true, false, or null for
// not yet.
type restoreGoalJSON struct {
	Achieved *bool  `json:"achieved"`
	Note     string `json:"note"`
}

// restoreGoals records the goals given; goals left out keep their answers.
func (s *Server) restoreGoals(w http.ResponseWriter, r *http.Request) {
	id, ok := restorePathID(r, "id")
	if !ok {
		notFound(w, r, "This record")
		return
	}
	var req map[string]restoreGoalJSON
	if !s.decode(w, r, &req) {
		return
	}
	answers := map[string]restore.GoalAnswer{}
	for k, g := range req {
		answers[k] = restore.GoalAnswer{Achieved: g.Achieved, Note: g.Note}
	}
	rec, err := s.Restore.SetGoals(r.Context(), authz.PrincipalFrom(r.Context()), id, answers)
	if err != nil {
		s.restoreError(w, r, "This record", err)
		return
	}
	writeJSON(w, http.StatusOK, toRestoreRecordJSON(rec))
}
