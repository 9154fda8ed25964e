package web_test

import (
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"candour/internal/app/apptest"
	"candour/internal/authz"
	"candour/internal/equality/equalitytest"
)

// eqPageWorld has 100 white staff of whom 6 entered a formal disciplinary
// investigation in 2025-26, and 40 ethnic minority staff of whom 3 did.
func eqPageWorld(t *testing.T, e *apptest.Env) *equalitytest.Fixture {
	t.Helper()
	f := equalitytest.New(t, e.DB)
	white := f.People(t, 100, equalitytest.Person{Ethnic: "A", Disability: "no"})
	minority := f.People(t, 40, equalitytest.Person{Ethnic: "H", Disability: "no"})
	for _, p := range append(white[:6:6], minority[:3]...) {
		f.Case(t, equalitytest.Case{Person: p, Type: "disciplinary", Formal: "2025-05-01"})
	}
	return f
}

func eqHas(t *testing.T, what, body string, want ...string) {
	t.Helper()
	text := html.UnescapeString(body)
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s does not say %q", what, w)
		}
	}
}

func TestEqualityPage(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		eqPageWorld(t, e)
		exec := e.SignIn(t, authz.Exec)
		status, body := e.Get(t, exec, "/equality?from-day=1&from-month=4&from-year=2025&to-day=31&to-month=3&to-year=2026")
		if status != http.StatusOK {
			t.Fatalf("equality page: %d", status)
		}
		eqHas(t, "equality page", body, "1 April 2025 to 31 March 2026",
			"WRES indicator 3", "WDES metric 3",
			"White staff", "100", "6.0%", // shown
			"Ethnic minority staff", "fewer than 5", "withheld", // 3 entering is hidden, with its rate
			"Relative likelihood: not shown", "Ethnic minority staff, number entering: The number is fewer than 5",
			"Disability is under-declared", "about 18%",
			`<svg`, `role="img"`)
		if strings.Contains(body, "submission export") {
			t.Error("an executive is offered the HR submission export")
		}
		if status, _ := e.Get(t, exec, "/equality/wres3.csv?from=2025-04-01&to=2026-03-31"); status != http.StatusForbidden {
			t.Errorf("executive download of the submission export: %d, want 403", status)
		}

		// HR sees the same hidden figures, and can download the real ones.
		hr := e.SignIn(t, authz.HR)
		status, body = e.Get(t, hr, "/equality?from-day=1&from-month=4&from-year=2025&to-day=31&to-month=3&to-year=2026")
		if status != http.StatusOK {
			t.Fatalf("equality page for HR: %d", status)
		}
		eqHas(t, "HR's equality page", body, "fewer than 5", "submission export", "/equality/wres3.csv?from=2025-04-01&to=2026-03-31")
		res, err := hr.Get(e.URL("/equality/wres3.csv?from=2025-04-01&to=2026-03-31"))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "wres3-2025-04-01-to-2026-03-31.csv") {
			t.Fatalf("submission export: %d %v", res.StatusCode, res.Header)
		}
		records, err := csv.NewReader(res.Body).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(records) != 4 || strings.Join(records[2], ",") != "wres3,2025-04-01,2026-03-31,no,2026-03-31,ethnic_minority,40,3,7.50,1.25" {
			t.Errorf("submission export = %q", records)
		}
	})
}

// The worked example in domain.md, as the page shows it.
func TestEqualityPageWorkedExample(t *testing.T) {
	e := apptest.NewSQLite(t)
	f := equalitytest.New(t, e.DB)
	white := f.People(t, 2430, equalitytest.Person{Ethnic: "A"})
	minority := f.People(t, 750, equalitytest.Person{Ethnic: "N"})
	for _, p := range append(white[:17:17], minority[:9]...) {
		f.Case(t, equalitytest.Case{Person: p, Type: "disciplinary", Formal: "2024-10-01"})
	}
	status, body := e.Get(t, e.SignIn(t, authz.HR), "/equality?from=2024-04-01&to=2025-03-31")
	if status != http.StatusOK {
		t.Fatalf("equality page: %d", status)
	}
	eqHas(t, "equality page", body, "2,430", "750", "0.7%", "1.2%", "Relative likelihood: 1.72",
		"Ethnic minority staff were 1.72 times as likely as white staff to enter a formal disciplinary investigation")
}

