package casework_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

func TestOpenAnEarlyConcern(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		c := w.open(t, casework.Disciplinary, true)
		if c.Reference != "ER-2026-0001" || c.Status != casework.EarlyConcern || c.OpenedOn != w.today() {
			t.Fatalf("opened %s %s on %s", c.Reference, c.Status, c.OpenedOn)
		}
		if c.HRUserID != w.hr.UserID || c.ManagerUserID != w.manager.UserID || c.PersonName != "Alex Nurse" || c.ReportReference != eventRef {
			t.Fatalf("opened %+v", c)
		}
		if n := auditCount(t, db, "case.open"); n != 1 {
			t.Fatalf("%d case.open audit entries", n)
		}
		tl, err := w.svc.Timeline(ctx, w.hr, c.ID)
		if err != nil || len(tl) != 1 || tl[0].Kind != casework.EntryOpened {
			t.Fatalf("timeline %+v %v", tl, err)
		}
		// A report can be named by its number; a manager who opens a concern
		// manages it, with no adviser until the ER lead assigns one.
		m, err := w.svc.Open(ctx, w.manager, casework.OpenInput{Type: "capability_performance", Person: "E1006", Summary: "Missed three audits", Report: "1"})
		if err != nil {
			t.Fatal(err)
		}
		if m.Reference != "ER-2026-0002" || m.ManagerUserID != w.manager.UserID || m.HRUserID != 0 || m.ReportID != 1 {
			t.Fatalf("manager's concern %+v", m)
		}
		if _, err := w.svc.Get(ctx, w.lead, m.ID); err != nil {
			t.Fatalf("the ER lead sees an unassigned case: %v", err)
		}
		if _, err := w.svc.Get(ctx, w.hr, m.ID); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("an HR adviser not assigned: %v", err)
		}
		for _, who := range []string{"staff", "executive", "admin", "rep"} {
			if _, err := w.svc.Open(ctx, principal(w, who), casework.OpenInput{Type: "grievance", Person: "E1006", Summary: "x"}); !errors.Is(err, casework.ErrNotAllowed) {
				t.Errorf("%s opening a case: %v", who, err)
			}
		}
	})
}

