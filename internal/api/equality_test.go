package api_test

import (
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"

	"candour/internal/app/apptest"
	"candour/internal/authz"
	"candour/internal/equality/equalitytest"
)

// eqWorld has 100 white staff of whom 6 entered a formal disciplinary
// investigation in 2025-26, 40 ethnic minority staff of whom 3 did, and 10
// with no ethnicity recorded of whom 2 did; and 2 disabled staff, none in
// capability, who have no ethnicity recorded either (so 12 in all have
// none). The 100 white staff are recorded as not disabled.
func eqWorld(t *testing.T, e *apptest.Env) {
	t.Helper()
	f := equalitytest.New(t, e.DB)
	white := f.People(t, 100, equalitytest.Person{Ethnic: "A", Disability: "no"})
	minority := f.People(t, 40, equalitytest.Person{Ethnic: "H"})
	unknown := f.People(t, 10, equalitytest.Person{})
	f.People(t, 2, equalitytest.Person{Disability: "yes"})
	for _, p := range append(append(white[:6:6], minority[:3]...), unknown[:2]...) {
		id := f.Case(t, equalitytest.Case{Person: p, Type: "disciplinary", Formal: "2025-05-01"})
		f.Stage(t, id, "investigation", "2025-05-01", "2025-06-12", "")
	}
}

type eqMeasure struct {
	From, To       string
	Rolling        bool
	HeadcountDates []string `json:"headcount_dates"`
	Threshold      int
	Groups         []struct {
		Group      string
		Headcount  *float64
		Entered    *int
		Rate       *float64
		Suppressed bool
	}
	Ratio       *float64
	Suppressed  []struct{ What, Why string }
	DataQuality map[string]any `json:"data_quality"`
}

func TestEqualityAPI(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		eqWorld(t, e)
		exec := e.Token(t, authz.Exec)
		res, body := e.API(t, "GET", "/api/v1/equality/wres3?from=2025-04-01&to=2026-03-31", exec, "", nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("wres3: %d %s", res.StatusCode, body)
		}
		var m eqMeasure
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			t.Fatal(err)
		}
		if m.From != "2025-04-01" || m.To != "2026-03-31" || m.Rolling || m.Threshold != 5 || len(m.Groups) != 2 {
			t.Fatalf("measure = %+v", m)
		}
		w, em := m.Groups[0], m.Groups[1]
		if w.Group != "white" || *w.Headcount != 100 || *w.Entered != 6 || math.Abs(*w.Rate-0.06) > 1e-12 || w.Suppressed {
			t.Errorf("white = %+v", w)
		}
		if em.Group != "ethnic_minority" || *em.Headcount != 40 || em.Entered != nil || em.Rate != nil || !em.Suppressed {
			t.Errorf("ethnic minority = %+v, want entered and rate null", em)
		}
		if m.Ratio != nil || !strings.Contains(body, `"ratio":null`) || !strings.Contains(body, `"entered":null`) {
			t.Errorf("withheld figures should be null: %s", body)
		}
		var whats []string
		for _, s := range m.Suppressed {
			whats = append(whats, s.What)
			if s.Why == "" {
				t.Errorf("%s withheld without a reason", s.What)
			}
		}
		if got := strings.Join(whats, ","); got != "ethnic_minority.entered,ethnic_minority.rate,ratio,unknown.entered,unknown.entered_share" {
			t.Errorf("suppressed = %s", got)
		}
		if m.DataQuality["unknown_headcount"] != 12.0 || m.DataQuality["unknown_entered"] != nil {
			t.Errorf("data quality = %v", m.DataQuality)
		}

		// WDES, two-year rolling: the period is the 24 months to the end date.
		res, body = e.API(t, "GET", "/api/v1/equality/wdes3?to=2026-03-31&rolling=true", e.Token(t, authz.HR), "", nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("wdes3: %d %s", res.StatusCode, body)
		}
		m = eqMeasure{}
		json.Unmarshal([]byte(body), &m)
		if m.From != "2024-04-01" || !m.Rolling || strings.Join(m.HeadcountDates, ",") != "2026-03-31,2025-03-31" ||
			m.Groups[0].Group != "non_disabled" || m.Groups[1].Group != "disabled" || m.Groups[1].Headcount != nil {
			t.Errorf("wdes3 rolling = %s", body)
		}
		if _, ok := m.DataQuality["declared_disabled_share"]; !ok || m.DataQuality["survey_disabled_share"] != 0.18 {
			t.Errorf("wdes3 data quality = %v", m.DataQuality)
		}
	})
}

