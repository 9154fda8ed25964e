package api

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"candour/internal/authz"
	"candour/internal/equality"
	"candour/internal/store"
	"candour/internal/validate"
)

// eqGroupJSON is one group of a measure; null fields are withheld (see
// suppressed) or, for rate, cannot be worked out.
type eqGroupJSON struct {
	Group      string   `json:"group"`
	Label      string   `json:"label"`
	Headcount  *float64 `json:"headcount"`
	Entered    *int     `json:"entered"`
	Rate       *float64 `json:"rate"`
	Suppressed bool     `json:"suppressed"`
}

// eqSuppressionJSON says what was withheld and why.
type eqSuppressionJSON struct {
	What string `json:"what"`
	Why  string `json:"why"`
}

// eqMeasureJSON is WRES indicator 3 or WDES metric 3 for a period.
type eqMeasureJSON struct {
	Measure        string              `json:"measure"`
	Title          string              `json:"title"`
	From           string              `json:"from"`
	To             string              `json:"to"`
	Rolling        bool                `json:"rolling"`
	HeadcountDates []string            `json:"headcount_dates"`
	Threshold      int                 `json:"threshold"`
	Groups         []eqGroupJSON       `json:"groups"`
	Ratio          *float64            `json:"ratio"`
	RatioNote      string              `json:"ratio_note,omitempty"`
	Suppressed     []eqSuppressionJSON `json:"suppressed"`
	DataQuality    map[string]any      `json:"data_quality"`
}

// eqPeriod reads ?from=YYYY-MM-DD&to=YYYY-MM-DD and, where allowRolling,
// &rolling=true. to defaults to today and from to the day after the same
// date a year before; with rolling, from is not used.
func (s *Server) eqPeriod(r *http.Request, allowRolling bool) (equality.Period, validate.Errors) {
	q := r.URL.Query()
	var errs validate.Errors
	rolling := false
	if allowRolling {
		switch q.Get("rolling") {
		case "", "false":
		case "true":
			rolling = true
		default:
			errs.Add("rolling", "must be true or false")
		}
	}
	to := s.Now().UTC()
	if v := q.Get("to"); v != "" {
		d, err := time.Parse(store.DateLayout, v)
		if err != nil {
			errs.Add("to", "must be a real date as YYYY-MM-DD")
		}
		to = d
	}
	from := to.AddDate(-1, 0, 1)
	if v := q.Get("from"); v != "" && !rolling {
		d, err := time.Parse(store.DateLayout, v)
		if err != nil {
			errs.Add("from", "must be a real date as YYYY-MM-DD")
		}
		from = d
	}
	if len(errs) > 0 {
		return equality.Period{}, errs
	}
	per, err := equality.NewPeriod(from, to, rolling)
	switch {
	case errors.Is(err, equality.ErrPeriodOrder):
		errs.Add("to", "must be the same as or after from")
	case errors.Is(err, equality.ErrPeriodTooLong):
		errs.Add("from", fmt.Sprintf("must be less than %d years before to", equality.MaxPeriodYears))
	}
	return per, errs
}

func eqSuppressed(in []equality.Suppression) []eqSuppressionJSON {
	out := []eqSuppressionJSON{}
	for _, x := range in {
		out = append(out, eqSuppressionJSON{What: x.What, Why: x.Why})
	}
	return out
}

