package e2e

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"candour/internal/actions"
	"candour/internal/app/apptest"
	"candour/internal/authz"
	"candour/internal/guide"
	"candour/internal/justculture"
	"candour/internal/learning"
	"candour/internal/library"
	"candour/internal/org"
	"candour/internal/report"
	"candour/internal/restore"
	"candour/internal/store"
)

// fixtures are the records the browser tests look at, beyond the demo
// trust: made in setup through the services, as the test users, so that
// each role has something of its own to see and each state-changing form
// has a record of its own to change.
type fixtures struct {
	// own is each role's own open safety event, with a photo attached
	// (ownFile): what My reports shows them.
	own, ownFile map[authz.Role]int64
	// staffClosed is the staff member's own report, closed, waiting for
	// their feedback.
	staffClosed int64

	// handled is, for each handling role, a demo report of its team that
	// has been acknowledged and talked about, with a file a test handler
	// attached (handledFile).
	handled, handledFile map[authz.Role]int64
	// newEvent is an anonymous safety event nobody has looked at yet.
	newEvent int64
	// closedEvent is a closed safety event whose reporter gave feedback.
	closedEvent int64
	// reopenedEvent was closed, answered by its reporter, then reopened.
	reopenedEvent int64
	// gradedBeforeKept was graded again before candour kept what the
	// reporter said (as migration 00021 marks such reports): its page says
	// the reporter's grading is not known.
	gradedBeforeKept int64
	// confidential is a confidential concern assigned to the test guardian,
	// who may reveal who raised it.
	confidential int64

	// code opens an open anonymous safety event by follow-up, with a
	// handler's message waiting; closedCode opens a closed anonymous
	// concern, waiting for feedback; treatedWorseCode another, whose
	// reporter answers that they have been treated worse for speaking up.
	code, closedCode, treatedWorseCode string

	// inProgress is an assessment the test manager started with the test
	// safety lead and HR, partly answered; atBiasCheck has reached an end
	// point with the bias check to do; complete is finished. demoComplete
	// is one of the demo's, which the test safety lead reads but took no
	// part in.
	inProgress, atBiasCheck, complete, demoComplete int64
	// guide is the built-in guide definition.
	guide int64
	// person is the staff member the assessments are about.
	person org.Person

	// response is a learning response (an after action review) on the
	// test safety lead's own event, owned by them, with the test staff
	// member as a participant.
	response int64
	// awaitingSignOff is a complete after action review that another
	// member of the safety team owns, waiting for the test safety lead to
	// sign it off.
	awaitingSignOff int64
	// restoreRecord is a restorative record on the test safety lead's
	// event, with one need (restoreNeed).
	restoreRecord, restoreNeed int64
	// plan is a support plan for the demo staff member (person), with the
	// test safety lead as supporter.
	plan int64
	// action is an improvement action owned by the test manager.
	action int64
	// lesson is a published lesson; draftLesson is not published.
	lesson, draftLesson int64

	// cw are the employee-relations cases (casework_fixtures_test.go).
	cw caseworkFixtures

	// png is a small photo to attach, as a file on disk for upload fields.
	png     []byte
	pngPath string
}

