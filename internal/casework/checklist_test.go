package casework_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

func TestFormalRefusedWithoutTheChecklistListingEveryGap(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		c := w.open(t, casework.Disciplinary, false)
		_, err := w.svc.MoveToFormal(ctx, w.hr, c.ID)
		got := unmetNames(t, err)
		want := []string{"facts_gathered", "employee_account_heard", "allegations_framed", "alternatives_considered", "investigator_named",
			"decision_maker_named", "conflicts_declared", "wellbeing_contact_named", "union_rep_offered", "second_signoff"}
		if !slices.Equal(got, want) {
			t.Fatalf("unmet %v, want every one of %v", got, want)
		}
		after, _ := w.svc.Get(ctx, w.hr, c.ID)
		if after.Status != casework.EarlyConcern || after.Stage != nil || after.FormalOn != "" {
			t.Fatalf("a refused move changed the case: %+v", after)
		}
		if n := auditCount(t, db, "case.formal"); n != 0 {
			t.Fatalf("%d case.formal audit entries for a refused move", n)
		}

		// Vague allegations are not enough, and the reason is given.
		in := w.fullChecklist()
		in.Allegations = "Poor attitude"
		if err := w.svc.SaveChecklist(ctx, w.hr, c.ID, in); err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.MoveToFormal(ctx, w.hr, c.ID)
		if d := unmetDetail(t, err, "allegations_framed"); !strings.Contains(d, "when and where") {
			t.Errorf("allegations detail %q", d)
		}
		// Paired answers: a ticked box needs its date.
		in = w.fullChecklist()
		in.EmployeeAccountOn = ""
		in.UnionRepOfferedOn = w.on(1)
		err = w.svc.SaveChecklist(ctx, w.hr, c.ID, in)
		wantField(t, err, "employee_account_on", "Enter the date")
		wantField(t, err, "union_rep_offered_on", "cannot be in the future")
		in = w.fullChecklist()
		in.WellbeingContact = w.employee.Email
		wantField(t, w.svc.SaveChecklist(ctx, w.hr, c.ID, in), "wellbeing_contact", "is the person the case is about")
		in.WellbeingContact = "nobody@trust.test"
		wantField(t, w.svc.SaveChecklist(ctx, w.hr, c.ID, in), "wellbeing_contact", "No active candour user")
	})
}

func TestJustCultureGateForAReportLinkedCase(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		c := w.ready(t, casework.Disciplinary, true)
		if c.ReportID == 0 || c.ReportReference != eventRef {
			t.Fatalf("report not linked: %+v", c)
		}

		// No assessment: the sign-off cannot be given yet, and moving lists
		// the guide and the sign-off.
		err := w.svc.SignOff(ctx, w.lead, c.ID, "")
		if got := unmetNames(t, err); !slices.Equal(got, []string{"just_culture_assessment"}) {
			t.Fatalf("sign-off before the guide: unmet %v", got)
		}
		_, err = w.svc.MoveToFormal(ctx, w.hr, c.ID)
		if got := unmetNames(t, err); !slices.Equal(got, []string{"just_culture_assessment", "second_signoff"}) {
			t.Fatalf("without the guide: unmet %v", got)
		}
		if d := unmetDetail(t, err, "just_culture_assessment"); !strings.Contains(d, "Work through the just culture guide") {
			t.Errorf("no assessment: %q", d)
		}

		// Unfinished: the bias check is not done.
		w.assess(t, "G", true)
		_, err = w.svc.MoveToFormal(ctx, w.hr, c.ID)
		if d := unmetDetail(t, err, "just_culture_assessment"); !strings.Contains(d, "not finished") {
			t.Errorf("unfinished: %q", d)
		}

		// End point D blocks formal action, naming the end point and why.
		d := w.assess(t, "D", false)
		_, err = w.svc.MoveToFormal(ctx, w.hr, c.ID)
		detail := unmetDetail(t, err, "just_culture_assessment")
		for _, want := range []string{"end point D", "No workable protocol was knowingly broken", "singling out the person is unlikely"} {
			if !strings.Contains(detail, want) {
				t.Errorf("end point D detail %q does not say %q", detail, want)
			}
		}

		// Revisited: the new version is not finished.
		m := w.manager
		v2, err := w.culture.Revisit(ctx, m, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.svc.MoveToFormal(ctx, w.hr, c.ID)
		if d := unmetDetail(t, err, "just_culture_assessment"); !strings.Contains(d, "revisited") {
			t.Errorf("revisited: %q", d)
		}
		// The revisit reaches G: the gate opens.
		ans := answersTo("G")
		for _, q := range []string{"1a", "2a", "2b", "2c", "3a", "3b", "3c", "4a", "4b", "4c", "5a"} {
			if v2, err = w.culture.Answer(ctx, m, v2.ID, q, ans[q]); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if _, err := w.culture.CompleteBiasCheck(ctx, w.hr, v2.ID, "yes", "The same for any colleague on the ward"); err != nil {
			t.Fatal(err)
		}
		pcs, err := w.svc.Preconditions(ctx, w.hr, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if pc := precondition(t, pcs, "just_culture_assessment"); !pc.Met {
			t.Fatalf("a completed G assessment: %+v", pc)
		}
		if err := w.svc.SignOff(ctx, w.lead, c.ID, "Read the checklist and the guide"); err != nil {
			t.Fatal(err)
		}
		got, err := w.svc.MoveToFormal(ctx, w.hr, c.ID)
		if err != nil {
			t.Fatalf("everything met: %v", err)
		}
		if got.AssessmentID != v2.ID {
			t.Errorf("the case relies on assessment %d, want the completed revisit %d", got.AssessmentID, v2.ID)
		}
	})
}

func TestEndPointEBlocksFormalAction(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		c := w.ready(t, casework.Disciplinary, true)
		w.assess(t, "E", false)
		_, err := w.svc.MoveToFormal(ctx, w.hr, c.ID)
		detail := unmetDetail(t, err, "just_culture_assessment")
		if !strings.Contains(detail, "end point E") || !strings.Contains(detail, "Others would have done the same") {
			t.Fatalf("end point E detail %q", detail)
		}
		// Sign-off cannot paper over it.
		if got := unmetNames(t, w.svc.SignOff(ctx, w.lead, c.ID, "")); !slices.Equal(got, []string{"just_culture_assessment"}) {
			t.Fatalf("sign-off with E: %v", got)
		}
	})
}

