package report_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"candour/internal/report"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

func TestQuartersFollowTheFinancialYear(t *testing.T) {
	for _, c := range []struct {
		day   time.Time
		want  string
		label string
	}{
		{time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC), "2025-q4", "Quarter 4 of 2025/26 (January to March 2026)"},
		{time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), "2026-q1", "Quarter 1 of 2026/27 (April to June 2026)"},
		{time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), "2026-q2", "Quarter 2 of 2026/27 (July to September 2026)"},
		{time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC), "2099-q3", "Quarter 3 of 2099/00 (October to December 2099)"},
	} {
		q := report.QuarterOf(c.day)
		if q.String() != c.want || q.Label() != c.label {
			t.Errorf("%s: quarter %s %q, want %s %q", c.day.Format(time.DateOnly), q, q.Label(), c.want, c.label)
		}
		if back, err := report.ParseQuarter(q.String()); err != nil || back != q {
			t.Errorf("ParseQuarter(%s) = %v, %v", q, back, err)
		}
		if c.day.Before(q.Start()) || !c.day.Before(q.End()) {
			t.Errorf("%s is not within %s to %s", c.day.Format(time.DateOnly), q.Start(), q.End())
		}
	}
	if q := (report.Quarter{Year: 2026, N: 1}).Previous(); q.String() != "2025-q4" {
		t.Errorf("the quarter before 2026-q1 is %s", q)
	}
	for _, bad := range []string{"", "2026", "2026-q0", "2026-q5", "q1-2026", "1900-q1", "2026-q1x"} {
		if _, err := report.ParseQuarter(bad); err == nil {
			t.Errorf("ParseQuarter(%q) accepted", bad)
		}
	}
}

