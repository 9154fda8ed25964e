package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"candour/internal/authz"
	"candour/internal/justculture"
	"candour/internal/org"
	"candour/internal/settings"
	"candour/internal/store"
)

// insightCell is one count as shown: a number, or "fewer than N".
type insightCell struct {
	Text string
}

// insightRow is one row of a table of counts.
type insightRow struct {
	Head  string
	Cells []insightCell
}

// insightTable is a table of counts with end points as its columns.
type insightTable struct {
	Caption string
	RowHead string
	Cols    []string // end point ids
	Rows    []insightRow
}

// insightBar is one bar of the end point chart.
type insightBar struct {
	ID, Title  string
	Text       string // the count as shown
	Y, TextY   int
	Width      int
	ValueX     int
	Suppressed bool
}

// insightView is the data of the aggregate view.
type insightView struct {
	Guides      []org.Option
	Shown       bool
	Threshold   int
	Period      string
	Total       string
	Bars        []insightBar
	ChartHeight int
	ByMonth     insightTable
	ByGroup     insightTable
	ByEthnicity insightTable
}

// Chart geometry, in SVG user units.
const (
	chartLabelW   = 40
	chartBarMax   = 300
	chartRowH     = 36
	chartBarH     = 24
	chartTopSpace = 8
)

// assessmentInsight shows completed assessments by end point, by month,
// and by the staff group and ethnic category of the people assessed, with
// counts below the organisation's threshold shown as "fewer than N".
func (s *Server) assessmentInsight(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	f := &Form{Values: cleanValues(cloneFormValues(q))}
	defs, err := s.Culture.Definitions(ctx, true)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var v insightView
	seen := map[string]bool{}
	defaultGuide := ""
	for _, d := range defs {
		if d.Builtin && defaultGuide == "" {
			defaultGuide = d.GuideID
		}
		if !seen[d.GuideID] {
			seen[d.GuideID] = true
			v.Guides = append(v.Guides, org.Option{Value: d.GuideID, Label: d.Title})
		}
	}
	if defaultGuide == "" && len(v.Guides) > 0 {
		defaultGuide = v.Guides[0].Value
	}
	guideID := f.Get("guide")
	if guideID == "" {
		guideID = defaultGuide
		f.Values.Set("guide", guideID)
	} else if !seen[guideID] {
		f.Errors.Add("guide", "Choose a guide from the list")
	}

	today := s.Now().In(london())
	from, problem := formDate(f, "from", "The start date")
	if problem != "" {
		f.Errors.Add("from-day", problem)
	} else if from == "" {
		from = today.AddDate(-1, 0, 1).Format(store.DateLayout)
		setDateValues(f.Values, "from", from)
	}
	to, problem := formDate(f, "to", "The end date")
	if problem != "" {
		f.Errors.Add("to-day", problem)
	} else if to == "" {
		to = today.Format(store.DateLayout)
		setDateValues(f.Values, "to", to)
	}
	if len(f.Errors) == 0 && to < from {
		f.Errors.Add("to-day", "The end date must be the same as or after the start date")
	}
	if len(f.Errors) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "assessment_insight", &Page{Title: "Assessments by end point", Form: f, Data: v, BackLink: "/assessments"})
		return
	}
	st, err := settings.Load(ctx, s.DB)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	fromT, _ := time.ParseInLocation(store.DateLayout, from, london())
	toT, _ := time.ParseInLocation(store.DateLayout, to, london())
	ag, err := s.Culture.Aggregates(ctx, authz.PrincipalFrom(ctx), guideID, fromT, toT, st.SmallNumberThreshold)
	if err != nil {
		s.assessmentFailed(w, r, err)
		return
	}
	groups, err := s.Org.StaffGroups(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	groupName := map[string]string{}
	for _, g := range groups {
		groupName[g.Code] = g.Name
	}
	v.Shown = true
	v.Threshold = ag.Threshold
	v.Period = formatDate(from) + " to " + formatDate(to)
	cell := func(c justculture.Count) insightCell {
		if c.Suppressed {
			return insightCell{Text: "fewer than " + strconv.Itoa(ag.Threshold)}
		}
		return insightCell{Text: strconv.Itoa(c.N)}
	}
	v.Total = cell(justculture.Count{N: ag.Total, Suppressed: ag.Total > 0 && ag.Total < ag.Threshold}).Text

	// Every end point of the guide's newest version, in definition order,
	// then any that only older versions have.
	var counts []justculture.Count
	for _, d := range defs {
		if d.GuideID != guideID {
			continue
		}
		for _, ep := range d.Guide.EndPoints() {
			if slices.ContainsFunc(counts, func(c justculture.Count) bool { return c.Key == ep.ID }) {
				continue
			}
			c := justculture.Count{Key: ep.ID, Label: ep.Title}
			if i := slices.IndexFunc(ag.EndPoints, func(x justculture.Count) bool { return x.Key == ep.ID }); i >= 0 {
				c = ag.EndPoints[i]
			}
			counts = append(counts, c)
		}
	}
	largest := ag.Threshold
	for _, c := range counts {
		largest = max(largest, c.N)
	}
	for i, c := range counts {
		b := insightBar{ID: c.Key, Title: c.Label, Text: cell(c).Text, Suppressed: c.Suppressed,
			Y: chartTopSpace + i*chartRowH}
		b.TextY = b.Y + chartBarH - 7
		if !c.Suppressed && c.N > 0 {
			b.Width = max(2, c.N*chartBarMax/largest)
		}
		b.ValueX = chartLabelW + b.Width + 8
		v.Bars = append(v.Bars, b)
	}
	v.ChartHeight = chartTopSpace*2 + len(counts)*chartRowH

	cols := make([]string, len(ag.EndPoints))
	for i, c := range ag.EndPoints {
		cols[i] = c.Key
	}
	v.ByMonth = insightTable{Caption: "Completed assessments by month and end point", RowHead: "Month", Cols: cols}
	for _, m := range ag.Months {
		row := insightRow{Head: monthLabel(m)}
		for _, c := range ag.ByMonth[m] {
			row.Cells = append(row.Cells, cell(c))
		}
		v.ByMonth.Rows = append(v.ByMonth.Rows, row)
	}
	v.ByGroup = transposeCounts("Completed assessments by staff group of the person assessed, and end point", "Staff group", cols, ag.StaffGroup, cell,
		func(k string) string {
			if n, ok := groupName[k]; ok {
				return n
			}
			return k
		})
	v.ByEthnicity = transposeCounts("Completed assessments by ethnic category of the person assessed, and end point", "Ethnic category", cols, ag.Ethnicity, cell, nil)
	s.render(w, r, http.StatusOK, "assessment_insight", &Page{Title: "Assessments by end point", Form: f, Data: v, BackLink: "/assessments"})
}

// transposeCounts turns counts by end point, then by category, into a
// table with a row per category and a column per end point.
func transposeCounts(caption, rowHead string, cols []string, byEP map[string][]justculture.Count, cell func(justculture.Count) insightCell, label func(string) string) insightTable {
	t := insightTable{Caption: caption, RowHead: rowHead, Cols: cols}
	if len(cols) == 0 {
		return t
	}
	for i, c := range byEP[cols[0]] {
		head := c.Label
		if label != nil {
			head = label(c.Key)
		}
		row := insightRow{Head: head}
		for _, ep := range cols {
			row.Cells = append(row.Cells, cell(byEP[ep][i]))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// monthLabel turns "2026-03" into "March 2026".
func monthLabel(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return t.Format("January 2006")
}
