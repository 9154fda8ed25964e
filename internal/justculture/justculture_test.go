package justculture_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"candour/internal/account"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/guide"
	"candour/internal/justculture"
	"candour/internal/org"
	"candour/internal/store"
	"candour/internal/store/storetest"
	"candour/internal/validate"
)

type fixture struct {
	db    *store.DB
	svc   *justculture.Service
	users map[string]*authz.Principal
	now   *time.Time
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 4, 10, 10, 0, 0, 0, time.UTC)
	f := &fixture{db: db, svc: justculture.NewService(db), users: map[string]*authz.Principal{}, now: &now}
	f.svc.Now = func() time.Time { return *f.now }
	if err := f.svc.EnsureBuiltins(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.EnsureBuiltins(ctx); err != nil {
		t.Fatal("EnsureBuiltins is not idempotent:", err)
	}
	dir := org.New(db)
	site, _ := dir.CreateSite(ctx, audit.System, org.Site{Code: "NGH", Name: "Northfield"})
	dep, _ := dir.CreateDepartment(ctx, audit.System, org.Department{SiteID: site.ID, Code: "W7", Name: "Ward 7", Kind: "ward"})
	for i, p := range []org.Person{
		{EmployeeNumber: "5001", Name: "Nia Staffnurse", DepartmentID: dep.ID, StaffGroup: "nursing_midwifery", StartDate: "2020-01-01", EthnicGroup: "N"},
		{EmployeeNumber: "5002", Name: "Len Leaver", DepartmentID: dep.ID, StaffGroup: "nursing_midwifery", StartDate: "2019-01-01", LeaveDate: "2026-01-31"},
		{EmployeeNumber: "5003", Name: "Will White", DepartmentID: dep.ID, StaffGroup: "medical_dental", StartDate: "2019-01-01", EthnicGroup: "A"},
	} {
		if _, err := dir.SavePerson(ctx, audit.System, p); err != nil {
			t.Fatalf("person %d: %v", i, err)
		}
	}
	acc := account.New(db)
	nia, _ := dir.PersonByEmployeeNumber(ctx, "5001")
	for name, role := range map[string]authz.Role{"manager": authz.Manager, "manager2": authz.Manager, "safety": authz.Safety,
		"hr": authz.HR, "staff": authz.Staff, "admin": authz.Admin, "nia": authz.Staff} {
		nu := account.NewUser{Email: name + "@trust.example", Name: "User " + name, Roles: []authz.Role{role}}
		if name == "nia" {
			nu.PersonID = nia.ID
		}
		u, err := acc.Create(ctx, audit.System, nu)
		if err != nil {
			t.Fatal(err)
		}
		f.users[name] = &authz.Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Roles: u.Roles}
	}
	return f
}