func TestGuardianReturnCountsTheQuarter(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		g := f.users["guardian"]
		close := func(id int64) {
			t.Helper()
			if err := f.svc.Close(ctx, g, id, "We looked into it and changed how the rota is agreed, with the staff side."); err != nil {
				t.Fatal(err)
			}
		}

		// Quarter 4 of 2025/26 (the fixture's clock is 2 March 2026).
		anon := f.concern(report.Anonymous)
		anon.StaffGroup = "nursing_midwifery"
		a, err := f.svc.Submit(ctx, anon, nil)
		if err != nil {
			t.Fatal(err)
		}
		open := f.concern(report.Open)
		open.Elements = []string{"bullying_harassment"}
		if _, err := f.svc.Submit(ctx, open, f.users["staff"]); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Submit(ctx, f.event(report.Anonymous), nil); err != nil {
			t.Fatal(err)
		}
		close(a.ID)

		// Quarter 1 of 2026/27: a confidential concern, and feedback on
		// both closed concerns.
		*f.clock = time.Date(2026, 4, 2, 10, 0, 0, 0, time.UTC)
		conf := f.concern(report.Confidential)
		conf.Elements, conf.StaffGroup = []string{"behaviours"}, "medical_dental"
		d, err := f.svc.Submit(ctx, conf, f.users["hr"])
		if err != nil {
			t.Fatal(err)
		}
		close(d.ID)
		if err := f.svc.Feedback(ctx, f.users["hr"], nil, d.ID, "yes", "no"); err != nil {
			t.Fatal(err)
		}
		_, fu, err := f.svc.StartFollowUp(ctx, a.AccessCode, "c1")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Feedback(ctx, nil, &fu, a.ID, "no", "yes"); err != nil {
			t.Fatal(err)
		}

		counts := func(cs []report.Count) map[string]int {
			m := map[string]int{}
			for _, c := range cs {
				m[c.Value] = c.N
			}
			return m
		}
		q4, err := f.svc.GuardianReturnFor(ctx, g, report.Quarter{Year: 2025, N: 4})
		if err != nil {
			t.Fatal(err)
		}
		if q4.Cases != 2 || q4.Anonymous != 1 || q4.Detriment != 1 || q4.FeedbackTotal != 0 {
			t.Errorf("2025-q4: %d cases, %d anonymous, %d detriment, %d feedback; want 2 (the safety event is not a case), 1, 1, 0",
				q4.Cases, q4.Anonymous, q4.Detriment, q4.FeedbackTotal)
		}
		if e := counts(q4.Elements); e["worker_safety"] != 1 || e["patient_safety"] != 1 || e["bullying_harassment"] != 1 || e["behaviours"] != 0 {
			t.Errorf("2025-q4 elements %v", e)
		}
		if sg := counts(q4.StaffGroups); sg["nursing_midwifery"] != 1 || sg["not_given"] != 1 || sg["medical_dental"] != 0 || len(sg) != 10 {
			t.Errorf("2025-q4 staff groups %v: want every national group listed, and Not given", sg)
		}
		q1, err := f.svc.GuardianReturnFor(ctx, g, report.Quarter{Year: 2026, N: 1})
		if err != nil {
			t.Fatal(err)
		}
		if q1.Cases != 1 || q1.Anonymous != 0 || q1.Detriment != 0 {
			t.Errorf("2026-q1: %d cases, %d anonymous, %d detriment; want 1, 0, 0", q1.Cases, q1.Anonymous, q1.Detriment)
		}
		if fb := counts(q1.Feedback); fb["yes"] != 1 || fb["no"] != 1 || q1.FeedbackTotal != 2 {
			t.Errorf("2026-q1 feedback %v (total %d): want the answers given in the quarter, one yes and one no", fb, q1.FeedbackTotal)
		}
		if sg := counts(q1.StaffGroups); sg["medical_dental"] != 1 {
			t.Errorf("2026-q1 staff groups %v", sg)
		}

		// Reopened in the next quarter and answered again: the quarter
		// already returned keeps its figures, the new answer counts in the
		// new quarter, and detriment once said stays counted.
		*f.clock = time.Date(2026, 7, 3, 10, 0, 0, 0, time.UTC)
		if err := f.svc.Reopen(ctx, g, a.ID, "The reporter wrote again: the rota changes did not last."); err != nil {
			t.Fatal(err)
		}
		close(a.ID)
		if err := f.svc.Feedback(ctx, nil, &fu, a.ID, "maybe", "no"); err != nil {
			t.Fatal(err)
		}
		// And one reopened and answered twice within a quarter counts once,
		// with its latest answer.
		if err := f.svc.Reopen(ctx, g, a.ID, "The reporter wrote a second time about the same rota."); err != nil {
			t.Fatal(err)
		}
		close(a.ID)
		if err := f.svc.Feedback(ctx, nil, &fu, a.ID, "yes", "no"); err != nil {
			t.Fatal(err)
		}
		// An anonymous reporter's answers keep their day, never their time
		// (a day is stored as midnight UTC of the date in England).
		rows, err := db.QueryContext(ctx, `SELECT given_at FROM report_feedback WHERE report_id = ? ORDER BY n`, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var days int
		for rows.Next() {
			var at store.Time
			if err := rows.Scan(&at); err != nil {
				t.Fatal(err)
			}
			if u := at.Time.UTC(); u.Hour() != 0 || u.Minute() != 0 || u.Second() != 0 || u.Nanosecond() != 0 {
				t.Errorf("an anonymous answer was kept with its time: %s", u)
			}
			days++
		}
		rows.Close()
		if days != 3 {
			t.Errorf("%d answers in the anonymous report's history, want 3", days)
		}
		for _, c := range []struct {
			q             report.Quarter
			detriment     int
			yes, no, many int
		}{
			{report.Quarter{Year: 2025, N: 4}, 1, 0, 0, 0},
			{report.Quarter{Year: 2026, N: 1}, 0, 1, 1, 0},
			{report.Quarter{Year: 2026, N: 2}, 0, 1, 0, 0},
		} {
			ret, err := f.svc.GuardianReturnFor(ctx, g, c.q)
			if err != nil {
				t.Fatal(err)
			}
			fb := counts(ret.Feedback)
			if ret.Detriment != c.detriment || fb["yes"] != c.yes || fb["no"] != c.no || fb["maybe"] != c.many || ret.FeedbackTotal != c.yes+c.no+c.many {
				t.Errorf("%s after a reopening: detriment %d, feedback %v; want detriment %d, yes %d, no %d, maybe %d",
					c.q, ret.Detriment, fb, c.detriment, c.yes, c.no, c.many)
			}
		}

		for _, who := range []string{"safety", "manager", "exec", "admin", "staff"} {
			if _, err := f.svc.GuardianReturnFor(ctx, f.users[who], report.Quarter{Year: 2026, N: 1}); !errors.Is(err, report.ErrNotAllowed) {
				t.Errorf("%s got the guardians' return: %v", who, err)
			}
		}
		var n int
		db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'report.guardian_return' AND actor_id = ?`, g.UserID).Scan(&n)
		if n != 5 {
			t.Errorf("%d audit entries for the five returns worked out, want 5", n)
		}
	})
}

func TestStaffGroupIsCheckedAndKept(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		c := f.concern(report.Anonymous)
		c.StaffGroup = "astronauts"
		if _, err := f.svc.Submit(ctx, c, nil); fields(err)["staff_group"] == "" {
			t.Fatalf("unknown staff group: %v", err)
		}
		c.StaffGroup = "ahp\xff"
		if _, err := f.svc.Submit(ctx, c, nil); fields(err)["staff_group"] == "" {
			t.Fatalf("a staff group that is not text: %v", err)
		}
		e := f.event(report.Anonymous)
		e.StaffGroup = "ahp"
		if _, err := f.svc.Submit(ctx, e, nil); fields(err)["staff_group"] == "" {
			t.Fatalf("staff group on a safety event: %v", err)
		}
		c.StaffGroup = "ahp"
		rec, err := f.svc.Submit(ctx, c, nil)
		if err != nil {
			t.Fatal(err)
		}
		var group string
		db.QueryRowContext(ctx, `SELECT COALESCE(staff_group, '') FROM reports WHERE id = ?`, rec.ID).Scan(&group)
		if group != "ahp" {
			t.Fatalf("stored staff group %q, want ahp", group)
		}
		// Passed to the safety team, it is no longer a speak-up case, and
		// its staff group goes.
		if err := f.svc.Reroute(ctx, f.users["guardian"], rec.ID, "This is about a patient's care, not a worker's concern."); err != nil {
			t.Fatal(err)
		}
		db.QueryRowContext(ctx, `SELECT COALESCE(staff_group, '') FROM reports WHERE id = ?`, rec.ID).Scan(&group)
		if group != "" {
			t.Fatalf("a report passed to the safety team keeps the staff group %q", group)
		}
	})
}
