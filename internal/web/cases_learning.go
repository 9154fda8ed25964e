package web

import (
	"net/http"
	"strings"
	"time"

	"candour/internal/authz"
	"candour/internal/casework"
)

// caseLearningRow is one lesson in the learning log.
type caseLearningRow struct {
	Month, Type, Category, Lesson string
}

// caseLearningView is the data of the learning log page.
type caseLearningView struct {
	Rows    []caseLearningRow
	Periods []orgChoice
	Period  string
	// Scope says which cases the lessons are from, for example "cases
	// closed in the last 12 months".
	Scope string
}

// caseLearningPeriods are the periods the learning log can show, in months
// back from this one ("all" for every lesson).
var caseLearningPeriods = []orgChoice{
	{Value: "3", Label: "The last 3 months"},
	{Value: "12", Label: "The last 12 months"},
	{Value: "24", Label: "The last 2 years"},
	{Value: "all", Label: "All time"},
}

// caseLearning shows the anonymised lessons from closed cases: what the
// organisation learned about its processes, policies and systems, with no
// link back to any case or person.
func (s *Server) caseLearning(w http.ResponseWriter, r *http.Request) {
	period := r.URL.Query().Get("period")
	label := ""
	for _, p := range caseLearningPeriods {
		if p.Value == period {
			label = p.Label
		}
	}
	if label == "" {
		period, label = "12", "The last 12 months"
	}
	now := s.Now().In(london())
	to := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	from := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	switch period {
	case "3":
		from = to.AddDate(0, -2, 0)
	case "12":
		from = to.AddDate(0, -11, 0)
	case "24":
		from = to.AddDate(0, -23, 0)
	}
	lessons, err := s.Cases.LearningLog(r.Context(), authz.PrincipalFrom(r.Context()), from, to)
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	v := caseLearningView{Periods: caseLearningPeriods, Period: period, Scope: "cases closed in " + strings.ToLower(label[:1]) + label[1:]}
	if period == "all" {
		v.Scope = "every closed case"
	}
	for _, l := range lessons {
		month := l.ClosedMonth
		if t, err := time.Parse("2006-01", l.ClosedMonth); err == nil {
			month = t.Format("January 2006")
		}
		v.Rows = append(v.Rows, caseLearningRow{Month: month, Type: casework.TypeLabel(l.Type),
			Category: casework.LearningCategoryLabel(l.Category), Lesson: l.Lesson})
	}
	f := &Form{Values: map[string][]string{"period": {period}}}
	s.render(w, r, http.StatusOK, "cases_learning", &Page{Title: "What we have learned from cases", Form: f, Data: v})
}
