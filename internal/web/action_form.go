package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"candour/internal/actions"
	"candour/internal/authz"
	"candour/internal/validate"
)

// actionFormView is the data of the page that adds or edits an action.
type actionFormView struct {
	// Action is the action being edited; zero when adding one.
	Action actions.Action
	Owners []handlingOption
	Post   string
	Submit string
}

// actionFields are the form's inputs in page order, for the error summary.
var actionFields = []string{"title", "description", "owner", "due_on", "report", "response", "status", "evidence", "reason"}

func sortActionErrors(errs validate.Errors) validate.Errors {
	order := func(field string) int {
		if i := slices.Index(actionFields, field); i >= 0 {
			return i
		}
		return len(actionFields)
	}
	slices.SortStableFunc(errs, func(a, b validate.FieldError) int { return order(a.Field) - order(b.Field) })
	return errs
}

// actionDue reads the due date's day, month and year boxes as YYYY-MM-DD,
// or "" with an error when they do not make a date.
func actionDue(f *Form) (string, bool) {
	d, m, y := strings.TrimSpace(f.Get("due_on-day")), strings.TrimSpace(f.Get("due_on-month")), strings.TrimSpace(f.Get("due_on-year"))
	if d == "" && m == "" && y == "" {
		return "", true
	}
	dn, err1 := strconv.Atoi(d)
	mn, err2 := strconv.Atoi(m)
	yn, err3 := strconv.Atoi(y)
	if err1 != nil || err2 != nil || err3 != nil || len(y) != 4 {
		f.Errors.Add("due_on", "The due date must be a real date, with a day, month and four-digit year, for example 27 3 2026")
		return "", false
	}
	t := time.Date(yn, time.Month(mn), dn, 0, 0, 0, 0, time.UTC)
	if t.Day() != dn || int(t.Month()) != mn {
		f.Errors.Add("due_on", "The due date must be a real date, for example 27 3 2026")
		return "", false
	}
	return t.Format("2006-01-02"), true
}

// setDue fills the due date boxes from YYYY-MM-DD.
func setDue(f *Form, due string) {
	t, err := time.Parse("2006-01-02", due)
	if err != nil {
		return
	}
	f.Values.Set("due_on-day", strconv.Itoa(t.Day()))
	f.Values.Set("due_on-month", strconv.Itoa(int(t.Month())))
	f.Values.Set("due_on-year", strconv.Itoa(t.Year()))
}

// actionNew shows the form that adds an action. ?report= and ?response=
// (id or reference) link it to a safety event and a learning response.
func (s *Server) actionNew(w http.ResponseWriter, r *http.Request) {
	f := &Form{Values: url.Values{}}
	ctx := r.Context()
	if v := queryText(r.URL.Query().Get("report")); v != "" {
		f.Values.Set("report", v)
		if l, err := s.Actions.FindReport(ctx, v); err == nil {
			f.Values.Set("report", l.Reference)
		}
	}
	if v := queryText(r.URL.Query().Get("response")); v != "" {
		f.Values.Set("response", v)
		if l, err := s.Actions.FindResponse(ctx, v); err == nil {
			f.Values.Set("response", l.Reference)
		}
	}
	s.renderActionForm(w, r, http.StatusOK, f, actions.Action{})
}

