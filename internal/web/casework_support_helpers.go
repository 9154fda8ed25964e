package web

import (
	"errors"
	"net/http"
	"strings"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/validate"
)

// This file holds what the pages for wellbeing, suspensions, casework
// designations and the stage editor share: links, the mapping of domain
// problems onto a form's inputs, and the messages for refusals by the state
// of a suspension. Errors that end a request go through caseFailed, like the
// other casework pages.

// suspensionHref is a suspension's page.
func suspensionHref(id int64) string { return "/suspensions/" + idString(id) }

// caseWellbeingHref is a case's wellbeing page.
func caseWellbeingHref(id int64) string { return "/cases/" + idString(id) + "/wellbeing" }

// caseStagesHref is the stage editor for a case type.
func caseStagesHref(t casework.Type) string { return "/cases/stages/" + string(t) }

// cwsConflict is the message for a change the state of a case or a
// suspension refuses, and whether err is such a refusal. The domain's own
// messages are already written for people.
func cwsConflict(err error) (string, bool) {
	switch {
	case errors.Is(err, casework.ErrClosed):
		return "This case is closed, so it cannot be changed", true
	case errors.Is(err, casework.ErrSuspensionExists),
		errors.Is(err, casework.ErrNotWaiting),
		errors.Is(err, casework.ErrOwnSuspension),
		errors.Is(err, casework.ErrAlreadyDecided),
		errors.Is(err, casework.ErrNotActive),
		errors.Is(err, casework.ErrWellbeingEnded):
		msg := err.Error()
		return strings.ToUpper(msg[:1]) + msg[1:], true
	}
	return "", false
}

// cwsFields describes one form for error mapping: an optional prefix that
// keeps ids unique when a page has several forms, the domain's fields in
// page order, which of them are date inputs (whose problems point at the
// day box), and the input that takes a problem with any other field.
type cwsFields struct {
	Prefix   string
	Order    []string
	Dates    map[string]bool
	Fallback string
}

// id is the id of the input for a domain field.
func (cf cwsFields) id(field string) string {
	if cf.Dates[field] {
		return cf.Prefix + field + "-day"
	}
	for _, o := range cf.Order {
		if o == field {
			return cf.Prefix + field
		}
	}
	return cf.Prefix + cf.Fallback
}

// errors points domain problems at the page's inputs, in page order, so
// that each link in the error summary moves focus to the right place.
func (cf cwsFields) errors(errs validate.Errors) validate.Errors {
	pos := func(field string) int {
		for i, o := range cf.Order {
			if o == field {
				return i
			}
		}
		return len(cf.Order)
	}
	type item struct {
		e   validate.FieldError
		pos int
	}
	items := make([]item, 0, len(errs))
	for _, e := range errs {
		items = append(items, item{validate.FieldError{Field: cf.id(e.Field), Message: e.Message}, pos(e.Field)})
	}
	for i := 1; i < len(items); i++ {
		for j := i; j > 0 && items[j].pos < items[j-1].pos; j-- {
			items[j], items[j-1] = items[j-1], items[j]
		}
	}
	out := make(validate.Errors, len(items))
	for i, it := range items {
		out[i] = it.e
	}
	return out
}

// cwsNotADate stands in for a date typed so that it is not a real date: the
// domain refuses it as it refuses any bad date, and the page's own, more
// specific message then replaces the domain's (see cwsMerge).
const cwsNotADate = "not-a-date"

// date reads the date input for field (named with the prefix) and returns
// it as YYYY-MM-DD, "" when left empty (the domain then asks for it in its
// own words), or cwsNotADate with the problem noted in pre.
func (cf cwsFields) date(pre *validate.Errors, f *Form, field, label string) string {
	d, problem := formDate(f, cf.Prefix+field, label)
	if problem != "" {
		pre.Add(field, problem)
		return cwsNotADate
	}
	return d
}

// cwsMerge lays the page's own problems (pre) over the domain's: a field both
// found fault with keeps the page's message, which says exactly what is
// missing from the date typed.
func cwsMerge(domain, pre validate.Errors) validate.Errors {
	out := append(validate.Errors(nil), domain...)
	for _, p := range pre {
		found := false
		for i := range out {
			if out[i].Field == p.Field {
				out[i].Message, found = p.Message, true
			}
		}
		if !found {
			out = append(out, p)
		}
	}
	return out
}

// cwsToday is today's date in England, as the date inputs' hints show it.
func (s *Server) cwsToday() string {
	return s.Now().In(london()).Format("2 1 2006")
}

// cwsHolds reports whether the signed-in user holds the designation; a
// failure to find out counts as not holding it, so that it only ever hides
// a form the domain would refuse anyway.
func (s *Server) cwsHolds(r *http.Request, p *authz.Principal, d casework.Designation) bool {
	if p == nil {
		return false
	}
	ok, err := s.Cases.HasDesignation(r.Context(), p.UserID, d)
	if err != nil {
		s.Logger.WarnContext(r.Context(), "read designation", "error", err)
		return false
	}
	return ok
}

// suspensionWord is "suspension" or "exclusion", for sentences.
func suspensionWord(kind string) string {
	if kind == casework.KindExclusion {
		return "exclusion"
	}
	return "suspension"
}

// suspensionStatusTag is the text and NHS tag colour of a suspension's
// status.
func suspensionStatusTag(status string) (string, string) {
	label := casework.SuspensionStatusLabel(status)
	switch status {
	case casework.SuspensionProposed:
		return label, "yellow"
	case casework.SuspensionActive:
		return label, "red"
	case casework.SuspensionDeclined:
		return label, "grey"
	case casework.SuspensionEnded:
		return label, "green"
	}
	return label, "white"
}