// equalityMeasure returns one measure, small numbers suppressed, for HR and
// executives.
func (s *Server) equalityMeasure(k equality.Kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		per, errs := s.eqPeriod(r, true)
		if len(errs) > 0 {
			invalid(w, r, errs)
			return
		}
		res, err := s.Equality.Measure(r.Context(), authz.PrincipalFrom(r.Context()), k, per)
		if err != nil {
			if errors.Is(err, equality.ErrNotAllowed) {
				notFound(w, r, "This measure")
				return
			}
			s.internal(w, r, err)
			return
		}
		out := eqMeasureJSON{Measure: string(res.Kind), Title: res.Title, From: per.From.Format(store.DateLayout),
			To: per.To.Format(store.DateLayout), Rolling: per.Rolling, HeadcountDates: res.HeadcountDates, Threshold: res.Threshold,
			Ratio: res.Ratio, RatioNote: res.RatioNote, Suppressed: eqSuppressed(res.Suppressed)}
		for _, g := range res.Groups {
			out.Groups = append(out.Groups, eqGroupJSON{Group: g.Key, Label: g.Label, Headcount: g.Headcount, Entered: g.Entered, Rate: g.Rate, Suppressed: g.Suppressed})
		}
		q := res.Quality
		out.DataQuality = map[string]any{
			"unknown_headcount":       q.UnknownHeadcount,
			"unknown_headcount_share": q.UnknownHeadcountShare,
			"unknown_entered":         q.UnknownEntered,
			"unknown_entered_share":   q.UnknownEnteredShare,
			"notes":                   q.Notes,
		}
		if k == equality.WDES3 {
			out.DataQuality["declared_disabled_share"] = q.DeclaredDisabledShare
			out.DataQuality["survey_disabled_share"] = equality.SurveyDisabledShare
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// eqCountJSON is a count, or null when suppressed.
func eqCountJSON(c equality.Count) *int {
	if c.Suppressed {
		return nil
	}
	n := c.N
	return &n
}

// eqRowJSON is one labelled count of a breakdown.
type eqRowJSON struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count *int   `json:"count"`
}

func eqRows(rows []equality.Row) []eqRowJSON {
	out := []eqRowJSON{}
	for _, r := range rows {
		out = append(out, eqRowJSON{Key: r.Key, Label: r.Label, Count: eqCountJSON(r.Count)})
	}
	return out
}

// oversightGet returns the board's oversight figures for HR and executives.
func (s *Server) oversightGet(w http.ResponseWriter, r *http.Request) {
	per, errs := s.eqPeriod(r, false)
	if len(errs) > 0 {
		invalid(w, r, errs)
		return
	}
	o, err := s.Equality.Oversight(r.Context(), authz.PrincipalFrom(r.Context()), per)
	if err != nil {
		if errors.Is(err, equality.ErrNotAllowed) {
			notFound(w, r, "The oversight view")
			return
		}
		s.internal(w, r, err)
		return
	}
	type stageRow struct {
		Type  string `json:"type"`
		Stage string `json:"stage"`
		Label string `json:"label"`
		Count *int   `json:"count"`
	}
	type timing struct {
		Type         string   `json:"type"`
		Stage        string   `json:"stage"`
		Label        string   `json:"label"`
		TargetDays   int      `json:"target_days"`
		Finished     *int     `json:"finished"`
		MedianDays   *float64 `json:"median_days"`
		WithinTarget *float64 `json:"within_target"`
	}
	byStage := []stageRow{}
	for _, x := range o.OpenByStage {
		byStage = append(byStage, stageRow{Type: x.Type, Stage: x.Key, Label: x.Label, Count: eqCountJSON(x.Count)})
	}
	stages := []timing{}
	for _, st := range o.Stages {
		stages = append(stages, timing{Type: st.Type, Stage: st.Stage, Label: st.TypeLabel + ": " + st.StageLabel, TargetDays: st.TargetDays,
			Finished: eqCountJSON(st.Finished), MedianDays: st.MedianDays, WithinTarget: st.WithinTarget})
	}
	sf := o.Suspensions
	writeJSON(w, http.StatusOK, map[string]any{
		"from":      per.From.Format(store.DateLayout),
		"to":        per.To.Format(store.DateLayout),
		"threshold": o.Threshold,
		"open":      map[string]any{"total": eqCountJSON(o.OpenTotal), "by_type": eqRows(o.OpenByType), "by_stage": byStage},
		"stages":    stages,
		"suspensions": map[string]any{"started": eqCountJSON(sf.Started), "total_days": sf.TotalDays,
			"active": eqCountJSON(sf.Active), "longest_open_days": sf.LongestOpenDays},
		"closed": map[string]any{"total": eqCountJSON(o.ClosedTotal), "outcomes": eqRows(o.Outcomes),
			"no_case_to_answer_share": o.NoCaseToAnswerShare},
		"formal": map[string]any{"total": eqCountJSON(o.FormalTotal), "by_type": eqRows(o.FormalByType),
			"by_staff_group": eqRows(o.FormalByStaffGroup), "by_ethnicity": eqRows(o.FormalByEthnicity),
			"by_disability": eqRows(o.FormalByDisability)},
		"suppressed": eqSuppressed(o.Suppressed),
	})
}
