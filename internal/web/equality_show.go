package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"candour/internal/authz"
	"candour/internal/equality"
	"candour/internal/store"
)

// eqBar is one bar of a chart of rates or counts.
type eqBar struct {
	Label      string
	Text       string // the value as shown
	Y, LabelY  int
	BarY, Mid  int
	Width      int
	ValueX     int
	Suppressed bool
}

// eqChart is a horizontal bar chart drawn on the server: each label sits on
// its own line above its bar, so long group names never overlap the bars.
type eqChart struct {
	Title, Desc string
	Bars        []eqBar
	Height      int
}

// Chart geometry, in SVG user units.
const (
	eqChartBarMax = 260
	eqChartRowH   = 58
	eqChartBarH   = 24
)

// newEqChart lays out bars for values (nil when withheld, shown as text).
func newEqChart(title string, labels, texts []string, values []*float64) eqChart {
	c := eqChart{Title: title}
	largest := 0.0
	for _, v := range values {
		if v != nil && *v > largest {
			largest = *v
		}
	}
	var desc []string
	for i, l := range labels {
		b := eqBar{Label: l, Text: texts[i], Y: 4 + i*eqChartRowH, Suppressed: values[i] == nil}
		b.LabelY = b.Y + 18
		b.BarY = b.Y + 26
		b.Mid = b.BarY + eqChartBarH - 7
		if values[i] != nil && *values[i] > 0 && largest > 0 {
			b.Width = max(2, int(*values[i]/largest*eqChartBarMax))
		}
		b.ValueX = b.Width + 8
		c.Bars = append(c.Bars, b)
		desc = append(desc, l+": "+texts[i])
	}
	c.Height = 8 + len(labels)*eqChartRowH
	c.Desc = strings.Join(desc, "; ") + ". The same figures are in the table."
	return c
}

// eqGroupRow is one row of a measure's table.
type eqGroupRow struct {
	Label, Headcount, Entered, Rate string
}

// eqMeasureView is one measure as the page shows it.
type eqMeasureView struct {
	ID, Title    string
	Rows         []eqGroupRow
	Chart        eqChart
	Ratio        string
	RatioMeaning string
	RatioMissing string
	Quality      []string
	Notes        []string
	Suppressed   []string
	CSV          string
}

// equalityView is the data of the equality page.
type equalityView struct {
	Shown     bool
	Period    string
	Threshold int
	Rolling   bool
	Measures  []eqMeasureView
	// HR is true for HR users, who may download the submission export.
	HR bool
}

// equalityShow shows WRES indicator 3 and WDES metric 3 side by side for a
// period, small numbers suppressed, with the HR submission export offered
// to HR.
func (s *Server) equalityShow(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	f, per, ok := s.equalityPeriod(r, true)
	v := equalityView{Rolling: f.Get("rolling") == "yes", HR: p.Has(authz.HR)}
	if !ok {
		s.render(w, r, http.StatusUnprocessableEntity, "equality", &Page{Title: "Equality in casework", Form: f, Data: v})
		return
	}
	for _, k := range []equality.Kind{equality.WRES3, equality.WDES3} {
		res, err := s.Equality.Measure(r.Context(), p, k, per)
		if err != nil {
			if errors.Is(err, equality.ErrNotAllowed) {
				s.notFound(w, r)
				return
			}
			s.serverError(w, r, err)
			return
		}
		v.Threshold = res.Threshold
		v.Measures = append(v.Measures, eqMeasure(res, "/equality/"+string(k)+".csv?"+eqPeriodQuery(per)))
	}
	v.Shown, v.Period = true, eqPeriodText(per)
	s.render(w, r, http.StatusOK, "equality", &Page{Title: "Equality in casework", Form: f, Data: v})
}