func TestOpenRefusesBadInput(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		_, err := w.svc.Open(ctx, w.hr, casework.OpenInput{})
		for _, f := range []string{"type", "person", "summary"} {
			wantField(t, err, f)
		}
		_, err = w.svc.Open(ctx, w.hr, casework.OpenInput{Type: "disciplinary", Person: "E9999", Summary: strings.Repeat("x", 2001)})
		wantField(t, err, "person", "No one in the people directory has employee number E9999")
		wantField(t, err, "summary", "2,000 characters or fewer")

		// Someone who has left, except for an appeal or a tribunal claim.
		_, err = w.svc.Open(ctx, w.hr, casework.OpenInput{Type: "disciplinary", Person: leaverNumber, Summary: "Late concern"})
		wantField(t, err, "person", "Lee Leaver", "left on 2026-01-31")
		if _, err := w.svc.Open(ctx, w.hr, casework.OpenInput{Type: "employment_tribunal", Person: leaverNumber, Summary: "ET1 received"}); err != nil {
			t.Fatalf("a tribunal claim by a former employee: %v", err)
		}
		// Leaving today: still here today.
		if _, err := w.svc.Open(ctx, w.hr, casework.OpenInput{Type: "sickness_absence", Person: "E1007", Summary: "Long-term absence review"}); err != nil {
			t.Fatalf("someone whose last working day is today: %v", err)
		}

		_, err = w.svc.Open(ctx, w.hr, casework.OpenInput{Type: "disciplinary", Person: employeeNumber, Summary: "s", Report: "SE-NOPE-NOPE",
			HRAdviser: w.staff.Email, Manager: "nobody@trust.test"})
		wantField(t, err, "report", "No patient safety event has the reference SE-NOPE-NOPE")
		wantField(t, err, "hr_adviser", "Sam Staff is not in HR")
		wantField(t, err, "manager", "No active candour user")
		_, err = w.svc.Open(ctx, w.employee, casework.OpenInput{Type: "disciplinary", Person: employeeNumber, Summary: "s"})
		if !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("staff opening: %v", err)
		}
		self := w.user(t, "Alex As Manager", 1, authz.Manager)
		_, err = w.svc.Open(ctx, self, casework.OpenInput{Type: "disciplinary", Person: employeeNumber, Summary: "s"})
		wantField(t, err, "person", "You cannot open a case about yourself")

		// Appeals: only of a closed case about the same person.
		_, err = w.svc.Open(ctx, w.hr, casework.OpenInput{Type: "appeal", Person: employeeNumber, Summary: "Appeal"})
		wantField(t, err, "appeal_of", "Enter the reference of the case being appealed")
		first := w.open(t, casework.Disciplinary, false)
		_, err = w.svc.Open(ctx, w.hr, casework.OpenInput{Type: "appeal", Person: employeeNumber, Summary: "Appeal", AppealOf: first.Reference})
		wantField(t, err, "appeal_of", first.Reference+" is still open")
		_, err = w.svc.Open(ctx, w.hr, casework.OpenInput{Type: "grievance", Person: employeeNumber, Summary: "s", AppealOf: first.Reference})
		wantField(t, err, "appeal_of", "Only an appeal names the case it appeals")
		if err := w.svc.Close(ctx, w.hr, first.ID, casework.CloseInput{Outcome: "no_case_to_answer", ClosedOn: w.today(),
			NoLearningReason: "The concern was a misunderstanding about the rota"}); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.Open(ctx, w.hr, casework.OpenInput{Type: "appeal", Person: "E1006", Summary: "Appeal", AppealOf: strings.ToLower(first.Reference)})
		wantField(t, err, "appeal_of", "is about someone else")
		ap, err := w.svc.Open(ctx, w.hr, casework.OpenInput{Type: "appeal", Person: employeeNumber, Summary: "Appeal against the outcome", AppealOf: first.Reference})
		if err != nil {
			t.Fatalf("appeal of a closed case: %v", err)
		}
		if ap.AppealOf.Reference != first.Reference {
			t.Fatalf("appeal of %+v", ap.AppealOf)
		}
		orig, _ := w.svc.Get(ctx, w.hr, first.ID)
		if len(orig.Appeals) != 1 || orig.Appeals[0].ID != ap.ID {
			t.Fatalf("the appealed case lists appeals %+v", orig.Appeals)
		}
	})
}

func TestReferencesAreUniqueWhenOpenedAtOnce(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		const n = 6
		refs := make([]string, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				c, err := w.svc.Open(ctx, w.hr, casework.OpenInput{Type: "grievance", Person: "E1006", Summary: "Concern about rota fairness"})
				refs[i], errs[i] = c.Reference, err
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		slices.Sort(refs)
		if refs[0] != "ER-2026-0001" || refs[n-1] != "ER-2026-0006" || len(slices.Compact(slices.Clone(refs))) != n {
			t.Fatalf("references %v", refs)
		}
	})
}

