package api

import (
	"net/http"
	"strconv"

	"candour/internal/actions"
	"candour/internal/authz"
	"candour/internal/validate"
)

// actionsList lists the actions the caller may see: their own, or for the
// patient safety team every action. Filters: status (open, in_progress,
// done, cancelled, all; default open and in progress), owner_id, mine,
// overdue, report_id, response_id, limit, after.
func (s *Server) actionsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var errs validate.Errors
	query := actions.Query{Status: q.Get("status"), After: q.Get("after")}
	query.OwnerID = positiveID(&errs, "owner_id", q.Get("owner_id"))
	query.ReportID = positiveID(&errs, "report_id", q.Get("report_id"))
	query.ResponseID = positiveID(&errs, "response_id", q.Get("response_id"))
	for name, dst := range map[string]*bool{"mine": &query.Mine, "overdue": &query.Overdue} {
		if v := q.Get(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				errs.Add(name, "must be true or false")
			}
			*dst = b
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			errs.Add("limit", "must be a whole number from 1 to 500")
		}
		query.Limit = n
	}
	if len(errs) > 0 {
		invalid(w, r, errs)
		return
	}
	items, next, err := s.Actions.List(r.Context(), authz.PrincipalFrom(r.Context()), query)
	s.writeActions(w, r, items, next, err)
}

// actionsOverdue is the leads' view: actions still to do whose due date has
// passed, the longest overdue first.
func (s *Server) actionsOverdue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			invalid(w, r, validate.Errors{{Field: "limit", Message: "must be a whole number from 1 to 500"}})
			return
		}
		limit = n
	}
	items, next, err := s.Actions.Overdue(r.Context(), authz.PrincipalFrom(r.Context()), limit, q.Get("after"))
	s.writeActions(w, r, items, next, err)
}

func (s *Server) writeActions(w http.ResponseWriter, r *http.Request, items []actions.Action, next string, err error) {
	if err != nil {
		s.actionError(w, r, err)
		return
	}
	today := s.Actions.Today()
	out := List[actionJSON]{Items: []actionJSON{}, Next: next}
	for _, a := range items {
		out.Items = append(out.Items, toActionJSON(a, today))
	}
	writeJSON(w, http.StatusOK, out)
}

// actionRequest adds an action.
type actionRequest struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	OwnerID     int64  `json:"owner_id"`
	DueOn       string `json:"due_on"`
	ReportID    int64  `json:"report_id"`
	ResponseID  int64  `json:"response_id"`
}

func idText(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// actionCreate adds an action and tells its owner.
func (s *Server) actionCreate(w http.ResponseWriter, r *http.Request) {
	var req actionRequest
	if !s.decode(w, r, &req) {
		return
	}
	var errs validate.Errors
	if req.ReportID < 0 {
		errs.Add("report_id", "must be a positive whole number, or left out")
	}
	if req.ResponseID < 0 {
		errs.Add("response_id", "must be a positive whole number, or left out")
	}
	if len(errs) > 0 {
		invalid(w, r, errs)
		return
	}
	a, err := s.Actions.Create(r.Context(), authz.PrincipalFrom(r.Context()), actions.Input{Title: req.Title, Description: req.Description,
		OwnerID: req.OwnerID, DueOn: req.DueOn, Report: idText(req.ReportID), Response: idText(req.ResponseID)})
	if err != nil {
		s.actionError(w, r, apiFields(err))
		return
	}
	w.Header().Set("Location", "/api/v1/actions/"+strconv.FormatInt(a.ID, 10))
	writeJSON(w, http.StatusCreated, toActionJSON(a, s.Actions.Today()))
}

// actionGet returns one action to the safety team or its owner.
func (s *Server) actionGet(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n <= 0 {
		notFound(w, r, "This action")
		return
	}
	a, err := s.Actions.Get(r.Context(), authz.PrincipalFrom(r.Context()), n)
	if err != nil {
		s.actionError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toActionJSON(a, s.Actions.Today()))
}

// actionPatch changes an action; fields left out are left as they are.
type actionPatch struct {
	Title       *string `json:"title"`
	Description *string `json:"description"`
	OwnerID     *int64  `json:"owner_id"`
	DueOn       *string `json:"due_on"`
	// ReportID and ResponseID relink; 0 unlinks.
	ReportID   *int64  `json:"report_id"`
	ResponseID *int64  `json:"response_id"`
	Status     *string `json:"status"`
	Evidence   *string `json:"evidence"`
	Reason     string  `json:"reason"`
}

// actionUpdate applies a patch: the owner may change status and evidence;
// the safety team anything, and cancels with a reason.
func (s *Server) actionUpdate(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n <= 0 {
		notFound(w, r, "This action")
		return
	}
	var req actionPatch
	if !s.decode(w, r, &req) {
		return
	}
	c := actions.Change{Title: req.Title, Description: req.Description, OwnerID: req.OwnerID, DueOn: req.DueOn,
		Evidence: req.Evidence, Reason: req.Reason}
	var errs validate.Errors
	for _, l := range []struct {
		field string
		id    *int64
		dst   **string
	}{{"report_id", req.ReportID, &c.Report}, {"response_id", req.ResponseID, &c.Response}} {
		if l.id == nil {
			continue
		}
		if *l.id < 0 {
			errs.Add(l.field, "must be a positive whole number, or 0 to unlink")
			continue
		}
		t := idText(*l.id)
		*l.dst = &t
	}
	if req.Status != nil {
		st := actions.Status(*req.Status)
		if !st.Valid() {
			errs.Add("status", "must be open, in_progress, done or cancelled")
		}
		c.Status = &st
	}
	if len(errs) > 0 {
		invalid(w, r, errs)
		return
	}
	a, err := s.Actions.Update(r.Context(), authz.PrincipalFrom(r.Context()), n, c)
	if err != nil {
		s.actionError(w, r, apiFields(err))
		return
	}
	writeJSON(w, http.StatusOK, toActionJSON(a, s.Actions.Today()))
}

// apiFields renames the domain's field names to the API's.
func apiFields(err error) error {
	fe, ok := validate.As(err)
	if !ok {
		return err
	}
	names := map[string]string{"owner": "owner_id", "report": "report_id", "response": "response_id"}
	out := make(validate.Errors, len(fe))
	for i, e := range fe {
		if n, ok := names[e.Field]; ok {
			e.Field = n
		}
		out[i] = e
	}
	return out
}
