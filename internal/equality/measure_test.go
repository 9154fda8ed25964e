package equality_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"candour/internal/authz"
	"candour/internal/equality"
	"candour/internal/equality/equalitytest"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

var ctx = context.Background()

func date(s string) time.Time {
	t, err := time.Parse(store.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

func period(t *testing.T, from, to string, rolling bool) equality.Period {
	t.Helper()
	p, err := equality.NewPeriod(date(from), date(to), rolling)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// enter gives each person a case of the type that became formal on the day.
func enter(t *testing.T, f *equalitytest.Fixture, typ, on string, people []int64) {
	t.Helper()
	for _, p := range people {
		f.Case(t, equalitytest.Case{Person: p, Type: typ, Formal: on})
	}
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// group finds a group of a result by key.
func group(t *testing.T, r equality.Result, key string) equality.Group {
	t.Helper()
	for _, g := range r.Groups {
		if g.Key == key {
			return g
		}
	}
	t.Fatalf("no group %q in %+v", key, r.Groups)
	return equality.Group{}
}

func whatList(s []equality.Suppression) string {
	var out []string
	for _, x := range s {
		out = append(out, x.What)
	}
	return strings.Join(out, ",")
}

// The worked example in domain.md: 2,430 white staff of whom 17 entered a
// formal disciplinary investigation, 750 ethnic minority staff of whom 9
// did: 0.7% against 1.2%, a ratio of 1.7.
func TestWRES3WorkedExample(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := equalitytest.New(t, db)
		white := f.People(t, 2430, equalitytest.Person{Ethnic: "A"})
		minority := f.People(t, 750, equalitytest.Person{Ethnic: "N"})
		enter(t, f, "disciplinary", "2024-06-03", white[:16])
		enter(t, f, "disciplinary", "2025-03-31", white[16:17]) // the last day counts
		enter(t, f, "disciplinary", "2024-04-01", minority[:9]) // the first day counts
		// Not entries in the period: a second case for someone already
		// counted, an early concern that never became formal, formal the
		// day before the period, another case type, and an appeal.
		enter(t, f, "disciplinary", "2024-09-01", white[:1])
		f.Case(t, equalitytest.Case{Person: white[100], Type: "disciplinary", Opened: "2024-05-01"})
		enter(t, f, "disciplinary", "2024-03-31", white[200:201])
		enter(t, f, "grievance", "2024-07-01", minority[100:110])
		enter(t, f, "appeal", "2024-08-01", minority[200:201])

		hr := f.User(t, "Harper HR", authz.HR)
		svc := equality.NewService(db)
		r, err := svc.Measure(ctx, hr, equality.WRES3, period(t, "2024-04-01", "2025-03-31", false))
		if err != nil {
			t.Fatal(err)
		}
		w, m := group(t, r, equality.GroupWhite), group(t, r, equality.GroupEthnicMinority)
		if *w.Headcount != 2430 || *w.Entered != 17 || *m.Headcount != 750 || *m.Entered != 9 {
			t.Fatalf("counts: white %v/%v, minority %v/%v", *w.Entered, *w.Headcount, *m.Entered, *m.Headcount)
		}
		if got := round1(*w.Rate * 100); got != 0.7 {
			t.Errorf("white rate = %.1f%%, want 0.7%%", got)
		}
		if got := round1(*m.Rate * 100); got != 1.2 {
			t.Errorf("ethnic minority rate = %.1f%%, want 1.2%%", got)
		}
		if r.Ratio == nil || round1(*r.Ratio) != 1.7 {
			t.Fatalf("ratio = %v, want 1.7", r.Ratio)
		}
		if len(r.Suppressed) != 0 {
			t.Errorf("nothing should be suppressed, got %s", whatList(r.Suppressed))
		}
		if q := r.Quality; *q.UnknownHeadcount != 0 || *q.UnknownEntered != 0 || *q.UnknownHeadcountShare != 0 {
			t.Errorf("data quality = %+v, want no unknowns", q)
		}
		// The read is in the audit log.
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'equality.view' AND entity_id = 'wres3' AND actor_id = ?`, hr.UserID).Scan(&n); err != nil || n != 1 {
			t.Errorf("audit entries = %d, %v; want 1", n, err)
		}
	})
}

func TestWRES3SuppressesSmallNumbers(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := equalitytest.New(t, db)
		white := f.People(t, 100, equalitytest.Person{Ethnic: "B"})
		minority := f.People(t, 40, equalitytest.Person{Ethnic: "H"})
		unknown := f.People(t, 10, equalitytest.Person{})
		enter(t, f, "disciplinary", "2025-05-01", white[:6])
		enter(t, f, "disciplinary", "2025-05-01", minority[:3])
		enter(t, f, "disciplinary", "2025-05-01", unknown[:1])
		per := period(t, "2025-04-01", "2026-03-31", false)
		svc := equality.NewService(db)
		exec := f.User(t, "Eden Exec", authz.Exec)

		r, err := svc.Measure(ctx, exec, equality.WRES3, per)
		if err != nil {
			t.Fatal(err)
		}
		if r.Threshold != 5 {
			t.Errorf("threshold = %d, want the default 5", r.Threshold)
		}
		w, m := group(t, r, equality.GroupWhite), group(t, r, equality.GroupEthnicMinority)
		if w.Suppressed || *w.Entered != 6 || *w.Headcount != 100 || *w.Rate != 0.06 {
			t.Errorf("white = %+v, want shown: 6 of 100", w)
		}
		if !m.Suppressed || m.Entered != nil || m.Rate != nil || m.Headcount == nil || *m.Headcount != 40 {
			t.Errorf("ethnic minority = %+v, want entered and rate withheld, headcount 40 shown", m)
		}
		if r.Ratio != nil {
			t.Errorf("ratio = %v, want withheld", *r.Ratio)
		}
		q := r.Quality
		if q.UnknownEntered != nil || q.UnknownEnteredShare != nil {
			t.Errorf("unknown entrants shown: %+v", q)
		}
		if q.UnknownHeadcount == nil || *q.UnknownHeadcount != 10 || q.UnknownHeadcountShare == nil || math.Abs(*q.UnknownHeadcountShare-10.0/150) > 1e-9 {
			t.Errorf("unknown headcount = %+v, want 10 of 150", q)
		}
		want := "ethnic_minority.entered,ethnic_minority.rate,ratio,unknown.entered,unknown.entered_share"
		if got := whatList(r.Suppressed); got != want {
			t.Errorf("suppressed = %s, want %s", got, want)
		}
		for _, s := range r.Suppressed {
			if s.Why == "" {
				t.Errorf("%s suppressed without a reason", s.What)
			}
		}
		if !strings.Contains(r.Suppressed[0].Why, "fewer than 5") {
			t.Errorf("reason = %q, want it to name the threshold", r.Suppressed[0].Why)
		}

		// A higher threshold hides the unknown headcount too, and then its
		// share, which with the other headcounts would give it away.
		f.Threshold(t, 11)
		r, err = svc.Measure(ctx, exec, equality.WRES3, per)
		if err != nil {
			t.Fatal(err)
		}
		if r.Quality.UnknownHeadcount != nil || r.Quality.UnknownHeadcountShare != nil || group(t, r, equality.GroupWhite).Entered != nil {
			t.Errorf("threshold 11: %+v", r)
		}

		// HR's submission export has every count.
		hr := f.User(t, "Harper HR", authz.HR)
		sub, err := svc.Submission(ctx, hr, equality.WRES3, per)
		if err != nil {
			t.Fatal(err)
		}
		m = group(t, sub, equality.GroupEthnicMinority)
		if !sub.Unsuppressed || len(sub.Suppressed) != 0 || *m.Entered != 3 || sub.Ratio == nil || math.Abs(*sub.Ratio-1.25) > 1e-9 ||
			*sub.Unknown.Entered != 1 || *sub.Unknown.Headcount != 10 {
			t.Errorf("submission = %+v", sub)
		}

		// Who may see what.
		if _, err := svc.Submission(ctx, exec, equality.WRES3, per); !errors.Is(err, equality.ErrNotAllowed) {
			t.Errorf("executive export: %v, want ErrNotAllowed", err)
		}
		for _, role := range []authz.Role{authz.Staff, authz.Manager, authz.Admin, authz.UnionRep, authz.Safety, authz.Guardian} {
			p := f.User(t, "Someone "+string(role), role)
			if _, err := svc.Measure(ctx, p, equality.WRES3, per); !errors.Is(err, equality.ErrNotAllowed) {
				t.Errorf("%s: %v, want ErrNotAllowed", role, err)
			}
		}
	})
}

func TestWRES3Unknowns(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := equalitytest.New(t, db)
		white := f.People(t, 50, equalitytest.Person{Ethnic: "C"})
		minority := f.People(t, 50, equalitytest.Person{Ethnic: "D"})
		blank := f.People(t, 20, equalitytest.Person{})
		notStated := f.People(t, 10, equalitytest.Person{Ethnic: "Z"})
		enter(t, f, "disciplinary", "2025-06-01", white[:5])
		enter(t, f, "disciplinary", "2025-06-01", minority[:10])
		enter(t, f, "disciplinary", "2025-06-01", blank[:3])
		enter(t, f, "disciplinary", "2025-06-01", notStated[:3])
		r, err := equality.NewService(db).Measure(ctx, f.User(t, "Harper HR", authz.HR), equality.WRES3, period(t, "2025-04-01", "2026-03-31", false))
		if err != nil {
			t.Fatal(err)
		}
		w, m := group(t, r, equality.GroupWhite), group(t, r, equality.GroupEthnicMinority)
		if *w.Headcount != 50 || *w.Entered != 5 || *m.Headcount != 50 || *m.Entered != 10 || *r.Ratio != 2 {
			t.Errorf("unknowns leaked into the groups: %+v %+v ratio %v", w, m, *r.Ratio)
		}
		q := r.Quality
		if *q.UnknownHeadcount != 30 || math.Abs(*q.UnknownHeadcountShare-30.0/130) > 1e-9 ||
			*q.UnknownEntered != 6 || math.Abs(*q.UnknownEnteredShare-6.0/21) > 1e-9 {
			t.Errorf("data quality = headcount %v (%v), entered %v (%v); want 30 of 130, 6 of 21",
				*q.UnknownHeadcount, *q.UnknownHeadcountShare, *q.UnknownEntered, *q.UnknownEnteredShare)
		}
		if len(q.Notes) == 0 || !strings.Contains(q.Notes[0], "left out") {
			t.Errorf("notes = %q", q.Notes)
		}
	})
}

// The headcount is the people employed on the end date; people who entered
// the process and left before it still count as entering.
func TestWRES3JoinersAndLeavers(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := equalitytest.New(t, db)
		f.People(t, 40, equalitytest.Person{Ethnic: "A"})
		f.People(t, 3, equalitytest.Person{Ethnic: "A", Start: "2026-04-01"})                      // joined after
		f.People(t, 4, equalitytest.Person{Ethnic: "A", Start: "2026-03-31"})                      // joined on the day
		leftBefore := f.People(t, 5, equalitytest.Person{Ethnic: "A", Leave: "2026-03-30"})        // left before
		f.People(t, 6, equalitytest.Person{Ethnic: "A", Leave: "2026-03-31"})                      // last day is the end date
		minority := f.People(t, 20, equalitytest.Person{Ethnic: "R", Start: "2000-02-29"})         // long serving
		f.People(t, 7, equalitytest.Person{Ethnic: "R", Start: "1999-01-01", Leave: "2010-01-01"}) // long gone
		enter(t, f, "disciplinary", "2025-10-01", leftBefore)
		enter(t, f, "disciplinary", "2025-10-01", minority[:5])
		r, err := equality.NewService(db).Measure(ctx, f.User(t, "Harper HR", authz.HR), equality.WRES3, period(t, "2025-04-01", "2026-03-31", false))
		if err != nil {
			t.Fatal(err)
		}
		w, m := group(t, r, equality.GroupWhite), group(t, r, equality.GroupEthnicMinority)
		if *w.Headcount != 50 || *w.Entered != 5 || *w.Rate != 0.1 {
			t.Errorf("white = %v of %v, want 5 of 50", *w.Entered, *w.Headcount)
		}
		if *m.Headcount != 20 || *m.Entered != 5 || math.Abs(*r.Ratio-2.5) > 1e-9 {
			t.Errorf("minority = %v of %v, ratio %v; want 5 of 20, 2.5", *m.Entered, *m.Headcount, *r.Ratio)
		}
	})
}

func TestWRES3TwoYearRolling(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := equalitytest.New(t, db)
		white := f.People(t, 100, equalitytest.Person{Ethnic: "A"})
		f.People(t, 20, equalitytest.Person{Ethnic: "A", Start: "2024-06-01"}) // only there at the second year-end
		minority := f.People(t, 50, equalitytest.Person{Ethnic: "K"})
		enter(t, f, "disciplinary", "2023-04-01", white[:4])    // first day of the two years
		enter(t, f, "disciplinary", "2024-10-01", white[4:11])  // second year
		enter(t, f, "disciplinary", "2023-03-31", white[11:20]) // the day before
		enter(t, f, "disciplinary", "2023-12-01", minority[:3])
		enter(t, f, "disciplinary", "2025-03-31", minority[3:6])
		// The start date given is ignored: the period is the 24 months
		// ending on the end date.
		per, err := equality.NewPeriod(date("2025-01-01"), date("2025-03-31"), true)
		if err != nil {
			t.Fatal(err)
		}
		if got := per.From.Format(store.DateLayout); got != "2023-04-01" {
			t.Fatalf("rolling period starts %s, want 2023-04-01", got)
		}
		r, err := equality.NewService(db).Measure(ctx, f.User(t, "Harper HR", authz.HR), equality.WRES3, per)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(r.HeadcountDates) != "[2025-03-31 2024-03-31]" {
			t.Errorf("headcount dates = %v", r.HeadcountDates)
		}
		w, m := group(t, r, equality.GroupWhite), group(t, r, equality.GroupEthnicMinority)
		// White: 11 over two years, headcounts 120 and 100: (11/2)/110 = 5%.
		if *w.Headcount != 110 || *w.Entered != 11 || math.Abs(*w.Rate-0.05) > 1e-12 {
			t.Errorf("white = %v of %v, rate %v; want 11 of a mean 110, 5%%", *w.Entered, *w.Headcount, *w.Rate)
		}
		// Ethnic minority: 6 over two years, 50 at both: (6/2)/50 = 6%.
		if *m.Headcount != 50 || *m.Entered != 6 || math.Abs(*m.Rate-0.06) > 1e-12 || math.Abs(*r.Ratio-1.2) > 1e-9 {
			t.Errorf("minority = %v of %v, rate %v, ratio %v; want 6 of 50, 6%%, 1.2", *m.Entered, *m.Headcount, *m.Rate, *r.Ratio)
		}
		if !strings.Contains(strings.Join(r.Quality.Notes, " "), "Two-year rolling") {
			t.Errorf("notes do not explain the rolling measure: %q", r.Quality.Notes)
		}
	})
}

func TestWDES3(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := equalitytest.New(t, db)
		disabled := f.People(t, 60, equalitytest.Person{Disability: "yes"})
		others := f.People(t, 300, equalitytest.Person{Disability: "no"})
		f.People(t, 20, equalitytest.Person{Disability: "prefer_not_to_say"})
		f.People(t, 20, equalitytest.Person{})
		enter(t, f, "capability_performance", "2025-05-01", disabled[:6])
		enter(t, f, "capability_performance", "2025-05-01", others[:15])
		enter(t, f, "capability_ill_health", "2025-05-01", disabled[10:15]) // ill health is left out
		enter(t, f, "disciplinary", "2025-05-01", disabled[20:27])
		r, err := equality.NewService(db).Measure(ctx, f.User(t, "Harper HR", authz.HR), equality.WDES3, period(t, "2025-04-01", "2026-03-31", false))
		if err != nil {
			t.Fatal(err)
		}
		d, n := group(t, r, equality.GroupDisabled), group(t, r, equality.GroupNonDisabled)
		if r.Groups[0].Key != equality.GroupNonDisabled {
			t.Errorf("groups in order %s, %s; want non-disabled first", r.Groups[0].Key, r.Groups[1].Key)
		}
		if *d.Headcount != 60 || *d.Entered != 6 || *n.Headcount != 300 || *n.Entered != 15 || math.Abs(*r.Ratio-2) > 1e-9 {
			t.Errorf("disabled %v of %v, non-disabled %v of %v, ratio %v; want 6 of 60, 15 of 300, 2",
				*d.Entered, *d.Headcount, *n.Entered, *n.Headcount, *r.Ratio)
		}
		q := r.Quality
		if *q.UnknownHeadcount != 40 || *q.DeclaredDisabledShare != 0.15 {
			t.Errorf("data quality = unknown %v, declared %v; want 40, 15%%", *q.UnknownHeadcount, *q.DeclaredDisabledShare)
		}
		if !strings.Contains(strings.Join(q.Notes, " "), "18%") {
			t.Errorf("notes do not mention under-declaration: %q", q.Notes)
		}
	})
}

func TestNoRatioWhenReferenceRateIsZero(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := equalitytest.New(t, db)
		f.People(t, 30, equalitytest.Person{Ethnic: "A"})
		minority := f.People(t, 30, equalitytest.Person{Ethnic: "S"})
		enter(t, f, "disciplinary", "2025-05-01", minority[:5])
		r, err := equality.NewService(db).Measure(ctx, f.User(t, "Harper HR", authz.HR), equality.WRES3, period(t, "2025-04-01", "2026-03-31", false))
		if err != nil {
			t.Fatal(err)
		}
		if r.Ratio != nil || !strings.Contains(r.RatioNote, "no white staff entered") {
			t.Errorf("ratio %v, note %q", r.Ratio, r.RatioNote)
		}
		if *group(t, r, equality.GroupWhite).Rate != 0 {
			t.Errorf("white rate should be 0")
		}
	})
}

func TestNewPeriod(t *testing.T) {
	cases := []struct {
		from, to string
		rolling  bool
		want     error
	}{
		{"2025-04-01", "2026-03-31", false, nil},
		{"2026-03-31", "2026-03-31", false, nil},
		{"2026-04-01", "2026-03-31", false, equality.ErrPeriodOrder},
		{"2020-01-01", "2024-12-31", false, nil},
		{"2020-01-01", "2025-01-01", false, equality.ErrPeriodTooLong},
		{"2030-01-01", "2026-03-31", true, nil}, // from is ignored
	}
	for _, c := range cases {
		_, err := equality.NewPeriod(date(c.from), date(c.to), c.rolling)
		if !errors.Is(err, c.want) {
			t.Errorf("%s to %s: %v, want %v", c.from, c.to, err, c.want)
		}
	}
}
