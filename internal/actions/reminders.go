package actions

import (
	"context"
	"fmt"

	"candour/internal/audit"
	"candour/internal/notify"
	"candour/internal/store"
)

// RunReminders fires the reminders and escalations that are due: a reminder
// to the owner when an action is due within ReminderDays, and from the day
// after its due date an escalation to the owner and every active member of
// the patient safety team. Each notice is claimed by inserting its (action,
// kind) key in the same transaction that sends it, so it fires exactly once
// however many replicas run this at the same moment. It returns how many
// notices fired (one per action and kind, whatever the number of people
// told).
func (s *Service) RunReminders(ctx context.Context) (int, error) {
	today := s.today()
	t := today.Format(store.DateLayout)
	checks := []struct {
		kind, where string
		args        []any
	}{
		{NoticeDueSoon, `a.due_on >= ? AND a.due_on <= ?`, []any{t, today.AddDate(0, 0, ReminderDays).Format(store.DateLayout)}},
		{NoticeOverdue, `a.due_on < ?`, []any{t}},
	}
	fired := 0
	for _, c := range checks {
		rows, err := s.DB.QueryContext(ctx, `SELECT a.id FROM improvement_actions a WHERE a.status IN ('open', 'in_progress') AND `+c.where+`
			AND NOT EXISTS (SELECT 1 FROM action_notices n WHERE n.action_id = a.id AND n.kind = ?) ORDER BY a.due_on, a.id LIMIT 500`,
			append(c.args, c.kind)...)
		if err != nil {
			return fired, fmt.Errorf("reminders %s: %w", c.kind, err)
		}
		var ids []int64
		for rows.Next() {
			var aid int64
			if err := rows.Scan(&aid); err != nil {
				rows.Close()
				return fired, fmt.Errorf("reminders %s: %w", c.kind, err)
			}
			ids = append(ids, aid)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fired, fmt.Errorf("reminders %s: %w", c.kind, err)
		}
		for _, aid := range ids {
			ok, err := s.fire(ctx, aid, c.kind)
			if err != nil {
				return fired, err
			}
			if ok {
				fired++
			}
		}
	}
	return fired, nil
}

// due reports whether a still needs the notice kind today.
func (s *Service) due(a Action, kind string) bool {
	today := s.today()
	t := today.Format(store.DateLayout)
	if !a.Status.Active() {
		return false
	}
	if kind == NoticeOverdue {
		return a.DueOn < t
	}
	return a.DueOn >= t && a.DueOn <= today.AddDate(0, 0, ReminderDays).Format(store.DateLayout)
}

// fire claims and sends one notice; it reports false when another replica,
// an earlier run or a change to the action got there first.
func (s *Service) fire(ctx context.Context, actionID int64, kind string) (bool, error) {
	now := s.Now()
	fired := false
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		// Lock the action first, so that a due date being changed at this
		// moment is either seen here or clears this claim after it.
		if _, err := tx.ExecContext(ctx, `UPDATE improvement_actions SET status = status WHERE id = ?`, actionID); err != nil {
			return fmt.Errorf("lock action: %w", err)
		}
		a, err := load(ctx, tx, actionID)
		if err != nil {
			return err
		}
		if !s.due(a, kind) {
			return nil
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO action_notices (action_id, kind, fired_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			actionID, kind, store.T(now))
		if err != nil {
			return fmt.Errorf("claim notice: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		fired = true
		type person struct {
			id    int64
			email string
		}
		var to []person
		if _, active, err := activeOwner(ctx, tx, a.OwnerID); err != nil {
			return err
		} else if active {
			to = append(to, person{a.OwnerID, a.OwnerEmail})
		}
		if kind == NoticeOverdue {
			rows, err := tx.QueryContext(ctx, `SELECT u.id, u.email FROM users u JOIN user_roles ur ON ur.user_id = u.id
				WHERE ur.role = 'safety' AND u.disabled = FALSE ORDER BY u.id`)
			if err != nil {
				return fmt.Errorf("safety team: %w", err)
			}
			for rows.Next() {
				var u person
				if err := rows.Scan(&u.id, &u.email); err != nil {
					rows.Close()
					return fmt.Errorf("safety team: %w", err)
				}
				if u.id != a.OwnerID {
					to = append(to, u)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("safety team: %w", err)
			}
		}
		text, subject := noticeText(a, kind)
		link := "/actions/" + id(a.ID)
		for _, u := range to {
			if err := notify.Notify(ctx, tx, now, notify.Notice{UserID: u.id, Body: clip(text, notify.MaxNoticeBytes), Link: link}); err != nil {
				return err
			}
			// The email carries the title, the due date and a link: never the
			// description, the evidence, nor anything from the linked event.
			if err := notify.Enqueue(ctx, tx, now, notify.Message{To: u.email, Subject: subject,
				Body: text + "\n\nOpen it in candour: " + s.BaseURL + link + "\n"}); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.System, "action.notice", "improvement_action", id(a.ID), kind)
	})
	return fired, err
}

func noticeText(a Action, kind string) (text, subject string) {
	due := FormatDate(a.DueOn)
	if kind == NoticeOverdue {
		return fmt.Sprintf("Overdue: the improvement action \"%s\", owned by %s, was due by %s and is not done yet. Please complete it, or agree a new date with the patient safety team.", a.Title, a.OwnerName, due),
			"Overdue improvement action, due " + due
	}
	return fmt.Sprintf("Reminder: the improvement action \"%s\" is due by %s.", a.Title, due),
		"Reminder: improvement action due " + due
}
