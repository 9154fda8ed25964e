package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"candour/internal/actions"
	"candour/internal/authz"
	"candour/internal/validate"
)

// actionLine is one line of a summary value, a link when Href is set.
type actionLine struct{ Text, Href string }

// actionSummaryRow is one row of the action's summary list.
type actionSummaryRow struct {
	Key            string
	Tag, TagColour string
	Lines          []actionLine
	// Href is the row's change link, for the safety team.
	Href string
}

// actionView is the data of an action's page.
type actionView struct {
	A           actions.Action
	Manage      bool
	Overdue     bool
	OverdueText string
	Due         string
	StatusLower string
	Rows        []actionSummaryRow
	// Statuses are the ones the viewer may choose; none when they may not
	// change the status at all.
	Statuses []orgChoice
}

// actionShow shows one action to the safety team or its owner, with the
// form that moves it on.
func (s *Server) actionShow(w http.ResponseWriter, r *http.Request) {
	a, ok := s.actionFor(w, r)
	if !ok {
		return
	}
	f := &Form{Values: url.Values{}}
	f.Values.Set("status", string(a.Status))
	f.Values.Set("evidence", a.Evidence)
	s.renderAction(w, r, http.StatusOK, f, a)
}

func (s *Server) renderAction(w http.ResponseWriter, r *http.Request, status int, f *Form, a actions.Action) {
	p := authz.PrincipalFrom(r.Context())
	today := s.Actions.Today()
	v := actionView{A: a, Manage: actions.CanManage(p), Overdue: a.Overdue(today), OverdueText: actionRowOf(a, today).OverdueText,
		Due: actions.FormatDate(a.DueOn), StatusLower: strings.ToLower(a.Status.Label())}
	v.Rows = actionSummary(a, v.Manage)
	if v.Manage || a.Status.Active() {
		for _, o := range actions.Statuses() {
			st := actions.Status(o.Value)
			if st == actions.Cancelled && !v.Manage {
				continue
			}
			c := orgChoice{Value: o.Value, Label: o.Label}
			switch st {
			case actions.Done:
				c.Hint = "Give the evidence of completion below"
			case actions.Cancelled:
				c.Hint = "Give the reason for cancelling below"
			}
			v.Statuses = append(v.Statuses, c)
		}
	}
	f.Errors = sortActionErrors(f.Errors)
	s.render(w, r, status, "action", &Page{Title: a.Title, Form: f, Data: v, BackLink: "/actions"})
}

// actionStatus moves an action on: the owner between open, in progress and
// done with evidence; the safety team also cancels, with a reason, and
// reopens.
func (s *Server) actionStatus(w http.ResponseWriter, r *http.Request) {
	a, ok := s.actionFor(w, r)
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("status", err.Error())
		s.renderAction(w, r, http.StatusBadRequest, f, a)
		return
	}
	st := actions.Status(f.Get("status"))
	if st == "" {
		f.Errors.Add("status", "Choose the status of the action")
		s.renderAction(w, r, http.StatusUnprocessableEntity, f, a)
		return
	}
	c := actions.Change{Status: &st, Reason: f.Get("reason")}
	if st != actions.Cancelled {
		ev := f.Get("evidence")
		c.Evidence = &ev
	}
	updated, err := s.Actions.Update(r.Context(), authz.PrincipalFrom(r.Context()), a.ID, c)
	if fe, ok := validate.As(err); ok {
		f.Errors = fe
		s.renderAction(w, r, http.StatusUnprocessableEntity, f, a)
		return
	}
	if err != nil {
		s.actionFailed(w, r, err)
		return
	}
	msg := "Action updated"
	switch {
	case updated.Status == actions.Done && a.Status != actions.Done:
		msg = "Action marked as done. Thank you"
	case updated.Status == actions.Cancelled && a.Status != actions.Cancelled:
		msg = "Action cancelled"
	}
	s.redirect(w, r, "/actions/"+idString(a.ID), msg)
}

// actionTime formats an instant as a person in England reads it.
func actionTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(london()).Format("2 January 2006 at 15:04")
}

// lines splits free text into its lines, so that line breaks typed survive.
func lines(text string) []actionLine {
	var out []actionLine
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, actionLine{Text: l})
		}
	}
	return out
}

// actionSummary lists what the page shows about a; the safety team gets
// change links.
func actionSummary(a actions.Action, manage bool) []actionSummaryRow {
	edit := ""
	if manage {
		edit = "/actions/" + idString(a.ID) + "/edit"
	}
	status := actionSummaryRow{Key: "Status", Tag: a.Status.Label(), TagColour: actionStatusTag(a.Status)}
	if !a.CompletedAt.IsZero() {
		status.Lines = []actionLine{{Text: "Since " + actionTime(a.CompletedAt)}}
	}
	from := actionSummaryRow{Key: "From", Href: edit}
	if a.Report.ID != 0 {
		l := actionLine{Text: "Patient safety event " + a.Report.Reference}
		if manage {
			l.Href = "/reports/" + idString(a.Report.ID)
		}
		from.Lines = append(from.Lines, l)
	}
	if a.Response.ID != 0 {
		from.Lines = append(from.Lines, actionLine{Text: "Learning response " + a.Response.Reference})
	}
	if len(from.Lines) == 0 {
		from.Lines = []actionLine{{Text: "Not linked to an event or a learning response"}}
	}
	desc := lines(a.Description)
	if len(desc) == 0 {
		desc = []actionLine{{Text: "Not given"}}
	}
	rows := []actionSummaryRow{
		status,
		{Key: "Owner", Lines: []actionLine{{Text: a.OwnerName}}, Href: edit},
		{Key: "Due date", Lines: []actionLine{{Text: actions.FormatDate(a.DueOn)}}, Href: edit},
		{Key: "What will change", Lines: desc, Href: edit},
		from,
	}
	if a.Status == actions.Cancelled {
		rows = append(rows, actionSummaryRow{Key: "Reason for cancelling", Lines: lines(a.CancelReason)})
	} else {
		ev := lines(a.Evidence)
		if len(ev) == 0 {
			ev = []actionLine{{Text: "None recorded yet"}}
		}
		rows = append(rows, actionSummaryRow{Key: "Evidence of completion", Lines: ev})
	}
	return append(rows, actionSummaryRow{Key: "Added", Lines: []actionLine{{Text: actionTime(a.CreatedAt) + " by " + a.CreatorName}}})
}
