package api

import (
	"net/http"
	"time"

	"candour/internal/org"
	"candour/internal/validate"
)

// headcountResponse is the headcount on a date by one dimension.
type headcountResponse struct {
	Date  string      `json:"date"`
	By    string      `json:"by"`
	Total int         `json:"total"`
	Items []countJSON `json:"items"`
}

type countJSON struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// headcount answers how many people were employed on ?date=YYYY-MM-DD
// (default today) by ?by= one of the directory's dimensions.
func (s *Server) headcount(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var errs validate.Errors
	date := s.Now().UTC()
	if v := q.Get("date"); v != "" {
		d, err := time.Parse("2006-01-02", v)
		if err != nil {
			errs.Add("date", "must be a date as YYYY-MM-DD")
		}
		date = d
	}
	by := org.Dimension(q.Get("by"))
	if by == "" {
		by = "total"
	}
	known := false
	for _, d := range org.Dimensions() {
		known = known || d.Value == string(by)
	}
	if !known {
		errs.Add("by", "must be one of total, site, department, staff_group, ethnic_group, ethnic_category, disability")
	}
	if len(errs) > 0 {
		invalid(w, r, errs)
		return
	}
	counts, err := s.Org.Headcount(r.Context(), date, by)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := headcountResponse{Date: date.Format("2006-01-02"), By: string(by), Items: []countJSON{}}
	for _, c := range counts {
		out.Total += c.N
		out.Items = append(out.Items, countJSON{c.Key, c.Label, c.N})
	}
	writeJSON(w, http.StatusOK, out)
}
