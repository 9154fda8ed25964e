package casework

// Reminders and escalations keep cases moving and people looked after:
// a stage nearing or past its target, a suspension review nearing or past
// its date, and a wellbeing contact that has lapsed.

import (
	"context"
	"database/sql"
	"fmt"

	"candour/internal/audit"
	"candour/internal/store"
)

// The kinds of notice RunReminders fires; each is recorded in case_notices
// with its key so that it fires once.
const (
	// NoticeStageDue: an open stage's target is within ReminderDays (key:
	// the stage id).
	NoticeStageDue = "stage_due"
	// NoticeStageOverdue: an open stage is past its target (key: the stage
	// id); it escalates to the employee-relations leads.
	NoticeStageOverdue = "stage_overdue"
	// NoticeReviewDue: a suspension's review is within ReminderDays (key:
	// the suspension id and the review date, so each new review date gets
	// its own reminder).
	NoticeReviewDue = "suspension_review_due"
	// NoticeReviewOverdue: a suspension's review date has passed (same key);
	// it escalates to the leads and the non-executive reviewer.
	NoticeReviewOverdue = "suspension_review_overdue"
	// NoticeWellbeingLapsed: a wellbeing contact is past due (key: the
	// wellbeing id and the date it fell due).
	NoticeWellbeingLapsed = "wellbeing_lapsed"
)

// caseNotice is one notice that is due.
type caseNotice struct {
	CaseID    int64
	Kind, Key string
	Reference string
	HRUserID  int64
	// ContactUserID is the wellbeing contact, for a lapsed contact.
	ContactUserID int64
	// What is the stage's name, or the kind of suspension.
	What string
	Due  string
	Link string
}

// RunReminders fires, exactly once across replicas, reminders and
// escalations: stages due soon and overdue, suspension reviews due soon and
// overdue, wellbeing contacts lapsed. Each notice is claimed by inserting
// its (case, kind, key) in case_notices in the same transaction that writes
// the notices and emails, so however many replicas run this at the same
// moment, and however often, each fires once. Nothing fires for a closed
// case, an ended suspension or an ended wellbeing contact. It returns how
// many fired (one per notice, whatever the number of people told).
func (s *Service) RunReminders(ctx context.Context) (int, error) {
	due, err := s.dueNotices(ctx, s.DB, 0, "")
	if err != nil {
		return 0, err
	}
	fired := 0
	for _, n := range due {
		// Skip, without a write transaction, what an earlier run sent.
		var done int
		if err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM case_notices WHERE case_id = ? AND kind = ? AND key = ?`,
			n.CaseID, n.Kind, n.Key).Scan(&done); err != nil {
			return fired, fmt.Errorf("casework: read notices: %w", err)
		}
		if done > 0 {
			continue
		}
		ok, err := s.fireNotice(ctx, n)
		if err != nil {
			return fired, err
		}
		if ok {
			fired++
		}
	}
	return fired, nil
}

// fireNotice claims and sends one notice; it reports false when another
// replica, an earlier run or a change to the case got there first.
func (s *Service) fireNotice(ctx context.Context, n caseNotice) (bool, error) {
	fired := false
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		now := s.Now()
		// Lock the case, then check the notice is still due: a stage moved
		// on, a review recorded or a case closed a moment ago wins.
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET updated_at = updated_at WHERE id = ?`, n.CaseID); err != nil {
			return fmt.Errorf("casework: lock case: %w", err)
		}
		still, err := s.dueNotices(ctx, tx, n.CaseID, n.Kind)
		if err != nil {
			return err
		}
		var cur *caseNotice
		for i := range still {
			if still[i].Kind == n.Kind && still[i].Key == n.Key {
				cur = &still[i]
			}
		}
		if cur == nil {
			return nil
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO case_notices (case_id, kind, key, fired_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			n.CaseID, n.Kind, n.Key, store.T(now))
		if err != nil {
			return fmt.Errorf("casework: claim notice: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return nil
		}
		fired = true
		to := []int64{cur.HRUserID}
		switch cur.Kind {
		case NoticeStageOverdue, NoticeReviewOverdue:
			leads, err := supportHolders(ctx, tx, ERLead)
			if err != nil {
				return err
			}
			for _, u := range leads {
				to = append(to, u.ID)
			}
			if cur.Kind == NoticeReviewOverdue {
				reviewers, err := supportHolders(ctx, tx, NonExecReviewer)
				if err != nil {
					return err
				}
				for _, u := range reviewers {
					to = append(to, u.ID)
				}
			}
		case NoticeWellbeingLapsed:
			to = []int64{cur.ContactUserID, cur.HRUserID}
		}
		text, subject := noticeWords(*cur)
		for _, uid := range distinctIDs(to...) {
			if err := s.supportTellID(ctx, tx, uid, text, subject, cur.Link, true); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.System, "case.notice", "case", idText(n.CaseID), n.Kind+" "+n.Key)
	})
	return fired, err
}