// TestRoleTable is who may read and who may change a case.
func TestRoleTable(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		c := w.open(t, casework.Disciplinary, false)
		if err := w.svc.RequestRepresentative(ctx, w.hr, c.ID, w.rep.Email, w.on(-1)); err != nil {
			t.Fatal(err)
		}
		other := w.open(t, casework.Grievance, false) // not represented
		type row struct {
			read, manage bool
			listed       int
		}
		check := func(want map[string]row) {
			t.Helper()
			for who, r := range want {
				p := principal(w, who)
				_, err := w.svc.Get(ctx, p, c.ID)
				if (err == nil) != r.read || (err != nil && !errors.Is(err, casework.ErrNotAllowed)) {
					t.Errorf("%s reading: %v, want read=%v", who, err, r.read)
				}
				_, err = w.svc.Timeline(ctx, p, c.ID)
				if (err == nil) != r.read {
					t.Errorf("%s reading the timeline: %v, want read=%v", who, err, r.read)
				}
				manage, _ := w.svc.CanManage(ctx, p, c.ID)
				err = w.svc.SetEmployeeAccess(ctx, p, other.ID, false)
				if manage != r.manage || (err == nil) != (who == "HR adviser" || who == "ER lead") {
					t.Errorf("%s managing: CanManage %v, change %v; want %v", who, manage, err, r.manage)
				}
				list, err := w.svc.List(ctx, p, casework.Filter{})
				if err != nil || len(list) != r.listed {
					t.Errorf("%s lists %d cases (%v), want %d", who, len(list), err, r.listed)
				}
			}
		}
		check(map[string]row{
			"HR adviser": {true, true, 2},
			"other HR":   {false, false, 0},
			"ER lead":    {true, true, 2},
			"manager":    {true, false, 2},
			"rep":        {true, false, 1},
			"other rep":  {false, false, 0},
			"employee":   {false, false, 0},
			"executive":  {false, false, 0},
			"admin":      {false, false, 0},
			"staff":      {false, false, 0},
		})
		// The employee, once given access, reads their own case (not the other).
		if mine, _ := w.svc.MyCases(ctx, w.employee); len(mine) != 0 {
			t.Fatalf("my cases before access: %d", len(mine))
		}
		if err := w.svc.SetEmployeeAccess(ctx, w.hr, c.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Get(ctx, w.employee, c.ID); err != nil {
			t.Fatalf("the employee with access: %v", err)
		}
		if _, err := w.svc.Get(ctx, w.employee, other.ID); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("the employee's other case without access: %v", err)
		}
		if mine, _ := w.svc.MyCases(ctx, w.employee); len(mine) != 1 || mine[0].ID != c.ID {
			t.Fatalf("my cases: %+v", mine)
		}
		if _, err := w.svc.Parties(ctx, w.employee, c.ID); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("the employee reading the parties: %v", err)
		}
		if _, err := w.svc.Checklist(ctx, w.employee, c.ID); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("the employee reading the checklist: %v", err)
		}
		// Every read is audited.
		before := auditCount(t, db, "case.read")
		w.svc.Get(ctx, w.rep, c.ID)
		if auditCount(t, db, "case.read") != before+1 {
			t.Fatal("a read was not audited")
		}
		// A case that does not exist looks like one you may not see.
		if _, err := w.svc.Get(ctx, w.lead, 9999); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("no such case: %v", err)
		}
	})
}

func TestRequestRepresentative(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		c := w.open(t, casework.Grievance, false)
		wantField(t, w.svc.RequestRepresentative(ctx, w.hr, c.ID, w.staff.Email, w.today()), "rep", "Sam Staff is not a trade union representative in candour")
		wantField(t, w.svc.RequestRepresentative(ctx, w.hr, c.ID, w.rep.Email, w.on(1)), "requested_on", "cannot be in the future")
		wantField(t, w.svc.RequestRepresentative(ctx, w.hr, c.ID, w.rep.Email, "next week"), "requested_on", "for example 2026-03-10")
		if err := w.svc.RequestRepresentative(ctx, w.manager, c.ID, w.rep.Email, w.today()); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("the manager naming a rep: %v", err)
		}
		if err := w.svc.RequestRepresentative(ctx, w.hr, c.ID, w.rep.Email, w.today()); err != nil {
			t.Fatal(err)
		}
		got, _ := w.svc.Get(ctx, w.rep, c.ID)
		if got.RepName != "Rita Rep" || got.RepRequestedOn != w.today() {
			t.Fatalf("rep %q on %q", got.RepName, got.RepRequestedOn)
		}
		if err := w.svc.RequestRepresentative(ctx, w.hr, c.ID, "", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Get(ctx, w.rep, c.ID); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("a removed rep still reads the case: %v", err)
		}
		if n := auditCount(t, db, "case.rep"); n != 2 {
			t.Fatalf("%d case.rep audit entries", n)
		}
	})
}

func TestAssign(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		c := w.open(t, casework.Disciplinary, false)
		if err := w.svc.Assign(ctx, w.hr2, c.ID, casework.AssignInput{HRAdviser: w.hr2.Email}); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("another adviser taking the case: %v", err)
		}
		err := w.svc.Assign(ctx, w.lead, c.ID, casework.AssignInput{HRAdviser: w.manager.Email, Manager: w.employee.Email})
		wantField(t, err, "hr_adviser", "not in HR")
		wantField(t, err, "manager", "is the person the case is about")
		wantField(t, w.svc.Assign(ctx, w.lead, c.ID, casework.AssignInput{}), "hr_adviser", "Enter the email address")
		if err := w.svc.Assign(ctx, w.lead, c.ID, casework.AssignInput{HRAdviser: w.hr2.Email}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Get(ctx, w.hr2, c.ID); err != nil {
			t.Fatalf("the new adviser: %v", err)
		}
		for _, who := range []*authz.Principal{w.hr, w.manager} {
			if _, err := w.svc.Get(ctx, who, c.ID); !errors.Is(err, casework.ErrNotAllowed) {
				t.Fatalf("%s after reassignment: %v", who.Name, err)
			}
		}
	})
}

