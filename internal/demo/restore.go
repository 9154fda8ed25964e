package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"candour/internal/authz"
	"candour/internal/restore"
)

// demoNeed is someone hurt by the demo's fall, in the demo's own words.
type demoNeed struct {
	who                      restore.Who
	description, needs, duty string
	met                      bool
}

func demoNeeds() []demoNeed {
	return []demoNeed{
		{restore.Patient, "The patient who fell, an older man admitted with a chest infection",
			"To understand why the bed alarm was off, to know his falls plan has been looked at again, and to have the same nurses look after him without awkwardness.",
			"Ward 9 matron, under the duty of candour", true},
		{restore.FamilyCarer, "His daughter, who cares for him at home",
			"A face-to-face explanation and an apology, and one named person to ring with questions while he is in hospital.",
			"Ward 9 matron", true},
		{restore.StaffMember, "The staff nurse in charge of the bay that night, on an extra shift from the Acute Medical Unit",
			"To hear that the team sees this as a problem with how the alarms work, not with her; someone to talk to; a few night shifts with a colleague alongside before working nights alone again.",
			"Patient safety team and the Ward 9 sister, with a peer supporter", false},
		{restore.StaffMember, "The healthcare assistant who silenced the alarm after it went off by mistake",
			"Reassurance that silencing false alarms is something most of the ward does at night, and a part in choosing the new alarm reset.",
			"Ward 9 sister", false},
		{restore.Community, "The other three patients in the bay, who heard the fall",
			"To be told what happened in general terms and that their own falls plans were checked that night.",
			"Nurse in charge of the next day shift", true},
		{restore.Organisation, "The hospital and its falls prevention group",
			"To understand why bed alarms are silenced at night across the wards, and the budget to fit alarms that reset themselves.",
			"Falls prevention group, with estates and the deputy chief nurse", false},
	}
}

// loadRestore adds a restorative record for the demo's fall on Ward 9 and a
// support plan, with two check-ins, for the nurse involved: the demo's staff
// member, so that signing in as them shows "your support".
func loadRestore(ctx context.Context, d Deps, logins map[authz.Role]*authz.Principal, now time.Time) error {
	if d.Restore == nil {
		return nil
	}
	lead, staff := logins[authz.Safety], logins[authz.Staff]
	if lead == nil || staff == nil {
		return nil
	}
	var reportID int64
	var received string
	err := d.DB.QueryRowContext(ctx, `SELECT r.id, r.received_on FROM reports r JOIN departments dep ON dep.id = r.department_id
		WHERE dep.code = 'NGH-W9' AND r.kind = 'safety_event' AND r.event_type = 'incident' ORDER BY r.id LIMIT 1`).Scan(&reportID, &received)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo restore: find the fall: %w", err)
	}
	day, err := time.Parse("2006-01-02", received)
	if err != nil {
		return fmt.Errorf("demo restore: %w", err)
	}
	day = day.Add(10 * time.Hour)
	// The history happened over the weeks after the fall: the service's
	// clock is moved for each step.
	svc := *d.Restore
	at := func(t time.Time) { svc.Now = func() time.Time { return t } }
	ref := fmt.Sprint(reportID)

	at(day.AddDate(0, 0, 2))
	rec, err := svc.CreateRecord(ctx, lead, restore.RecordInput{Report: ref})
	if err != nil {
		return fmt.Errorf("demo restorative record: %w", err)
	}
	for i, n := range demoNeeds() {
		at(day.AddDate(0, 0, 2+i/2))
		if _, err := svc.AddNeed(ctx, lead, rec.ID, restore.NeedInput{Who: string(n.who), Description: n.description, Needs: n.needs,
			Obligation: n.duty, Met: n.met}); err != nil {
			return fmt.Errorf("demo need %d: %w", i, err)
		}
	}
	yes, no := true, false
	at(day.AddDate(0, 0, 12))
	if _, err := svc.SetGoals(ctx, lead, rec.ID, map[string]restore.GoalAnswer{
		restore.MoralEngagement:        {Achieved: &yes, Note: "The night team, the matron and the patient's daughter met on day five. Her questions were answered and she accepted the apology."},
		restore.EmotionalHealing:       {Achieved: &no, Note: "The family are content. The staff nurse is still anxious about night shifts; her support plan continues."},
		restore.OrganisationalLearning: {Achieved: &no, Note: "Self-resetting alarms are on order. Until they arrive, checking alarms are on is part of the hourly rounds on Ward 9."},
	}); err != nil {
		return fmt.Errorf("demo goals: %w", err)
	}

	person, err := d.Org.PersonByEmployeeNumber(ctx, loginEmployeeNumber(0))
	if err != nil {
		return fmt.Errorf("demo support plan: %w", err)
	}
	at(day.AddDate(0, 0, 1))
	plan, err := svc.CreatePlan(ctx, lead, restore.PlanInput{EmployeeNumber: person.EmployeeNumber, SupporterEmail: lead.Email, FrequencyDays: 14,
		Offered: []string{"time_out", "peer_support", "restorative_conversation"}, OfferedOther: "First two night shifts back alongside a senior nurse", Report: ref})
	if err != nil {
		return fmt.Errorf("demo support plan: %w", err)
	}
	checkIns := []struct {
		on    time.Time
		notes string
	}{
		{day.AddDate(0, 0, 2), "Met on the ward at the end of her shift. Shaken and keeps going over the night in her head. Took the rest of the week off; agreed a peer supporter will call her."},
		{now.AddDate(0, 0, -5), "Back on nights for the past fortnight, the first two alongside a senior nurse. Sleeping better. Would like to be there when the new alarms are tried out."},
	}
	for i, c := range checkIns {
		at(c.on)
		if _, err := svc.AddCheckIn(ctx, lead, plan.ID, restore.CheckInInput{HeldOn: c.on.Format("2006-01-02"), Notes: c.notes}); err != nil {
			return fmt.Errorf("demo check-in %d: %w", i, err)
		}
	}
	at(now.AddDate(0, 0, -4))
	if _, err := svc.SetOwnView(ctx, staff, plan.ID, "Talking it through straight away helped more than I expected. I was worried I would be blamed. I would like to help the ward choose the new alarms."); err != nil {
		return fmt.Errorf("demo own view: %w", err)
	}
	return nil
}