func (f *fixture) start(t *testing.T, who string) justculture.Assessment {
	t.Helper()
	a, err := f.svc.Start(context.Background(), f.users[who], justculture.StartInput{
		GuideID: "nhs-just-culture-2018", Action: "Gave the second dose without checking the chart",
		EmployeeNumber: "5001", Participants: []string{"manager2@trust.example"}, ConcernConfirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func answer(b bool) guide.Answer {
	return guide.Answer{Value: b, Reason: "Discussed with the ward team"}
}

func TestStartEnforcesTheRulesOfUse(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	_, err := f.svc.Start(ctx, f.users["manager"], justculture.StartInput{GuideID: "nhs-just-culture-2018", Action: "short",
		EmployeeNumber: "5002", Participants: []string{"nobody@trust.example"}})
	v, _ := validate.As(err)
	got := map[string]string{}
	for _, e := range v {
		got[e.Field] = e.Message
	}
	for _, field := range []string{"action", "concern_confirmed", "person", "participants"} {
		if got[field] == "" {
			t.Errorf("no error on %s: %v", field, err)
		}
	}
	if !strings.Contains(got["person"], "left on 2026-01-31") {
		t.Errorf("a leaver: %q", got["person"])
	}
	_, err = f.svc.Start(ctx, f.users["manager"], justculture.StartInput{GuideID: "nhs-just-culture-2018",
		Action: "Gave the second dose without checking", EmployeeNumber: "5001", ConcernConfirmed: true})
	if v, _ := validate.As(err); len(v) != 1 || v[0].Field != "participants" {
		t.Fatalf("alone: %v; the guide is a conversation between at least two people", err)
	}
	if _, err := f.svc.Start(ctx, f.users["staff"], justculture.StartInput{GuideID: "nhs-just-culture-2018"}); !errors.Is(err, justculture.ErrNotAllowed) {
		t.Fatalf("a staff member starting one: %v", err)
	}
}

func TestWalkOnePageAtATimeAndComplete(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		a := f.start(t, "manager")
		if a.NextQuestion == nil || a.NextQuestion.ID != "1a" {
			t.Fatalf("first question %+v, want 1a", a.NextQuestion)
		}
		m := f.users["manager"]
		// Out of order is refused; a missing reason is refused.
		if _, err := f.svc.Answer(ctx, m, a.ID, "3a", answer(true)); err == nil {
			t.Fatal("answering 3a before 1a was accepted")
		}
		if _, err := f.svc.Answer(ctx, m, a.ID, "1a", guide.Answer{Value: false}); err == nil {
			t.Fatal("an answer without a reason was accepted")
		}
		// No deliberate harm, no health issues, protocols in place and workable,
		// knowingly departed, others would have done the same: E.
		for _, step := range []struct {
			q string
			v bool
		}{{"1a", false}, {"2a", false}, {"2b", false}, {"2c", false}, {"3a", true}, {"3b", true}, {"3c", true}, {"4a", true}} {
			var err error
			if a, err = f.svc.Answer(ctx, m, a.ID, step.q, answer(step.v)); err != nil {
				t.Fatalf("%s: %v", step.q, err)
			}
		}
		if a.Status != justculture.BiasCheck || a.Outcome != "E" || strings.Join(a.Path, ",") != "1a,2a,2b,2c,3a,3b,3c,4a" {
			t.Fatalf("after 4a: status %s outcome %s path %v", a.Status, a.Outcome, a.Path)
		}
		// Changing an earlier answer drops the answers the new route skips.
		if a, _ = f.svc.Answer(ctx, m, a.ID, "3b", answer(false)); a.Outcome != "D" || len(a.Answers) != 6 {
			t.Fatalf("changing 3b to no: outcome %s, %d answers; want D and 6", a.Outcome, len(a.Answers))
		}
		if _, err := f.svc.CompleteBiasCheck(ctx, m, a.ID, "yes", ""); err == nil {
			t.Fatal("bias check without a reason accepted")
		}
		a, err := f.svc.CompleteBiasCheck(ctx, f.users["manager2"], a.ID, "yes", "We considered a colleague of a different ethnicity and grade")
		if err != nil || a.Status != justculture.Complete {
			t.Fatalf("complete: %v", err)
		}
		if a.SupportsFormalAction() {
			t.Fatal("end point D must not support formal action")
		}
		// The audit log says which questions were answered and that the
		// assessment was completed, not the answers nor the end point:
		// administrators read it, and this is about a named person.
		for _, action := range []string{"assessment.answer", "assessment.complete"} {
			entries, _, err := audit.List(ctx, db, audit.Filter{Action: action, Limit: 100})
			if err != nil || len(entries) == 0 {
				t.Fatalf("%s: %d audit entries, %v", action, len(entries), err)
			}
			for _, e := range entries {
				if d := strings.ToLower(e.Detail); strings.Contains(d, "yes") || strings.Contains(d, "no") || strings.Contains(d, "end point d") {
					t.Errorf("%s audit detail %q gives the answer or the end point", action, e.Detail)
				}
			}
		}
		// Completed assessments cannot be edited; revisiting makes a new version.
		if _, err := f.svc.Answer(ctx, m, a.ID, "1a", answer(true)); err == nil {
			t.Fatal("a completed assessment was changed")
		}
		b, err := f.svc.Revisit(ctx, m, a.ID)
		if err != nil || b.Version != 2 || b.PreviousID != a.ID || b.Status != justculture.Answering {
			t.Fatalf("revisit: %+v %v", b, err)
		}
		if prev := f.svc.PreviousAnswers(ctx, b); prev["3b"].Value != false || len(prev) != 6 {
			t.Fatalf("previous answers: %+v", prev)
		}
		if _, err := f.svc.Revisit(ctx, m, a.ID); err == nil {
			t.Fatal("the old version was revisited twice")
		}
		old, _ := f.svc.Get(ctx, m, a.ID)
		if old.Outcome != "D" || old.Status != justculture.Complete {
			t.Fatal("revisiting overwrote the earlier version")
		}
		if _, ok, _ := f.svc.FormalActionCheck(ctx, a.PersonID, a.ID); ok {
			t.Fatal("a superseded version passed the formal action check")
		}
	})
}

func TestVisibility(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		a := f.start(t, "manager")
		for who, want := range map[string]bool{"manager": true, "manager2": true, "safety": true, "hr": false, "staff": false, "admin": false, "nia": false} {
			_, err := f.svc.Get(ctx, f.users[who], a.ID)
			if (err == nil) != want {
				t.Errorf("%s reading: err=%v, want allowed=%v", who, err, want)
			}
		}
		if err := f.svc.Share(ctx, f.users["manager"], a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Get(ctx, f.users["nia"], a.ID); err != nil {
			t.Fatalf("the staff member concerned after sharing: %v", err)
		}
		if list, _ := f.svc.List(ctx, f.users["nia"]); len(list) != 1 {
			t.Fatalf("shared list: %d", len(list))
		}
		if list, _ := f.svc.List(ctx, f.users["staff"]); len(list) != 0 {
			t.Fatalf("someone else's list: %d", len(list))
		}
		reads, _, _ := audit.List(ctx, db, audit.Filter{Action: "assessment.read"})
		if len(reads) != 4 {
			t.Fatalf("audited reads: %d, want 4", len(reads))
		}
	})
}

