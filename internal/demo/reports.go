package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"candour/internal/authz"
	"candour/internal/guide"
	"candour/internal/justculture"
	"candour/internal/report"
)

// demoEvent is a fictional patient safety event, written for the demo.
type demoEvent struct {
	dept, eventType, phys, psych, text, actions string
}

func demoEvents() []demoEvent {
	return []demoEvent{
		{"NGH-AMU", "incident", "low", "none", "A patient prescribed a twice-daily anticoagulant received an extra dose at 22:00 because the evening dose had been given early but not signed for on the paper chart during the move to the electronic record.", "Doctor informed, bloods taken, patient told what happened and observed overnight."},
		{"NGH-ED", "incident", "moderate", "low", "A patient with chest pain waited 95 minutes for an ECG because the department was at full capacity and the only ECG machine in majors was out of paper.", "ECG done, paper restocked, stock check added to the start-of-shift list."},
		{"NGH-W9", "incident", "moderate", "moderate", "An older patient at high risk of falls fell in the bathroom at night. The bed alarm had been switched off after a false alarm and not switched back on.", "Patient assessed, X-ray showed no fracture, family told, falls plan reviewed."},
		{"NGH-MAT", "risk", "none", "none", "The emergency buzzer in delivery room 3 sometimes does not sound at the midwives' station. It was tested twice today and failed once.", "Estates called, room taken out of use until repaired."},
		{"NGH-ICU", "good_care", "", "", "The night team noticed subtle signs of sepsis in a patient on the ward during an outreach visit and escalated early. Antibiotics were started within the hour and the patient recovered without needing intensive care.", ""},
		{"NGH-PHA", "incident", "none", "none", "Two look-alike insulin pens were stored next to each other in the ward fridge delivery. A nurse noticed before giving the wrong one.", "Pens separated, pharmacy asked to change the delivery packing."},
		{"NGH-THR", "poor_outcome", "severe", "moderate", "A patient returned to theatre on the second day after surgery with bleeding. It is not yet clear whether anything in the care contributed.", "Patient stabilised, consultant spoke with the family, case listed for review."},
		{"VCH-REH", "incident", "low", "none", "A patient's hearing aids were lost during the transfer from the acute hospital. The patient could not follow conversations for two days.", "Temporary hearing aids arranged with audiology; property checklist now travels with the patient."},
		{"VCH-CNT", "risk", "none", "none", "Community nurses cannot access the hospital discharge letters from home visits because the mobile connection drops in three villages.", "Offline copies printed for this week's visits."},
		{"RMH-ASH", "incident", "none", "moderate", "A patient on leave did not return at the agreed time and was found two hours later distressed at the bus station.", "Patient brought back safely, care plan reviewed with the patient and family."},
		{"RMH-OPM", "good_care", "", "", "A healthcare assistant spent time learning a patient's life story and music, and used it to calm the patient during personal care without any need for medication.", ""},
		{"NGH-CHW", "incident", "low", "low", "A child's cannula was left in place for four days without the daily check being recorded. The site became red and sore.", "Cannula removed, site treated, parents told."},
		{"NGH-RAD", "incident", "none", "low", "A patient was sent for a scan with the wrong wristband after two patients with the same surname arrived at the same time.", "Mix-up caught at the identity check before scanning; both patients reassured."},
		{"NGH-AMU", "good_care", "", "", "The ward clerk noticed a patient's relative looking lost and unwell, sat with them and got help. The relative was having a stroke and was treated quickly.", ""},
		{"NGH-W7", "incident", "low", "none", "A patient who is nil by mouth before surgery was given breakfast because the sign was behind the curtain and handover had been rushed.", "Surgery moved to the afternoon; patient told why."},
	}
}

type demoConcern struct {
	elements            []string
	text, outcome, wish string
}

func demoConcerns() []demoConcern {
	return []demoConcern{
		{[]string{"worker_safety", "patient_safety"}, "Weekend night shifts on our ward are often one registered nurse short, and we are told not to report it because everyone is short.", "We would like staffing to be looked at and to be able to report shortages without being made to feel we are complaining.", "Safer staffing at weekends"},
		{[]string{"bullying_harassment"}, "A senior colleague regularly shouts at junior staff in front of patients, and people are afraid to say anything.", "I would like this to stop without anyone knowing it was me who raised it.", "For the behaviour to stop"},
		{[]string{"behaviours"}, "Some staff make jokes about patients with learning disabilities in the staff room.", "", "Training and a clear message that this is not acceptable"},
		{[]string{"patient_safety"}, "Controlled drugs checks are sometimes signed by one person when two are needed because the second nurse is on another ward.", "", "A way to get a second checker quickly"},
		{[]string{"worker_safety"}, "Staff on the crisis team are visiting people alone late at night without a way to call for help.", "", "Lone worker devices"},
		{[]string{"other"}, "Rotas are published less than a week in advance, which makes childcare impossible for several of us.", "", "Rotas six weeks ahead"},
	}
}