// noticeWords is a notice's text and email subject. They name the case
// reference and what is due, never the person or anything from the case's
// narrative: notices are read on shared screens and emails leave candour.
func noticeWords(n caseNotice) (text, subject string) {
	due := humanDate(n.Due)
	switch n.Kind {
	case NoticeStageDue:
		return fmt.Sprintf("Case %s: the stage \"%s\" is due to finish by %s.", n.Reference, n.What, due),
			fmt.Sprintf("Case %s: a stage is due to finish by %s", n.Reference, due)
	case NoticeStageOverdue:
		return fmt.Sprintf("Case %s: the stage \"%s\" was due to finish by %s and is overdue. Please record the reason for the delay and update the employee.", n.Reference, n.What, due),
			fmt.Sprintf("Case %s: a stage is overdue", n.Reference)
	case NoticeReviewDue:
		return fmt.Sprintf("Case %s: the %s review is due by %s.", n.Reference, n.What, due),
			fmt.Sprintf("Case %s: %s review is due by %s", n.Reference, aKind(n.What), due)
	case NoticeReviewOverdue:
		return fmt.Sprintf("Case %s: the %s review was due by %s and has not been recorded. Please review it now: it should last no longer than it must.", n.Reference, n.What, due),
			fmt.Sprintf("Case %s: %s review is overdue", n.Reference, aKind(n.What))
	default:
		return fmt.Sprintf("Case %s: a wellbeing contact was due by %s. Please get in touch and log the contact in candour.", n.Reference, due),
			fmt.Sprintf("Case %s: a wellbeing contact is overdue", n.Reference)
	}
}