func TestEqualityAPIBadInput(t *testing.T) {
	e := apptest.NewSQLite(t)
	hr := e.Token(t, authz.HR)
	for _, c := range []struct{ query, field, message string }{
		{"from=2026-04-01&to=2026-03-31", "to", "after from"},
		{"from=2025-02-30&to=2026-03-31", "from", "real date"},
		{"from=2025-04-01&to=31/03/2026", "to", "real date"},
		{"from=2020-01-01&to=2025-01-01", "from", "5 years"},
		{"to=2026-03-31&rolling=yes please", "rolling", "true or false"},
	} {
		for _, path := range []string{"/api/v1/equality/wres3", "/api/v1/equality/wdes3"} {
			res, body := e.API(t, "GET", path+"?"+strings.ReplaceAll(c.query, " ", "%20"), hr, "", nil)
			if res.StatusCode != http.StatusUnprocessableEntity || res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s?%s: %d %s, want a 422 problem", path, c.query, res.StatusCode, body)
				continue
			}
			var p struct {
				Errors []struct {
					Field   string
					Message string `json:"detail"`
				}
			}
			json.Unmarshal([]byte(body), &p)
			if len(p.Errors) != 1 || p.Errors[0].Field != c.field || !strings.Contains(p.Errors[0].Message, c.message) {
				t.Errorf("%s?%s: errors %+v, want %s: %s", path, c.query, p.Errors, c.field, c.message)
			}
		}
	}
	res, body := e.API(t, "GET", "/api/v1/oversight?from=2026-04-01&to=2026-03-31", hr, "", nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"field":"to"`) {
		t.Errorf("oversight with the dates reversed: %d %s", res.StatusCode, body)
	}
}

func TestOversightAPI(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		eqWorld(t, e)
		res, body := e.API(t, "GET", "/api/v1/oversight?from=2025-04-01&to=2026-03-31", e.Token(t, authz.Exec), "", nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("oversight: %d %s", res.StatusCode, body)
		}
		var o struct {
			Open struct {
				Total  *int
				ByType []struct {
					Key   string
					Count *int
				} `json:"by_type"`
				ByStage []struct {
					Type, Stage string
					Count       *int
				} `json:"by_stage"`
			}
			Formal struct {
				Total       *int
				ByEthnicity []struct {
					Key   string
					Count *int
				} `json:"by_ethnicity"`
			}
			Suppressed []struct{ What, Why string }
		}
		if err := json.Unmarshal([]byte(body), &o); err != nil {
			t.Fatal(err)
		}
		if *o.Open.Total != 11 || o.Open.ByType[0].Key != "disciplinary" || *o.Open.ByType[0].Count != 11 {
			t.Errorf("open = %s", body)
		}
		if len(o.Open.ByStage) == 0 || o.Open.ByStage[1].Type != "disciplinary" || o.Open.ByStage[1].Stage != "investigation" || *o.Open.ByStage[1].Count != 11 {
			t.Errorf("open by stage = %+v", o.Open.ByStage)
		}
		// 6 white, 3 ethnic minority, 2 not known: the 3 and the 2 are
		// hidden, and together they are enough that nothing else need be.
		eth := o.Formal.ByEthnicity
		if *o.Formal.Total != 11 || *eth[0].Count != 6 || eth[1].Count != nil || eth[2].Count != nil {
			t.Errorf("formal by ethnicity = %s", body)
		}
		if !strings.Contains(body, `"count":null`) || len(o.Suppressed) == 0 {
			t.Errorf("suppressed counts should be null and listed: %s", body)
		}
	})
}