// loadReports adds reports, conversations and a few assessments so that
// every page has something real to show. It runs once, with the demo.
func loadReports(ctx context.Context, d Deps, logins map[authz.Role]*authz.Principal, now time.Time) error {
	r := rand.New(rand.NewPCG(7, 2026))
	deps, err := d.Org.Departments(ctx)
	if err != nil {
		return err
	}
	deptID := map[string]int64{}
	for _, dep := range deps {
		deptID[dep.Code] = dep.ID
	}
	// The demo's history happened over the last few months: the report
	// service's clock is moved back for each one.
	svc := *d.Reports
	modes := []report.Mode{report.Anonymous, report.Open, report.Confidential, report.Open, report.Anonymous}
	safety, guardian := logins[authz.Safety], logins[authz.Guardian]
	for i, ev := range demoEvents() {
		at := now.AddDate(0, 0, -5*(len(demoEvents())-i)-r.IntN(4))
		svc.Now = func() time.Time { return at }
		mode := modes[i%len(modes)]
		sub := report.Submission{Kind: report.SafetyEvent, Mode: mode, DepartmentID: deptID[ev.dept],
			OccurredOn: at.AddDate(0, 0, -1).Format("2006-01-02"), OccurredTime: fmt.Sprintf("%02d:%02d", 7+r.IntN(15), 5*r.IntN(12)),
			Description: ev.text, ImmediateActions: ev.actions, EventType: ev.eventType, PhysicalHarm: ev.phys, PsychologicalHarm: ev.psych}
		if ev.eventType == "incident" || ev.eventType == "poor_outcome" {
			sub.People = []report.Involved{{Role: "patient", Description: "The patient in the narrative"}}
		}
		rec, err := svc.Submit(ctx, sub, logins[authz.Staff])
		if err != nil {
			return fmt.Errorf("demo event %d: %w", i, err)
		}
		if i < 10 {
			svc.Now = func() time.Time { return at.Add(26 * time.Hour) }
			if err := svc.Acknowledge(ctx, safety, rec.ID); err != nil {
				return err
			}
			if err := svc.MessageReporter(ctx, safety, rec.ID, "Thank you for reporting this. We are looking at what happened and will let you know what we find.", false, nil); err != nil {
				return err
			}
		}
		if i == 7 {
			// Graded again as the facts became known (the patient was
			// distressed for days); the reporter still reads their own
			// account, and the team sees both.
			if err := svc.Classify(ctx, safety, rec.ID, report.Classification{EventType: "incident", PhysicalHarm: "low", PsychologicalHarm: "low"}); err != nil {
				return fmt.Errorf("demo event %d: %w", i, err)
			}
		}
		if i < 6 {
			svc.Now = func() time.Time { return at.AddDate(0, 0, 20) }
			if err := svc.Close(ctx, safety, rec.ID, "We looked at this with the team involved. We found the process made the mistake easy to make, and we have changed it: the team now have a checklist and the equipment has been replaced. Thank you for speaking up."); err != nil {
				return err
			}
			// Most reporters answer the feedback questions.
			svc.Now = func() time.Time { return at.AddDate(0, 0, 22) }
			if err := demoFeedback(ctx, &svc, rec, logins[authz.Staff], []string{"yes", "yes", "maybe", "yes", "", "dont_know"}[i]); err != nil {
				return fmt.Errorf("demo event %d: %w", i, err)
			}
		}
	}
	for i, c := range demoConcerns() {
		at := now.AddDate(0, 0, -9*(len(demoConcerns())-i))
		svc.Now = func() time.Time { return at }
		mode := []report.Mode{report.Anonymous, report.Confidential, report.Open}[i%3]
		// Most give their staff group, for the guardians' return; not all.
		group := []string{"nursing_midwifery", "", "additional_clinical", "nursing_midwifery", "ahp", "admin_clerical"}[i%6]
		rec, err := svc.Submit(ctx, report.Submission{Kind: report.Concern, Mode: mode, Description: c.text,
			Elements: c.elements, DesiredOutcome: c.wish, RaisedElsewhere: c.outcome, StaffGroup: group}, logins[authz.Staff])
		if err != nil {
			return fmt.Errorf("demo concern %d: %w", i, err)
		}
		if i < 4 {
			svc.Now = func() time.Time { return at.Add(30 * time.Hour) }
			if err := svc.Acknowledge(ctx, guardian, rec.ID); err != nil {
				return err
			}
			if err := svc.Assign(ctx, guardian, rec.ID, guardian.UserID); err != nil {
				return err
			}
			if err := svc.MessageReporter(ctx, guardian, rec.ID, "Thank you for speaking up. I would like to understand a little more: when did you first notice this?", false, nil); err != nil {
				return err
			}
			if err := svc.MessageReporter(ctx, guardian, rec.ID, "Raised with the matron; agreed to keep the reporter's identity confidential.", true, nil); err != nil {
				return err
			}
		}
		if i < 2 {
			svc.Now = func() time.Time { return at.AddDate(0, 0, 40) }
			if err := svc.Close(ctx, guardian, rec.ID, "We raised this with the managers involved. Staffing at weekends is now reviewed every Friday, and the behaviour you described has been addressed directly. Thank you for speaking up."); err != nil {
				return err
			}
			svc.Now = func() time.Time { return at.AddDate(0, 0, 41) }
			if err := demoFeedback(ctx, &svc, rec, logins[authz.Staff], []string{"maybe", "yes"}[i]); err != nil {
				return fmt.Errorf("demo concern %d: %w", i, err)
			}
		}
		if i == 1 {
			// Something new came to light: the concern was reopened,
			// and closed again; its reporter has yet to answer again.
			svc.Now = func() time.Time { return at.AddDate(0, 0, 42) }
			if err := svc.Reopen(ctx, guardian, rec.ID, "The reporter wrote to say the shouting started again after a month, on night shifts this time."); err != nil {
				return err
			}
			svc.Now = func() time.Time { return at.AddDate(0, 0, 44) }
			if err := svc.Close(ctx, guardian, rec.ID, "The senior colleague has been moved off night shifts while a formal process runs, and the ward manager now checks in with the night team each week. Thank you for telling us again."); err != nil {
				return err
			}
		}
	}
	if err := loadAssessments(ctx, d, logins, now); err != nil {
		return err
	}
	for _, load := range []func(context.Context, Deps, map[authz.Role]*authz.Principal, time.Time) error{
		loadLearning, loadRestore, loadActions, loadLibrary, loadCases,
	} {
		if err := load(ctx, d, logins, now); err != nil {
			return err
		}
	}
	return nil
}

