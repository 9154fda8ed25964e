package equality_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"candour/internal/authz"
	"candour/internal/equality"
	"candour/internal/equality/equalitytest"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// oversightWorld is a small organisation's casework, worked by hand, with
// a threshold of 3.
func oversightWorld(t *testing.T, db *store.DB) *equalitytest.Fixture {
	t.Helper()
	f := equalitytest.New(t, db)
	f.Threshold(t, 3)
	w := f.People(t, 10, equalitytest.Person{Ethnic: "A", Disability: "no", StaffGroup: "nursing_midwifery"})
	m := f.People(t, 5, equalitytest.Person{Ethnic: "M", Disability: "yes", StaffGroup: "admin_clerical"})
	u := f.People(t, 3, equalitytest.Person{StaffGroup: "medical_dental"})
	c := func(p int64, typ, opened, formal, closed, outcome string) int64 {
		return f.Case(t, equalitytest.Case{Person: p, Type: typ, Opened: opened, Formal: formal, Closed: closed, Outcome: outcome})
	}
	// Open on 31 March 2026: four disciplinary cases at investigation, one
	// early concern, one grievance at investigation, three grievances
	// between stages.
	var d [4]int64
	for i := range d {
		d[i] = c(w[i], "disciplinary", "2025-05-01", "2025-05-01", "", "")
		f.Stage(t, d[i], "investigation", "2025-05-01", "2025-06-12", "")
	}
	c(m[0], "disciplinary", "2025-06-01", "", "", "")
	g1 := c(m[1], "grievance", "2025-07-01", "2025-07-01", "", "")
	f.Stage(t, g1, "investigation", "2025-07-01", "2025-07-29", "")
	for _, p := range u {
		c(p, "grievance", "2025-08-01", "2025-08-01", "", "")
	}
	// Closed in the period: four disciplinary cases with a timed
	// investigation (30, 30, 61 and 40 days against a 42-day target), four
	// more disciplinary cases and a grievance.
	var closed [4]int64
	for i, oc := range []string{"no_case_to_answer", "no_case_to_answer", "no_case_to_answer", "first_written_warning"} {
		closed[i] = c(w[4+i], "disciplinary", "2025-04-10", "2025-04-10", "2025-09-01", oc)
	}
	for i, end := range []string{"2025-05-10", "2025-05-10", "2025-06-10", "2025-05-20"} {
		f.Stage(t, closed[i], "investigation", "2025-04-10", "2025-05-22", end)
	}
	c(w[8], "disciplinary", "2025-04-10", "2025-04-10", "2025-10-01", "first_written_warning")
	c(w[9], "disciplinary", "2025-04-10", "2025-04-10", "2025-10-01", "first_written_warning")
	c(w[4], "disciplinary", "2025-04-10", "2025-04-10", "2025-10-01", "no_case_to_answer")
	g := c(m[2], "grievance", "2025-04-15", "2025-04-15", "2025-08-01", "informal_resolution")
	f.Stage(t, g, "investigation", "2025-04-15", "2025-05-13", "2025-05-01")
	// Before the period: not counted anywhere.
	old := c(u[0], "disciplinary", "2024-12-01", "2024-12-01", "2025-03-01", "dismissal")
	f.Stage(t, old, "investigation", "2024-12-01", "2025-01-12", "2025-02-01")
	// Suspensions: two still running (89 and 120 days on 31 March), two
	// that ended (30 and 61 days), and two that never ran.
	f.Suspension(t, d[0], "active", "2026-01-01", "")
	f.Suspension(t, d[1], "active", "2025-12-01", "")
	f.Suspension(t, d[2], "ended", "2025-06-01", "2025-07-01")
	f.Suspension(t, closed[0], "ended", "2025-04-20", "2025-06-20")
	f.Suspension(t, d[3], "proposed", "2026-03-01", "")
	f.Suspension(t, g1, "declined", "2025-08-01", "")
	f.Suspension(t, old, "ended", "2025-01-01", "2025-02-01")
	return f
}

// show renders rows as "label=count" with hidden counts as "x".
func show(rows []equality.Row) string {
	var out []string
	for _, r := range rows {
		v := fmt.Sprint(r.Count.N)
		if r.Count.Suppressed {
			v = "x"
		}
		if r.Count.N == 0 && !r.Count.Suppressed {
			continue
		}
		out = append(out, r.Key+"="+v)
	}
	return strings.Join(out, " ")
}

