package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/validate"
)

// returnRow is one line of a table on the quarterly return page.
type returnRow struct {
	Label, Count, Percent string
}

// returnTable is a table of counts with what the percentages are of.
type returnTable struct {
	ID, Caption, Head, CountHead, PercentOf string
	Rows                                    []returnRow
}

// guardianReturnView is the data of the guardians' quarterly return page.
type guardianReturnView struct {
	Quarters []quarterOption
	Label    string
	CSV      string
	Summary  []ovSummary
	Tables   []returnTable
}

// quarterOption is a quarter in the page's select.
type quarterOption struct{ Value, Label string }

// returnQuarters is how many quarters the page offers, newest first.
const returnQuarters = 8

// reportsReturn shows the figures the Freedom to Speak Up guardians return
// each quarter, for the quarter chosen (the last whole quarter unless one
// is), with a CSV of the same figures to copy into the national return.
func (s *Server) reportsReturn(w http.ResponseWriter, r *http.Request) {
	f, q, ok := s.returnQuarter(r)
	v := guardianReturnView{}
	current := s.Reports.ThisQuarter()
	for i, qq := 0, current; i < returnQuarters; i, qq = i+1, qq.Previous() {
		v.Quarters = append(v.Quarters, quarterOption{Value: qq.String(), Label: quarterLabel(qq, current)})
	}
	if !ok {
		s.render(w, r, http.StatusBadRequest, "reports_return", &Page{Title: "Quarterly speak-up return", Form: f, Data: v, BackLink: "/reports"})
		return
	}
	ret, ok := s.guardianReturn(w, r, q)
	if !ok {
		return
	}
	v.Label = quarterLabel(q, current)
	v.CSV = "/reports/return.csv?quarter=" + url.QueryEscape(q.String())
	pct := func(n, of int) string {
		if of == 0 {
			return "–"
		}
		return fmt.Sprintf("%.1f%%", float64(n)*100/float64(of))
	}
	share := func(n int) string {
		if ret.Cases == 0 {
			return fmt.Sprint(n)
		}
		return fmt.Sprintf("%d (%s of cases)", n, pct(n, ret.Cases))
	}
	v.Summary = []ovSummary{
		{Key: "Cases raised", Value: fmt.Sprint(ret.Cases)},
		{Key: "Raised anonymously", Value: share(ret.Anonymous)},
		{Key: "Detriment indicated", Value: share(ret.Detriment)},
		{Key: "Feedback received", Value: fmt.Sprint(ret.FeedbackTotal)},
	}
	table := func(id, caption, head, countHead, of string, counts []report.Count, total int) returnTable {
		t := returnTable{ID: id, Caption: caption, Head: head, CountHead: countHead, PercentOf: of}
		for _, c := range counts {
			t.Rows = append(t.Rows, returnRow{Label: c.Label, Count: fmt.Sprint(c.N), Percent: pct(c.N, total)})
		}
		return t
	}
	v.Tables = []returnTable{
		table("elements", "What the cases were about", "Element", "Cases", "of cases", ret.Elements, ret.Cases),
		table("staff-groups", "Who raised them", "Staff group", "Cases", "of cases", ret.StaffGroups, ret.Cases),
		table("feedback", "Would you speak up again?", "Answer", "Answers", "of answers", ret.Feedback, ret.FeedbackTotal),
	}
	s.render(w, r, http.StatusOK, "reports_return", &Page{Title: "Quarterly speak-up return", Form: f, Data: v, BackLink: "/reports"})
}

// quarterLabel names q, saying "so far" of the quarter still under way.
func quarterLabel(q, current report.Quarter) string {
	if q == current {
		return q.Label() + ", so far"
	}
	return q.Label()
}

// guardianReturn works out the return for q as the signed-in guardian. On
// failure it has answered the request and returns false.
func (s *Server) guardianReturn(w http.ResponseWriter, r *http.Request, q report.Quarter) (report.GuardianReturn, bool) {
	ret, err := s.Reports.GuardianReturnFor(r.Context(), authz.PrincipalFrom(r.Context()), q)
	if errors.Is(err, report.ErrNotAllowed) {
		s.notFound(w, r)
		return ret, false
	} else if err != nil {
		s.serverError(w, r, err)
		return ret, false
	}
	return ret, true
}

// returnQuarter reads the quarter asked for (the last whole quarter unless
// one is) into the page's form, with any problem as an error on it.
func (s *Server) returnQuarter(r *http.Request) (*Form, report.Quarter, bool) {
	raw := r.URL.Query().Get("quarter")
	q, err := s.Reports.ReturnQuarter(raw)
	f := &Form{Values: url.Values{"quarter": {raw}}}
	if raw == "" {
		f.Values.Set("quarter", q.String())
	}
	if errs, ok := validate.As(err); ok {
		f.Errors = errs
		return f, q, false
	}
	return f, q, err == nil
}