func TestListFilters(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		formal := w.ready(t, casework.Disciplinary, false)
		if err := w.svc.SignOff(ctx, w.lead, formal.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.MoveToFormal(ctx, w.hr, formal.ID); err != nil {
			t.Fatal(err)
		}
		w.open(t, casework.Grievance, false)
		count := func(f casework.Filter) int {
			t.Helper()
			list, err := w.svc.List(ctx, w.hr, f)
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		if count(casework.Filter{}) != 2 || count(casework.Filter{Status: casework.Formal}) != 1 || count(casework.Filter{Type: casework.Grievance}) != 1 {
			t.Fatal("status and type filters")
		}
		if count(casework.Filter{Overdue: true}) != 0 {
			t.Fatal("nothing is overdue yet")
		}
		w.now = w.now.Add(43 * 24 * time.Hour)
		list, _ := w.svc.List(ctx, w.hr, casework.Filter{Overdue: true})
		if len(list) != 1 || !list[0].Overdue || list[0].StageName != "Investigation" {
			t.Fatalf("overdue list %+v", list)
		}
	})
}

func TestDesignations(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		if err := w.svc.Designate(ctx, w.lead, w.hr.Email, casework.ERLead); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("not an admin: %v", err)
		}
		wantField(t, w.svc.Designate(ctx, w.admin, w.staff.Email, casework.ERLead), "email", "Sam Staff", "HR")
		wantField(t, w.svc.Designate(ctx, w.admin, w.hr.Email, casework.NonExecReviewer), "email", "executive")
		wantField(t, w.svc.Designate(ctx, w.admin, w.hr.Email, casework.StaffSideLead), "email", "trade union representative")
		wantField(t, w.svc.Designate(ctx, w.admin, "nobody@trust.test", casework.ERLead), "email", "No active candour user")
		wantField(t, w.svc.Designate(ctx, w.admin, w.hr.Email, "boss"), "designation")
		if err := w.svc.Designate(ctx, w.admin, w.rep.Email, casework.StaffSideLead); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Designate(ctx, w.admin, w.rep.Email, casework.StaffSideLead); err != nil {
			t.Fatalf("designating twice: %v", err)
		}
		if ok, _ := w.svc.HasDesignation(ctx, w.rep.UserID, casework.StaffSideLead); !ok {
			t.Fatal("not designated")
		}
		list, _ := w.svc.Designations(ctx)
		if len(list) != 2 { // the ER lead from the fixture and the staff-side lead
			t.Fatalf("designations %+v", list)
		}
		if err := w.svc.Undesignate(ctx, w.admin, w.rep.UserID, casework.StaffSideLead); err != nil {
			t.Fatal(err)
		}
		if ok, _ := w.svc.HasDesignation(ctx, w.rep.UserID, casework.StaffSideLead); ok {
			t.Fatal("still designated")
		}
		if n := auditCount(t, db, "designation.add") + auditCount(t, db, "designation.remove"); n != 2 {
			t.Fatalf("%d designation audit entries", n)
		}
	})
}

func TestLabels(t *testing.T) {
	if len(casework.Types()) != 8 || casework.TypeLabel(casework.CapabilityPerformance) != "Capability (performance)" {
		t.Fatal("types")
	}
	if casework.StatusLabel(casework.EarlyConcern) != "Early concern" || casework.OutcomeLabel(casework.NoCaseToAnswer) != "No case to answer" {
		t.Fatal("labels")
	}
	if slices.ContainsFunc(casework.EntryKinds(), func(o casework.Option) bool { return o.Value == casework.EntryRepNote }) {
		t.Fatal("a handler adding a rep note")
	}
	for _, k := range []string{casework.EntryOpened, casework.EntryFormal, casework.EntryRepNote, casework.EntryDocument} {
		if casework.EntryKindLabel(k) == k {
			t.Errorf("no label for %s", k)
		}
	}
	if len(casework.LearningCategories()) != 3 || len(casework.PartyRoles()) != 6 || len(casework.Outcomes()) != 6 {
		t.Fatal("options")
	}
}
