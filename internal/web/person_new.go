package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"candour/internal/org"
	"candour/internal/store"
	"candour/internal/validate"
)

// personFormView is the data of the person form.
type personFormView struct {
	// ID is the person being changed, or zero for a new one.
	ID          int64
	Departments []org.Option
	StaffGroups []org.Option
	EthnicGroup []org.Option
	Disability  []orgChoice
}

// personNew shows the form to add a person.
func (s *Server) personNew(w http.ResponseWriter, r *http.Request) {
	s.renderPersonForm(w, r, http.StatusOK, &Form{}, 0)
}

func (s *Server) renderPersonForm(w http.ResponseWriter, r *http.Request, status int, f *Form, id int64) {
	deps, groups, err := s.directoryOptions(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := personFormView{
		ID:          id,
		Departments: deps,
		StaffGroups: groups,
		EthnicGroup: org.EthnicGroups(),
		Disability:  append([]orgChoice{{Value: "", Label: org.NotKnown}}, orgChoices(org.DisabilityOptions())...),
	}
	title, back := "Add a person", "/people"
	if id != 0 {
		title, back = "Change a person's details", "/people/"+idString(id)
	}
	s.render(w, r, status, "person_form", &Page{Title: title, Form: f, Data: v, BackLink: back})
}

// directoryOptions lists the departments (with their sites) and the staff
// groups, for select boxes.
func (s *Server) directoryOptions(ctx context.Context) (deps, groups []org.Option, err error) {
	ds, err := s.Org.Departments(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, d := range ds {
		deps = append(deps, org.Option{Value: idString(d.ID), Label: d.Name + " (" + d.SiteName + ")"})
	}
	gs, err := s.Org.StaffGroups(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, g := range gs {
		groups = append(groups, org.Option{Value: g.Code, Label: g.Name})
	}
	return deps, groups, nil
}

// personFields are the person form's inputs in page order, by the domain's
// field names.
var personFields = []string{"employee_number", "name", "email", "department_id", "staff_group", "job_title",
	"line_manager", "start_date", "leave_date", "ethnic_group", "disability"}

// personFieldID is the id of the input for a domain field name: date inputs
// are linked through their day field.
func personFieldID(field string) string {
	switch field {
	case "start_date", "leave_date":
		return field + "-day"
	}
	return field
}

// notADate is passed to the domain in place of a date the form could not
// read, so that the save fails and every other problem is reported too.
const notADate = "not-a-date"

// personFromForm reads the person typed into the form. problems holds what
// the form itself found wrong, by domain field name; for each of those the
// person carries a value the domain will refuse, so that it cannot be saved.
func (s *Server) personFromForm(ctx context.Context, f *Form, id int64) (p org.Person, problems map[string]string, err error) {
	problems = map[string]string{}
	p = org.Person{
		ID:             id,
		EmployeeNumber: f.Get("employee_number"),
		Name:           f.Get("name"),
		Email:          f.Get("email"),
		DepartmentID:   f.Int64("department_id"),
		// Not UTF-8 would be a database error rather than "not in the list".
		StaffGroup:  strings.ToValidUTF8(f.Get("staff_group"), "\uFFFD"),
		JobTitle:    f.Get("job_title"),
		EthnicGroup: f.Get("ethnic_group"),
		Disability:  f.Get("disability"),
	}
	for _, d := range []struct {
		field, label string
		to           *string
	}{{"start_date", "Start date", &p.StartDate}, {"leave_date", "Leave date", &p.LeaveDate}} {
		v, problem := formDate(f, d.field, d.label)
		if problem != "" {
			problems[d.field] = problem
			v = notADate
		}
		*d.to = v
	}
	if number := queryText(f.Get("line_manager")); number != "" {
		m, err := s.Org.PersonByEmployeeNumber(ctx, number)
		switch {
		case errors.Is(err, store.ErrNotFound):
			problems["line_manager"] = "There is nobody with employee number " + number + ". Check the line manager's employee number, or leave it blank"
			p.LineManagerID = -1
		case err != nil:
			return p, nil, err
		default:
			p.LineManagerID = m.ID
		}
	}
	return p, problems, nil
}

// personFormErrors turns the domain's problems into form errors linked to
// the inputs, in page order, preferring the form's own message for a field.
func personFormErrors(errs validate.Errors, problems map[string]string) validate.Errors {
	var out validate.Errors
	seen := map[string]bool{}
	for _, e := range errs {
		if seen[e.Field] {
			continue
		}
		seen[e.Field] = true
		msg := e.Message
		if p, ok := problems[e.Field]; ok {
			msg = p
		}
		out.Add(e.Field, msg)
	}
	for field, msg := range problems {
		if !seen[field] {
			out.Add(field, msg)
		}
	}
	order := func(field string) int {
		if i := slices.Index(personFields, field); i >= 0 {
			return i
		}
		return len(personFields)
	}
	slices.SortStableFunc(out, func(a, b validate.FieldError) int { return order(a.Field) - order(b.Field) })
	for i := range out {
		out[i].Field = personFieldID(out[i].Field)
	}
	return out
}

// personFormValues fills the form with a stored person; manager is the line
// manager's employee number.
func personFormValues(p org.Person, manager string) url.Values {
	v := url.Values{
		"employee_number": {p.EmployeeNumber},
		"name":            {p.Name},
		"email":           {p.Email},
		"department_id":   {idString(p.DepartmentID)},
		"staff_group":     {p.StaffGroup},
		"job_title":       {p.JobTitle},
		"line_manager":    {manager},
		"ethnic_group":    {p.EthnicGroup},
		"disability":      {p.Disability},
	}
	setDateValues(v, "start_date", p.StartDate)
	setDateValues(v, "leave_date", p.LeaveDate)
	return v
}

// setDateValues splits a YYYY-MM-DD date into the name-day, name-month and
// name-year fields of a date input.
func setDateValues(v url.Values, name, date string) {
	t, err := time.Parse(store.DateLayout, date)
	if err != nil {
		return
	}
	v.Set(name+"-day", strconv.Itoa(t.Day()))
	v.Set(name+"-month", strconv.Itoa(int(t.Month())))
	v.Set(name+"-year", strconv.Itoa(t.Year()))
}

// formDate reads the day, month and year fields of the date input called
// name and returns the date as YYYY-MM-DD, or "" when all three are blank.
// problem says what is wrong when they do not make a real date.
func formDate(f *Form, name, label string) (date, problem string) {
	date, problem, _ = formDatePart(f, name, label)
	return date, problem
}

// formDatePart is formDate that also says which part is at fault ("day",
// "month" or "year"; "day" when it is the date as a whole), for a form
// that marks and links to that part alone, as the NHS date input pattern
// asks.
func formDatePart(f *Form, name, label string) (date, problem, part string) {
	parts := []struct{ what, value string }{
		{"day", strings.TrimSpace(f.Get(name + "-day"))},
		{"month", strings.TrimSpace(f.Get(name + "-month"))},
		{"year", strings.TrimSpace(f.Get(name + "-year"))},
	}
	var missing []string
	for _, p := range parts {
		if p.value == "" {
			missing = append(missing, p.what)
		}
	}
	switch len(missing) {
	case 3:
		return "", "", ""
	case 2:
		return "", label + " must include a " + missing[0] + " and a " + missing[1], "day" // two parts: the whole date
	case 1:
		return "", label + " must include a " + missing[0], missing[0]
	}
	n := [3]int{}
	for i, p := range parts {
		v, err := strconv.Atoi(p.value)
		if err != nil || v < 0 || strings.ContainsAny(p.value, "+-") {
			return "", label + " must be a real date", p.what
		}
		n[i] = v
	}
	day, month, year := n[0], n[1], n[2]
	if len(parts[2].value) != 4 {
		return "", label + " must have a year with 4 numbers", "year"
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day || int(t.Month()) != month || t.Year() != year {
		if month < 1 || month > 12 {
			return "", label + " must be a real date", "month"
		}
		return "", label + " must be a real date", "day"
	}
	if year < 1900 || year > 2200 {
		return "", label + " must be between 1900 and 2200", "year"
	}
	return t.Format(store.DateLayout), "", ""
}
