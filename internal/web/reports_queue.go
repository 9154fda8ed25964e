package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/validate"
)

// queueView is the data of the handler's queue.
type queueView struct {
	Heading string
	Rows    []queueRow
	// Teams is offered only to someone who handles both teams' reports.
	Teams       []handlingOption
	Statuses    []handlingOption
	Sites       []handlingOption
	Departments []handlingOption
	// Filtered is true when any filter is in use.
	Filtered bool
	// ShowKind is true when the rows may be of either kind, and ShowHarm
	// when some may be safety events: a column that says the same on
	// every row only narrows the others.
	ShowKind, ShowHarm bool
	// WhatHeading heads the column of event types or concern elements.
	WhatHeading string
	NextHref    string
	FirstHref   string
	// Guardian: the page links to the guardians' quarterly return.
	Guardian bool
}

// queueRow is one line of the queue. It holds nothing about who raised the
// report, nor any of its narrative.
type queueRow struct {
	ID        int64
	Reference string
	Kind      string
	What      string
	Harm      []string
	Where     string
	Received  string
	DueLabel  string
	DueOn     string
	Overdue   bool
	Status    string
	StatusTag string
	Assigned  string
	// AwaitingReply: the person who raised it sent the last message.
	AwaitingReply bool
}

// queueFilters are the query parameters the queue understands.
var queueFilters = []string{"team", "status", "site", "department", "mine", "overdue", "awaiting_reply"}

