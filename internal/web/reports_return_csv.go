package web

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"candour/internal/authz"
	"candour/internal/report"
)

// reportsReturnCSV sends the quarter's return as CSV, one measure a line,
// with stable measure codes beside the words so that a spreadsheet can
// pick them up quarter after quarter.
func (s *Server) reportsReturnCSV(w http.ResponseWriter, r *http.Request) {
	f, q, ok := s.returnQuarter(r)
	if !ok {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		for _, e := range f.Errors {
			fmt.Fprintln(w, e.Message)
		}
		return
	}
	ret, err := s.Reports.GuardianReturnFor(r.Context(), authz.PrincipalFrom(r.Context()), q)
	if errors.Is(err, report.ErrNotAllowed) {
		s.notFound(w, r)
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="speak-up-return-`+q.String()+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	period := fmt.Sprintf("%d/%02d Q%d", q.Year, (q.Year+1)%100, q.N)
	line := func(code, label string, n int) {
		cw.Write([]string{period, code, label, strconv.Itoa(n)})
	}
	cw.Write([]string{"quarter", "measure", "description", "count"})
	line("cases", "Cases raised", ret.Cases)
	line("anonymous", "Cases raised anonymously", ret.Anonymous)
	for _, c := range ret.Elements {
		line("element_"+c.Value, "Cases with the element: "+c.Label, c.N)
	}
	line("detriment", "Cases where detriment was indicated", ret.Detriment)
	for _, c := range ret.StaffGroups {
		line("staff_group_"+c.Value, "Cases raised by staff group: "+c.Label, c.N)
	}
	line("feedback", "Feedback responses received", ret.FeedbackTotal)
	for _, c := range ret.Feedback {
		line("speak_up_again_"+c.Value, "Would speak up again: "+c.Label, c.N)
	}
	cw.Flush()
}
