package casework

import (
	"context"
	"fmt"
	"strings"
	"time"

	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/validate"
)

// maxLessons bounds the lessons recorded when closing one case.
const maxLessons = 20

// Close closes a case with an outcome and what the organisation learned.
// The outcome must be one of Outcomes (another outcome needs a detail); a
// warning or dismissal needs a formal case. The closing date cannot be in
// the future, nor before the case opened, became formal or entered its
// current stage. At least one lesson (category and text), or a reason why
// there is none, is needed; lessons go into the learning log with only the
// case type and the month, never a link to the case. A suspension in
// place ends on the closing date; a proposal is withdrawn.
//
// Field names: outcome, outcome_detail, closed_on, learning,
// learning-N-category, learning-N-lesson (N counts from 1),
// no_learning_reason.
func (s *Service) Close(ctx context.Context, p *authz.Principal, id int64, in CloseInput) error {
	var errs validate.Errors
	outcome := Outcome(strings.TrimSpace(in.Outcome))
	if !validOption(Outcomes(), string(outcome)) {
		errs.Add("outcome", "Choose the outcome of the case")
	}
	detail := errs.Text("outcome_detail", "The outcome", in.OutcomeDetail, outcome == OtherOutcome, maxNote)
	type lesson struct{ category, text string }
	var lessons []lesson
	for i, l := range in.Learning {
		n := i + 1
		cat, text := strings.TrimSpace(l.Category), strings.TrimSpace(l.Lesson)
		if cat == "" && text == "" {
			continue
		}
		if !validOption(LearningCategories(), cat) {
			errs.Add(fmt.Sprintf("learning-%d-category", n), fmt.Sprintf("Choose whether lesson %d is about process, policy or the system", n))
		}
		text = errs.Text(fmt.Sprintf("learning-%d-lesson", n), fmt.Sprintf("Lesson %d", n), text, true, maxNote)
		lessons = append(lessons, lesson{cat, text})
	}
	if len(lessons) > maxLessons {
		errs.Add("learning", fmt.Sprintf("Record at most %d lessons from one case", maxLessons))
	}
	reason := errs.Text("no_learning_reason", "Why there is nothing to learn", in.NoLearningReason, false, maxNote)
	if len(lessons) == 0 && reason == "" && !errs.Has("no_learning_reason") {
		errs.Add("learning", "Record at least one thing the organisation learned from this case, or say why there is nothing to learn")
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.handle(ctx, tx, p, id)
		if err != nil {
			return err
		}
		var opened, formal, stageStarted string
		if err := tx.QueryRowContext(ctx, `SELECT c.opened_on, COALESCE(c.formal_on, ''),
			COALESCE((SELECT max(st.started_on) FROM case_stages st WHERE st.case_id = c.id), '')
			FROM cases c WHERE c.id = ?`, id).Scan(&opened, &formal, &stageStarted); err != nil {
			return fmt.Errorf("casework: read case: %w", err)
		}
		if sanction(outcome) && a.Status != Formal {
			errs.Add("outcome", OutcomeLabel(outcome)+" can only follow a formal process, and this case is still an early concern")
		}
		today := s.today()
		on := strings.TrimSpace(in.ClosedOn)
		d, ok := parseDate(on)
		switch {
		case on == "":
			errs.Add("closed_on", "Enter the date the case closed, for example "+dateText(today))
		case !ok:
			errs.Add("closed_on", "Enter the date the case closed as year, month and day, for example "+dateText(today))
		case d.After(today):
			errs.Add("closed_on", "The date the case closed cannot be in the future")
		case dateText(d) < opened:
			errs.Add("closed_on", "The case cannot close before it was opened, on "+opened)
		case formal != "" && dateText(d) < formal:
			errs.Add("closed_on", "The case cannot close before it became formal, on "+formal)
		case stageStarted != "" && dateText(d) < stageStarted:
			errs.Add("closed_on", "The case cannot close before its current stage started, on "+stageStarted)
		}
		if len(errs) > 0 {
			return errs
		}
		closedOn := dateText(d)
		now := store.T(s.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET status = ?, closed_on = ?, outcome = ?, outcome_detail = ?, updated_at = ? WHERE id = ?`,
			string(Closed), closedOn, string(outcome), detail, now, id); err != nil {
			return fmt.Errorf("casework: close: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE case_stages SET ended_on = ? WHERE case_id = ? AND ended_on IS NULL`, closedOn, id); err != nil {
			return fmt.Errorf("casework: end stage: %w", err)
		}
		if err := s.closeSuspensions(ctx, tx, id, closedOn); err != nil {
			return err
		}
		// The learning log keeps only the case type and the month. Its
		// created_at is the first of that month too, so that the time of
		// writing cannot be matched against the audit log.
		month := closedOn[:7]
		monthStart := store.T(time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC))
		for _, l := range lessons {
			if _, err := tx.ExecContext(ctx, `INSERT INTO case_learning (case_type, category, lesson, closed_month, created_at) VALUES (?, ?, ?, ?, ?)`,
				string(a.Type), l.category, l.text, month, monthStart); err != nil {
				return fmt.Errorf("casework: record learning: %w", err)
			}
		}
		body := OutcomeLabel(outcome) + "."
		if detail != "" {
			body += " " + detail
		}
		if _, err := s.addSystemEntry(ctx, tx, p, id, EntryClosed, "The case closed on "+closedOn, body, true); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "case.close", id, fmt.Sprintf("%s; %d lessons", outcome, len(lessons)))
	})
}

// LearningLog lists the anonymised lessons from cases closed in the months
// from from to to, for HR, executives and the staff-side lead. Entries hold
// the case type, the category, the lesson and the month, nothing else; they
// are ordered by month and category, not by when they were written.
func (s *Service) LearningLog(ctx context.Context, p *authz.Principal, from, to time.Time) ([]Learning, error) {
	if p == nil || p.UserID == 0 {
		return nil, ErrNotAllowed
	}
	allowed := p.HasAny(authz.HR, authz.Exec)
	if !allowed && p.Has(authz.UnionRep) {
		var err error
		if allowed, err = hasDesignation(ctx, s.DB, p.UserID, StaffSideLead); err != nil {
			return nil, err
		}
	}
	if !allowed {
		return nil, ErrNotAllowed
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id, case_type, category, lesson, closed_month FROM case_learning
		WHERE closed_month >= ? AND closed_month <= ? ORDER BY closed_month DESC, category, lesson`,
		from.Format("2006-01"), to.Format("2006-01"))
	if err != nil {
		return nil, fmt.Errorf("casework: read learning: %w", err)
	}
	defer rows.Close()
	var out []Learning
	for rows.Next() {
		var l Learning
		if err := rows.Scan(&l.ID, &l.Type, &l.Category, &l.Lesson, &l.ClosedMonth); err != nil {
			return nil, fmt.Errorf("casework: read learning: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