// reportsQueue lists the reports the user's teams handle, open ones first
// by default, filtered by team, status, site, department, assignment,
// deadlines and whether a reply is owed, a page at a time. With a
// reference it goes straight to that report instead (findReport).
func (s *Server) reportsQueue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := authz.PrincipalFrom(ctx)
	teams := report.TeamsOf(p)
	in := r.URL.Query()
	f := &Form{Values: url.Values{}}
	status := http.StatusOK
	if in.Has("reference") {
		var handled bool
		if handled, status = s.findReport(w, r, p, f, in.Get("reference")); handled {
			return
		}
	}
	for _, k := range queueFilters {
		if v := queryText(in.Get(k)); v != "" {
			f.Values.Set(k, v)
		}
	}
	// A box is ticked with yes; anything else filters nothing, so it is
	// not shown as a filter in use either.
	for _, k := range []string{"mine", "overdue", "awaiting_reply"} {
		if f.Get(k) != "yes" {
			f.Values.Del(k)
		}
	}
	q := report.QueueQuery{AssignedToMe: f.Get("mine") == "yes", Overdue: f.Get("overdue") == "yes",
		AwaitingReply: f.Get("awaiting_reply") == "yes", After: queryText(in.Get("after"))}
	if t := report.Team(f.Get("team")); t != "" {
		if slices.Contains(teams, t) {
			q.Team = t
		} else {
			f.Errors.Add("team", "Choose one of your teams")
			f.Values.Del("team")
		}
	}
	switch st := f.Get("status"); {
	case st == "" || st == "all":
		q.Status = report.Status(st)
	case slices.ContainsFunc(report.Statuses(), func(o report.Option) bool { return o.Value == st }):
		q.Status = report.Status(st)
	default:
		f.Errors.Add("status", "Choose a status from the list")
		f.Values.Del("status")
	}
	for _, k := range []string{"site", "department"} {
		if f.Get(k) != "" && f.Int64(k) <= 0 {
			f.Errors.Add(k, "Choose a "+k+" from the list")
			f.Values.Del(k)
		}
	}
	q.SiteID, q.DepartmentID = f.Int64("site"), f.Int64("department")
	if len(f.Errors) > 0 && status == http.StatusOK {
		status = http.StatusBadRequest
	}

	rows, next, err := s.Reports.Queue(ctx, p, q)
	if _, ok := validate.As(err); ok {
		// A page link that is not ours: show the first page instead.
		status = http.StatusBadRequest
		f.Errors.Add("status", "The link to that page of reports is not valid. The first page is shown instead")
		q.After = ""
		rows, next, err = s.Reports.Queue(ctx, p, q)
	}
	if errors.Is(err, report.ErrNotAllowed) {
		s.render(w, r, http.StatusForbidden, "forbidden", &Page{Title: "You do not have access to this page"})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	shown := teams
	if q.Team != "" {
		shown = []report.Team{q.Team}
	}
	filtered := false
	for _, k := range queueFilters {
		filtered = filtered || f.Get(k) != ""
	}
	v := queueView{Heading: queueHeading(teams, q.Team), Filtered: filtered,
		ShowKind: len(shown) > 1, ShowHarm: slices.Contains(shown, report.SafetyTeam),
		Guardian: slices.Contains(teams, report.Guardians)}
	switch {
	case v.ShowKind:
		v.WhatHeading = "Type or elements"
	case v.ShowHarm:
		v.WhatHeading = "Event type"
	default:
		v.WhatHeading = "About"
	}
	if len(teams) > 1 {
		for _, t := range teams {
			v.Teams = append(v.Teams, handlingOption{Value: string(t), Label: queueTeamLabel(t)})
		}
	}
	v.Statuses = []handlingOption{{Value: "all", Label: "All, including closed"}}
	for _, o := range report.Statuses() {
		v.Statuses = append(v.Statuses, handlingOption{Value: o.Value, Label: o.Label})
	}
	sites, err := s.Org.Sites(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, st := range sites {
		v.Sites = append(v.Sites, handlingOption{Value: idString(st.ID), Label: st.Name})
	}
	deps, err := s.Org.Departments(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, d := range deps {
		v.Departments = append(v.Departments, handlingOption{Value: idString(d.ID), Label: handlingPlace(d.Name, d.SiteName)})
	}
	today := s.Reports.Today()
	for _, sm := range rows {
		v.Rows = append(v.Rows, queueRowOf(sm, today))
	}
	if next != "" {
		nv := cloneFormValues(f.Values)
		nv.Del("reference")
		nv.Set("after", next)
		v.NextHref = "/reports?" + nv.Encode()
	}
	if q.After != "" {
		v.FirstHref = "/reports"
		if filtered {
			fv := cloneFormValues(f.Values)
			fv.Del("reference")
			v.FirstHref += "?" + fv.Encode()
		}
	}
	s.render(w, r, status, "reports_queue", &Page{Title: v.Heading, Form: f, Data: v})
}

// queueRowOf turns a summary into a line of the queue.
func queueRowOf(sm report.Summary, today string) queueRow {
	row := queueRow{
		ID:        sm.ID,
		Reference: sm.Reference,
		Kind:      report.KindLabel(sm.Kind),
		Where:     handlingPlace(sm.DepartmentName, sm.SiteName),
		Received:  formatDate(sm.ReceivedOn),
		Status:    report.StatusLabel(sm.Status),
		StatusTag: statusColour(sm.Status),
		Assigned:  sm.AssignedName,
		// The person who raised it sent the last message.
		AwaitingReply: sm.AwaitingReply,
	}
	if sm.Kind == report.SafetyEvent {
		row.What = report.EventTypeLabel(sm.EventType)
		if sm.PhysicalHarm != "" {
			row.Harm = append(row.Harm, report.HarmLabel(sm.PhysicalHarm, false))
		}
		if sm.PsychHarm != "" {
			row.Harm = append(row.Harm, report.HarmLabel(sm.PsychHarm, true))
		}
	} else {
		row.What = strings.Join(handlingElementLabels(sm.Elements), "; ")
	}
	switch {
	case sm.Status == report.Closed:
	case !sm.Acknowledged:
		row.DueLabel, row.DueOn = "Acknowledge by", formatDate(sm.AckDueOn)
	default:
		row.DueLabel, row.DueOn = "Feedback by", formatDate(sm.FeedbackDueOn)
	}
	row.Overdue = sm.Overdue(today) != ""
	return row
}

// queueTeamLabel names a team's reports.
func queueTeamLabel(t report.Team) string {
	if t == report.Guardians {
		return "Speak-up concerns"
	}
	return "Patient safety events"
}

// queueHeading is the queue's title for the team shown.
func queueHeading(teams []report.Team, shown report.Team) string {
	switch {
	case shown != "":
		return queueTeamLabel(shown)
	case len(teams) == 1:
		return queueTeamLabel(teams[0])
	}
	return "Reports to handle"
}