// renderActionForm shows the add or edit form.
func (s *Server) renderActionForm(w http.ResponseWriter, r *http.Request, status int, f *Form, a actions.Action) {
	owners, err := s.Actions.Owners(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := actionFormView{Action: a, Post: "/actions", Submit: "Add the action"}
	title, back := "Add an improvement action", "/actions"
	if a.ID != 0 {
		v.Post, v.Submit = "/actions/"+idString(a.ID), "Save the changes"
		title, back = "Change the action", "/actions/"+idString(a.ID)
	}
	for _, o := range owners {
		v.Owners = append(v.Owners, handlingOption{Value: idString(o.ID), Label: o.Name + " (" + o.Email + ")"})
	}
	f.Errors = sortActionErrors(f.Errors)
	s.render(w, r, status, "action_form", &Page{Title: title, Form: f, Data: v, BackLink: back})
}

// actionCreate adds an action and tells its owner.
func (s *Server) actionCreate(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("title", err.Error())
		s.renderActionForm(w, r, http.StatusBadRequest, f, actions.Action{})
		return
	}
	due, ok := actionDue(f)
	if !ok {
		s.renderActionForm(w, r, http.StatusUnprocessableEntity, f, actions.Action{})
		return
	}
	a, err := s.Actions.Create(r.Context(), authz.PrincipalFrom(r.Context()), actions.Input{
		Title: f.Get("title"), Description: f.Get("description"), OwnerID: f.Int64("owner"), DueOn: due,
		Report: f.Get("report"), Response: f.Get("response")})
	if fe, ok := validate.As(err); ok {
		f.Errors = fe
		s.renderActionForm(w, r, http.StatusUnprocessableEntity, f, actions.Action{})
		return
	}
	if err != nil {
		s.actionFailed(w, r, err)
		return
	}
	s.redirect(w, r, "/actions/"+idString(a.ID), "Action added. "+a.OwnerName+" owns it and has been told")
}

// actionEdit shows the form that changes an action's details.
func (s *Server) actionEdit(w http.ResponseWriter, r *http.Request) {
	a, ok := s.actionFor(w, r)
	if !ok {
		return
	}
	f := &Form{Values: url.Values{}}
	f.Values.Set("title", a.Title)
	f.Values.Set("description", a.Description)
	f.Values.Set("owner", idString(a.OwnerID))
	f.Values.Set("report", a.Report.Reference)
	f.Values.Set("response", a.Response.Reference)
	setDue(f, a.DueOn)
	s.renderActionForm(w, r, http.StatusOK, f, a)
}

// actionUpdate saves the details of an action.
func (s *Server) actionUpdate(w http.ResponseWriter, r *http.Request) {
	a, ok := s.actionFor(w, r)
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("title", err.Error())
		s.renderActionForm(w, r, http.StatusBadRequest, f, a)
		return
	}
	due, ok := actionDue(f)
	if !ok {
		s.renderActionForm(w, r, http.StatusUnprocessableEntity, f, a)
		return
	}
	title, desc, rep, resp := f.Get("title"), f.Get("description"), f.Get("report"), f.Get("response")
	owner := f.Int64("owner")
	_, err = s.Actions.Update(r.Context(), authz.PrincipalFrom(r.Context()), a.ID, actions.Change{
		Title: &title, Description: &desc, OwnerID: &owner, DueOn: &due, Report: &rep, Response: &resp})
	if fe, ok := validate.As(err); ok {
		f.Errors = fe
		s.renderActionForm(w, r, http.StatusUnprocessableEntity, f, a)
		return
	}
	if err != nil {
		s.actionFailed(w, r, err)
		return
	}
	s.redirect(w, r, "/actions/"+idString(a.ID), "Action updated")
}

// actionFor loads the action named in the path, answering not found itself.
func (s *Server) actionFor(w http.ResponseWriter, r *http.Request) (actions.Action, bool) {
	n, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return actions.Action{}, false
	}
	a, err := s.Actions.Get(r.Context(), authz.PrincipalFrom(r.Context()), n)
	if err != nil {
		s.actionFailed(w, r, err)
		return actions.Action{}, false
	}
	return a, true
}

// actionFailed answers the errors every action page shares.
func (s *Server) actionFailed(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, actions.ErrNotAllowed):
		s.notFound(w, r)
	case errors.Is(err, actions.ErrSafetyOnly):
		s.render(w, r, http.StatusForbidden, "forbidden", &Page{Title: "You do not have access to this page"})
	default:
		s.serverError(w, r, err)
	}
}