func TestSignOffRules(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		c := w.ready(t, casework.Grievance, false)

		// Without the second sign-off the case stays an early concern.
		_, err := w.svc.MoveToFormal(ctx, w.hr, c.ID)
		if got := unmetNames(t, err); !slices.Equal(got, []string{"second_signoff"}) {
			t.Fatalf("only the sign-off should be missing: %v", got)
		}
		// The adviser cannot sign their own case off, even as ER lead.
		dbExec(t, db, `INSERT INTO casework_designations (user_id, designation, created_at) VALUES (?, 'er_lead', ?)`, w.hr.UserID, store.T(w.now))
		wantField(t, w.svc.SignOff(ctx, w.hr, c.ID, ""), "note", "You are the HR adviser")
		dbExec(t, db, `DELETE FROM casework_designations WHERE user_id = ?`, w.hr.UserID)
		// Neither can other HR, the manager, a rep or an administrator.
		for _, name := range []string{"other HR", "manager", "rep", "admin", "staff"} {
			if err := w.svc.SignOff(ctx, principal(w, name), c.ID, ""); !errors.Is(err, casework.ErrNotAllowed) {
				t.Errorf("%s signing off: %v", name, err)
			}
		}
		// The ER lead who made the last change cannot sign off their own change.
		in := w.fullChecklist()
		in.FactsSummary += " The rota for the night was read too."
		if err := w.svc.SaveChecklist(ctx, w.lead, c.ID, in); err != nil {
			t.Fatal(err)
		}
		wantField(t, w.svc.SignOff(ctx, w.lead, c.ID, ""), "note", "You made the last change")

		// An executive who is neither may read the checklist and sign it off,
		// but still cannot read the case.
		if _, err := w.svc.Checklist(ctx, w.exec, c.ID); err != nil {
			t.Fatalf("executive reading the checklist to sign it: %v", err)
		}
		if _, err := w.svc.Get(ctx, w.exec, c.ID); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("executive reading the case: %v", err)
		}
		if list, err := w.svc.AwaitingSignOff(ctx, w.exec); err != nil || len(list) != 1 || list[0].ID != c.ID {
			t.Fatalf("awaiting the executive's sign-off: %+v %v", list, err)
		}
		if list, _ := w.svc.AwaitingSignOff(ctx, w.lead); len(list) != 0 {
			t.Fatalf("the ER lead made the last change, so cannot sign: %+v", list)
		}
		if _, err := w.svc.AwaitingSignOff(ctx, w.manager); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("the manager: %v", err)
		}
		if err := w.svc.SignOff(ctx, w.exec, c.ID, "Proportionate; alternatives were tried"); err != nil {
			t.Fatalf("executive sign-off: %v", err)
		}
		if list, _ := w.svc.AwaitingSignOff(ctx, w.exec); len(list) != 0 {
			t.Fatalf("still awaiting after sign-off: %+v", list)
		}
		cl, _ := w.svc.Checklist(ctx, w.hr, c.ID)
		if cl.SignoffBy != w.exec.UserID || cl.SignoffName != w.exec.Name || cl.SignoffNote == "" {
			t.Fatalf("sign-off not recorded: %+v", cl)
		}

		// Saving the same answers again keeps the sign-off; a change clears it.
		if err := w.svc.SaveChecklist(ctx, w.hr, c.ID, in); err != nil {
			t.Fatal(err)
		}
		if cl, _ := w.svc.Checklist(ctx, w.hr, c.ID); cl.SignoffBy == 0 {
			t.Fatal("saving unchanged answers cleared the sign-off")
		}
		in.AlternativesConsidered = "Mediation was offered and declined by both colleagues; a formal grievance is the route they asked for."
		if err := w.svc.SaveChecklist(ctx, w.hr, c.ID, in); err != nil {
			t.Fatal(err)
		}
		if cl, _ := w.svc.Checklist(ctx, w.hr, c.ID); cl.SignoffBy != 0 || !cl.SignoffAt.IsZero() {
			t.Fatalf("a change after sign-off kept it: %+v", cl)
		}
		_, err = w.svc.MoveToFormal(ctx, w.hr, c.ID)
		if got := unmetNames(t, err); !slices.Equal(got, []string{"second_signoff"}) {
			t.Fatalf("after the change: %v", got)
		}
		tl, _ := w.svc.Timeline(ctx, w.hr, c.ID)
		if !slices.ContainsFunc(tl, func(e casework.Entry) bool { return strings.Contains(e.Body, "sign-off by Eve Exec was cleared") }) {
			t.Error("the timeline does not say the sign-off was cleared")
		}
		// Changing the investigator clears it too.
		if err := w.svc.SignOff(ctx, w.lead, c.ID, ""); err != nil {
			t.Fatal(err)
		}
		parties, _ := w.svc.Parties(ctx, w.hr, c.ID)
		if err := w.svc.RemoveParty(ctx, w.hr, c.ID, parties[0].ID); err != nil {
			t.Fatal(err)
		}
		pcs, _ := w.svc.Preconditions(ctx, w.hr, c.ID)
		if precondition(t, pcs, "second_signoff").Met || precondition(t, pcs, "investigator_named").Met {
			t.Fatal("removing the investigator kept the sign-off")
		}
	})
}

