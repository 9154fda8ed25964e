package restore

import (
	"context"
	"fmt"
	"time"

	"candour/internal/audit"
	"candour/internal/notify"
	"candour/internal/store"
)

func notifyUser(ctx context.Context, tx *store.Tx, now time.Time, userID int64, body, link string) error {
	return notify.Notify(ctx, tx, now, notify.Notice{UserID: userID, Body: body, Link: link})
}

// RunCheckInReminders tells each supporter, once, that a check-in on an
// active plan they support is overdue. The reminder for a plan's missed
// check-in is claimed by inserting its (plan, due date) key in
// support_notices in the same transaction that sends it, so it fires exactly
// once however many replicas run this at the same moment. Logging a check-in
// moves the due date on, and a later lapse gets its own reminder. It returns
// how many reminders it sent.
func (s *Service) RunCheckInReminders(ctx context.Context) (int, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT sp.id, sp.supporter_user_id, sp.frequency_days, sp.created_at,
		(SELECT MAX(c.held_on) FROM support_checkins c WHERE c.plan_id = sp.id)
		FROM support_plans sp WHERE sp.status = ? ORDER BY sp.id`, Active)
	if err != nil {
		return 0, fmt.Errorf("check-in reminders: %w", err)
	}
	type lapse struct {
		plan, supporter int64
		due             string
	}
	var due []lapse
	for rows.Next() {
		var pl Plan
		var created store.Time
		var last *string
		if err := rows.Scan(&pl.ID, &pl.SupporterUserID, &pl.FrequencyDays, &created, &last); err != nil {
			rows.Close()
			return 0, fmt.Errorf("check-in reminders: %w", err)
		}
		pl.Status, pl.CreatedAt = Active, created.Time
		if last != nil {
			pl.CheckIns = []CheckIn{{HeldOn: *last}}
		}
		s.dueOn(&pl)
		if pl.CheckInLapsed {
			due = append(due, lapse{pl.ID, pl.SupporterUserID, pl.NextCheckInDue})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("check-in reminders: %w", err)
	}
	fired := 0
	for _, l := range due {
		ok, err := s.remind(ctx, l.plan, l.supporter, l.due)
		if err != nil {
			return fired, err
		}
		if ok {
			fired++
		}
	}
	return fired, nil
}

// remind claims and sends one reminder; it reports false when another
// replica, or an earlier run, already sent it.
func (s *Service) remind(ctx context.Context, planID, supporterID int64, dueOn string) (bool, error) {
	now := s.Now()
	fired := false
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO support_notices (plan_id, due_on, fired_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			planID, dueOn, store.T(now))
		if err != nil {
			return fmt.Errorf("claim check-in reminder: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		fired = true
		d, _ := time.Parse(store.DateLayout, dueOn)
		// The notice names no one: it is read on the supporter's screen,
		// possibly on a shared ward computer.
		body := fmt.Sprintf("A check-in with a colleague you support was due on %s. Please get in touch with them and log it in candour.", d.Format("2 January 2006"))
		if err := notifyUser(ctx, tx, now, supporterID, body, planHref(planID)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.System, "support.reminder", "support_plan", id(planID), "due "+dueOn)
	})
	return fired, err
}
