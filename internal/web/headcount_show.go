package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"candour/internal/org"
	"candour/internal/store"
)

// headcountView is the data of the headcount page.
type headcountView struct {
	Dimensions []orgChoice
	// Shown is false when the form has problems and there are no results.
	Shown   bool
	Date    string // YYYY-MM-DD
	ByLabel string
	Rows    []headcountRow
	Total   int
	// TotalPercent is 100% unless nobody was employed.
	TotalPercent string
	// ShowTotal is false for the total alone, which needs no total row.
	ShowTotal bool
}

// headcountRow is one line of the results table.
type headcountRow struct {
	Label   string
	N       int
	Percent string
}

// headcountShow counts the people employed on a date, broken down by site,
// department, staff group, ethnic group or disability. The counts are not
// suppressed for small numbers: only HR and the board can see this page.
func (s *Server) headcountShow(w http.ResponseWriter, r *http.Request) {
	in := r.URL.Query()
	f := &Form{Values: url.Values{}}
	for _, k := range []string{"date-day", "date-month", "date-year", "by"} {
		if v := strings.TrimSpace(in.Get(k)); v != "" {
			f.Values.Set(k, v)
		}
	}
	// A link may give the date as ?date=YYYY-MM-DD; with neither, today.
	if f.Get("date-day") == "" && f.Get("date-month") == "" && f.Get("date-year") == "" {
		d := strings.TrimSpace(in.Get("date"))
		if d == "" {
			d = s.today()
		}
		if _, err := time.Parse(store.DateLayout, d); err == nil {
			setDateValues(f.Values, "date", d)
		} else {
			f.Errors.Add("date-day", "Date must be a real date, like 27 3 2026")
		}
	}
	if f.Get("by") == "" {
		f.Values.Set("by", string(org.ByTotal))
	}
	v := headcountView{Dimensions: orgChoices(org.Dimensions())}
	date, problem := "", ""
	if len(f.Errors) == 0 {
		date, problem = formDate(f, "date", "Date")
		if problem == "" && date == "" {
			problem = "Enter a date"
		}
		if problem != "" {
			f.Errors.Add("date-day", problem)
		}
	}
	by := f.Get("by")
	var label string
	for _, d := range org.Dimensions() {
		if d.Value == by {
			label = d.Label
		}
	}
	if label == "" {
		f.Errors.Add("by", "Select what to count people by")
	}
	if len(f.Errors) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "headcount", &Page{Title: "Headcount", Form: f, Data: v})
		return
	}
	day, _ := time.Parse(store.DateLayout, date)
	counts, err := s.Org.Headcount(r.Context(), day, org.Dimension(by))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Shown, v.Date, v.ByLabel, v.ShowTotal = true, date, label, by != string(org.ByTotal)
	for _, c := range counts {
		v.Total += c.N
	}
	v.TotalPercent = percent(v.Total, v.Total)
	for _, c := range counts {
		v.Rows = append(v.Rows, headcountRow{Label: c.Label, N: c.N, Percent: percent(c.N, v.Total)})
	}
	s.render(w, r, http.StatusOK, "headcount", &Page{Title: "Headcount", Form: f, Data: v})
}

// percent is n as a percentage of total, to one decimal place.
func percent(n, total int) string {
	if total == 0 {
		return "0%"
	}
	return fmt.Sprintf("%.1f%%", float64(n)*100/float64(total))
}
