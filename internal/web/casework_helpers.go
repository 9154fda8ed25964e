package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/validate"
)

// This file holds what the casework pages share: links, labels, tags, the
// mapping of domain errors onto the page's inputs, and the one place that
// turns a casework error into an answer.

// caseHref is a case's page.
func caseHref(id int64) string { return "/cases/" + idString(id) }

// caseFailed answers a casework error that is not about what was typed. A
// case the caller may not see is answered as one that does not exist, so
// that probing case numbers reveals nothing.
func (s *Server) caseFailed(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, casework.ErrNotAllowed) {
		s.notFound(w, r)
		return
	}
	s.serverError(w, r, err)
}

// caseConflict is the message for a change a case's state refuses, and
// whether err is such a refusal.
func caseConflict(err error) (string, bool) {
	switch {
	case errors.Is(err, casework.ErrClosed):
		return "This case is closed, so it cannot be changed", true
	case errors.Is(err, casework.ErrNotFormal):
		return "This case is still an early concern. It must become formal before it can move between stages", true
	case errors.Is(err, casework.ErrAlreadyFormal):
		return "This case is already formal", true
	}
	return "", false
}

// caseStatusTag is the text and NHS tag colour of a case's status.
func caseStatusTag(st casework.Status) (string, string) {
	switch st {
	case casework.EarlyConcern:
		return casework.StatusLabel(st), "blue"
	case casework.Formal:
		return casework.StatusLabel(st), "orange"
	case casework.Closed:
		return casework.StatusLabel(st), "grey"
	}
	return casework.StatusLabel(st), "white"
}

// caseChoices turns casework options into radio, checkbox or select items.
func caseChoices(opts []casework.Option) []orgChoice {
	out := make([]orgChoice, 0, len(opts))
	for _, o := range opts {
		out = append(out, orgChoice{Value: o.Value, Label: o.Label, Hint: o.Hint})
	}
	return out
}

// caseChoicesPlain is caseChoices without the hints, for selects and for
// short lists where hints would crowd the page.
func caseChoicesPlain(opts []casework.Option) []orgChoice {
	out := caseChoices(opts)
	for i := range out {
		out[i].Hint = ""
	}
	return out
}

// caseOptionLabel is the label of value among opts, or value itself.
func caseOptionLabel(opts []casework.Option, value string) string {
	for _, o := range opts {
		if o.Value == value {
			return o.Label
		}
	}
	return value
}

// caseFields describes one form for error mapping: the inputs in page order
// (for the error summary), the date inputs (whose problems point at the day
// box) and where a problem with a field the page does not show should point.
type caseFields struct {
	Order    []string
	Dates    map[string]bool
	Fallback string
}

// inputID is the input a domain field's problem points at.
func (cf caseFields) inputID(field string) string {
	if cf.Dates[field] {
		return field + "-day"
	}
	for _, o := range cf.Order {
		if o == field {
			return field
		}
	}
	for d := range cf.Dates {
		if d+"-day" == field {
			return field
		}
	}
	return cf.Fallback
}

// errors points domain problems at the page's inputs, in page order, so
// that each link in the error summary moves focus to the right place.
func (cf caseFields) errors(errs validate.Errors) validate.Errors {
	out := make(validate.Errors, 0, len(errs))
	for _, e := range errs {
		out = append(out, validate.FieldError{Field: cf.inputID(e.Field), Message: e.Message})
	}
	pos := func(f string) int {
		f = strings.TrimSuffix(f, "-day")
		for i, o := range cf.Order {
			if o == f {
				return i
			}
		}
		return len(cf.Order)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && pos(out[j].Field) < pos(out[j-1].Field); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// caseFormDate reads the date input name into errs (problems point at its
// day box) and returns it as YYYY-MM-DD, or "" when left empty.
func caseFormDate(errs *validate.Errors, f *Form, name, label string, required bool) string {
	d, problem := formDate(f, name, label)
	switch {
	case problem != "":
		errs.Add(name+"-day", problem)
	case d == "" && required:
		errs.Add(name+"-day", "Enter "+strings.ToLower(label[:1])+label[1:]+", for example 27 3 2026")
	}
	return d
}

// caseViewer is how the signed-in person stands to a case, worked out from
// the case the domain let them read: the domain has already refused anyone
// who is none of these.
type caseViewer struct {
	Handler, Manager, Rep, Employee bool
}

func caseViewerOf(p *authz.Principal, c casework.Case, handler bool) caseViewer {
	v := caseViewer{Handler: handler}
	if p == nil {
		return v
	}
	v.Manager = c.ManagerUserID != 0 && c.ManagerUserID == p.UserID
	v.Rep = c.RepUserID != 0 && c.RepUserID == p.UserID && p.Has(authz.UnionRep)
	v.Employee = !v.Handler && !v.Manager && !v.Rep
	return v
}

// loadCase reads the case named by {id} (the read is audited), answering
// the request itself when ok is false.
func (s *Server) loadCase(w http.ResponseWriter, r *http.Request) (casework.Case, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return casework.Case{}, false
	}
	c, err := s.Cases.Get(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.caseFailed(w, r, err)
		return c, false
	}
	return c, true
}

// caseTitle names a case for headings: its reference and type.
func caseTitle(c casework.Case) string {
	return c.Reference + ": " + casework.TypeLabel(c.Type)
}

// caseYesNo is "Yes" or "No".
func caseYesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// caseOr is s, or otherwise when s is empty.
func caseOr(s, otherwise string) string {
	if strings.TrimSpace(s) == "" {
		return otherwise
	}
	return s
}

// caseFormFailed answers err from a change made through one of the case
// page's forms, and reports whether it did: problems with what was typed
// show the page again with the error summary and the typing kept; a change
// the case's state refuses shows the reason against the form; anything else
// is not found or a server error.
func (s *Server) caseFormFailed(w http.ResponseWriter, r *http.Request, c casework.Case, f *Form, cf caseFields, err error) bool {
	if err == nil {
		return false
	}
	if errs, ok := validate.As(err); ok {
		f.Errors = cf.errors(errs)
		s.renderCase(w, r, http.StatusUnprocessableEntity, c, f)
		return true
	}
	if msg, ok := caseConflict(err); ok {
		f.Errors = validate.Errors{{Field: cf.Fallback, Message: msg}}
		s.renderCase(w, r, http.StatusConflict, c, f)
		return true
	}
	s.caseFailed(w, r, err)
	return true
}

// caseFormRead reads a case page form, showing the page again when the
// body cannot be read at all.
func (s *Server) caseFormRead(w http.ResponseWriter, r *http.Request, c casework.Case, cf caseFields) (*Form, bool) {
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add(cf.Fallback, err.Error())
		s.renderCase(w, r, http.StatusBadRequest, c, f)
		return f, false
	}
	return f, true
}

// caseRenameFields renames the fields of a validation error to the page's
// input names (forms that share a page prefix their inputs); other errors
// pass through.
func caseRenameFields(err error, names map[string]string) error {
	errs, ok := validate.As(err)
	if !ok {
		return err
	}
	return caseRename(errs, names)
}

// caseRename renames fields named in names.
func caseRename(errs validate.Errors, names map[string]string) validate.Errors {
	out := make(validate.Errors, len(errs))
	for i, e := range errs {
		if n, ok := names[e.Field]; ok {
			e.Field = n
		}
		out[i] = e
	}
	return out
}

// caseDatetime is a moment as people read it, in UK time; "" for none.
func caseDatetime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(london()).Format("2 January 2006 at 15:04")
}