// principal names the world's people for table tests.
func principal(w *world, name string) *authz.Principal {
	return map[string]*authz.Principal{
		"HR adviser": w.hr, "other HR": w.hr2, "ER lead": w.lead, "manager": w.manager, "rep": w.rep, "other rep": w.rep2,
		"employee": w.employee, "executive": w.exec, "admin": w.admin, "staff": w.staff,
	}[name]
}

func TestMoveToFormal(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		c := w.ready(t, casework.Disciplinary, false)
		if err := w.svc.SignOff(ctx, w.lead, c.ID, ""); err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"manager", "rep", "other HR", "executive"} {
			if _, err := w.svc.MoveToFormal(ctx, principal(w, who), c.ID); !errors.Is(err, casework.ErrNotAllowed) {
				t.Errorf("%s moving to formal: %v", who, err)
			}
		}
		w.days(2)
		got, err := w.svc.MoveToFormal(ctx, w.hr, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != casework.Formal || got.FormalOn != w.today() {
			t.Fatalf("status %s formal on %s", got.Status, got.FormalOn)
		}
		if got.Stage == nil || got.Stage.Code != "investigation" || got.Stage.StartedOn != w.today() || got.Stage.TargetOn != w.on(42) {
			t.Fatalf("first stage %+v, want investigation for 42 days from %s", got.Stage, w.today())
		}
		if _, err := w.svc.MoveToFormal(ctx, w.hr, c.ID); !errors.Is(err, casework.ErrAlreadyFormal) {
			t.Fatalf("twice: %v", err)
		}
		if err := w.svc.SaveChecklist(ctx, w.hr, c.ID, w.fullChecklist()); !errors.Is(err, casework.ErrAlreadyFormal) {
			t.Fatalf("changing the checklist of a formal case: %v", err)
		}
		if n := auditCount(t, db, "case.formal"); n != 1 {
			t.Fatalf("%d case.formal audit entries", n)
		}
		tl, _ := w.svc.Timeline(ctx, w.hr, c.ID)
		if len(tl) == 0 || tl[0].Kind != casework.EntryFormal {
			t.Fatalf("newest entry %+v, want the move to formal", tl[0])
		}
	})
}

