package e2e

import (
	"context"
	"testing"

	"candour/internal/account"
	"candour/internal/app/apptest"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/localtime"
	"candour/internal/org"
	"candour/internal/store"
)

// caseworkFixtures are the employee-relations cases the browser tests look
// at, made through the casework service as the test users, so that they do
// not depend on what the demo trust holds. Every page of a case has a case
// in the state that shows the most of it.
type caseworkFixtures struct {
	// staffPerson is the people directory record of the test staff member,
	// made for the tests and linked to their sign-in, so that they can read
	// their own case as the employee.
	staffPerson org.Person
	// approver and secondApprover are executives beyond the test executive
	// (who is the non-executive reviewer and so decides no suspension):
	// the two who agree a suspension.
	approver, secondApprover account.User

	// early is an early concern about the test staff member, arising from a
	// patient safety event with no just culture assessment, with the
	// checklist part done: handled by the test HR adviser (the
	// employee-relations lead), managed by the test manager, with the test
	// union representative as the representative the employee asked for,
	// and the employee given access. It has parties, a document
	// (earlyDocument), timeline entries of every audience and a wellbeing
	// contact for the employee (earlyWellbeing) with a contact logged.
	early, earlyDocument, earlyWellbeing int64
	// ready is an early concern whose checklist is complete and waits only
	// for the second sign-off, with a suspension proposed (proposed) that
	// one executive has agreed and the other has still to decide.
	ready, proposed int64
	// formal is a formal disciplinary case in its second stage, managed by
	// the test manager, with a suspension in place (active) that has been
	// reviewed and has a note from the non-executive reviewer.
	formal, active int64
	// closed is a closed case with its outcome and a lesson; appeal is an
	// early concern appealing it.
	closed, appeal int64
}

