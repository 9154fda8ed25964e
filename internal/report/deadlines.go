package report

import (
	"context"
	"fmt"
	"time"

	"candour/internal/audit"
	"candour/internal/notify"
	"candour/internal/store"
)

// Notice kinds the deadline job fires, each at most once per report.
const (
	NoticeReceived         = "received"
	NoticeAckReminder      = "ack_reminder"
	NoticeAckOverdue       = "ack_overdue"
	NoticeFeedbackReminder = "feedback_reminder"
	NoticeFeedbackOverdue  = "feedback_overdue"
)

// Reminder lead times before a deadline.
const (
	ackReminderDays      = 2
	feedbackReminderDays = 14
)

func notifyUser(ctx context.Context, tx *store.Tx, now time.Time, userID, reportID int64, body, link string) error {
	return notify.Notify(ctx, tx, now, notify.Notice{UserID: userID, ReportID: reportID, Body: body, Link: link})
}

// RunDeadlines fires the notices that are due: a new-report alert to the
// team, reminders before the acknowledgement and feedback deadlines, and
// escalations once they pass. Each notice is claimed by inserting its
// (report, kind) key in the same transaction that sends it, so it fires
// exactly once however many replicas run this at the same moment. It returns
// how many notices fired.
func (s *Service) RunDeadlines(ctx context.Context) (int, error) {
	today := s.today()
	t := dateText(today)
	checks := []struct {
		kind, where string
		args        []any
	}{
		{NoticeReceived, `r.status = 'new'`, nil},
		{NoticeAckReminder, `r.acknowledged_at IS NULL AND r.ack_due_on <= ? AND r.ack_due_on >= ?`,
			[]any{dateText(today.AddDate(0, 0, ackReminderDays)), t}},
		{NoticeAckOverdue, `r.acknowledged_at IS NULL AND r.ack_due_on < ?`, []any{t}},
		{NoticeFeedbackReminder, `r.feedback_due_on <= ? AND r.feedback_due_on >= ?`,
			[]any{dateText(today.AddDate(0, 0, feedbackReminderDays)), t}},
		{NoticeFeedbackOverdue, `r.feedback_due_on < ?`, []any{t}},
	}
	fired := 0
	for _, c := range checks {
		rows, err := s.DB.QueryContext(ctx, `SELECT r.id FROM reports r WHERE r.status <> 'closed' AND `+c.where+`
			AND NOT EXISTS (SELECT 1 FROM deadline_notices n WHERE n.report_id = r.id AND n.kind = ?) ORDER BY r.id LIMIT 500`,
			append(c.args, c.kind)...)
		if err != nil {
			return fired, fmt.Errorf("deadlines %s: %w", c.kind, err)
		}
		var ids []int64
		for rows.Next() {
			var rid int64
			if err := rows.Scan(&rid); err != nil {
				rows.Close()
				return fired, fmt.Errorf("deadlines %s: %w", c.kind, err)
			}
			ids = append(ids, rid)
		}
		rows.Close()
		for _, rid := range ids {
			ok, err := s.fire(ctx, rid, c.kind)
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

// fire claims and sends one notice; it reports false when another replica
// (or an earlier run) already fired it.
func (s *Service) fire(ctx context.Context, reportID int64, kind string) (bool, error) {
	now := s.Now()
	fired := false
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO deadline_notices (report_id, kind, fired_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			reportID, kind, store.T(now))
		if err != nil {
			return fmt.Errorf("claim notice: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		fired = true
		r, err := s.load(ctx, tx, reportID)
		if err != nil {
			return err
		}
		text, subject := s.noticeText(r, kind)
		recipients, err := handlersOf(ctx, tx, r.Team)
		if err != nil {
			return err
		}
		if r.AssignedUserID != 0 && (kind == NoticeAckReminder || kind == NoticeFeedbackReminder) {
			// Reminders go to the person handling it; escalations to everyone.
			var only []handler
			for _, h := range recipients {
				if h.ID == r.AssignedUserID {
					only = append(only, h)
				}
			}
			if len(only) > 0 {
				recipients = only
			}
		}
		link := "/reports/" + id(r.ID)
		if kind == NoticeAckOverdue || kind == NoticeFeedbackOverdue {
			for _, to := range s.EscalateTo[r.Kind] {
				if err := notify.Enqueue(ctx, tx, now, notify.Message{To: to, Subject: subject, Body: text + "\n\n" +
					"You are told as the escalation contact for " + kindPlural(r.Kind) + ", so that the deadline is not missed unnoticed. " +
					"This email carries only the reference and the date.\n"}); err != nil {
					return err
				}
			}
		}
		for _, h := range recipients {
			if err := notifyUser(ctx, tx, now, h.ID, r.ID, text, link); err != nil {
				return err
			}
			// Email carries the reference and the deadline, never the narrative
			// nor anything about the reporter.
			if err := notify.Enqueue(ctx, tx, now, notify.Message{To: h.Email, Subject: subject,
				Body: text + "\n\nOpen it in candour: " + s.BaseURL + link + "\n"}); err != nil {
				return err
			}
		}
		notice := audit.Event{At: now, Actor: audit.System, Action: "report.notice", Entity: "report", EntityID: id(r.ID), Detail: kind}
		if r.Mode != Open {
			// The new-report alert goes out within a minute of the report,
			// and so may a reminder when the deadlines are set short: their
			// entries would time the reporter's submission, which waits out
			// its day (recordReporter). They wait with it.
			return audit.Hold(ctx, tx, []audit.Event{notice})
		}
		return audit.RecordAll(ctx, tx, []audit.Event{notice})
	})
	return fired, err
}

// kindPlural names reports of kind k, as in "the escalation contact for
// speak-up concerns".
func kindPlural(k Kind) string {
	if k == Concern {
		return "speak-up concerns"
	}
	return "patient safety events"
}

func (s *Service) noticeText(r row, kind string) (text, subject string) {
	what := "patient safety event"
	if r.Kind == Concern {
		what = "speak-up concern"
	}
	ack, _ := time.Parse(store.DateLayout, r.AckDueOn)
	fb, _ := time.Parse(store.DateLayout, r.FeedbackDueOn)
	switch kind {
	case NoticeReceived:
		return fmt.Sprintf("A new %s, %s, needs acknowledging by %s.", what, r.Reference, ack.Format("2 January 2006")),
			"New " + what + " " + r.Reference
	case NoticeAckReminder:
		return fmt.Sprintf("Reminder: %s has not been acknowledged yet. It is due by %s.", r.Reference, ack.Format("2 January 2006")),
			"Reminder: acknowledge " + r.Reference
	case NoticeAckOverdue:
		return fmt.Sprintf("Overdue: %s should have been acknowledged by %s. Please acknowledge it today.", r.Reference, ack.Format("2 January 2006")),
			"Overdue: acknowledge " + r.Reference
	case NoticeFeedbackReminder:
		return fmt.Sprintf("Reminder: the person who raised %s should hear the outcome by %s.", r.Reference, fb.Format("2 January 2006")),
			"Reminder: feedback due on " + r.Reference
	}
	return fmt.Sprintf("Overdue: the person who raised %s should have heard the outcome by %s.", r.Reference, fb.Format("2 January 2006")),
		"Overdue: feedback on " + r.Reference
}
