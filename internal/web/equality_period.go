package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"candour/internal/equality"
	"candour/internal/store"
)

// equalityPeriod reads the period form of the equality, oversight and
// partnership pages: from and to as date inputs (or, from a link, as
// ?from=YYYY-MM-DD&to=YYYY-MM-DD), and, where allowRolling, the two-year
// rolling checkbox. With no dates it is the 12 months to today. Problems go
// on the form against the field to correct, keeping what was typed.
func (s *Server) equalityPeriod(r *http.Request, allowRolling bool) (*Form, equality.Period, bool) {
	in := r.URL.Query()
	f := &Form{Values: url.Values{}}
	for _, k := range []string{"from-day", "from-month", "from-year", "to-day", "to-month", "to-year"} {
		if v := strings.TrimSpace(in.Get(k)); v != "" {
			f.Values.Set(k, v)
		}
	}
	f.Values = cleanValues(f.Values)
	rolling := allowRolling && (in.Get("rolling") == "yes" || in.Get("rolling") == "true")
	if rolling {
		f.Values.Set("rolling", "yes")
	}
	for _, name := range []string{"from", "to"} {
		if f.Get(name+"-day") == "" && f.Get(name+"-month") == "" && f.Get(name+"-year") == "" {
			if d := strings.TrimSpace(in.Get(name)); d != "" {
				if _, err := time.Parse(store.DateLayout, d); err == nil {
					setDateValues(f.Values, name, d)
				} else {
					f.Errors.Add(name+"-day", eqDateLabel(name)+" must be a real date, like 31 3 2026")
				}
			}
		}
	}
	today := s.Now().In(london())
	to, problem := formDate(f, "to", "The end date")
	if problem != "" {
		f.Errors.Add("to-day", problem)
	} else if to == "" && f.Err("to-day") == "" {
		to = today.Format(store.DateLayout)
		setDateValues(f.Values, "to", to)
	}
	from := ""
	if !rolling {
		from, problem = formDate(f, "from", "The start date")
		if problem != "" {
			f.Errors.Add("from-day", problem)
		} else if from == "" && f.Err("from-day") == "" && to != "" {
			t, _ := time.Parse(store.DateLayout, to)
			from = t.AddDate(-1, 0, 1).Format(store.DateLayout)
			setDateValues(f.Values, "from", from)
		}
	}
	if len(f.Errors) > 0 {
		return f, equality.Period{}, false
	}
	toT, _ := time.Parse(store.DateLayout, to)
	fromT := toT
	if !rolling {
		fromT, _ = time.Parse(store.DateLayout, from)
	}
	per, err := equality.NewPeriod(fromT, toT, rolling)
	switch {
	case errors.Is(err, equality.ErrPeriodOrder):
		f.Errors.Add("to-day", "The end date must be the same as or after the start date")
	case errors.Is(err, equality.ErrPeriodTooLong):
		f.Errors.Add("from-day", fmt.Sprintf("The period must be %d years or shorter", equality.MaxPeriodYears))
	}
	if len(f.Errors) > 0 {
		return f, equality.Period{}, false
	}
	return f, per, true
}

// eqDateLabel names a date field in messages.
func eqDateLabel(name string) string {
	if name == "from" {
		return "The start date"
	}
	return "The end date"
}

// eqPeriodQuery is the period as a query string for links (CSV downloads).
func eqPeriodQuery(per equality.Period) string {
	v := url.Values{}
	v.Set("from", per.From.Format(store.DateLayout))
	v.Set("to", per.To.Format(store.DateLayout))
	if per.Rolling {
		v.Set("rolling", "yes")
	}
	return v.Encode()
}

// eqPeriodText is the period in words.
func eqPeriodText(per equality.Period) string {
	s := formatDate(per.From.Format(store.DateLayout)) + " to " + formatDate(per.To.Format(store.DateLayout))
	if per.Rolling {
		s += " (two-year rolling)"
	}
	return s
}

// eqThousands writes a whole number with commas: 2430 is "2,430".
func eqThousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// eqHeadcount writes a headcount, which for the rolling measure may be a
// mean ending in .5.
func eqHeadcount(h float64) string {
	if h == math.Trunc(h) {
		return eqThousands(int(h))
	}
	return eqThousands(int(h)) + "." + strconv.Itoa(int(math.Round((h-math.Trunc(h))*10)))
}

// eqPercent writes a fraction as a percentage to one decimal place.
func eqPercent(x float64) string { return strconv.FormatFloat(x*100, 'f', 1, 64) + "%" }

// eqFewerThan is how a suppressed count is shown.
func eqFewerThan(threshold int) string { return "fewer than " + strconv.Itoa(threshold) }

// eqCount shows a count, or "fewer than N" when suppressed.
func eqCount(c equality.Count, threshold int) string {
	if c.Suppressed {
		return eqFewerThan(threshold)
	}
	return eqThousands(c.N)
}