func TestDecisionMakerCannotBeTheInvestigator(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		c := w.open(t, casework.Disciplinary, false)
		if _, err := w.svc.AddParty(ctx, w.hr, c.ID, casework.PartyInput{Role: casework.RoleInvestigator, Person: "E1004"}); err != nil {
			t.Fatal(err)
		}
		// The same person, by employee number or by their candour account.
		_, err := w.svc.AddParty(ctx, w.hr, c.ID, casework.PartyInput{Role: casework.RoleDecisionMaker, Person: "E1004"})
		wantField(t, err, "person", "Ivy Investigator is the investigator, so cannot also be the decision maker")
		_, err = w.svc.AddParty(ctx, w.hr, c.ID, casework.PartyInput{Role: casework.RoleDecisionMaker, User: w.investigator.Email})
		wantField(t, err, "user", "cannot also be the decision maker")
		// If it somehow holds, the precondition fails and says why.
		dbExec(t, db, `INSERT INTO case_parties (case_id, role, person_id, name, added_by, added_at) VALUES (?, 'decision_maker', 4, 'Ivy Investigator', ?, ?)`,
			c.ID, w.hr.UserID, store.T(w.now))
		pcs, _ := w.svc.Preconditions(ctx, w.hr, c.ID)
		if pc := precondition(t, pcs, "decision_maker_named"); pc.Met || !strings.Contains(pc.Detail, "both the investigator and the decision maker") {
			t.Fatalf("decision maker = investigator: %+v", pc)
		}
		// Other party rules.
		_, err = w.svc.AddParty(ctx, w.hr, c.ID, casework.PartyInput{Role: casework.RoleUnionRep, User: w.staff.Email})
		wantField(t, err, "user", "Sam Staff is not a trade union representative in candour")
		_, err = w.svc.AddParty(ctx, w.hr, c.ID, casework.PartyInput{Role: casework.RoleWitness, Person: employeeNumber})
		wantField(t, err, "person", "is the person the case is about")
		_, err = w.svc.AddParty(ctx, w.hr, c.ID, casework.PartyInput{Role: casework.RoleWitness})
		wantField(t, err, "person", "Enter an employee number")
		_, err = w.svc.AddParty(ctx, w.hr, c.ID, casework.PartyInput{Role: "judge", Name: "Someone"})
		wantField(t, err, "role")
		if _, err := w.svc.AddParty(ctx, w.hr, c.ID, casework.PartyInput{Role: casework.RoleUnionRep, User: w.rep.Email}); err != nil {
			t.Fatalf("a union rep party: %v", err)
		}
		if _, err := w.svc.AddParty(ctx, w.hr, c.ID, casework.PartyInput{Role: casework.RoleWitness, Name: "Jo Agency"}); err != nil {
			t.Fatalf("an external witness by name: %v", err)
		}
		if _, err := w.svc.AddParty(ctx, w.manager, c.ID, casework.PartyInput{Role: casework.RoleWitness, Name: "Kim"}); !errors.Is(err, casework.ErrNotAllowed) {
			t.Fatalf("the manager adding a party: %v", err)
		}
	})
}

func TestAppealsAndTribunalsSkipPreFormalItems(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		c := w.open(t, casework.EmploymentTribunal, true)
		pcs, err := w.svc.Preconditions(ctx, w.hr, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"facts_gathered", "alternatives_considered", "just_culture_assessment"} {
			if slices.ContainsFunc(pcs, func(p casework.Precondition) bool { return p.Name == name }) {
				t.Errorf("%s applies to an employment tribunal claim", name)
			}
		}
		if !slices.ContainsFunc(pcs, func(p casework.Precondition) bool { return p.Name == "second_signoff" }) {
			t.Error("the sign-off must still apply")
		}
	})
}
