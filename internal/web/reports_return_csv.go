package web

import (
	"fmt"
	"net/http"
	"strconv"
)

// reportsReturnCSV sends the quarter's return as CSV, one measure a line,
// with stable measure codes beside the words so that a spreadsheet can
// pick them up quarter after quarter.
func (s *Server) reportsReturnCSV(w http.ResponseWriter, r *http.Request) {
	f, q, ok := s.returnQuarter(r)
	if !ok {
		csvBadRequest(w, f.Errors)
		return
	}
	ret, ok := s.guardianReturn(w, r, q)
	if !ok {
		return
	}
	cw := csvDownload(w, "speak-up-return-"+q.String()+".csv")
	period := fmt.Sprintf("%d/%02d Q%d", q.Year, (q.Year+1)%100, q.N)
	line := func(code, label string, n int) {
		cw.Write([]string{period, code, eqCSVCell(label), strconv.Itoa(n)})
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
