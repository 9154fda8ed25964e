package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"candour/internal/authz"
	"candour/internal/restore"
	"candour/internal/store"
	"candour/internal/validate"
)

// supportRow is one plan in a list.
type supportRow struct {
	ID                       int64
	Person, Supporter, Event string
	Status, Colour           string
	NextDue, LastCheckIn     string
	Lapsed                   bool
}

// supportListView is the data of the support plans page.
type supportListView struct {
	Yours, Supporting, All []supportRow
	SafetyTeam             bool
}

func supportHref(id int64) string { return "/support/" + idString(id) }

func supportStatus(pl restore.Plan) (string, string) {
	switch {
	case pl.Status == restore.Closed:
		return "Closed", "grey"
	case pl.CheckInLapsed:
		return "Check-in overdue", "red"
	}
	return "Active", "green"
}

func supportRowOf(pl restore.Plan) supportRow {
	row := supportRow{ID: pl.ID, Person: pl.PersonName, Supporter: pl.SupporterName, Event: pl.ReportReference,
		NextDue: formatDate(pl.NextCheckInDue), LastCheckIn: formatDate(pl.LastCheckIn), Lapsed: pl.CheckInLapsed}
	row.Status, row.Colour = supportStatus(pl)
	return row
}

// supportList shows the plans the user may see: their own support, the
// colleagues they support and, for the patient safety team, every plan.
func (s *Server) supportList(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	plans, err := s.Restore.Plans(r.Context(), p)
	if err != nil {
		s.restoreFailed(w, r, err)
		return
	}
	v := supportListView{SafetyTeam: p.Has(authz.Safety)}
	for _, pl := range plans {
		row := supportRowOf(pl)
		switch {
		case pl.Viewer.StaffMember:
			v.Yours = append(v.Yours, row)
		case pl.Viewer.Supporter:
			v.Supporting = append(v.Supporting, row)
		default:
			v.All = append(v.All, row)
		}
	}
	s.render(w, r, http.StatusOK, "support_list", &Page{Title: "Support after a patient safety event", Data: v})
}

// supportNewView is the data of the form that starts a plan.
type supportNewView struct {
	Offers []orgChoice
}

func supportOffers() []orgChoice {
	var out []orgChoice
	for _, o := range restore.OfferOptions() {
		out = append(out, orgChoice{Value: o.Value, Label: o.Label, Hint: o.Hint})
	}
	return out
}

// supportNew shows the form that starts a plan; ?report= fills in the event.
func (s *Server) supportNew(w http.ResponseWriter, r *http.Request) {
	f := &Form{Values: map[string][]string{"frequency_days": {strconv.Itoa(restore.DefaultFrequencyDays)}}}
	if ref := queryText(r.URL.Query().Get("report")); ref != "" {
		if n, err := strconv.ParseInt(ref, 10, 64); err == nil {
			if found := s.Restore.EventReference(r.Context(), authz.PrincipalFrom(r.Context()), n); found != "" {
				ref = found
			}
		}
		f.Values.Set("report", ref)
	}
	s.renderSupportNew(w, r, http.StatusOK, f)
}

func (s *Server) renderSupportNew(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	s.render(w, r, status, "support_new", &Page{Title: "Start a support plan", Form: f, Data: supportNewView{Offers: supportOffers()}, BackLink: "/support"})
}

// supportFields are the start form's inputs in page order.
var supportFields = []string{"person", "supporter", "frequency_days", "offered", "offered_other", "report", "response_id"}