// eqMeasure turns a result into what the page shows.
func eqMeasure(res equality.Result, csvLink string) eqMeasureView {
	m := eqMeasureView{ID: string(res.Kind), Title: res.Title, CSV: csvLink}
	few := eqFewerThan(res.Threshold)
	var labels, texts []string
	var values []*float64
	for _, g := range res.Groups {
		row := eqGroupRow{Label: g.Label, Headcount: few, Entered: few, Rate: "withheld"}
		if g.Headcount != nil {
			row.Headcount = eqHeadcount(*g.Headcount)
		}
		if g.Entered != nil {
			row.Entered = eqThousands(*g.Entered)
		}
		var pctValue *float64
		switch {
		case g.Rate != nil:
			row.Rate = eqPercent(*g.Rate)
			x := *g.Rate * 100
			pctValue = &x
		case g.Headcount != nil && *g.Headcount == 0:
			row.Rate = "no staff"
		}
		m.Rows = append(m.Rows, row)
		labels, texts, values = append(labels, g.Label), append(texts, row.Rate), append(values, pctValue)
	}
	m.Chart = newEqChart("Bar chart of the rate of entering the formal process, by group", labels, texts, values)
	cmp, ref := strings.ToLower(res.Groups[1].Label), strings.ToLower(res.Groups[0].Label)
	process := "enter a formal disciplinary investigation"
	if res.Kind == equality.WDES3 {
		process = "enter the formal capability process"
	}
	switch {
	case res.Ratio != nil:
		m.Ratio = strconv.FormatFloat(*res.Ratio, 'f', 2, 64)
		switch {
		case m.Ratio == "1.00":
			m.RatioMeaning = fmt.Sprintf("%s were as likely as %s to %s.", eqUpperFirst(cmp), ref, process)
		default:
			m.RatioMeaning = fmt.Sprintf("%s were %s times as likely as %s to %s. Above 1 means %s were more likely.", eqUpperFirst(cmp), m.Ratio, ref, process, cmp)
		}
	case res.RatioNote != "":
		m.RatioMissing = res.RatioNote
	default:
		m.RatioMissing = "The ratio is withheld because it would let a hidden number be worked out."
	}
	q := res.Quality
	what := "ethnicity not known or not stated"
	if res.Kind == equality.WDES3 {
		what = "disability not known or preferred not to say"
	}
	line := "Staff with " + what + ": "
	switch {
	case q.UnknownHeadcount == nil:
		line += few
	case q.UnknownHeadcountShare != nil:
		line += eqHeadcount(*q.UnknownHeadcount) + " (" + eqPercent(*q.UnknownHeadcountShare) + " of all staff)"
	default:
		line += eqHeadcount(*q.UnknownHeadcount)
	}
	m.Quality = append(m.Quality, line)
	line = "Of those entering, with " + what + ": "
	switch {
	case q.UnknownEntered == nil:
		line += few
	case q.UnknownEnteredShare != nil:
		line += eqThousands(*q.UnknownEntered) + " (" + eqPercent(*q.UnknownEnteredShare) + ")"
	default:
		line += eqThousands(*q.UnknownEntered)
	}
	m.Quality = append(m.Quality, line)
	if res.Kind == equality.WDES3 {
		line = "Recorded as disabled: "
		if q.DeclaredDisabledShare != nil {
			line += eqPercent(*q.DeclaredDisabledShare) + " of staff, against about 18% who say they are disabled in the NHS Staff Survey"
		} else {
			line += "withheld"
		}
		m.Quality = append(m.Quality, line)
	}
	m.Notes = q.Notes
	for _, x := range res.Suppressed {
		m.Suppressed = append(m.Suppressed, x.Why)
	}
	return m
}

// eqUpperFirst capitalises the first letter.
func eqUpperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// equalityCSV sends HR the unsuppressed figures of one measure, as a trust
// needs them for its WRES or WDES return. The download is audited.
func (s *Server) equalityCSV(k equality.Kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, per, ok := s.equalityPeriod(r, true)
		if !ok {
			csvBadRequest(w, f.Errors)
			return
		}
		res, err := s.Equality.Submission(r.Context(), authz.PrincipalFrom(r.Context()), k, per)
		if err != nil {
			if errors.Is(err, equality.ErrNotAllowed) {
				s.notFound(w, r)
				return
			}
			s.serverError(w, r, err)
			return
		}
		name := fmt.Sprintf("%s-%s-to-%s.csv", k, per.From.Format(store.DateLayout), per.To.Format(store.DateLayout))
		cw := csvDownload(w, name)
		cw.Write([]string{"measure", "from", "to", "rolling", "headcount_dates", "group", "headcount", "entered", "rate_percent", "relative_likelihood"})
		ratio := ""
		if res.Ratio != nil {
			ratio = strconv.FormatFloat(*res.Ratio, 'f', 2, 64)
		}
		rolling := "no"
		if per.Rolling {
			rolling = "yes"
		}
		for _, g := range append(res.Groups, res.Unknown) {
			rate, rowRatio := "", ""
			if g.Rate != nil {
				rate = strconv.FormatFloat(*g.Rate*100, 'f', 2, 64)
			}
			if g.Key != equality.GroupUnknown {
				rowRatio = ratio
			}
			cw.Write([]string{string(k), per.From.Format(store.DateLayout), per.To.Format(store.DateLayout), rolling,
				strings.Join(res.HeadcountDates, " and "), g.Key, strconv.FormatFloat(*g.Headcount, 'f', -1, 64),
				strconv.Itoa(*g.Entered), rate, rowRatio})
		}
		cw.Flush()
	}
}