func TestOversight(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := oversightWorld(t, db)
		svc := equality.NewService(db)
		o, err := svc.Oversight(ctx, f.User(t, "Eden Exec", authz.Exec), period(t, "2025-04-01", "2026-03-31", false))
		if err != nil {
			t.Fatal(err)
		}
		if o.OpenTotal != (equality.Count{N: 9}) || show(o.OpenByType) != "disciplinary=5 grievance=4" {
			t.Errorf("open = %v, by type %s", o.OpenTotal, show(o.OpenByType))
		}
		// One early concern would be given away by the disciplinary total,
		// so the investigation count is hidden with it; likewise in the
		// grievances.
		var stages []string
		for _, r := range o.OpenByStage {
			if r.Count.N > 0 || r.Count.Suppressed {
				stages = append(stages, r.Group+"/"+show([]equality.Row{r.Row}))
			}
		}
		if got := strings.Join(stages, " "); got != "Disciplinary/early_concern=x Disciplinary/investigation=x Grievance/investigation=x Grievance/between_stages=x" {
			t.Errorf("open by stage = %s", got)
		}

		if len(o.Stages) != 2 {
			t.Fatalf("stage timings = %+v, want disciplinary and grievance investigations", o.Stages)
		}
		st := o.Stages[0]
		if st.Type != "disciplinary" || st.Stage != "investigation" || st.Finished.N != 4 || *st.MedianDays != 35 || *st.WithinTarget != 0.75 || st.TargetDays != 42 {
			t.Errorf("disciplinary investigation = %+v", st)
		}
		if st = o.Stages[1]; !st.Finished.Suppressed || st.MedianDays != nil || st.WithinTarget != nil {
			t.Errorf("grievance investigation, one finished, should be withheld: %+v", st)
		}

		s := o.Suspensions
		if s.Started.N != 4 || *s.TotalDays != 300 || !s.Active.Suppressed || s.LongestOpenDays != nil {
			t.Errorf("suspensions = %+v", s)
		}

		if o.ClosedTotal.N != 8 || show(o.Outcomes) != "no_case_to_answer=4 informal_resolution=x first_written_warning=x" || *o.NoCaseToAnswerShare != 0.5 {
			t.Errorf("closed %v, outcomes %s, no case to answer %v", o.ClosedTotal, show(o.Outcomes), o.NoCaseToAnswerShare)
		}

		if o.FormalTotal.N != 16 {
			t.Errorf("formal total = %v, want 16", o.FormalTotal)
		}
		for name, c := range map[string][2]string{
			"type":        {show(o.FormalByType), "disciplinary=11 grievance=5"},
			"staff group": {show(o.FormalByStaffGroup), "admin_clerical=x medical_dental=x nursing_midwifery=11"},
			"ethnicity":   {show(o.FormalByEthnicity), "white=11 ethnic_minority=x unknown=x"},
			"disability":  {show(o.FormalByDisability), "disabled=x non_disabled=11 unknown=x"},
		} {
			if c[0] != c[1] {
				t.Errorf("formal by %s = %s, want %s", name, c[0], c[1])
			}
		}
		reasons := map[string]string{}
		for _, x := range o.Suppressed {
			reasons[x.What] = x.Why
		}
		for what, why := range map[string]string{
			"formal.ethnicity.ethnic_minority":        "fewer than 3",
			"formal.ethnicity.unknown":                "worked out",
			"suspensions.active":                      "fewer than 3",
			"suspensions.longest_open_days":           "worked out",
			"outcomes.first_written_warning":          "worked out",
			"open.disciplinary.investigation":         "worked out",
			"stages.grievance.investigation.finished": "fewer than 3",
		} {
			if !strings.Contains(reasons[what], why) {
				t.Errorf("suppressed %s: %q, want it to say %q", what, reasons[what], why)
			}
		}
	})
}

func TestPartnershipAccess(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := oversightWorld(t, db)
		svc := equality.NewService(db)
		per := period(t, "2025-04-01", "2026-03-31", false)
		rep := f.User(t, "Robin Rep", authz.UnionRep)
		lead := f.User(t, "Sam Lead", authz.UnionRep)
		f.Designate(t, lead.UserID, equality.StaffSideLead)
		notRep := f.User(t, "Exec Lead", authz.Exec)
		f.Designate(t, notRep.UserID, equality.StaffSideLead)

		if _, err := svc.Partnership(ctx, rep, per); !errors.Is(err, equality.ErrNotAllowed) {
			t.Errorf("a union rep who is not the lead: %v, want ErrNotAllowed", err)
		}
		if _, err := svc.Partnership(ctx, notRep, per); !errors.Is(err, equality.ErrNotAllowed) {
			t.Errorf("a designated executive: %v, want ErrNotAllowed", err)
		}
		got, err := svc.Partnership(ctx, lead, per)
		if err != nil {
			t.Fatal(err)
		}
		want, err := svc.Oversight(ctx, f.User(t, "Harper HR", authz.HR), per)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the partnership view differs from the oversight view:\n%+v\n%+v", got, want)
		}
		if _, err := svc.Partnership(ctx, f.User(t, "Harper Two", authz.HR), per); err != nil {
			t.Errorf("HR: %v", err)
		}
		for _, p := range []*authz.Principal{lead, f.User(t, "Ada Admin", authz.Admin), f.User(t, "Max Manager", authz.Manager)} {
			if _, err := svc.Oversight(ctx, p, per); !errors.Is(err, equality.ErrNotAllowed) {
				t.Errorf("oversight for %v: %v, want ErrNotAllowed", p.Roles, err)
			}
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'partnership.view' AND actor_id = ?`, lead.UserID).Scan(&n); err != nil || n != 1 {
			t.Errorf("partnership audit entries = %d, %v; want 1", n, err)
		}
	})
}
