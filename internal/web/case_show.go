package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"candour/internal/authz"
	"candour/internal/casework"
)

// caseFact is one row of a case's facts: a value, optionally a link, and
// optionally a tag after it.
type caseFact struct {
	Key, Value  string
	Href, Link  string
	Tag, Colour string
	// Extra are further links, for example several appeals.
	Extra []caseLink
}

// caseLink is a link with its text.
type caseLink struct{ Href, Text string }

// casePrecondition is one thing that must be true before a case becomes
// formal, with where to go to make it true.
type casePrecondition struct {
	Name, Label, Detail string
	Met                 bool
	Href                string
}

// casePartyRow is one party as the case page lists them.
type casePartyRow struct {
	ID                 int64
	Role, Name, Number string
	Added              string
}

// caseEntryRow is one timeline entry.
type caseEntryRow struct {
	Kind, Date, Title string
	Body              []string
	Author, Added     string
	Shared            bool
	Documents         []caseDocumentRow
}

// caseDocumentRow is one document on the timeline.
type caseDocumentRow struct {
	Href, Name, Size string
}

// caseStageRow is one stage of a formal case's history.
type caseStageRow struct {
	Name, Started, Target, Ended string
	Overdue                      bool
	DaysOver                     int
}

// caseShowView is the data of a case's page.
type caseShowView struct {
	C              casework.Case
	V              caseViewer
	Status, Colour string
	Facts          []caseFact
	// Early concern: what stands between it and formal action.
	Preconditions      []casePrecondition
	PreconditionsShown bool
	MetCount, Total    int
	Parties            []casePartyRow
	PartiesShown       bool
	PartyRoles         []orgChoice
	Entries            []caseEntryRow
	EntryKinds         []orgChoice
	Stages             []caseStageRow
	StageOptions       []orgChoice
	Stage              *casework.Stage
	StageTarget        string
	// What the viewer may do.
	MayManage, MayAddEntry, MayUpload, MayMoveStage bool
	RepNoteOnly                                     bool
	Open                                            bool
	MaxUpload                                       string
	CurrentAdviser, CurrentManager, CurrentRep      string
}

// caseShow shows a case: to its handlers and manager in full, to the
// representative the parts they may see, and to the employee only what has
// been shared with them.
func (s *Server) caseShow(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadCase(w, r)
	if !ok {
		return
	}
	s.renderCase(w, r, http.StatusOK, c, &Form{Values: map[string][]string{}})
}

// caseFields* are the inputs of each form on the case page, for the error
// summary.
var (
	caseEntryFields = caseFields{Order: []string{"kind", "occurred_on", "title", "body", "visible"},
		Dates: map[string]bool{"occurred_on": true}, Fallback: "body"}
	casePartyFields  = caseFields{Order: []string{"party_role", "party_person", "party_user", "party_name"}, Fallback: "party_role"}
	caseStageFields  = caseFields{Order: []string{"stage", "started_on"}, Dates: map[string]bool{"started_on": true}, Fallback: "stage"}
	caseAssignFields = caseFields{Order: []string{"hr_adviser", "manager"}, Fallback: "hr_adviser"}
	caseRepFields    = caseFields{Order: []string{"rep", "rep_requested_on"}, Dates: map[string]bool{"rep_requested_on": true}, Fallback: "rep"}
)

