package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"candour/internal/authz"
	"candour/internal/equality"
	"candour/internal/store"
)

// ovRow is one row of an oversight table.
type ovRow struct {
	Label, Count string
}

// ovTable is a table of counts; Group, when set, is the heading above a run
// of rows (the case type, for stages).
type ovTable struct {
	ID, Caption, Head string
	Groups            []ovGroup
}

// ovGroup is a run of rows under one heading ("" for none).
type ovGroup struct {
	Heading string
	Rows    []ovRow
}

// ovStageRow is one line of the stage timing table.
type ovStageRow struct {
	Type, Stage, Target, Finished, Median, Within string
}

// ovSummary is a row of a summary list.
type ovSummary struct {
	Key, Value, Href, ActionText string
}

// oversightView is the data of the oversight and partnership pages.
type oversightView struct {
	Shown        bool
	Action       string
	Intro        string
	CSV          string
	Period       string
	Threshold    int
	Open         []ovSummary
	OpenByType   ovTable
	OpenByStage  ovTable
	Stages       []ovStageRow
	Suspensions  []ovSummary
	Closed       []ovSummary
	Outcomes     ovTable
	OutcomeChart eqChart
	Formal       []ovSummary
	FormalTables []ovTable
	Suppressed   []string
}

const (
	oversightIntro   = "How casework is going across the organisation: open cases, time taken against targets, suspensions, outcomes, and who enters the formal process. No case or person is named."
	partnershipIntro = "For the staff-side lead: the same anonymised figures the board sees, so that trade union partners can check that casework is fair and timely. No case or person is named."
)

// oversightShow is the board's view of casework for a period.
func (s *Server) oversightShow(w http.ResponseWriter, r *http.Request) {
	s.showOversight(w, r, "Casework oversight", "/oversight", oversightIntro, s.Equality.Oversight)
}

// partnershipShow is the staff-side lead's view: the same anonymised
// figures. Other union representatives get "page not found", so that the
// page does not say who holds the designation.
func (s *Server) partnershipShow(w http.ResponseWriter, r *http.Request) {
	ok, err := s.Equality.MaySeePartnership(r.Context(), authz.PrincipalFrom(r.Context()))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !ok {
		s.notFound(w, r)
		return
	}
	s.showOversight(w, r, "Partnership view", "/partnership", partnershipIntro, s.Equality.Partnership)
}

// oversightSource computes the figures for the signed-in user.
type oversightSource func(ctx context.Context, p *authz.Principal, per equality.Period) (equality.Oversight, error)

