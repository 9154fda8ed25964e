package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"candour/internal/actions"
	"candour/internal/authz"
)

// demoAction is a fictional improvement action on one of the demo events,
// written for the demo. Days are relative to the demo's "now".
type demoAction struct {
	dept, title, description string
	owner                    authz.Role
	created, due             int
	// status is where it ends up; done and in_progress are reached on the
	// day given, with the evidence given.
	status   actions.Status
	moved    int
	evidence string
}

func demoActions() []demoAction {
	return []demoAction{
		{"NGH-ED", "Add ECG paper and electrodes to the majors start-of-shift check",
			"Majors ran out of ECG paper during a busy shift and a patient with chest pain waited for an ECG. Put ECG consumables on the start-of-shift equipment check, with a named person for each shift and a spare box kept in the resus store.",
			authz.Manager, -40, -10, actions.Done, -12,
			"The start-of-shift check now lists ECG paper and electrodes, and a spare box is kept in resus. Spot checks on 14 shifts over two weeks found stock every time, and no delays for lack of paper have been reported since."},
		{"NGH-W9", "Trial bed sensor pads with fewer false alarms on Ward 9",
			"The bed alarm had been switched off after repeated false alarms. Trial the pressure-pad sensors used on the older people's unit, which staff there say alarm falsely far less often, and compare the number of alarms switched off.",
			authz.Manager, -30, -5, actions.InProgress, -20,
			"Six sensor pads borrowed from the older people's unit; the trial started on two bays."},
		{"NGH-MAT", "Replace the emergency call unit in delivery room 3 and test all call points weekly",
			"The emergency buzzer in delivery room 3 failed one test in two. Estates to replace the unit; the labour ward to add a weekly test of every emergency call point to the ward checks.",
			authz.Manager, -20, 10, actions.Open, 0, ""},
		{"NGH-PHA", "Ask the wholesaler to pack look-alike insulin pens in separate, labelled bags",
			"Two look-alike insulin pens arrived next to each other in the ward fridge delivery. Ask the wholesaler to bag each product separately with a coloured label, and in the meantime separate them at goods-in.",
			authz.Staff, -25, -2, actions.Open, 0, ""},
		{"VCH-REH", "Add hearing aids, glasses and dentures to the transfer property checklist",
			"A patient's hearing aids were lost on transfer from the acute hospital. The transfer checklist should name the aids people rely on, and the receiving nurse should sign for them.",
			authz.Staff, -35, -7, actions.Done, -9,
			"The transfer checklist was reissued with a section for hearing aids, glasses, dentures and walking aids, signed by both nurses. An audit of 20 transfers found the section completed on 19."},
		{"NGH-RAD", "Add a second identifier check at radiology reception when surnames match",
			"Two patients with the same surname arrived together and one was sent for a scan with the wrong wristband. When two patients waiting share a surname, reception should check date of birth and NHS number with each patient and flag both on the list.",
			authz.Safety, -10, 21, actions.InProgress, -3,
			"Reception staff briefed at two huddles; the booking system flag is with the supplier."},
	}
}

// loadActions adds the demo's improvement actions on the demo events: some
// done with their evidence, some in progress, and some overdue so that the
// overdue view and the escalations have something to show.
func loadActions(ctx context.Context, d Deps, logins map[authz.Role]*authz.Principal, now time.Time) error {
	if d.Actions == nil {
		return nil
	}
	lead := logins[authz.Safety]
	if lead == nil {
		return nil
	}
	for i, da := range demoActions() {
		owner := logins[da.owner]
		if owner == nil {
			continue
		}
		var reportID int64
		err := d.DB.QueryRowContext(ctx, `SELECT r.id FROM reports r JOIN departments dep ON dep.id = r.department_id
			WHERE dep.code = ? AND r.kind = 'safety_event' ORDER BY r.id LIMIT 1`, da.dept).Scan(&reportID)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("demo action %d: %w", i, err)
		}
		in := actions.Input{Title: da.title, Description: da.description, OwnerID: owner.UserID,
			DueOn: now.AddDate(0, 0, da.due).Format("2006-01-02"), Report: strconv.FormatInt(reportID, 10)}
		// Link the learning response on the same event, if one was opened.
		var responseID int64
		if err := d.DB.QueryRowContext(ctx, `SELECT response_id FROM learning_response_reports WHERE report_id = ? ORDER BY response_id LIMIT 1`,
			reportID).Scan(&responseID); err == nil {
			in.Response = strconv.FormatInt(responseID, 10)
		}
		svc := *d.Actions
		svc.Now = func() time.Time { return now.AddDate(0, 0, da.created) }
		a, err := svc.Create(ctx, lead, in)
		if err != nil {
			return fmt.Errorf("demo action %d: %w", i, err)
		}
		if da.status == actions.Open {
			continue
		}
		svc.Now = func() time.Time { return now.AddDate(0, 0, da.moved) }
		st := da.status
		ev := da.evidence
		if _, err := svc.Update(ctx, owner, a.ID, actions.Change{Status: &st, Evidence: &ev}); err != nil {
			return fmt.Errorf("demo action %d: %w", i, err)
		}
	}
	return nil
}