func sortSupportErrors(errs validate.Errors, order []string) validate.Errors {
	pos := func(f string) int {
		for i, o := range order {
			if o == f {
				return i
			}
		}
		return len(order)
	}
	out := append(validate.Errors(nil), errs...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && pos(out[j].Field) < pos(out[j-1].Field); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// supportCreate starts a plan and opens it.
func (s *Server) supportCreate(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("person", err.Error())
		s.renderSupportNew(w, r, http.StatusBadRequest, f)
		return
	}
	var pre validate.Errors
	in := restore.PlanInput{EmployeeNumber: f.Get("person"), SupporterEmail: f.Get("supporter"), Offered: f.Values["offered"],
		OfferedOther: f.Get("offered_other"), Report: f.Get("report")}
	if v := strings.TrimSpace(f.Get("frequency_days")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			pre.Add("frequency_days", "Enter how many days between check-ins, from 1 to 90")
		}
		in.FrequencyDays = n
	}
	if len(pre) > 0 {
		f.Errors = pre
		s.renderSupportNew(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	pl, err := s.Restore.CreatePlan(r.Context(), authz.PrincipalFrom(r.Context()), in)
	if errs, ok := validate.As(err); ok {
		f.Errors = sortSupportErrors(errs, supportFields)
		s.renderSupportNew(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err != nil {
		s.restoreFailed(w, r, err)
		return
	}
	s.redirect(w, r, supportHref(pl.ID), "Support plan started. The supporter has been told")
}

// supportCheckInRow is a check-in as the plan page shows it.
type supportCheckInRow struct {
	HeldOn, Notes, RecordedBy string
}

// supportPlanView is the data of a plan's page.
type supportPlanView struct {
	P              restore.Plan
	Status, Colour string
	Started        string
	Closed         string
	NextDue        string
	LastCheckIn    string
	Offered        string
	StaffMember    string
	CheckIns       []supportCheckInRow
	// What the viewer may do.
	MayLog, MayClose, MayWriteView bool
	Today                          string
}

// supportShow shows a plan to the staff member, their supporter or the
// patient safety team.
func (s *Server) supportShow(w http.ResponseWriter, r *http.Request) {
	pl, ok := s.loadSupportPlan(w, r)
	if !ok {
		return
	}
	s.renderSupportPlan(w, r, http.StatusOK, pl, &Form{Values: map[string][]string{"own_view": {pl.OwnView}}})
}

// loadSupportPlan reads the plan named by {id} (the read is audited),
// answering the request itself when ok is false.
func (s *Server) loadSupportPlan(w http.ResponseWriter, r *http.Request) (restore.Plan, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return restore.Plan{}, false
	}
	pl, err := s.Restore.Plan(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.restoreFailed(w, r, err)
		return pl, false
	}
	return pl, true
}

func (s *Server) renderSupportPlan(w http.ResponseWriter, r *http.Request, status int, pl restore.Plan, f *Form) {
	v := supportPlanView{P: pl, Started: shortDate(pl.CreatedAt), Closed: shortDate(pl.ClosedAt), NextDue: formatDate(pl.NextCheckInDue),
		LastCheckIn: formatDate(pl.LastCheckIn), Offered: strings.Join(pl.OfferedLabels(), "; "),
		Today: s.Now().In(london()).Format(store.DateLayout)}
	v.Status, v.Colour = supportStatus(pl)
	var who []string
	for _, part := range []string{pl.PersonName, pl.JobTitle, pl.DepartmentName} {
		if part != "" {
			who = append(who, part)
		}
	}
	v.StaffMember = strings.Join(who, ", ")
	active := pl.Status == restore.Active
	v.MayLog = active && (pl.Viewer.Supporter || pl.Viewer.SafetyTeam)
	v.MayClose = v.MayLog
	v.MayWriteView = pl.Viewer.StaffMember
	for _, c := range pl.CheckIns {
		v.CheckIns = append(v.CheckIns, supportCheckInRow{HeldOn: formatDate(c.HeldOn), Notes: c.Notes, RecordedBy: c.RecordedBy})
	}
	title := "Support plan for " + pl.PersonName
	if pl.Viewer.StaffMember {
		title = "Your support plan"
	}
	s.render(w, r, status, "support_plan", &Page{Title: title, Form: f, Data: v, BackLink: "/support"})
}

// supportCheckIn logs a check-in.
func (s *Server) supportCheckIn(w http.ResponseWriter, r *http.Request) {
	pl, ok := s.loadSupportPlan(w, r)
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("held_on-day", err.Error())
		s.renderSupportPlan(w, r, http.StatusBadRequest, pl, f)
		return
	}
	f.Values.Set("own_view", pl.OwnView)
	date, problem := formDate(f, "held_on", "The date of the check-in")
	if problem != "" {
		f.Errors.Add("held_on-day", problem)
		s.renderSupportPlan(w, r, http.StatusUnprocessableEntity, pl, f)
		return
	}
	_, err = s.Restore.AddCheckIn(r.Context(), authz.PrincipalFrom(r.Context()), pl.ID, restore.CheckInInput{HeldOn: date, Notes: f.Get("notes")})
	if errs, ok := validate.As(err); ok {
		for i := range errs {
			if errs[i].Field == "held_on" {
				errs[i].Field = "held_on-day"
			}
		}
		f.Errors = errs
		s.renderSupportPlan(w, r, http.StatusUnprocessableEntity, pl, f)
		return
	}
	if err != nil {
		s.supportFailed(w, r, pl, f, "held_on-day", err)
		return
	}
	s.redirect(w, r, supportHref(pl.ID)+"#check-ins", "Check-in logged")
}

// supportFailed answers a domain error on a plan's page: a closed plan is
// shown again with the reason.
func (s *Server) supportFailed(w http.ResponseWriter, r *http.Request, pl restore.Plan, f *Form, field string, err error) {
	if errors.Is(err, restore.ErrClosed) {
		f.Errors = validate.Errors{{Field: field, Message: "This support plan is closed, so it cannot be changed"}}
		s.renderSupportPlan(w, r, http.StatusConflict, pl, f)
		return
	}
	s.restoreFailed(w, r, err)
}

// supportOwnView saves the staff member's own view.
func (s *Server) supportOwnView(w http.ResponseWriter, r *http.Request) {
	pl, ok := s.loadSupportPlan(w, r)
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("own_view", err.Error())
		s.renderSupportPlan(w, r, http.StatusBadRequest, pl, f)
		return
	}
	_, err = s.Restore.SetOwnView(r.Context(), authz.PrincipalFrom(r.Context()), pl.ID, f.Get("own_view"))
	if errs, ok := validate.As(err); ok {
		f.Errors = errs
		s.renderSupportPlan(w, r, http.StatusUnprocessableEntity, pl, f)
		return
	}
	if err != nil {
		s.supportFailed(w, r, pl, f, "own_view", err)
		return
	}
	s.redirect(w, r, supportHref(pl.ID)+"#own-view", "Your view has been saved")
}

// supportClose closes a plan.
func (s *Server) supportClose(w http.ResponseWriter, r *http.Request) {
	pl, ok := s.loadSupportPlan(w, r)
	if !ok {
		return
	}
	f := &Form{Values: map[string][]string{"own_view": {pl.OwnView}}}
	_, err := s.Restore.ClosePlan(r.Context(), authz.PrincipalFrom(r.Context()), pl.ID)
	if err != nil {
		s.supportFailed(w, r, pl, f, "close", err)
		return
	}
	s.redirect(w, r, supportHref(pl.ID), "Support plan closed")
}