func (s *Server) showOversight(w http.ResponseWriter, r *http.Request, title, action, intro string, get oversightSource) {
	f, per, ok := s.equalityPeriod(r, false)
	v := oversightView{Action: action, Intro: intro}
	if !ok {
		s.render(w, r, http.StatusUnprocessableEntity, "oversight", &Page{Title: title, Form: f, Data: v})
		return
	}
	o, err := get(r.Context(), authz.PrincipalFrom(r.Context()), per)
	if err != nil {
		if errors.Is(err, equality.ErrNotAllowed) {
			s.notFound(w, r)
			return
		}
		s.serverError(w, r, err)
		return
	}
	v.Shown, v.Period, v.Threshold = true, eqPeriodText(per), o.Threshold
	if action == "/oversight" {
		v.CSV = "/oversight.csv?" + eqPeriodQuery(per)
	}
	t := o.Threshold
	c := func(x equality.Count) string { return eqCount(x, t) }
	end := formatDate(per.To.Format(store.DateLayout))
	v.Open = []ovSummary{{Key: "Open on " + end, Value: c(o.OpenTotal)}}
	v.OpenByType = ovTable{ID: "open-by-type", Caption: "Open cases by type", Head: "Case type", Groups: []ovGroup{{Rows: ovRows(o.OpenByType, t)}}}
	v.OpenByStage = ovTable{ID: "open-by-stage", Caption: "Open cases by the stage they were at", Head: "Stage"}
	for _, row := range o.OpenByStage {
		if n := len(v.OpenByStage.Groups); n == 0 || v.OpenByStage.Groups[n-1].Heading != row.Group {
			v.OpenByStage.Groups = append(v.OpenByStage.Groups, ovGroup{Heading: row.Group})
		}
		g := &v.OpenByStage.Groups[len(v.OpenByStage.Groups)-1]
		g.Rows = append(g.Rows, ovRow{Label: row.Label, Count: c(row.Count)})
	}
	for _, st := range o.Stages {
		row := ovStageRow{Type: st.TypeLabel, Stage: st.StageLabel, Finished: c(st.Finished), Median: "withheld", Within: "withheld"}
		if st.TargetDays > 0 {
			row.Target = eqDays(st.TargetDays)
		}
		if st.MedianDays != nil {
			row.Median = eqDaysFloat(*st.MedianDays)
		}
		if st.WithinTarget != nil {
			row.Within = eqPercent(*st.WithinTarget)
		}
		v.Stages = append(v.Stages, row)
	}
	sf := o.Suspensions
	v.Suspensions = []ovSummary{
		{Key: "Started in the period", Value: c(sf.Started)},
		{Key: "Total days suspended", Value: eqOptionalDays(sf.TotalDays, "withheld")},
		{Key: "Still running on " + end, Value: c(sf.Active)},
		{Key: "Longest running, on " + end, Value: eqOptionalDays(sf.LongestOpenDays, eqLongestMissing(sf.Active))},
	}
	ncta := "withheld"
	switch {
	case o.NoCaseToAnswerShare != nil:
		ncta = eqPercent(*o.NoCaseToAnswerShare)
	case o.ClosedTotal == (equality.Count{}):
		ncta = "no cases closed"
	}
	v.Closed = []ovSummary{{Key: "Closed in the period", Value: c(o.ClosedTotal)}, {Key: "Closed with no case to answer", Value: ncta}}
	v.Outcomes = ovTable{ID: "outcomes", Caption: "Outcomes of cases closed in the period", Head: "Outcome", Groups: []ovGroup{{Rows: ovRows(o.Outcomes, t)}}}
	var labels, texts []string
	var values []*float64
	for _, row := range o.Outcomes {
		labels, texts = append(labels, row.Label), append(texts, c(row.Count))
		if row.Count.Suppressed {
			values = append(values, nil)
		} else {
			x := float64(row.Count.N)
			values = append(values, &x)
		}
	}
	v.OutcomeChart = newEqChart("Bar chart of outcomes of cases closed in the period", labels, texts, values)
	v.Formal = []ovSummary{{Key: "Cases entering the formal process", Value: c(o.FormalTotal)}}
	v.FormalTables = []ovTable{
		{ID: "formal-by-type", Caption: "Cases entering the formal process, by type", Head: "Case type", Groups: []ovGroup{{Rows: ovRows(o.FormalByType, t)}}},
		{ID: "formal-by-staff-group", Caption: "Cases entering the formal process, by staff group", Head: "Staff group", Groups: []ovGroup{{Rows: ovRows(o.FormalByStaffGroup, t)}}},
		{ID: "formal-by-ethnicity", Caption: "Cases entering the formal process, by ethnicity", Head: "Ethnicity", Groups: []ovGroup{{Rows: ovRows(o.FormalByEthnicity, t)}}},
		{ID: "formal-by-disability", Caption: "Cases entering the formal process, by disability", Head: "Disability", Groups: []ovGroup{{Rows: ovRows(o.FormalByDisability, t)}}},
	}
	for _, x := range o.Suppressed {
		v.Suppressed = append(v.Suppressed, x.Why)
	}
	s.render(w, r, http.StatusOK, "oversight", &Page{Title: title, Form: f, Data: v})
}

func ovRows(rows []equality.Row, threshold int) []ovRow {
	out := make([]ovRow, len(rows))
	for i, r := range rows {
		out[i] = ovRow{Label: r.Label, Count: eqCount(r.Count, threshold)}
	}
	return out
}

// eqDays writes a number of days.
func eqDays(n int) string {
	if n == 1 {
		return "1 day"
	}
	return eqThousands(n) + " days"
}

// eqDaysFloat writes a median number of days, which may end in .5.
func eqDaysFloat(x float64) string {
	if x == float64(int(x)) {
		return eqDays(int(x))
	}
	return strconv.FormatFloat(x, 'f', 1, 64) + " days"
}

