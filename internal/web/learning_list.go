package web

import (
	"net/http"
	"net/url"
	"strings"

	"candour/internal/authz"
	"candour/internal/learning"
	"candour/internal/validate"
)

// learningRow is one response in the list.
type learningRow struct {
	Href, Reference, Title, Method, Status, StatusTag, Owner, Target string
	Events                                                           []string
	// Overdue is "target" or "alert" for an open response past its dates.
	Overdue string
}

// learningListView is the data of the list of responses.
type learningListView struct {
	Rows      []learningRow
	Statuses  []orgChoice
	Methods   []orgChoice
	Filtered  bool
	CanCreate bool
}

// learningList lists the responses the user may read, by status and method,
// with tags for those past their target or alert dates.
func (s *Server) learningList(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	q := r.URL.Query()
	f := &Form{Values: url.Values{}}
	filter := learning.Filter{}
	if st := queryText(q.Get("status")); st != "" {
		f.Values.Set("status", st)
		if learning.ValidStatus(learning.Status(st)) {
			filter.Status = learning.Status(st)
		} else {
			f.Errors.Add("status", "Choose a status from the list")
		}
	}
	if m := queryText(q.Get("method")); m != "" {
		f.Values.Set("method", m)
		if learning.ValidMethod(learning.Method(m)) {
			filter.Method = learning.Method(m)
		} else {
			f.Errors.Add("method", "Choose a method from the list")
		}
	}
	status := http.StatusOK
	var rs []learning.Response
	var err error
	if len(f.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	} else if rs, err = s.Learning.List(r.Context(), p, filter); err != nil {
		s.serverError(w, r, err)
		return
	}
	v := learningListView{Statuses: learningOptions(learning.Statuses(), false), Methods: learningOptions(learning.Methods(), false),
		Filtered: filter.Status != "" || filter.Method != "", CanCreate: p.Has(authz.Safety)}
	today := s.Learning.Today()
	for _, resp := range rs {
		row := learningRow{Href: learningHref(resp.ID), Reference: resp.Reference, Title: resp.Title, Method: learning.MethodLabel(resp.Method),
			Status: learning.StatusLabel(resp.Status), StatusTag: learningStatusTag(resp.Status), Owner: resp.OwnerName,
			Overdue: resp.Overdue(today)}
		if resp.TargetDate != "" {
			row.Target = formatDate(resp.TargetDate)
		}
		for _, e := range resp.Events {
			row.Events = append(row.Events, e.Reference)
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, status, "learning_list", &Page{Title: "Learning responses", Form: f, Data: v, Errors: f.Errors})
}

// learningNewView is the data of the page that opens a response.
type learningNewView struct {
	Methods []orgChoice
	Owners  []orgChoice
	Prompts []learningPromptView
}

// learningNew shows the form that opens a response. It is also where "Start
// a learning response" from an event leads: ?report= fills in the event and
// ?method= the method.
func (s *Server) learningNew(w http.ResponseWriter, r *http.Request) {
	f := &Form{Values: url.Values{}}
	if ref := queryText(r.URL.Query().Get("report")); ref != "" {
		f.Values.Set("reports", strings.ToUpper(ref))
	}
	if m := queryText(r.URL.Query().Get("method")); learning.ValidMethod(learning.Method(m)) {
		f.Values.Set("method", m)
	}
	f.Values.Set("owner", idString(authz.PrincipalFrom(r.Context()).UserID))
	s.renderLearningNew(w, r, http.StatusOK, f, nil)
}

// renderLearningNew shows the open form with f and any blame prompts.
func (s *Server) renderLearningNew(w http.ResponseWriter, r *http.Request, status int, f *Form, prompts []learning.Prompt) {
	owners, err := s.Learning.Owners(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := learningNewView{Methods: learningOptions(learning.Methods(), true), Prompts: learningPrompts(prompts)}
	me := authz.PrincipalFrom(r.Context()).UserID
	for _, o := range owners {
		label := o.Name
		if o.UserID == me {
			label += " (you)"
		}
		v.Owners = append(v.Owners, orgChoice{Value: idString(o.UserID), Label: label})
	}
	s.render(w, r, status, "learning_new", &Page{Title: "Start a learning response", Form: f, Data: v, BackLink: "/learning"})
}

// learningNewFields are the open form's inputs in page order.
var learningNewFields = []string{"method", "reports", "title", "owner"}

// learningCreate opens a response and goes to its page.
func (s *Server) learningCreate(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("method", err.Error())
		s.renderLearningNew(w, r, http.StatusBadRequest, f, nil)
		return
	}
	in := learning.OpenInput{Method: learning.Method(f.Get("method")), Title: f.Get("title"), References: learningRefs(f.Get("reports")),
		OwnerUserID: f.Int64("owner"), Confirmed: f.Get("new_confirm") == "yes"}
	resp, _, err := s.Learning.Open(r.Context(), authz.PrincipalFrom(r.Context()), in)
	var pe *learning.PromptsError
	switch {
	case asPrompts(err, &pe):
		s.renderLearningNew(w, r, http.StatusOK, f, pe.Prompts)
		return
	case err != nil:
		if errs, ok := validate.As(err); ok {
			f.Errors = learningSorted(learningErrors(errs), learningNewFields)
			s.renderLearningNew(w, r, http.StatusUnprocessableEntity, f, nil)
			return
		}
		s.learningFailed(w, r, err)
		return
	}
	s.redirect(w, r, learningHref(resp.ID), "Learning response "+resp.Reference+" has started")
}

// learningSorted orders problems as the inputs appear on the page.
func learningSorted(errs validate.Errors, order []string) validate.Errors {
	pos := func(field string) int {
		for i, f := range order {
			if f == field || strings.HasPrefix(field, f+"-") {
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