// newFixtures makes the records. It needs the demo trust loaded.
func newFixtures(t testing.TB, e *apptest.Env) *fixtures {
	t.Helper()
	ctx := context.Background()
	fx := &fixtures{own: map[authz.Role]int64{}, ownFile: map[authz.Role]int64{},
		handled: map[authz.Role]int64{}, handledFile: map[authz.Role]int64{}}
	fx.png = smallPNG(t)
	fx.pngPath = filepath.Join(t.TempDir(), "chart.png")
	if err := os.WriteFile(fx.pngPath, fx.png, 0o600); err != nil {
		t.Fatal(err)
	}
	p := func(r authz.Role) *authz.Principal {
		u := e.Users[r]
		return &authz.Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Roles: []authz.Role{r}}
	}
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("fixtures: %s: %v", what, err)
		}
	}
	deps, err := e.App.Org.Departments(ctx)
	must("departments", err)
	if len(deps) == 0 {
		t.Fatal("fixtures: the demo trust has no departments")
	}
	yesterday := e.App.Now().AddDate(0, 0, -1).Format(store.DateLayout)
	event := func(mode report.Mode, text string, files ...report.Upload) report.Submission {
		return report.Submission{Kind: report.SafetyEvent, Mode: mode, DepartmentID: deps[0].ID, OccurredOn: yesterday, OccurredTime: "14:30",
			Description: text, ImmediateActions: "The doctor was told and the patient checked.", EventType: "incident",
			PhysicalHarm: "low", PsychologicalHarm: "none",
			People:      []report.Involved{{Role: "patient", Description: "Received the second dose"}},
			Attachments: files}
	}
	concern := func(mode report.Mode, text string) report.Submission {
		return report.Submission{Kind: report.Concern, Mode: mode, Description: text, Elements: []string{"patient_safety"},
			DesiredOutcome: "A second checker who can come quickly."}
	}
	submit := func(what string, sub report.Submission, by *authz.Principal) report.Receipt {
		t.Helper()
		rec, err := e.App.Reports.Submit(ctx, sub, by)
		must("submit "+what, err)
		return rec
	}
	photo := func() []report.Upload { return []report.Upload{{Filename: "chart.png", Data: fx.png}} }
	firstFile := func(what string, reportID int64, by *authz.Principal) int64 {
		t.Helper()
		r, err := e.App.Reports.Get(ctx, by, reportID)
		must("read "+what, err)
		for _, a := range r.Attachments {
			return a.ID
		}
		for i := len(r.Messages) - 1; i >= 0; i-- {
			for _, a := range r.Messages[i].Attachments {
				return a.ID
			}
		}
		t.Fatalf("fixtures: %s has no attachment", what)
		return 0
	}

	// Every role's own report. Handlers read their own through My
	// reports like anyone else; the safety lead can also open theirs as a
	// handler, which firstFile uses.
	safety, guardian := p(authz.Safety), p(authz.Guardian)
	for _, r := range authz.Roles() {
		rec := submit(string(r)+"'s report", event(report.Open, "The evening insulin dose was given twice because the paper chart was not signed during the move to the electronic record.", photo()...), p(r))
		fx.own[r] = rec.ID
		fx.ownFile[r] = firstFile(string(r)+"'s report", rec.ID, safety)
	}
	// A handler's question for the staff member, which notifies them.
	must("message the staff member", e.App.Reports.MessageReporter(ctx, safety, fx.own[authz.Staff],
		"Thank you for reporting this. Which ward was the patient moved from?", false, nil))
	fx.staffClosed = submit("staff's closed report", event(report.Open, "A patient's hearing aids were lost during the transfer between wards."), p(authz.Staff)).ID
	must("close staff's report", e.App.Reports.Close(ctx, safety, fx.staffClosed,
		"We found the property checklist did not travel with the patient. It now does, on every transfer. Thank you for speaking up."))

	// Handlers' reports: the demo's, acknowledged and answered, with a file
	// from the test handler (an internal note for the guardians).
	for _, h := range []struct {
		role     authz.Role
		team     report.Team
		internal bool
	}{{authz.Safety, report.SafetyTeam, false}, {authz.Guardian, report.Guardians, true}} {
		var id int64
		err := e.DB.QueryRowContext(ctx, `SELECT id FROM reports WHERE team = ? AND status = ? AND EXISTS (SELECT 1 FROM report_messages m WHERE m.report_id = reports.id) ORDER BY id LIMIT 1`,
			string(h.team), string(report.Acknowledged)).Scan(&id)
		must("find a demo report for "+string(h.role), err)
		must("attach a file for "+string(h.role), e.App.Reports.MessageReporter(ctx, p(h.role), id,
			"A photo of the chart as it was found.", h.internal, photo()))
		fx.handled[h.role] = id
		fx.handledFile[h.role] = firstFile("demo report for "+string(h.role), id, p(h.role))
	}
	// The guardians' report's reporter has the last word, so the queue and
	// the report show that a reply is waiting.
	gid := fx.handled[authz.Guardian]
	must("the reporter writes back", e.App.Reports.ReporterMessage(ctx, nil, &report.FollowUp{ReportID: gid, Expires: time.Now().Add(time.Hour)},
		gid, "It happened again on the night shift of the 14th.", nil))
	rec := submit("anonymous event", event(report.Anonymous, "The emergency buzzer in delivery room 3 did not sound at the midwives' station when tested."), nil)
	fx.newEvent, fx.code = rec.ID, rec.AccessCode
	must("message the anonymous reporter", e.App.Reports.MessageReporter(ctx, safety, rec.ID,
		"Thank you. Is the buzzer in room 4 affected too?", false, nil))
	fx.closedEvent = submit("event to close", event(report.Open, "Two look-alike insulin pens were stored next to each other in the ward fridge."), p(authz.Staff)).ID
	// Graded again by the team, so the report page shows the reporter's
	// own grading beside the team's.
	must("regrade event", e.App.Reports.Classify(ctx, safety, fx.closedEvent,
		report.Classification{EventType: "risk", PhysicalHarm: "none", PsychologicalHarm: "none"}))
	must("close event", e.App.Reports.Close(ctx, safety, fx.closedEvent,
		"Pharmacy now packs the two pens apart and labels the fridge shelves. Thank you for speaking up."))
	must("feedback", e.App.Reports.Feedback(ctx, p(authz.Staff), nil, fx.closedEvent, "yes", "no"))
	must("redact", e.App.Reports.Redact(ctx, safety, fx.closedEvent, "description", 0, "ward fridge", "Which fridge is not needed beyond the team."))
	fx.reopenedEvent = submit("event to reopen", event(report.Open, "The bed rails on bed 6 would not lock in the raised position."), p(authz.Staff)).ID
	must("close event to reopen", e.App.Reports.Close(ctx, safety, fx.reopenedEvent,
		"Estates replaced the catch on bed 6 and checked the other beds on the ward. Thank you for speaking up."))
	must("feedback before reopening", e.App.Reports.Feedback(ctx, p(authz.Staff), nil, fx.reopenedEvent, "maybe", "no"))
	must("reopen event", e.App.Reports.Reopen(ctx, safety, fx.reopenedEvent, "The same catch has failed on bed 9, so the fix did not reach every bed."))
	fx.gradedBeforeKept = submit("event graded before version 21", event(report.Anonymous, "A patient's walking frame was taken to another ward and not returned."), nil).ID
	must("grade it again", e.App.Reports.Classify(ctx, safety, fx.gradedBeforeKept,
		report.Classification{EventType: "incident", PhysicalHarm: "low", PsychologicalHarm: "low"}))
	_, err = e.DB.ExecContext(ctx, `UPDATE reports SET reported_kind = '' WHERE id = ?`, fx.gradedBeforeKept)
	must("mark its grading as from before version 21", err)
	fx.confidential = submit("confidential concern", concern(report.Confidential,
		"Controlled drugs checks are sometimes signed by one person when two are needed."), p(authz.Staff)).ID
	must("assign the confidential concern", e.App.Reports.Assign(ctx, guardian, fx.confidential, guardian.UserID))
	rec = submit("anonymous concern", concern(report.Anonymous, "Rotas are published less than a week ahead, which makes childcare impossible."), nil)
	fx.closedCode = rec.AccessCode
	must("close anonymous concern", e.App.Reports.Close(ctx, guardian, rec.ID,
		"Rotas are now published six weeks ahead, and the ward manager checks this every month. Thank you for speaking up."))
	rec = submit("anonymous concern, answered with detriment", concern(report.Anonymous, "Breaks on the night shift are cut short whenever the ward is busy."), nil)
	fx.treatedWorseCode = rec.AccessCode
	must("close the concern answered with detriment", e.App.Reports.Close(ctx, guardian, rec.ID,
		"Night breaks are now covered by the site team when the ward is busy. Thank you for speaking up."))

	// Assessments.
	staffUser, err := e.App.Accounts.ByEmail(ctx, "staff@northfield-vale.example")
	must("demo staff sign-in", err)
	fx.person, err = e.App.Org.Person(ctx, staffUser.PersonID)
	must("demo staff member", err)
	defs, err := e.App.Culture.Definitions(ctx, false)
	must("guide definitions", err)
	for _, d := range defs {
		if d.Builtin {
			fx.guide = d.ID
		}
	}
	if fx.guide == 0 {
		t.Fatal("fixtures: no built-in guide")
	}
	manager := p(authz.Manager)
	in := justculture.StartInput{GuideID: "nhs-just-culture-2018", Action: "Gave the evening insulin dose without checking the chart",
		EmployeeNumber: fx.person.EmployeeNumber, Participants: []string{e.Users[authz.Safety].Email, e.Users[authz.HR].Email}, ConcernConfirmed: true}
	no := func(reason string) guide.Answer { return guide.Answer{Value: false, Reason: reason} }
	toD := map[string]guide.Answer{"1a": no("Nothing suggests any intention to harm"), "2a": no("No indication"),
		"2b": no("No indication"), "2c": no("No indication"), "3a": no("There was no agreed procedure for the move")}
	a, err := e.App.Culture.Start(ctx, manager, in)
	must("start an assessment", err)
	_, err = e.App.Culture.Answer(ctx, manager, a.ID, "1a", toD["1a"])
	must("answer", err)
	fx.inProgress = a.ID
	a, err = e.App.Culture.Record(ctx, manager, in, toD, "", "")
	must("assessment to the bias check", err)
	fx.atBiasCheck = a.ID
	a, err = e.App.Culture.Record(ctx, manager, in, toD, "yes", "We would reach the same answer for any colleague on the ward.")
	must("complete assessment", err)
	fx.complete = a.ID
	err = e.DB.QueryRowContext(ctx, `SELECT id FROM assessments WHERE status = ? AND created_by <> ? ORDER BY id LIMIT 1`,
		string(justculture.Complete), manager.UserID).Scan(&fx.demoComplete)
	must("find a demo assessment", err)

	// Learning and restoring.
	ownRef := ""
	err = e.DB.QueryRowContext(ctx, `SELECT reference FROM reports WHERE id = ?`, fx.own[authz.Safety]).Scan(&ownRef)
	must("reference of the safety lead's event", err)
	resp, _, err := e.App.Learning.Open(ctx, safety, learning.OpenInput{Method: learning.AAR,
		Title: "Insulin given twice during the move to the electronic record", ReportIDs: []int64{fx.own[authz.Safety]}, Confirmed: true,
		Record: learning.Record{Participants: []learning.Participant{
			{Name: e.Users[authz.Staff].Name, Role: "Staff nurse", Email: e.Users[authz.Staff].Email},
			{Name: "Daniel Price", Role: "Ward pharmacist"}}}})
	must("open a learning response", err)
	fx.response = resp.ID
	owners, err := e.App.Learning.Owners(ctx)
	must("learning response owners", err)
	var other int64
	for _, o := range owners {
		if o.UserID != safety.UserID {
			other = o.UserID
		}
	}
	if other == 0 {
		t.Fatal("fixtures: no other member of the patient safety team to own a learning response")
	}
	resp, _, err = e.App.Learning.Open(ctx, safety, learning.OpenInput{Method: learning.AAR, OwnerUserID: other,
		Title: "Look-alike insulin pens stored together", ReportIDs: []int64{fx.closedEvent}, Confirmed: true,
		Record: learning.Record{Expected: "Each pen is picked from its own labelled place.", Actual: "Two look-alike pens sat side by side in the fridge.",
			Difference:   "The fridge shelves had no labels and deliveries were put away where there was room.",
			Learning:     "Label the shelves and pack look-alike pens apart.",
			Participants: []learning.Participant{{Name: "Daniel Price", Role: "Ward pharmacist"}}}})
	must("open a learning response to sign off", err)
	must("ready for sign-off", e.App.Learning.SetStatus(ctx, safety, resp.ID, learning.AwaitingSignOff))
	fx.awaitingSignOff = resp.ID
	rr, err := e.App.Restore.CreateRecord(ctx, safety, restore.RecordInput{Report: ownRef})
	must("start a restorative record", err)
	fx.restoreRecord = rr.ID
	need, err := e.App.Restore.AddNeed(ctx, safety, rr.ID, restore.NeedInput{Who: string(restore.Patient),
		Description: "The patient given the second dose", Needs: "To know what happened and that it will not happen again.",
		Obligation: "Explain what happened, say sorry, and share what the ward changes."})
	must("add a need", err)
	fx.restoreNeed = need.ID
	plan, err := e.App.Restore.CreatePlan(ctx, safety, restore.PlanInput{EmployeeNumber: fx.person.EmployeeNumber,
		SupporterEmail: e.Users[authz.Safety].Email, Offered: []string{restore.OfferOptions()[0].Value}, Report: ownRef})
	must("start a support plan", err)
	fx.plan = plan.ID
	act, err := e.App.Actions.Create(ctx, safety, actions.Input{Title: "Add a line for early or late doses to the handover sheet",
		Description: "So the next nurse can see a dose was given.", OwnerID: e.Users[authz.Manager].ID,
		DueOn: e.App.Now().AddDate(0, 1, 0).Format(store.DateLayout), Report: ownRef})
	must("create an action", err)
	fx.action = act.ID
	lesson := library.Input{Title: "Two records of the same doses", Summary: "While paper charts and the electronic record are both in use, doses can be given twice.",
		Body:   "During the move to electronic prescribing, a ward kept two records side by side. Nothing on the screen showed that the paper chart held newer entries. The ward now notes on the screen that paper entries exist.",
		Themes: []string{"medication"}}
	l, err := e.App.Library.Create(ctx, safety, lesson)
	must("write a lesson", err)
	must("publish the lesson", e.App.Library.Publish(ctx, safety, l.ID))
	fx.lesson = l.ID
	lesson.Title = "Checking the bed alarm at handover"
	l, err = e.App.Library.Create(ctx, safety, lesson)
	must("write a draft lesson", err)
	fx.draftLesson = l.ID
	fx.cw = newCaseworkFixtures(t, e, fx)
	return fx
}

// smallPNG is a 16×16 image, enough to be a real PNG.
func smallPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for x := range 16 {
		for y := range 16 {
			img.Set(x, y, color.RGBA{uint8(x * 16), uint8(y * 16), 200, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