func TestRecordWholeAssessmentAndRetiredVersions(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		in := justculture.StartInput{GuideID: "nhs-just-culture-2018", Action: "Did not escalate the early warning score",
			EmployeeNumber: "5003", Participants: []string{"manager2@trust.example"}, ConcernConfirmed: true}
		all := map[string]guide.Answer{"1a": answer(false), "2a": answer(false), "2b": answer(false), "2c": answer(false),
			"3a": answer(true), "3b": answer(true), "3c": answer(true), "4a": answer(false), "4b": answer(false), "4c": answer(false), "5a": answer(false)}
		a, err := f.svc.Record(ctx, f.users["safety"], in, all, "yes", "Same answer for anyone in the team")
		if err != nil || a.Outcome != "G" || !a.SupportsFormalAction() {
			t.Fatalf("record: %+v %v", a.Outcome, err)
		}
		// Off-path answers and early stops name the question; nothing is stored.
		bad := map[string]guide.Answer{"1a": answer(true), "2a": answer(false)}
		_, err = f.svc.Record(ctx, f.users["safety"], in, bad, "", "")
		if v, _ := validate.As(err); len(v) != 1 || v[0].Field != "answers.2a" {
			t.Fatalf("off-path answer: %v", err)
		}
		_, err = f.svc.Record(ctx, f.users["safety"], in, map[string]guide.Answer{"1a": answer(false)}, "", "")
		if v, _ := validate.As(err); len(v) != 1 || v[0].Field != "answers.2a" {
			t.Fatalf("stopping early: %v", err)
		}
		var n int
		db.QueryRowContext(ctx, `SELECT count(*) FROM assessments`).Scan(&n)
		if n != 1 {
			t.Fatalf("%d assessments stored, want 1", n)
		}
		// A new version of the guide does not change assessments already started.
		started := f.start(t, "manager")
		defs, _ := f.svc.Versions(ctx, "nhs-just-culture-2018")
		raw := strings.Replace(string(defs[0].Guide.Raw()), `"version": 1`, `"version": 2`, 1)
		raw = strings.Replace(raw, `"version":1`, `"version":2`, 1)
		v2, err := f.svc.AddDefinition(ctx, audit.Actor{UserID: f.users["admin"].UserID, Label: "admin"}, []byte(raw))
		if err != nil {
			t.Fatalf("add version 2: %v", err)
		}
		if _, err := f.svc.AddDefinition(ctx, audit.System, []byte(raw)); err == nil || !strings.Contains(err.Error(), "already exists") {
			t.Fatalf("re-adding version 2: %v", err)
		}
		if err := f.svc.Retire(ctx, audit.System, defs[0].ID); err != nil {
			t.Fatal(err)
		}
		cont, err := f.svc.Answer(ctx, f.users["manager"], started.ID, "1a", answer(false))
		if err != nil || cont.Definition.ID != defs[0].ID {
			t.Fatalf("an assessment in progress moved off its version: %v", err)
		}
		if _, err := f.svc.Start(ctx, f.users["manager"], justculture.StartInput{DefinitionID: defs[0].ID, Action: "Another action to consider",
			EmployeeNumber: "5001", Participants: []string{"manager2@trust.example"}, ConcernConfirmed: true}); err == nil {
			t.Fatal("a retired version accepted a new assessment")
		}
		cur, _ := f.svc.Current(ctx, "nhs-just-culture-2018")
		if cur.ID != v2.ID {
			t.Fatalf("current version %d, want %d", cur.ID, v2.ID)
		}
		if _, err := f.svc.AddDefinition(ctx, audit.System, []byte(`{"id": "x"}`)); err == nil {
			t.Fatal("a malformed definition was stored")
		}
	})
}