// demoFeedback answers the feedback questions on a closed demo report as
// its reporter would: with the access code for an anonymous one, signed in
// otherwise. An empty answer leaves it unanswered.
func demoFeedback(ctx context.Context, svc *report.Service, rec report.Receipt, staff *authz.Principal, again string) error {
	if again == "" {
		return nil
	}
	if rec.AccessCode == "" {
		return svc.Feedback(ctx, staff, nil, rec.ID, again, "no")
	}
	_, fu, err := svc.StartFollowUp(ctx, rec.AccessCode, "demo")
	if err != nil {
		return err
	}
	return svc.Feedback(ctx, nil, &fu, rec.ID, again, "no")
}

func loadAssessments(ctx context.Context, d Deps, logins map[authz.Role]*authz.Principal, now time.Time) error {
	yes := func(reason string) guide.Answer { return guide.Answer{Value: true, Reason: reason} }
	no := func(reason string) guide.Answer { return guide.Answer{Value: false, Reason: reason} }
	people, _, err := d.Org.People(ctx, orgQuery())
	if err != nil || len(people) < 3 {
		return err
	}
	svc := *d.Culture
	svc.Now = func() time.Time { return now.AddDate(0, 0, -12) }
	toD := map[string]guide.Answer{
		"1a": no("Nothing suggests any intention to harm"), "2a": no("No indication at all"), "2b": no("No indication"), "2c": no("No indication"),
		"3a": no("There was no agreed procedure for signing during the move to electronic records"),
	}
	in := justculture.StartInput{GuideID: "nhs-just-culture-2018", Action: "Gave the evening anticoagulant dose early without signing the paper chart",
		EmployeeNumber: people[0].EmployeeNumber, Participants: []string{logins[authz.Safety].Email}, ConcernConfirmed: true}
	if _, err := svc.Record(ctx, logins[authz.Manager], in, toD, "yes", "We asked ourselves whether we would reach the same answer for any colleague on the ward, and we would."); err != nil {
		return fmt.Errorf("demo assessment: %w", err)
	}
	toE := map[string]guide.Answer{
		"1a": no("No intention to harm"), "2a": no("None"), "2b": no("None"), "2c": no("None"),
		"3a": yes("The bed alarm procedure is agreed"), "3b": yes("It is in routine use on the ward"),
		"3c": yes("The alarm was switched off knowingly after a false alarm"),
		"4a": yes("Several colleagues said they switch it off after repeated false alarms"),
	}
	in.Action, in.EmployeeNumber = "Switched off the bed alarm and did not switch it back on", people[1].EmployeeNumber
	_, err = svc.Record(ctx, logins[authz.Manager], in, toE, "unsure", "We were not sure, so we asked HR to look at our reasoning with us.")
	return err
}
