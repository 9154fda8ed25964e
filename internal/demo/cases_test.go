package demo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"candour/internal/app/apptest"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/demo"
	"candour/internal/equality"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// The demo trust's casework, as each demo sign-in would find it.
func TestDemoCasework(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := apptest.Start(t, db)
		deps := demo.Deps{DB: db, Accounts: e.App.Accounts, Org: e.App.Org, Reports: e.App.Reports, Culture: e.App.Culture,
			Learning: e.App.Learning, Restore: e.App.Restore, Actions: e.App.Actions, Library: e.App.Library, Cases: e.App.Cases, Now: e.App.Now}
		began := time.Now()
		logins, err := demo.Load(ctx, deps)
		if err != nil {
			t.Fatalf("load the demo: %v", err)
		}
		t.Logf("the demo loaded in %v", time.Since(began).Round(time.Millisecond))
		if db.Engine == store.SQLite {
			// The demo relaxes syncing while it loads; every commit after it
			// must be synced again.
			var mode int
			if err := db.SQL().QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&mode); err != nil || mode != 2 {
				t.Errorf("after loading the demo, SQLite's synchronous is %d (%v), want 2 (FULL)", mode, err)
			}
		}
		as := map[authz.Role]*authz.Principal{}
		for _, l := range logins {
			u, err := e.App.Accounts.ByEmail(ctx, l.Email)
			if err != nil {
				t.Fatal(err)
			}
			as[l.Role] = &authz.Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Roles: u.Roles}
		}
		// One demo event was graded again by the team, so the reporter's
		// own account shows beside the team's.
		var regraded int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM reports WHERE reported_kind IS NOT NULL`).Scan(&regraded); err != nil || regraded != 1 {
			t.Errorf("%d demo reports keep the reporter's grading (%v), want 1", regraded, err)
		}
		cases := e.App.Cases

		// The HR sign-in is the employee relations lead and sees every case.
		all, err := cases.List(ctx, as[authz.HR], casework.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) < 25 || len(all) > 40 {
			t.Fatalf("the employee relations lead sees %d cases, want 25 to 40", len(all))
		}
		byType := map[casework.Type]int{}
		status := map[casework.Status]int{}
		overdue, lapsed := 0, 0
		for _, c := range all {
			byType[c.Type]++
			status[c.Status]++
			if c.Overdue && c.Status == casework.Formal {
				overdue++
			}
			if c.WellbeingLapse {
				lapsed++
			}
		}
		for _, typ := range []casework.Type{casework.Disciplinary, casework.Grievance, casework.BullyingHarassment, casework.CapabilityPerformance,
			casework.CapabilityIllHealth, casework.SicknessAbsence, casework.Appeal, casework.EmploymentTribunal} {
			if byType[typ] == 0 {
				t.Errorf("no %s case in the demo", typ)
			}
		}
		if byType[casework.Appeal] < 2 || byType[casework.EmploymentTribunal] != 1 {
			t.Errorf("%d appeals and %d tribunal claims, want at least two and one", byType[casework.Appeal], byType[casework.EmploymentTribunal])
		}
		if status[casework.EarlyConcern] == 0 || status[casework.Formal] == 0 || status[casework.Closed] == 0 {
			t.Errorf("cases by status %v, want some early concerns, some formal and some closed", status)
		}
		if overdue == 0 || lapsed != 1 {
			t.Errorf("%d formal cases overdue and %d with wellbeing contact lapsed, want some overdue and one lapsed", overdue, lapsed)
		}

		// About half of the formal disciplinary cases that closed found no
		// case to answer; every closed case recorded what was learned.
		formalClosed, nocase := 0, 0
		for _, s := range all {
			c, err := cases.Get(ctx, as[authz.HR], s.ID)
			if err != nil {
				t.Fatal(err)
			}
			if c.Type == casework.Disciplinary && c.Status == casework.Closed && c.FormalOn != "" {
				formalClosed++
				if c.Outcome == casework.NoCaseToAnswer {
					nocase++
				}
			}
			if c.Type == casework.Appeal && c.AppealOf.Status != casework.Closed {
				t.Errorf("%s appeals %s, which is not closed", c.Reference, c.AppealOf.Reference)
			}
		}
		if share := float64(nocase) / float64(formalClosed); formalClosed < 8 || share < 0.4 || share > 0.65 {
			t.Errorf("%d of %d closed formal disciplinary cases found no case to answer, want about half", nocase, formalClosed)
		}
		lessons, err := cases.LearningLog(ctx, as[authz.HR], time.Now().AddDate(-3, 0, 0), time.Now())
		if err != nil || len(lessons) < status[casework.Closed] {
			t.Errorf("learning log: %d lessons (%v) from %d closed cases", len(lessons), err, status[casework.Closed])
		}

		// Suspensions: one waiting for two executives, one in place with two
		// approvals and a review, one ended. The executive sign-in is the
		// non-executive reviewer: they see every one and decide none.
		sps, err := cases.Suspensions(ctx, as[authz.Exec])
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, sp := range sps {
			full, err := cases.Suspension(ctx, as[authz.Exec], sp.ID)
			if err != nil {
				t.Fatal(err)
			}
			got[full.Status]++
			switch full.Status {
			case casework.SuspensionActive:
				if len(full.Approvals) != 2 || len(full.Reviews) == 0 || len(full.Oversight) == 0 || full.ReviewOverdue {
					t.Errorf("the suspension in place has %d approvals, %d reviews, %d oversight notes, review overdue %v",
						len(full.Approvals), len(full.Reviews), len(full.Oversight), full.ReviewOverdue)
				}
			case casework.SuspensionProposed:
				if len(full.Approvals) != 0 {
					t.Errorf("the proposed suspension already has %d decisions", len(full.Approvals))
				}
				if _, err := cases.DecideSuspension(ctx, as[authz.Exec], full.ID, casework.DecisionApprove, ""); !errors.Is(err, casework.ErrReviewerDecides) {
					t.Errorf("the non-executive reviewer agreed a suspension: %v", err)
				}
			}
		}
		if got[casework.SuspensionActive] != 1 || got[casework.SuspensionProposed] != 1 || got[casework.SuspensionEnded] != 1 {
			t.Errorf("the reviewer sees suspensions %v, want one in place, one proposed and one ended", got)
		}
		waiting, err := cases.AwaitingSignOff(ctx, as[authz.Exec])
		if err != nil || len(waiting) == 0 {
			t.Errorf("the executive sees %d concerns awaiting sign-off (%v), want some", len(waiting), err)
		}

		// The manager sees the cases they manage; the union representative
		// only their members'; the staff member their own grievance, with
		// only the entries shared with them.
		for _, c := range []struct {
			role  authz.Role
			owner func(casework.Case) string
			min   int
		}{
			{authz.Manager, func(c casework.Case) string { return c.ManagerName }, 3},
			{authz.UnionRep, func(c casework.Case) string { return c.RepName }, 2},
		} {
			list, err := cases.List(ctx, as[c.role], casework.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			open := 0
			for _, s := range list {
				full, err := cases.Get(ctx, as[c.role], s.ID)
				if err != nil {
					t.Fatal(err)
				}
				if c.owner(full) != as[c.role].Name {
					t.Errorf("the %s sees %s, which is not theirs", c.role, full.Reference)
				}
				if full.Status != casework.Closed {
					open++
				}
			}
			if len(list) < c.min || open == 0 {
				t.Errorf("the %s sees %d cases, %d open; want at least %d with one open", c.role, len(list), open, c.min)
			}
		}
		mine, err := cases.MyCases(ctx, as[authz.Staff])
		if err != nil || len(mine) != 1 || mine[0].Type != casework.Grievance {
			t.Fatalf("the staff member's own cases: %+v (%v), want their grievance", mine, err)
		}
		timeline, err := cases.Timeline(ctx, as[authz.Staff], mine[0].ID)
		if err != nil || len(timeline) < 3 {
			t.Fatalf("the staff member's timeline: %d entries (%v)", len(timeline), err)
		}
		for _, en := range timeline {
			if !en.VisibleToEmployee {
				t.Errorf("the staff member sees an entry not shared with them: %s", en.Title)
			}
		}
		if list, err := cases.List(ctx, as[authz.Admin], casework.Filter{}); err != nil || len(list) != 0 {
			t.Errorf("the administrator sees %d cases (%v), want none", len(list), err)
		}
		lead, err := cases.HasDesignation(ctx, as[authz.UnionRep].UserID, casework.StaffSideLead)
		if err != nil || !lead {
			t.Errorf("the union representative is not the staff-side lead (%v)", err)
		}

		// WRES indicator 3 has figures to show for the last 12 months and
		// the two-year rolling measure, with ethnic minority staff a little
		// more likely to enter a formal investigation; WDES metric 3 has
		// too few to show.
		to := e.App.Now()
		for _, rolling := range []bool{false, true} {
			per, err := equality.NewPeriod(to.AddDate(-1, 0, 1), to, rolling)
			if err != nil {
				t.Fatal(err)
			}
			res, err := e.App.Equality.Measure(ctx, as[authz.HR], equality.WRES3, per)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range res.Groups {
				if g.Entered == nil || *g.Entered < res.Threshold {
					t.Errorf("rolling %v: %s entering, %v, is withheld or below the threshold", rolling, g.Label, g.Entered)
				}
			}
			if res.Ratio == nil || *res.Ratio <= 1 || *res.Ratio > 2 {
				t.Errorf("rolling %v: WRES 3 ratio %v, want a little above 1", rolling, res.Ratio)
			}
		}
		per, _ := equality.NewPeriod(to.AddDate(-1, 0, 1), to, false)
		wdes, err := e.App.Equality.Measure(ctx, as[authz.HR], equality.WDES3, per)
		if err != nil || len(wdes.Suppressed) == 0 {
			t.Errorf("WDES 3 withholds nothing (%v); the demo has too few capability cases to show", err)
		}
		o, err := e.App.Equality.Oversight(ctx, as[authz.Exec], per)
		if err != nil || o.NoCaseToAnswerShare == nil || o.FormalTotal.Suppressed {
			t.Errorf("oversight: share with no case to answer %v, formal total %+v (%v)", o.NoCaseToAnswerShare, o.FormalTotal, err)
		}

		// The moved clocks left an audit chain that still verifies, and a
		// second start adds nothing.
		if res, err := audit.Verify(ctx, db); err != nil || res.BrokenAt != 0 {
			t.Errorf("audit chain: %+v (%v)", res, err)
		}
		if _, err := demo.Load(ctx, deps); err != nil {
			t.Fatalf("load the demo again: %v", err)
		}
		again, err := cases.List(ctx, as[authz.HR], casework.Filter{})
		if err != nil || len(again) != len(all) {
			t.Errorf("after a second start there are %d cases, want %d (%v)", len(again), len(all), err)
		}
	})
}
