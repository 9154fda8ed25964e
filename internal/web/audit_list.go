package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"candour/internal/audit"
	"candour/internal/validate"
)

// auditPageSize is how many entries one page of the audit log shows.
const auditPageSize = 50

// auditFilterFields are the filter form's inputs, kept in links to other pages.
var auditFilterFields = []string{"actor", "action", "entity", "entity_id", "from", "to"}

// auditView is the data of the audit log page.
type auditView struct {
	Entries []audit.Entry
	// Filtered is true when any filter is set.
	Filtered bool
	// OlderHref and NewestHref page through the log; empty when there is
	// no such page.
	OlderHref, NewestHref string
	// Broken describes a failed verification, shown as a warning.
	Broken *audit.VerifyResult
}

// auditList shows the audit log newest first, filtered by who, what, which
// record and when.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	s.renderAudit(w, r, &Form{Values: r.URL.Query()}, nil, "")
}

// renderAudit lists the entries f selects. broken and flash report a
// verification just run.
func (s *Server) renderAudit(w http.ResponseWriter, r *http.Request, f *Form, broken *audit.VerifyResult, flash string) {
	filter, errs := auditFilter(f)
	p := &Page{Title: "Audit log", Form: f, Flash: flash}
	v := auditView{Broken: broken}
	for _, k := range auditFilterFields {
		v.Filtered = v.Filtered || strings.TrimSpace(f.Get(k)) != ""
	}
	if len(errs) > 0 {
		f.Errors = errs
		p.Data = v
		s.render(w, r, http.StatusUnprocessableEntity, "audit", p)
		return
	}
	entries, next, err := audit.List(r.Context(), s.DB, filter)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Entries = entries
	q := url.Values{}
	for _, k := range auditFilterFields {
		if val := strings.TrimSpace(f.Get(k)); val != "" {
			q.Set(k, val)
		}
	}
	if filter.Before > 0 {
		v.NewestHref = "/admin/audit"
		if len(q) > 0 {
			v.NewestHref += "?" + q.Encode()
		}
	}
	if next > 0 {
		q.Set("before", strconv.FormatInt(next, 10))
		v.OlderHref = "/admin/audit?" + q.Encode()
	}
	p.Data = v
	s.render(w, r, http.StatusOK, "audit", p)
}

// auditFilter reads the filter form. Dates are days in UK time, and the to
// date is included.
func auditFilter(f *Form) (audit.Filter, validate.Errors) {
	var errs validate.Errors
	filter := audit.Filter{Limit: auditPageSize}
	filter.Actor = errs.Text("actor", "Who", f.Get("actor"), false, 200)
	filter.Action = errs.Text("action", "Action", f.Get("action"), false, 200)
	filter.Entity = errs.Text("entity", "Record type", f.Get("entity"), false, 200)
	filter.EntityID = errs.Text("entity_id", "Record number", f.Get("entity_id"), false, 200)
	from, okFrom := auditDate(&errs, f, "from", "from")
	to, okTo := auditDate(&errs, f, "to", "to")
	if okFrom && okTo && !from.IsZero() && !to.IsZero() && to.Before(from) {
		errs.Add("to", "The to date must be the same as or after the from date")
	}
	filter.From = from
	if !to.IsZero() {
		filter.To = to.AddDate(0, 0, 1)
	}
	if n, err := strconv.ParseInt(f.Get("before"), 10, 64); err == nil && n > 0 {
		filter.Before = n
	}
	return filter, errs
}

// auditDate reads an optional YYYY-MM-DD date as midnight in UK time.
func auditDate(errs *validate.Errors, f *Form, field, label string) (time.Time, bool) {
	v := strings.TrimSpace(f.Get(field))
	if v == "" {
		return time.Time{}, true
	}
	t, err := time.ParseInLocation("2006-01-02", v, london())
	if err != nil {
		errs.Add(field, "Enter the "+label+" date as year, month and day with hyphens, like 2026-03-17")
		return time.Time{}, false
	}
	return t, true
}