func TestAggregatesSuppressSmallNumbers(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	in := justculture.StartInput{GuideID: "nhs-just-culture-2018", Action: "Did not escalate the early warning score",
		EmployeeNumber: "5001", Participants: []string{"manager2@trust.example"}, ConcernConfirmed: true}
	toD := map[string]guide.Answer{"1a": answer(false), "2a": answer(false), "2b": answer(false), "2c": answer(false), "3a": answer(false)}
	for i := 0; i < 6; i++ {
		if _, err := f.svc.Record(ctx, f.users["safety"], in, toD, "yes", "Considered"); err != nil {
			t.Fatal(err)
		}
	}
	toA := map[string]guide.Answer{"1a": answer(true)}
	in.EmployeeNumber = "5003"
	if _, err := f.svc.Record(ctx, f.users["safety"], in, toA, "unsure", "Discussed at length"); err != nil {
		t.Fatal(err)
	}
	ag, err := f.svc.Aggregates(ctx, f.users["safety"], "nhs-just-culture-2018", f.now.AddDate(0, -1, 0), *f.now, 5)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]justculture.Count{}
	for _, c := range ag.EndPoints {
		got[c.Key] = c
	}
	if ag.Total != 7 || got["D"].N != 6 || got["D"].Suppressed || !got["A"].Suppressed || got["A"].N != 0 {
		t.Fatalf("aggregate %+v", ag.EndPoints)
	}
	for _, c := range ag.Ethnicity["D"] {
		if c.Key == org.CategoryEthnicMinority && c.N != 6 {
			t.Fatalf("D by ethnicity: %+v", ag.Ethnicity["D"])
		}
	}
	if _, err := f.svc.Aggregates(ctx, f.users["manager"], "nhs-just-culture-2018", *f.now, *f.now, 5); !errors.Is(err, justculture.ErrNotAllowed) {
		t.Fatal("a manager saw the aggregate view")
	}
}