// eqOptionalDays writes days, or missing when they are not given.
func eqOptionalDays(n *int, missing string) string {
	if n == nil {
		return missing
	}
	return eqDays(*n)
}

// eqLongestMissing says why there is no longest running suspension.
func eqLongestMissing(active equality.Count) string {
	if active.Suppressed {
		return "withheld"
	}
	return "none running"
}

// oversightCSV sends the oversight figures, suppressed as on the page, as
// CSV: one row per figure.
func (s *Server) oversightCSV(w http.ResponseWriter, r *http.Request) {
	f, per, ok := s.equalityPeriod(r, false)
	if !ok {
		csvBadRequest(w, f.Errors)
		return
	}
	o, err := s.Equality.Oversight(r.Context(), authz.PrincipalFrom(r.Context()), per)
	if err != nil {
		if errors.Is(err, equality.ErrNotAllowed) {
			s.notFound(w, r)
			return
		}
		s.serverError(w, r, err)
		return
	}
	t := o.Threshold
	c := func(x equality.Count) string { return eqCount(x, t) }
	opt := func(p *float64, f func(float64) string) string {
		if p == nil {
			return "withheld"
		}
		return f(*p)
	}
	name := fmt.Sprintf("casework-oversight-%s-to-%s.csv", per.From.Format(store.DateLayout), per.To.Format(store.DateLayout))
	cw := csvDownload(w, name)
	row := func(section, item, value string) {
		cw.Write([]string{eqCSVCell(section), eqCSVCell(item), eqCSVCell(value)})
	}
	cw.Write([]string{"section", "item", "value"})
	row("period", "from", per.From.Format(store.DateLayout))
	row("period", "to", per.To.Format(store.DateLayout))
	row("period", "small number threshold", strconv.Itoa(t))
	row("open cases", "total", c(o.OpenTotal))
	for _, x := range o.OpenByType {
		row("open cases by type", x.Label, c(x.Count))
	}
	for _, x := range o.OpenByStage {
		row("open cases by stage", x.Group+": "+x.Label, c(x.Count))
	}
	for _, st := range o.Stages {
		item := st.TypeLabel + ": " + st.StageLabel
		row("stages finished", item+": number", c(st.Finished))
		row("stages finished", item+": target days", strconv.Itoa(st.TargetDays))
		row("stages finished", item+": median days", opt(st.MedianDays, func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }))
		row("stages finished", item+": within target", opt(st.WithinTarget, eqPercent))
	}
	sf := o.Suspensions
	row("suspensions", "started in the period", c(sf.Started))
	row("suspensions", "total days", eqOptionalInt(sf.TotalDays, "withheld"))
	row("suspensions", "running on the end date", c(sf.Active))
	row("suspensions", "longest running days", eqOptionalInt(sf.LongestOpenDays, eqLongestMissing(sf.Active)))
	row("closed cases", "total", c(o.ClosedTotal))
	for _, x := range o.Outcomes {
		row("outcomes", x.Label, c(x.Count))
	}
	row("outcomes", "share with no case to answer", opt(o.NoCaseToAnswerShare, eqPercent))
	row("entering the formal process", "total", c(o.FormalTotal))
	for _, b := range []struct {
		name string
		rows []equality.Row
	}{{"by type", o.FormalByType}, {"by staff group", o.FormalByStaffGroup}, {"by ethnicity", o.FormalByEthnicity}, {"by disability", o.FormalByDisability}} {
		for _, x := range b.rows {
			row("entering the formal process "+b.name, x.Label, c(x.Count))
		}
	}
	for _, x := range o.Suppressed {
		row("hidden", x.What, x.Why)
	}
	cw.Flush()
}

// eqOptionalInt writes a number, or missing when it is not given.
func eqOptionalInt(n *int, missing string) string {
	if n == nil {
		return missing
	}
	return strconv.Itoa(*n)
}

// eqCSVCell stops a spreadsheet from treating a cell as a formula.
func eqCSVCell(s string) string {
	if s != "" && strings.ContainsAny(s[:1], "=+-@\t\r") {
		return "'" + s
	}
	return s
}