// dueNotices lists every notice due today on open cases: on one case and of
// one kind's family when caseID and kind are given (to check a notice is
// still due inside the transaction that fires it).
func (s *Service) dueNotices(ctx context.Context, q store.Querier, caseID int64, kind string) ([]caseNotice, error) {
	today := s.today()
	soon := dateText(today.AddDate(0, 0, ReminderDays))
	t := dateText(today)
	only, args := "", []any{}
	if caseID != 0 {
		only, args = " AND c.id = ?", []any{caseID}
	}
	var out []caseNotice
	if kind == "" || kind == NoticeStageDue || kind == NoticeStageOverdue {
		rows, err := q.QueryContext(ctx, `SELECT st.id, c.id, c.reference, c.hr_user_id, st.target_on, COALESCE(d.name, st.stage_code)
			FROM case_stages st JOIN cases c ON c.id = st.case_id
			LEFT JOIN case_stage_definitions d ON d.case_type = c.case_type AND d.code = st.stage_code
			WHERE st.ended_on IS NULL AND c.status <> ? AND st.target_on <= ?`+only+` ORDER BY st.target_on, st.id`,
			append([]any{string(Closed), soon}, args...)...)
		if err != nil {
			return nil, fmt.Errorf("casework: stage reminders: %w", err)
		}
		err = scanNotices(rows, func(sc func(...any) error) (caseNotice, bool, error) {
			var n caseNotice
			var id int64
			var hr sql.NullInt64
			if err := sc(&id, &n.CaseID, &n.Reference, &hr, &n.Due, &n.What); err != nil {
				return n, false, err
			}
			n.HRUserID, n.Key, n.Link = hr.Int64, idText(id), supportCaseHref(n.CaseID)
			n.Kind = NoticeStageDue
			if n.Due < t {
				n.Kind = NoticeStageOverdue
			}
			return n, true, nil
		}, &out)
		if err != nil {
			return nil, fmt.Errorf("casework: stage reminders: %w", err)
		}
	}
	if kind == "" || kind == NoticeReviewDue || kind == NoticeReviewOverdue {
		rows, err := q.QueryContext(ctx, `SELECT sp.id, c.id, c.reference, c.hr_user_id, sp.review_on, sp.kind
			FROM case_suspensions sp JOIN cases c ON c.id = sp.case_id
			WHERE sp.status = ? AND c.status <> ? AND sp.review_on <= ?`+only+` ORDER BY sp.review_on, sp.id`,
			append([]any{SuspensionActive, string(Closed), soon}, args...)...)
		if err != nil {
			return nil, fmt.Errorf("casework: suspension reminders: %w", err)
		}
		err = scanNotices(rows, func(sc func(...any) error) (caseNotice, bool, error) {
			var n caseNotice
			var id int64
			var hr sql.NullInt64
			var k string
			if err := sc(&id, &n.CaseID, &n.Reference, &hr, &n.Due, &k); err != nil {
				return n, false, err
			}
			n.HRUserID, n.Key, n.Link, n.What = hr.Int64, idText(id)+":"+n.Due, suspensionHref(id), kindWord(k)
			n.Kind = NoticeReviewDue
			if n.Due < t {
				n.Kind = NoticeReviewOverdue
			}
			return n, true, nil
		}, &out)
		if err != nil {
			return nil, fmt.Errorf("casework: suspension reminders: %w", err)
		}
	}
	if kind == "" || kind == NoticeWellbeingLapsed {
		rows, err := q.QueryContext(ctx, `SELECT w.id, c.id, c.reference, c.hr_user_id, w.contact_user_id, w.frequency_days, w.started_on,
			(SELECT MAX(x.contacted_on) FROM case_wellbeing_contacts x WHERE x.wellbeing_id = w.id)
			FROM case_wellbeing w JOIN cases c ON c.id = w.case_id
			WHERE w.ended_on IS NULL AND c.status <> ?`+only+` ORDER BY w.id`,
			append([]any{string(Closed)}, args...)...)
		if err != nil {
			return nil, fmt.Errorf("casework: wellbeing reminders: %w", err)
		}
		err = scanNotices(rows, func(sc func(...any) error) (caseNotice, bool, error) {
			var n caseNotice
			var w Wellbeing
			var hr sql.NullInt64
			var last sql.NullString
			if err := sc(&w.ID, &n.CaseID, &n.Reference, &hr, &n.ContactUserID, &w.FrequencyDays, &w.StartedOn, &last); err != nil {
				return n, false, err
			}
			w.LastContactOn = last.String
			var lapsed bool
			n.Due, lapsed = wellbeingDue(w, today)
			n.HRUserID, n.Kind, n.Key = hr.Int64, NoticeWellbeingLapsed, idText(w.ID)+":"+n.Due
			n.Link = supportCaseHref(n.CaseID) + "/wellbeing"
			return n, lapsed, nil
		}, &out)
		if err != nil {
			return nil, fmt.Errorf("casework: wellbeing reminders: %w", err)
		}
	}
	return out, nil
}

// scanNotices reads rows into notices with read, keeping those it says are
// due, and closes rows.
func scanNotices(rows *sql.Rows, read func(scan func(...any) error) (caseNotice, bool, error), out *[]caseNotice) error {
	defer rows.Close()
	for rows.Next() {
		n, keep, err := read(rows.Scan)
		if err != nil {
			return err
		}
		if keep {
			*out = append(*out, n)
		}
	}
	return rows.Err()
}