// renderCase shows the case page with f, which holds what was typed into one
// of its forms when that form is shown again with errors.
func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, status int, c casework.Case, f *Form) {
	ctx := r.Context()
	p := authz.PrincipalFrom(ctx)
	handler, err := s.Cases.CanManage(ctx, p, c.ID)
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	v := caseShowView{C: c, V: caseViewerOf(p, c, handler), Open: c.Status != casework.Closed,
		MaxUpload: sizeText(s.Config.MaxUploadBytes), Stage: c.Stage}
	v.Status, v.Colour = caseStatusTag(c.Status)
	v.MayManage = v.V.Handler && v.Open
	// Documents are for those who see the internal record; the employee
	// reads only what is shared with them.
	v.MayUpload = v.Open && !v.V.Employee
	v.Facts = caseFactsOf(c, v.V)
	if c.Stage != nil {
		v.StageTarget = formatDate(c.Stage.TargetOn)
	}

	if !v.V.Employee {
		parties, err := s.Cases.Parties(ctx, p, c.ID)
		if err != nil && !errors.Is(err, casework.ErrNotAllowed) {
			s.caseFailed(w, r, err)
			return
		}
		v.PartiesShown = err == nil
		for _, pt := range parties {
			v.Parties = append(v.Parties, casePartyRow{ID: pt.ID, Role: caseOptionLabel(casework.PartyRoles(), pt.Role),
				Name: pt.Name, Number: pt.EmployeeNumber, Added: shortDate(pt.AddedAt)})
		}
	}
	if v.V.Handler && c.Status == casework.EarlyConcern {
		pre, err := s.Cases.Preconditions(ctx, p, c.ID)
		if err != nil {
			s.caseFailed(w, r, err)
			return
		}
		v.Preconditions = casePreconditionsOf(c, pre)
		v.PreconditionsShown = true
		v.Total = len(pre)
		for _, x := range pre {
			if x.Met {
				v.MetCount++
			}
		}
	}
	if c.Status == casework.Formal && !v.V.Employee {
		stages, err := s.Cases.Stages(ctx, p, c.ID)
		if err != nil {
			s.caseFailed(w, r, err)
			return
		}
		for _, st := range stages {
			v.Stages = append(v.Stages, caseStageRow{Name: st.Name, Started: formatDate(st.StartedOn), Target: formatDate(st.TargetOn),
				Ended: formatDate(st.EndedOn), Overdue: st.Overdue, DaysOver: st.DaysOver})
		}
		if v.V.Handler {
			v.StageOptions, err = s.caseLaterStages(r, c)
			if err != nil {
				s.caseFailed(w, r, err)
				return
			}
			v.MayMoveStage = len(v.StageOptions) > 0
		}
	}
	entries, err := s.Cases.Timeline(ctx, p, c.ID)
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	for _, e := range entries {
		row := caseEntryRow{Kind: casework.EntryKindLabel(e.Kind), Date: formatDate(e.OccurredOn), Title: e.Title,
			Body: paragraphs(e.Body), Author: e.AuthorName, Added: shortDate(e.CreatedAt), Shared: e.VisibleToEmployee}
		for _, d := range e.Documents {
			row.Documents = append(row.Documents, caseDocumentRow{Href: caseHref(c.ID) + "/documents/" + idString(d.ID),
				Name: d.Filename, Size: sizeText(d.Size)})
		}
		v.Entries = append(v.Entries, row)
	}
	if v.Open {
		// The casework package says which entries this person may add: HR
		// every kind, the manager meetings, updates and delays, the
		// representative notes for HR.
		kinds, err := s.Cases.EntryKindsFor(ctx, p, c.ID)
		if err != nil && !errors.Is(err, casework.ErrNotAllowed) {
			s.caseFailed(w, r, err)
			return
		}
		v.MayAddEntry = len(kinds) > 0
		v.RepNoteOnly = len(kinds) == 1 && kinds[0].Value == casework.EntryRepNote
		v.EntryKinds = caseChoices(kinds)
	}
	if v.MayManage {
		v.PartyRoles = caseChoicesPlain(casework.PartyRoles())
		v.CurrentAdviser = s.caseUserEmail(r, c.HRUserID)
		v.CurrentManager = s.caseUserEmail(r, c.ManagerUserID)
		v.CurrentRep = s.caseUserEmail(r, c.RepUserID)
	}
	s.caseFormDefaults(f, v)

	title := caseTitle(c)
	if v.V.Employee {
		title = "Your case " + c.Reference
	}
	s.render(w, r, status, "case_show", &Page{Title: title, Form: f, Data: v, BackLink: caseBackLink(v.V)})
}

