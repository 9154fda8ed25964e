package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"candour/internal/account"
	"candour/internal/authz"
	"candour/internal/learning"
	"candour/internal/localtime"
)

// demoEventAt finds the first demo safety event in a department, with when
// it happened.
func demoEventAt(ctx context.Context, d Deps, dept string) (id int64, at time.Time, ok bool, err error) {
	var on, tm string
	err = d.DB.QueryRowContext(ctx, `SELECT r.id, COALESCE(r.occurred_on, ''), COALESCE(r.occurred_time, '') FROM reports r
		JOIN departments dep ON dep.id = r.department_id WHERE dep.code = ? AND r.kind = 'safety_event' ORDER BY r.id LIMIT 1`, dept).
		Scan(&id, &on, &tm)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, false, nil
	}
	if err != nil {
		return 0, time.Time{}, false, err
	}
	if tm == "" {
		tm = "12:00"
	}
	at, err = time.ParseInLocation("2006-01-02 15:04", on+" "+tm, localtime.London())
	return id, at, err == nil, err
}

// loadLearning adds three learning responses on demo events: an after action
// review signed off and closed, a SWARM huddle waiting for sign-off, and a
// patient safety incident investigation in progress with its engagement log
// and duty of candour. A second member of the patient safety team, who has
// no demo sign-in, owns the huddle and signs off the review, because nobody
// signs off their own response.
func loadLearning(ctx context.Context, d Deps, logins map[authz.Role]*authz.Principal, now time.Time) error {
	if d.Learning == nil || d.Accounts == nil {
		return nil
	}
	lead := logins[authz.Safety]
	if lead == nil {
		return nil
	}
	u, err := d.Accounts.Create(ctx, actor(), account.NewUser{Email: "patient-safety-reviewer@" + Domain, Name: "Tom Hughes",
		Roles: []authz.Role{authz.Safety, authz.Staff}, Password: account.GeneratePassword()})
	if err != nil {
		return fmt.Errorf("demo reviewer: %w", err)
	}
	reviewer := &authz.Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Roles: u.Roles}
	svc := *d.Learning
	at := func(t time.Time) { svc.Now = func() time.Time { return t } }
	email := func(r authz.Role) string {
		if p := logins[r]; p != nil {
			return p.Email
		}
		return ""
	}
	yes := true

	// An after action review on the double anticoagulant dose, closed.
	if id, ev, ok, err := demoEventAt(ctx, d, "NGH-AMU"); err != nil {
		return err
	} else if ok {
		at(ev.AddDate(0, 0, 3))
		r, _, err := svc.Open(ctx, lead, learning.OpenInput{Method: learning.AAR, Title: "Extra anticoagulant dose during the move to electronic prescribing",
			ReportIDs: []int64{id}, Confirmed: true})
		if err != nil {
			return fmt.Errorf("demo AAR: %w", err)
		}
		at(ev.AddDate(0, 0, 9))
		if _, err := svc.SaveRecord(ctx, lead, r.ID, learning.RecordInput{Confirmed: true, Record: learning.Record{
			Expected: "Each dose of the twice-daily anticoagulant is written down in one place as soon as it is given, so the next nurse can see it has been given.",
			Actual: "While the ward was moving from paper charts to electronic prescribing, the evening dose was given early, at 17:30, to fit around a scan, and written on the paper chart later in the shift. " +
				"The electronic record still showed the dose as due, and it was given again at 22:00.",
			Difference: "For two weeks the ward kept two records side by side. Nothing on the screen showed that the paper chart held newer entries, and the handover sheet has no place for doses given early or late. " +
				"Giving a dose early around a scan is common and sensible; the two records made it easy to lose track of.",
			Learning: "While two records are in use, the electronic record needs a visible note that paper entries exist, and the handover sheet needs a line for doses given early or late. " +
				"Pharmacy will look at the other wards that are part-way through the same move.",
			Participants: []learning.Participant{
				{Name: "Sam Okoro", Role: "Staff nurse", Email: email(authz.Staff)},
				{Name: "Rebecca Hale", Role: "Ward manager", Email: email(authz.Manager)},
				{Name: "Daniel Price", Role: "Ward pharmacist"},
				{Name: "Dr Aisha Khan", Role: "Medical registrar"},
			}}}); err != nil {
			return fmt.Errorf("demo AAR record: %w", err)
		}
		if _, _, err := svc.AddEngagement(ctx, lead, r.ID, learning.EngagementInput{Group: "patient", Name: "The patient", ContactedOn: ev.AddDate(0, 0, 1).Format("2006-01-02"),
			How: "in_person", Questions: "Will the extra dose do me any harm? Why did it happen?",
			Told:      "The doctor explained the blood tests were in range and we would watch overnight. We said we were sorry, and that the ward would look at how doses are recorded during the move to the new system.",
			Confirmed: true}); err != nil {
			return fmt.Errorf("demo AAR engagement: %w", err)
		}
		if err := svc.SetStatus(ctx, lead, r.ID, learning.AwaitingSignOff); err != nil {
			return fmt.Errorf("demo AAR status: %w", err)
		}
		at(ev.AddDate(0, 0, 16))
		if _, err := svc.SignOff(ctx, reviewer, r.ID, "A clear review that looks at the two records rather than at the nurse. The improvement areas follow from what the team found, and pharmacy is checking the other wards. Signed off.", true); err != nil {
			return fmt.Errorf("demo AAR sign-off: %w", err)
		}
	}

	// A SWARM huddle after the fall on Ward 9, waiting for sign-off.
	if id, ev, ok, err := demoEventAt(ctx, d, "NGH-W9"); err != nil {
		return err
	} else if ok {
		at(ev.Add(2 * time.Hour))
		r, _, err := svc.Open(ctx, lead, learning.OpenInput{Method: learning.SWARM, Title: "Night-time fall in bay 2 with the bed alarm off",
			ReportIDs: []int64{id}, OwnerUserID: reviewer.UserID, Confirmed: true})
		if err != nil {
			return fmt.Errorf("demo SWARM: %w", err)
		}
		at(ev.Add(5 * time.Hour))
		if _, err := svc.SaveRecord(ctx, lead, r.ID, learning.RecordInput{Confirmed: true, Record: learning.Record{
			HeldAt: ev.Add(3 * time.Hour).In(localtime.London()).Format("2006-01-02T15:04"),
			Findings: "The bed alarm in bay 2 had sounded three times in an hour each time the patient turned over, and was switched off so the other patients in the bay could sleep. " +
				"The pressure pads are very sensitive on the newer mattresses and have no quieter setting. Staffing was as planned for the night. " +
				"Straight away: the patient's falls plan was reviewed with her, a low bed was brought in, and the ward will ask to borrow the sensor pads used on the older people's unit.",
			Participants: []learning.Participant{
				{Name: "Nurse in charge", Role: "Night shift, Ward 9"},
				{Name: "Healthcare assistant", Role: "Bay 2"},
				{Name: "Matron for older people's care", Role: "Joined by phone"},
			}}}); err != nil {
			return fmt.Errorf("demo SWARM record: %w", err)
		}
		if err := svc.SetStatus(ctx, reviewer, r.ID, learning.AwaitingSignOff); err != nil {
			return fmt.Errorf("demo SWARM status: %w", err)
		}
	}

	// An investigation into a return to theatre, in progress.
	if id, ev, ok, err := demoEventAt(ctx, d, "NGH-THR"); err != nil {
		return err
	} else if ok {
		day := func(n int) string { return ev.AddDate(0, 0, n).Format("2006-01-02") }
		at(ev.AddDate(0, 0, 2))
		r, _, err := svc.Open(ctx, lead, learning.OpenInput{Method: learning.PSII, Title: "Return to theatre with bleeding on the second day after surgery",
			ReportIDs: []int64{id}, Confirmed: true})
		if err != nil {
			return fmt.Errorf("demo PSII: %w", err)
		}
		at(ev.AddDate(0, 0, 9))
		if err := svc.SetDutyOfCandour(ctx, lead, r.ID, learning.CandourInput{Notifiable: &yes, NotifiedOn: day(1), ApologyGiven: true, WrittenFollowUp: day(8),
			Notes: "The consultant surgeon met the patient and his wife on the ward, explained what had happened and said sorry. The letter repeated this, named the investigation lead and invited their questions."}); err != nil {
			return fmt.Errorf("demo PSII candour: %w", err)
		}
		for _, e := range []learning.EngagementInput{
			{Group: "patient", Name: "The patient", ContactedOn: day(1), How: "in_person",
				Questions: "Was the bleeding caused by something that went wrong in the operation?",
				Told:      "That it is not yet clear, that we are sorry for what he has been through, and that an investigation will look at his care from the operation to the return to theatre."},
			{Group: "family", Name: "The patient's wife", Relationship: "Wife and main carer", ContactedOn: day(9), How: "phone",
				Questions: "Why did nobody on the ward notice sooner? She would like to know whether the observations overnight were done.",
				Told:      "We agreed the terms of reference with her, including her question about the overnight observations, and a timescale of three months. We will call every two weeks with progress."},
			{Group: "staff", Name: "Recovery and ward nurses on shift that night", Relationship: "Cared for the patient after surgery", ContactedOn: day(12), How: "in_person",
				Questions: "Whether they would be named in the report, and what support is available.",
				Told:      "The investigation is about the system, not about individuals, and nobody is named. Their manager has offered a debrief, and the staff wellbeing service is available."},
		} {
			e.Confirmed = true
			at(ev.AddDate(0, 0, 12))
			if _, _, err := svc.AddEngagement(ctx, lead, r.ID, e); err != nil {
				return fmt.Errorf("demo PSII engagement: %w", err)
			}
		}
		at(ev.AddDate(0, 0, 14))
		if _, err := svc.SaveRecord(ctx, lead, r.ID, learning.RecordInput{Confirmed: true, Record: learning.Record{
			TermsOfReference: "To understand how the patient's care was organised from the end of the operation to the return to theatre, including the overnight observations his wife asked about, " +
				"how early warning scores were escalated, and how the surgical team was reached at night. The investigation will not decide whether anyone is to be held responsible.",
			TimescaleAgreed: "Three months, agreed with the patient's wife by phone nine days after the operation, with a progress call every two weeks.",
			Factors: learning.Factors{
				Tasks:           "Observations were due every four hours overnight; the early warning score rose from 2 to 4 between 02:00 and 06:00. Escalation at a score of 4 asks for a nurse review, not a doctor's.",
				ToolsTechnology: "The electronic observations system does not show a trend over the night on the ward overview, only the latest score.",
				Organisation:    "At night one surgical registrar covers the surgical wards and the emergency department, and was in theatre between 01:00 and 04:00.",
			},
			Participants: []learning.Participant{
				{Name: "Priya Raman", Role: "Investigation lead", Email: lead.Email},
				{Name: "Mr James Whitfield", Role: "Consultant surgeon, subject matter adviser"},
			}}}); err != nil {
			return fmt.Errorf("demo PSII record: %w", err)
		}
	}
	return nil
}
