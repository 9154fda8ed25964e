package api

import (
	"errors"
	"net/http"
	"strconv"

	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/validate"
)

// reportsList is the handler's queue: the reports of the teams they work
// in (safety events for the patient safety team, concerns for the
// guardians), open ones by default, oldest first. Filters: team, status
// (or "all"), site_id, department_id, assigned_to_me, overdue, reference
// (any status unless one is given), awaiting_reply, limit, after.
func (s *Server) reportsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var errs validate.Errors
	query := report.QueueQuery{After: q.Get("after")}
	switch t := report.Team(q.Get("team")); t {
	case "", report.SafetyTeam, report.Guardians:
		query.Team = t
	default:
		errs.Add("team", `must be "safety" or "guardian"`)
	}
	if v := q.Get("status"); v != "" {
		ok := v == "all"
		for _, o := range report.Statuses() {
			ok = ok || o.Value == v
		}
		if !ok {
			errs.Add("status", "must be new, acknowledged, in_review, learning_response, closed or all")
		}
		query.Status = report.Status(v)
	}
	query.SiteID = positiveID(&errs, "site_id", q.Get("site_id"))
	query.DepartmentID = positiveID(&errs, "department_id", q.Get("department_id"))
	query.AssignedToMe = boolParam(&errs, "assigned_to_me", q.Get("assigned_to_me"))
	query.Overdue = boolParam(&errs, "overdue", q.Get("overdue"))
	query.AwaitingReply = boolParam(&errs, "awaiting_reply", q.Get("awaiting_reply"))
	if q.Has("reference") {
		ref, ok, checkFailed := report.NormalReference(q.Get("reference"))
		switch {
		case checkFailed:
			errs.Add("reference", "its check digit does not match its number: a digit may be mistyped, swapped or missing")
		case !ok:
			errs.Add("reference", "must be a report reference such as SE-004512-5 (or an older one such as SE-7KQM-4XTA-CH3W)")
		}
		query.Reference = ref
		if query.Status == "" {
			// Looking a report up by its reference finds it closed too.
			query.Status = "all"
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			errs.Add("limit", "must be a whole number from 1 to 200")
		}
		query.Limit = n
	}
	if len(errs) > 0 {
		invalid(w, r, errs)
		return
	}
	items, next, err := s.Reports.Queue(r.Context(), authz.PrincipalFrom(r.Context()), query)
	if errors.Is(err, report.ErrNotAllowed) {
		problem(w, r, http.StatusForbidden, "Not allowed", "You do not handle that team's reports.", nil)
		return
	}
	if fe, ok := validate.As(err); ok {
		invalid(w, r, fe)
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	today := s.Reports.Today()
	out := List[summaryJSON]{Items: []summaryJSON{}, Next: next}
	for _, sm := range items {
		out.Items = append(out.Items, toSummaryJSON(sm, today))
	}
	writeJSON(w, http.StatusOK, out)
}

// boolParam reads an optional true or false from a query parameter.
func boolParam(errs *validate.Errors, field, v string) bool {
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		errs.Add(field, "must be true or false")
	}
	return b
}

// positiveID reads an optional id from a query parameter.
func positiveID(errs *validate.Errors, field, v string) int64 {
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		errs.Add(field, "must be a positive whole number")
		return 0
	}
	return n
}