func TestEqualityPageBadInput(t *testing.T) {
	e := apptest.NewSQLite(t)
	hr := e.SignIn(t, authz.HR)
	for _, c := range []struct{ query, message string }{
		{"from-day=1&from-month=4&from-year=2026&to-day=31&to-month=3&to-year=2026", "The end date must be the same as or after the start date"},
		{"from-day=30&from-month=2&from-year=2025&to-day=31&to-month=3&to-year=2026", "The start date must be a real date"},
		{"from-day=1&from-month=1&from-year=2020&to-day=1&to-month=1&to-year=2025", "The period must be 5 years or shorter"},
		{"from-day=1&from-month=4&from-year=2025&to-day=31&to-month=3", "The end date must include a year"},
	} {
		for _, path := range []string{"/equality", "/oversight"} {
			status, body := e.Get(t, hr, path+"?"+c.query)
			if status != http.StatusUnprocessableEntity {
				t.Errorf("%s?%s: %d, want 422", path, c.query, status)
				continue
			}
			typed, _ := url.ParseQuery(c.query)
			eqHas(t, path+" with bad dates", body, "There is a problem", c.message,
				`name="from-day" type="text" value="`+typed.Get("from-day")+`"`, `name="to-month" type="text" value="`+typed.Get("to-month")+`"`)
			if strings.Contains(body, "Relative likelihood") || strings.Contains(body, "Open cases by type") {
				t.Errorf("%s?%s shows figures despite the problem", path, c.query)
			}
		}
	}
	if status, body := e.Get(t, hr, "/equality/wdes3.csv?from=2026-04-01&to=2026-03-31"); status != http.StatusBadRequest || !strings.Contains(body, "The end date must be") {
		t.Errorf("export with the dates reversed: %d %s", status, body)
	}
}

func TestOversightAndPartnershipPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, e *apptest.Env) {
		f := eqPageWorld(t, e)
		period := "?from=2025-04-01&to=2026-03-31"
		status, body := e.Get(t, e.SignIn(t, authz.Exec), "/oversight"+period)
		if status != http.StatusOK {
			t.Fatalf("oversight: %d", status)
		}
		eqHas(t, "oversight page", body, "Casework oversight", "Open cases by type", "Disciplinary", "9",
			"Cases entering the formal process, by ethnicity", "fewer than 5", "What is hidden and why",
			"Download these figures (CSV)", "No stages finished in this period.")
		res, err := e.SignIn(t, authz.Exec).Get(e.URL("/oversight.csv" + period))
		if err != nil {
			t.Fatal(err)
		}
		records, err := csv.NewReader(res.Body).ReadAll()
		res.Body.Close()
		if err != nil || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Fatalf("oversight CSV: %v %v", err, res.Header)
		}
		found := map[string]string{}
		for _, r := range records {
			found[r[0]+"/"+r[1]] = r[2]
		}
		if found["open cases/total"] != "9" || found["entering the formal process by ethnicity/Ethnic minority"] != "fewer than 5" {
			t.Errorf("oversight CSV = %q", records)
		}

		// The partnership view: a union rep who is not the staff-side lead
		// finds nothing there; once named, they see the figures.
		rep := e.SignIn(t, authz.UnionRep)
		if status, body := e.Get(t, rep, "/partnership"+period); status != http.StatusNotFound || !strings.Contains(body, "Page not found") {
			t.Errorf("partnership for a rep who is not the lead: %d", status)
		}
		f.Designate(t, e.Users[authz.UnionRep].ID, "staff_side_lead")
		status, body = e.Get(t, rep, "/partnership"+period)
		if status != http.StatusOK {
			t.Fatalf("partnership for the lead: %d", status)
		}
		eqHas(t, "partnership page", body, "Partnership view", "the same anonymised figures", "Open cases by type", "fewer than 5")
		if strings.Contains(body, "Download these figures") {
			t.Error("the partnership view offers the oversight download")
		}
		if status, _ := e.Get(t, e.SignIn(t, authz.HR), "/partnership"+period); status != http.StatusOK {
			t.Errorf("partnership for HR: %d", status)
		}
	})
}