// caseBackLink is where the back link of a case's page goes.
func caseBackLink(v caseViewer) string {
	if v.Employee {
		return "/my-cases"
	}
	return "/cases"
}

// caseFormDefaults fills the case page's forms with sensible starting
// values, leaving alone anything the person typed.
func (s *Server) caseFormDefaults(f *Form, v caseShowView) {
	set := func(k, val string) {
		if _, ok := f.Values[k]; !ok {
			f.Values.Set(k, val)
		}
	}
	today, _ := time.Parse("2006-01-02", s.today())
	for _, name := range []string{"occurred_on", "started_on"} {
		set(name+"-day", strconv.Itoa(today.Day()))
		set(name+"-month", strconv.Itoa(int(today.Month())))
		set(name+"-year", strconv.Itoa(today.Year()))
	}
	if v.RepNoteOnly {
		set("kind", casework.EntryRepNote)
	}
	set("hr_adviser", v.CurrentAdviser)
	set("manager", v.CurrentManager)
	if _, ok := f.Values["rep"]; !ok {
		f.Values.Set("rep", v.CurrentRep)
		setDateValues(f.Values, "rep_requested_on", v.C.RepRequestedOn)
	}
}

// caseUserEmail is the email of a user named on a case, for the forms that
// change them; "" when there is none.
func (s *Server) caseUserEmail(r *http.Request, id int64) string {
	if id == 0 {
		return ""
	}
	u, err := s.Accounts.Get(r.Context(), id)
	if err != nil {
		return ""
	}
	return u.Email
}

// caseLaterStages lists the stages a formal case may move on to: those after
// the current one, in order. The domain refuses a jump over a required stage
// with a reason, so every later stage is offered.
func (s *Server) caseLaterStages(r *http.Request, c casework.Case) ([]orgChoice, error) {
	defs, err := s.Cases.StageDefinitions(r.Context(), c.Type)
	if err != nil {
		return nil, err
	}
	after := c.Stage == nil
	var out []orgChoice
	for _, d := range defs {
		if after {
			label := d.Name
			if d.TargetDays > 0 {
				label += " (target " + plural(d.TargetDays, "day", "days") + ")"
			}
			out = append(out, orgChoice{Value: d.Code, Label: label})
		}
		if c.Stage != nil && d.Code == c.Stage.Code {
			after = true
		}
	}
	return out, nil
}

