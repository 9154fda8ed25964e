package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"candour/internal/actions"
	"candour/internal/authz"
	"candour/internal/validate"
)

// actionRow is one line of a table of actions.
type actionRow struct {
	ID          int64
	Title       string
	Owner       string
	Due         string
	Overdue     bool
	DaysOverdue int
	OverdueText string
	Status      string
	StatusTag   string
	Event       string
	EventID     int64
	Response    string
}

// actionsView is the data of the actions list and the overdue view.
type actionsView struct {
	Manage      bool
	OverdueView bool
	Caption     string
	Heading     string
	Rows        []actionRow
	Statuses    []handlingOption
	Owners      []handlingOption
	Filtered    bool
	NextHref    string
	FirstHref   string
}

// actionStatusTag is the tag colour of a status.
func actionStatusTag(st actions.Status) string {
	switch st {
	case actions.Open:
		return "blue"
	case actions.InProgress:
		return "yellow"
	case actions.Done:
		return "green"
	}
	return "grey"
}

func actionRowOf(a actions.Action, today string) actionRow {
	row := actionRow{ID: a.ID, Title: a.Title, Owner: a.OwnerName, Due: actions.FormatDate(a.DueOn),
		Overdue: a.Overdue(today), DaysOverdue: a.DaysOverdue(today), Status: a.Status.Label(), StatusTag: actionStatusTag(a.Status),
		Event: a.Report.Reference, EventID: a.Report.ID, Response: a.Response.Reference}
	switch row.DaysOverdue {
	case 0:
	case 1:
		row.OverdueText = "Overdue by 1 day"
	default:
		row.OverdueText = "Overdue by " + strconv.Itoa(row.DaysOverdue) + " days"
	}
	return row
}

// actionFilters are the query parameters the list understands.
var actionFilters = []string{"status", "owner", "overdue", "report", "response"}

// actionsList shows the caller's own actions, and to the patient safety
// team every action, filtered by status, owner, overdue, event and learning
// response.
func (s *Server) actionsList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := authz.PrincipalFrom(ctx)
	manage := actions.CanManage(p)
	in := r.URL.Query()
	f := &Form{Values: url.Values{}}
	for _, k := range actionFilters {
		if v := queryText(in.Get(k)); v != "" && (manage || k == "status" || k == "overdue") {
			f.Values.Set(k, v)
		}
	}
	q := actions.Query{Status: f.Get("status"), Overdue: f.Get("overdue") == "yes", After: queryText(in.Get("after"))}
	if q.Status != "" && q.Status != "all" && !actions.Status(q.Status).Valid() {
		f.Errors.Add("status", "Choose a status from the list")
		f.Values.Del("status")
		q.Status = ""
	}
	if !manage {
		q.Mine = true
	}
	if o := f.Get("owner"); o != "" {
		if o == "me" {
			q.Mine = true
		} else if q.OwnerID = f.Int64("owner"); q.OwnerID <= 0 {
			f.Errors.Add("owner", "Choose an owner from the list")
			f.Values.Del("owner")
		}
	}
	for _, k := range []string{"report", "response"} {
		if f.Get(k) == "" {
			continue
		}
		find := s.Actions.FindReport
		if k == "response" {
			find = s.Actions.FindResponse
		}
		l, err := find(ctx, f.Get(k))
		if fe, ok := validate.As(err); ok {
			f.Errors = append(f.Errors, fe...)
			q.ReportID = -1 // match nothing rather than everything
			continue
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if k == "report" {
			q.ReportID = l.ID
		} else {
			q.ResponseID = l.ID
		}
	}
	status := http.StatusOK
	if len(f.Errors) > 0 {
		status = http.StatusBadRequest
	}
	list, next, err := s.Actions.List(ctx, p, q)
	if fe, ok := validate.As(err); ok {
		status = http.StatusBadRequest
		f.Errors = append(f.Errors, fe...)
		q.After = ""
		list, next, err = s.Actions.List(ctx, p, q)
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := actionsView{Manage: manage, Heading: "Your improvement actions", Filtered: len(f.Values) > 0, Caption: "Actions still to do"}
	if v.Filtered {
		v.Caption = "Actions matching the filters"
	}
	if manage {
		v.Heading = "Improvement actions"
		owners, err := s.Actions.Owners(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Owners = append(v.Owners, handlingOption{Value: "me", Label: "Me"})
		for _, o := range owners {
			v.Owners = append(v.Owners, handlingOption{Value: idString(o.ID), Label: o.Name + " (" + o.Email + ")"})
		}
	}
	v.Statuses = []handlingOption{{Value: "all", Label: "All, including done and cancelled"}}
	for _, o := range actions.Statuses() {
		v.Statuses = append(v.Statuses, handlingOption{Value: o.Value, Label: o.Label})
	}
	today := s.Actions.Today()
	for _, a := range list {
		v.Rows = append(v.Rows, actionRowOf(a, today))
	}
	if next != "" {
		nv := cloneFormValues(f.Values)
		nv.Set("after", next)
		v.NextHref = "/actions?" + nv.Encode()
	}
	if q.After != "" {
		v.FirstHref = "/actions"
		if len(f.Values) > 0 {
			v.FirstHref += "?" + f.Values.Encode()
		}
	}
	s.render(w, r, status, "actions", &Page{Title: v.Heading, Form: f, Data: v})
}

// actionsOverdue is the leads' view: every action still to be done whose
// due date has passed, the longest overdue first.
func (s *Server) actionsOverdue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := authz.PrincipalFrom(ctx)
	after := queryText(r.URL.Query().Get("after"))
	status := http.StatusOK
	f := &Form{Values: url.Values{}}
	list, next, err := s.Actions.Overdue(ctx, p, 0, after)
	if _, ok := validate.As(err); ok {
		status = http.StatusBadRequest
		f.Errors.Add("after", "The link to that page of actions is not valid. The first page is shown instead")
		after = ""
		list, next, err = s.Actions.Overdue(ctx, p, 0, "")
	}
	if errors.Is(err, actions.ErrSafetyOnly) {
		s.render(w, r, http.StatusForbidden, "forbidden", &Page{Title: "You do not have access to this page"})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := actionsView{Manage: true, OverdueView: true, Heading: "Overdue improvement actions", Caption: "Overdue actions, longest overdue first"}
	today := s.Actions.Today()
	for _, a := range list {
		v.Rows = append(v.Rows, actionRowOf(a, today))
	}
	if next != "" {
		v.NextHref = "/actions/overdue?after=" + url.QueryEscape(next)
	}
	if after != "" {
		v.FirstHref = "/actions/overdue"
	}
	s.render(w, r, status, "actions", &Page{Title: v.Heading, Form: f, Data: v, BackLink: "/actions"})
}