// newCaseworkFixtures makes the cases, and gives the test users the
// casework responsibilities the pages need: the test HR user is the
// employee-relations lead, the test union representative the staff-side
// lead, and the test executive the non-executive reviewer of suspensions.
func newCaseworkFixtures(t testing.TB, e *apptest.Env, fx *fixtures) caseworkFixtures {
	t.Helper()
	ctx := context.Background()
	var cw caseworkFixtures
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("casework fixtures: %s: %v", what, err)
		}
	}
	p := func(u account.User, r authz.Role) *authz.Principal {
		return &authz.Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Roles: []authz.Role{r}}
	}
	as := func(r authz.Role) *authz.Principal { return p(e.Users[r], r) }
	hr, admin, exec := as(authz.HR), as(authz.Admin), as(authz.Exec)
	actor := audit.Actor{Label: "test"}
	now := e.App.Now().In(localtime.London())
	day := func(days int) string { return now.AddDate(0, 0, days).Format(store.DateLayout) }
	today := day(0)

	// Responsibilities.
	for _, d := range []struct {
		role authz.Role
		d    casework.Designation
	}{{authz.HR, casework.ERLead}, {authz.UnionRep, casework.StaffSideLead}, {authz.Exec, casework.NonExecReviewer}} {
		must("designate "+string(d.role), e.App.Cases.Designate(ctx, admin, e.Users[d.role].Email, d.d))
	}
	newExec := func(email, name string) account.User {
		u, err := e.App.Accounts.Create(ctx, actor, account.NewUser{Email: email, Name: name, Roles: []authz.Role{authz.Exec}, Password: apptest.Password})
		must("create "+email, err)
		return u
	}
	cw.approver = newExec("executive-two@test.example", "Test Executive Two")
	cw.secondApprover = newExec("executive-three@test.example", "Test Executive Three")
	approver, secondApprover := p(cw.approver, authz.Exec), p(cw.secondApprover, authz.Exec)

	// The people: the test staff member's own record, and people of the
	// demo trust for the other cases and their parties.
	people, _, err := e.App.Org.People(ctx, org.PeopleQuery{Limit: 40})
	must("demo people", err)
	var others []org.Person
	for _, x := range people {
		if x.ID != fx.person.ID && x.LeaveDate == "" {
			others = append(others, x)
		}
	}
	if len(others) < 6 {
		t.Fatalf("casework fixtures: the demo trust has %d people to use, want 6", len(others))
	}
	staff := e.Users[authz.Staff]
	cw.staffPerson, err = e.App.Org.SavePerson(ctx, actor, org.Person{EmployeeNumber: "T-STAFF-1", Name: staff.Name, Email: staff.Email,
		DepartmentID: fx.person.DepartmentID, StaffGroup: fx.person.StaffGroup, JobTitle: fx.person.JobTitle, StartDate: "2019-04-01"})
	must("the test staff member's record", err)
	// Accounts has no way to link an existing account to a person: the
	// administrator does it when creating one.
	_, err = e.DB.ExecContext(ctx, `UPDATE users SET person_id = ? WHERE id = ?`, cw.staffPerson.ID, staff.ID)
	must("link the test staff member to their record", err)
	investigator, decider, witness := others[3], others[4], others[5]

	open := func(what string, in casework.OpenInput) int64 {
		t.Helper()
		c, err := e.App.Cases.Open(ctx, hr, in)
		must("open "+what, err)
		return c.ID
	}
	party := func(caseID int64, role, number, name string) int64 {
		t.Helper()
		pt, err := e.App.Cases.AddParty(ctx, hr, caseID, casework.PartyInput{Role: role, Person: number, Name: name})
		must("add "+role, err)
		return pt.ID
	}
	entry := func(by *authz.Principal, caseID int64, in casework.EntryInput) {
		t.Helper()
		_, err := e.App.Cases.AddEntry(ctx, by, caseID, in)
		must("add a "+in.Kind, err)
	}
	complete := casework.ChecklistInput{FactsGathered: true,
		FactsSummary:         "The ward manager read the drug chart and the electronic record, and spoke to the two nurses on shift.",
		EmployeeAccountHeard: true, EmployeeAccountOn: day(-3),
		Allegations:            "On the night shift two days ago, left the ward for forty minutes without telling the nurse in charge, leaving four patients without a named nurse.",
		AlternativesConsidered: "A supportive conversation and closer supervision were tried last month; the same thing happened again.",
		InvestigatorConflicts:  "None", DecisionMakerConflicts: "None", ConflictsDeclared: true,
		WellbeingContact: e.Users[authz.Guardian].Email, UnionRepOffered: true, UnionRepOfferedOn: day(-3)}
	independent := func(caseID int64) {
		party(caseID, casework.RoleInvestigator, investigator.EmployeeNumber, "")
		party(caseID, casework.RoleDecisionMaker, decider.EmployeeNumber, "")
	}
	var eventRef string
	must("reference of the anonymous event", e.DB.QueryRowContext(ctx, `SELECT reference FROM reports WHERE id = ?`, fx.newEvent).Scan(&eventRef))

	// The early concern about the test staff member.
	cw.early = open("the early concern", casework.OpenInput{Type: string(casework.Disciplinary), Person: cw.staffPerson.EmployeeNumber,
		Summary: "The emergency buzzer in delivery room 3 was reported as not tested at the start of the shift, as the checklist asks.",
		Report:  eventRef, Manager: e.Users[authz.Manager].Email})
	must("the early concern's checklist", e.App.Cases.SaveChecklist(ctx, hr, cw.early, casework.ChecklistInput{FactsGathered: true,
		FactsSummary: "The shift checklist for room 3 was left blank. The buzzer was found faulty the next morning.",
		Allegations:  "Did not test the emergency buzzer in delivery room 3 at the start of the night shift, as the shift checklist asks."}))
	party(cw.early, casework.RoleInvestigator, investigator.EmployeeNumber, "")
	party(cw.early, casework.RoleWitness, witness.EmployeeNumber, "")
	party(cw.early, casework.RoleWitness, "", "Jo Bright, agency midwife")
	must("the representative", e.App.Cases.RequestRepresentative(ctx, hr, cw.early, e.Users[authz.UnionRep].Email, day(-1)))
	must("the employee's access", e.App.Cases.SetEmployeeAccess(ctx, hr, cw.early, true))
	entry(hr, cw.early, casework.EntryInput{Kind: casework.EntryMeeting, OccurredOn: today, Title: "First conversation with the employee",
		Body: "We talked through what was reported. They explained that the checklist was missing from the room that night.", VisibleToEmployee: true})
	entry(hr, cw.early, casework.EntryInput{Kind: casework.EntryUpdate, OccurredOn: today, Title: "What happens next",
		Body: "We are gathering the facts and will talk again within a week. Nothing formal has started.", VisibleToEmployee: true})
	entry(hr, cw.early, casework.EntryInput{Kind: casework.EntryNote, OccurredOn: today, Title: "Checklist supply",
		Body: "Ask the ward whether the room checklists are restocked each shift."})
	entry(as(authz.UnionRep), cw.early, casework.EntryInput{Kind: casework.EntryRepNote, OccurredOn: today, Title: "From the representative",
		Body: "My member would like the next meeting in the afternoon, after the school run."})
	doc, err := e.App.Cases.AddDocument(ctx, hr, cw.early, "chart.png", fx.png, e.App.Config.MaxUploadBytes)
	must("a document", err)
	cw.earlyDocument = doc.ID
	wb, err := e.App.Cases.AddWellbeing(ctx, hr, cw.early, casework.WellbeingInput{Contact: e.Users[authz.Guardian].Email, FrequencyDays: "7"})
	must("the employee's wellbeing contact", err)
	cw.earlyWellbeing = wb.ID
	must("a wellbeing contact", e.App.Cases.LogContact(ctx, hr, cw.early, wb.ID, casework.ContactInput{ContactedOn: today, Method: "phone",
		Notes: "They are worried but have support at home. Offered an occupational health referral.", OHReferral: true}))

	// Ready for the second sign-off, with a suspension proposed.
	cw.ready = open("the case to sign off", casework.OpenInput{Type: string(casework.Disciplinary), Person: others[1].EmployeeNumber,
		Summary: "Left the ward during a night shift without telling the nurse in charge."})
	independent(cw.ready)
	must("the complete checklist", e.App.Cases.SaveChecklist(ctx, hr, cw.ready, complete))
	sp, err := e.App.Cases.ProposeSuspension(ctx, hr, cw.ready, casework.SuspensionInput{Kind: casework.KindExclusion,
		Reason:            "Patients could be left without the care they need again while the facts are gathered.",
		AltRedeployment:   "There is no other ward with night shifts and a supervisor available.",
		AltModifiedDuties: "Day shifts only were offered, but childcare makes days impossible for now.",
		AltSupervision:    "There are not enough senior staff at night to supervise closely.",
		StartsOn:          today, ReviewOn: day(7)})
	must("propose a suspension", err)
	cw.proposed = sp.ID
	_, err = e.App.Cases.DecideSuspension(ctx, secondApprover, cw.proposed, casework.DecisionApprove, "Agreed, with weekly calls from the wellbeing contact.")
	must("the first approval", err)

	// Formal, in its second stage, with a suspension in place.
	cw.formal = open("the formal case", casework.OpenInput{Type: string(casework.Disciplinary), Person: others[2].EmployeeNumber,
		Summary: "Records of controlled drug checks were signed by one nurse where two are needed.", Manager: e.Users[authz.Manager].Email})
	independent(cw.formal)
	must("the formal case's checklist", e.App.Cases.SaveChecklist(ctx, hr, cw.formal, complete))
	must("the second sign-off", e.App.Cases.SignOff(ctx, approver, cw.formal, "I have read the checklist and agree a formal investigation is fair."))
	_, err = e.App.Cases.MoveToFormal(ctx, hr, cw.formal)
	must("move to formal", err)
	must("the next stage", e.App.Cases.AdvanceStage(ctx, hr, cw.formal, "hearing", today))
	entry(hr, cw.formal, casework.EntryInput{Kind: casework.EntryDecision, OccurredOn: today, Title: "A hearing is needed",
		Body: "The investigation found the checks were signed alone on three nights. A hearing will decide what happens next.", VisibleToEmployee: true})
	_, err = e.App.Cases.AddWellbeing(ctx, hr, cw.formal, casework.WellbeingInput{Contact: e.Users[authz.Guardian].Email})
	must("the formal case's wellbeing contact", err)
	sp, err = e.App.Cases.ProposeSuspension(ctx, hr, cw.formal, casework.SuspensionInput{Kind: casework.KindSuspension,
		Reason:            "The person has access to the controlled drugs cupboard, and the investigation needs the records to stay as they are.",
		AltRedeployment:   "Every ward the person could move to keeps controlled drugs.",
		AltModifiedDuties: "Work without controlled drugs was considered, but no such role is free.",
		AltSupervision:    "A second checker on every shift cannot be found for the weeks the investigation takes.",
		AltOther:          "Paid leave was offered; the person preferred a formal suspension so that it is recorded as neutral.",
		StartsOn:          today, ReviewOn: day(7)})
	must("propose the formal case's suspension", err)
	cw.active = sp.ID
	for _, x := range []*authz.Principal{approver, secondApprover} {
		_, err = e.App.Cases.DecideSuspension(ctx, x, cw.active, casework.DecisionApprove, "")
		must("agree the suspension", err)
	}
	_, err = e.App.Cases.ReviewSuspension(ctx, hr, cw.active, casework.ReviewInput{HeldOn: today, Decision: casework.ReviewContinue,
		Notes: "The records are still being checked. The person asked to be told as soon as anything changes.", NextReviewOn: day(10)})
	must("review the suspension", err)
	must("the non-executive review", e.App.Cases.RecordOversight(ctx, exec, cw.active,
		"The alternatives were weighed carefully. Keep the reviews weekly and the person's wellbeing contact in touch."))

	// Closed, and appealed.
	cw.closed = open("the case to close", casework.OpenInput{Type: string(casework.Grievance), Person: others[0].EmployeeNumber,
		Summary: "Says that rotas were changed at short notice more often for them than for others on the team."})
	must("close the case", e.App.Cases.Close(ctx, hr, cw.closed, casework.CloseInput{Outcome: string(casework.InformalResolution),
		OutcomeDetail: "The rota is now agreed six weeks ahead and changes are shared fairly.", ClosedOn: today,
		Learning: []casework.LearningInput{{Category: "process", Lesson: "Rota changes were not recorded, so nobody could see who was asked most."}}}))
	var closedRef string
	must("reference of the closed case", e.DB.QueryRowContext(ctx, `SELECT reference FROM cases WHERE id = ?`, cw.closed).Scan(&closedRef))
	cw.appeal = open("the appeal", casework.OpenInput{Type: string(casework.Appeal), Person: others[0].EmployeeNumber, AppealOf: closedRef,
		Summary: "Appeals the outcome: wants the rota changes of the last year looked at again."})
	return cw
}