// caseFactsOf lists what is known about a case, for the viewer.
func caseFactsOf(c casework.Case, v caseViewer) []caseFact {
	status, colour := caseStatusTag(c.Status)
	facts := []caseFact{}
	if !v.Employee {
		person := c.PersonName
		var extra []string
		for _, x := range []string{c.EmployeeNumber, c.DepartmentName} {
			if x != "" {
				extra = append(extra, x)
			}
		}
		if len(extra) > 0 {
			person += " (" + strings.Join(extra, ", ") + ")"
		}
		facts = append(facts, caseFact{Key: "Employee", Value: person})
	}
	facts = append(facts, caseFact{Key: "Type of case", Value: casework.TypeLabel(c.Type)}, caseFact{Key: "Status", Tag: status, Colour: colour})
	if c.Status == casework.EarlyConcern {
		facts = append(facts, caseFact{Key: "Opened", Value: formatDate(c.OpenedOn)})
	}
	if c.FormalOn != "" {
		facts = append(facts, caseFact{Key: "Became formal", Value: formatDate(c.FormalOn)})
	}
	if st := c.Stage; st != nil && c.Status == casework.Formal {
		f := caseFact{Key: "Current stage", Value: st.Name + ", started " + formatDate(st.StartedOn) + ", target " + formatDate(st.TargetOn)}
		if st.Overdue {
			f.Tag, f.Colour = plural(st.DaysOver, "day", "days")+" overdue", "red"
		}
		facts = append(facts, f)
	}
	if c.Status == casework.Closed {
		outcome := casework.OutcomeLabel(c.Outcome)
		if c.OutcomeDetail != "" {
			outcome += ": " + c.OutcomeDetail
		}
		facts = append(facts, caseFact{Key: "Closed", Value: formatDate(c.ClosedOn)}, caseFact{Key: "Outcome", Value: outcome})
	}
	if !v.Employee {
		facts = append(facts, caseFact{Key: "Summary", Value: c.Summary})
	}
	facts = append(facts, caseFact{Key: "HR adviser", Value: caseOr(c.HRName, "Not assigned")})
	if !v.Employee {
		facts = append(facts, caseFact{Key: "Manager", Value: caseOr(c.ManagerName, "None named")})
	}
	rep := "None requested"
	if c.RepName != "" {
		rep = c.RepName
		if c.RepRequestedOn != "" {
			rep += ", requested " + formatDate(c.RepRequestedOn)
		}
	}
	facts = append(facts, caseFact{Key: "Trade union representative", Value: rep})
	if !v.Employee {
		if c.ReportReference != "" {
			facts = append(facts, caseFact{Key: "Patient safety event", Value: c.ReportReference})
		}
		if c.AssessmentID != 0 {
			facts = append(facts, caseFact{Key: "Just culture assessment", Href: assessmentHref(c.AssessmentID), Link: "Assessment " + idString(c.AssessmentID)})
		}
		facts = append(facts, caseFact{Key: "Employee can read what is shared", Value: caseYesNo(c.EmployeeAccess)})
	}
	if c.AppealOf.ID != 0 {
		facts = append(facts, caseFact{Key: "Appeal of", Href: caseHref(c.AppealOf.ID), Link: c.AppealOf.Reference})
	}
	if len(c.Appeals) > 0 {
		f := caseFact{Key: "Appeals"}
		for _, a := range c.Appeals {
			f.Extra = append(f.Extra, caseLink{Href: caseHref(a.ID), Text: a.Reference + " (" + casework.StatusLabel(a.Status) + ")"})
		}
		facts = append(facts, f)
	}
	if sp := c.Suspension; sp != nil && !v.Employee {
		label := caseOr(caseOptionLabel(casework.SuspensionKinds(), sp.Kind), "Suspension")
		f := caseFact{Key: label, Href: "/suspensions/" + idString(sp.ID), Link: label + " since " + formatDate(sp.StartsOn) + ", review by " + formatDate(sp.ReviewOn)}
		if sp.ReviewOverdue {
			f.Tag, f.Colour = "Review overdue", "red"
		}
		facts = append(facts, f)
	}
	return facts
}

// casePreconditionsOf links each precondition to the place it is met.
func casePreconditionsOf(c casework.Case, pre []casework.Precondition) []casePrecondition {
	checklist := caseHref(c.ID) + "/checklist"
	out := make([]casePrecondition, 0, len(pre))
	for _, x := range pre {
		row := casePrecondition{Name: x.Name, Label: x.Label, Detail: x.Detail, Met: x.Met}
		switch x.Name {
		case "facts_gathered":
			row.Href = checklist + "#facts_gathered"
		case "employee_account_heard":
			row.Href = checklist + "#employee_account_heard"
		case "allegations_framed":
			row.Href = checklist + "#allegations"
		case "alternatives_considered":
			row.Href = checklist + "#alternatives_considered"
		case "conflicts_declared":
			row.Href = checklist + "#investigator_conflicts"
		case "wellbeing_contact_named":
			row.Href = checklist + "#wellbeing_contact"
		case "union_rep_offered":
			row.Href = checklist + "#union_rep_offered"
		case "investigator_named", "decision_maker_named":
			row.Href = caseHref(c.ID) + "#parties"
		case "just_culture_assessment":
			row.Href = "/assessments"
			if c.AssessmentID != 0 {
				row.Href = assessmentHref(c.AssessmentID)
			} else if c.ReportReference != "" {
				row.Href = "/assessments/new?report=" + urlQueryEscape(c.ReportReference)
			}
		case "second_signoff":
			row.Href = caseHref(c.ID) + "/formal#signoff"
		default:
			row.Href = checklist
		}
		out = append(out, row)
	}
	return out
}
