package actions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/notify"
	"candour/internal/store"
	"candour/internal/validate"
)

// Input is a new action.
type Input struct {
	Title       string
	Description string
	OwnerID     int64
	// DueOn is a date, YYYY-MM-DD, today or later.
	DueOn string
	// Report and Response link the action, by reference or id; empty for
	// none.
	Report   string
	Response string
}

// Change is an update to an action; nil fields are left as they are.
type Change struct {
	// Details only the patient safety team may change.
	Title       *string
	Description *string
	OwnerID     *int64
	DueOn       *string
	// Report and Response relink the action; "" unlinks it.
	Report   *string
	Response *string

	// Status moves the action on. Done needs evidence of completion (given
	// now or before); Cancelled needs Reason and the patient safety team.
	Status *Status
	// Evidence of completion; the owner may record it at any time.
	Evidence *string
	// Reason is why the action is being cancelled.
	Reason string
}

// details reports whether c changes anything only the safety team may.
func (c Change) details() bool {
	return c.Title != nil || c.Description != nil || c.OwnerID != nil || c.DueOn != nil || c.Report != nil || c.Response != nil
}

type owner struct {
	Name, Email string
}

func activeOwner(ctx context.Context, q store.Querier, userID int64) (owner, bool, error) {
	var o owner
	err := q.QueryRowContext(ctx, `SELECT name, email FROM users WHERE id = ? AND disabled = FALSE`, userID).Scan(&o.Name, &o.Email)
	if errors.Is(err, sql.ErrNoRows) {
		return o, false, nil
	}
	if err != nil {
		return o, false, fmt.Errorf("find owner: %w", err)
	}
	return o, true, nil
}

// checkDue validates a due date; past dates are refused when refusePast.
func (s *Service) checkDue(errs *validate.Errors, due string, refusePast bool) string {
	due = strings.TrimSpace(due)
	if due == "" {
		errs.Add("due_on", "Enter the date the action is due")
		return due
	}
	d, err := time.Parse(store.DateLayout, due)
	if err != nil {
		errs.Add("due_on", "The due date must be a real date, such as 2026-03-27")
		return due
	}
	today := s.today()
	switch {
	case refusePast && d.Before(today):
		errs.Add("due_on", "The due date must be today or in the future; "+FormatDate(due)+" has passed")
	case d.After(today.AddDate(MaxYearsAhead, 0, 0)):
		errs.Add("due_on", fmt.Sprintf("The due date must be within %d years", MaxYearsAhead))
	}
	return d.Format(store.DateLayout)
}

// links resolves the report and response texts, adding field errors.
func links(ctx context.Context, q store.Querier, errs *validate.Errors, report, response string) (Link, Link, error) {
	var rl, pl Link
	if strings.TrimSpace(report) != "" {
		l, err := findReport(ctx, q, report)
		if fe, ok := validate.As(err); ok {
			*errs = append(*errs, fe...)
		} else if err != nil {
			return rl, pl, err
		}
		rl = l
	}
	if strings.TrimSpace(response) != "" {
		l, err := findResponse(ctx, q, response)
		if fe, ok := validate.As(err); ok {
			*errs = append(*errs, fe...)
		} else if err != nil {
			return rl, pl, err
		}
		pl = l
	}
	return rl, pl, nil
}

func nullID(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

// Create adds an action; only the patient safety team may. The owner is told.
func (s *Service) Create(ctx context.Context, p *authz.Principal, in Input) (Action, error) {
	if !CanManage(p) {
		return Action{}, ErrSafetyOnly
	}
	var newID int64
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		var errs validate.Errors
		title := errs.Text("title", "Title", in.Title, true, MaxTitle)
		desc := errs.Text("description", "Description", in.Description, false, MaxDescription)
		var o owner
		if in.OwnerID <= 0 {
			errs.Add("owner", "Choose who owns the action")
		} else {
			var ok bool
			var err error
			if o, ok, err = activeOwner(ctx, tx, in.OwnerID); err != nil {
				return err
			} else if !ok {
				errs.Add("owner", "Choose an owner from the list of active users")
			}
		}
		due := s.checkDue(&errs, in.DueOn, true)
		rl, pl, err := links(ctx, tx, &errs, in.Report, in.Response)
		if err != nil {
			return err
		}
		if len(errs) > 0 {
			return errs
		}
		now := store.T(s.Now())
		err = tx.QueryRowContext(ctx, `INSERT INTO improvement_actions (title, description, owner_user_id, due_on, status, evidence,
			response_id, report_id, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 'open', '', ?, ?, ?, ?, ?) RETURNING id`,
			title, desc, in.OwnerID, due, nullID(pl.ID), nullID(rl.ID), p.UserID, now, now).Scan(&newID)
		if err != nil {
			return fmt.Errorf("create action: %w", err)
		}
		if in.OwnerID != p.UserID {
			if err := s.tellOwner(ctx, tx, newID, in.OwnerID, o, title, due); err != nil {
				return err
			}
		}
		detail := "owner " + id(in.OwnerID) + ", due " + due
		if rl.ID != 0 {
			detail += ", event " + rl.Reference
		}
		if pl.ID != 0 {
			detail += ", response " + pl.Reference
		}
		return audit.Record(ctx, tx, s.Now(), actor(p), "action.create", "improvement_action", id(newID), detail)
	})
	if err != nil {
		return Action{}, err
	}
	return load(ctx, s.DB, newID)
}

// tellOwner lets someone know they have been given an action: a notice and
// an email with the title, the due date and a link, nothing more.
func (s *Service) tellOwner(ctx context.Context, tx *store.Tx, actionID, userID int64, o owner, title, due string) error {
	link := "/actions/" + id(actionID)
	text := "You own an improvement action: " + title + ". It is due by " + FormatDate(due) + "."
	if err := notify.Notify(ctx, tx, s.Now(), notify.Notice{UserID: userID, Body: clip(text, notify.MaxNoticeBytes), Link: link}); err != nil {
		return err
	}
	return notify.Enqueue(ctx, tx, s.Now(), notify.Message{To: o.Email, Subject: "An improvement action for you, due " + FormatDate(due),
		Body: text + "\n\nOpen it in candour: " + s.BaseURL + link + "\n"})
}

// clip shortens s to at most n bytes on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n-3]
	for len(s) > 0 && !validEnd(s) {
		s = s[:len(s)-1]
	}
	return s + "..."
}

func validEnd(s string) bool { return strings.ToValidUTF8(s, "") == s }

// Update changes an action. The owner may move their own action between
// open, in progress and done and record evidence; the patient safety team
// may change anything, cancel (with a reason) and reopen.
func (s *Service) Update(ctx context.Context, p *authz.Principal, actionID int64, c Change) (Action, error) {
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := load(ctx, tx, actionID)
		if err != nil {
			return err
		}
		if !canSee(p, a) {
			return ErrNotAllowed
		}
		manage := CanManage(p)
		if c.details() && !manage {
			return ErrSafetyOnly
		}
		var errs validate.Errors
		var changes []string
		set := map[string]any{}
		var order []string
		put := func(col string, v any) {
			if _, ok := set[col]; !ok {
				order = append(order, col)
			}
			set[col] = v
		}
		if c.Title != nil {
			if t := errs.Text("title", "Title", *c.Title, true, MaxTitle); t != a.Title {
				put("title", t)
				changes = append(changes, "title")
				a.Title = t
			}
		}
		if c.Description != nil {
			if d := errs.Text("description", "Description", *c.Description, false, MaxDescription); d != a.Description {
				put("description", d)
				changes = append(changes, "description")
			}
		}
		var newOwner *owner
		if c.OwnerID != nil && *c.OwnerID != a.OwnerID {
			o, ok, err := activeOwner(ctx, tx, *c.OwnerID)
			if err != nil {
				return err
			}
			if !ok {
				errs.Add("owner", "Choose an owner from the list of active users")
			} else {
				put("owner_user_id", *c.OwnerID)
				changes = append(changes, "owner "+id(a.OwnerID)+" -> "+id(*c.OwnerID))
				newOwner = &o
			}
		}
		dueChanged := false
		if c.DueOn != nil {
			// An action may already be overdue and keep its date; it may not
			// be given a date that has already passed.
			due := s.checkDue(&errs, *c.DueOn, strings.TrimSpace(*c.DueOn) != a.DueOn)
			if !errs.Has("due_on") && due != a.DueOn {
				put("due_on", due)
				changes = append(changes, "due "+a.DueOn+" -> "+due)
				a.DueOn, dueChanged = due, true
			}
		}
		if c.Report != nil || c.Response != nil {
			rep, resp := a.Report.Reference, a.Response.Reference
			if c.Report != nil {
				rep = *c.Report
			}
			if c.Response != nil {
				resp = *c.Response
			}
			rl, pl, err := links(ctx, tx, &errs, rep, resp)
			if err != nil {
				return err
			}
			if c.Report != nil && !errs.Has("report") && rl.ID != a.Report.ID {
				put("report_id", nullID(rl.ID))
				changes = append(changes, "event "+orNone(a.Report.Reference)+" -> "+orNone(rl.Reference))
			}
			if c.Response != nil && !errs.Has("response") && pl.ID != a.Response.ID {
				put("response_id", nullID(pl.ID))
				changes = append(changes, "response "+orNone(a.Response.Reference)+" -> "+orNone(pl.Reference))
			}
		}

		// Status, evidence and the closing note.
		to := a.Status
		if c.Status != nil {
			to = *c.Status
			if !to.Valid() {
				errs.Add("status", "Choose a status: open, in progress, done or cancelled")
				to = a.Status
			}
		}
		note := a.Evidence
		if a.Status == Cancelled {
			note = a.CancelReason
		}
		if c.Evidence != nil {
			ev := errs.Text("evidence", "Evidence of completion", *c.Evidence, false, MaxNote)
			if to == Cancelled {
				errs.Add("evidence", "A cancelled action takes no evidence; reopen it first")
			} else if ev != a.Evidence {
				note = ev
				changes = append(changes, "evidence")
			}
		}
		if to != a.Status {
			reopen := !a.Status.Active() && to.Active()
			switch {
			case to == Cancelled && !manage, reopen && !manage:
				return ErrSafetyOnly
			case to == Cancelled:
				reason := errs.Text("reason", "Reason for cancelling", c.Reason, true, MaxNote)
				note = reason
			case reopen && a.Status == Cancelled:
				note = ""
			}
			put("status", string(to))
			changes = append(changes, "status "+string(a.Status)+" -> "+string(to))
			switch {
			case !to.Active():
				put("completed_at", store.T(s.Now()))
			case reopen:
				put("completed_at", nil)
			}
		} else if strings.TrimSpace(c.Reason) != "" && to != Cancelled {
			errs.Add("reason", "A reason is needed only when cancelling; choose Cancelled as the status")
		}
		if to == Done && strings.TrimSpace(note) == "" && !errs.Has("evidence") {
			errs.Add("evidence", "Enter the evidence of completion: what was done and how you know it worked")
		}
		if cur := a.Evidence + a.CancelReason; note != cur {
			put("evidence", note)
		}
		if len(errs) > 0 {
			return errs
		}
		if len(order) == 0 {
			return nil
		}
		cols := make([]string, len(order))
		args := make([]any, 0, len(order)+2)
		for i, col := range order {
			cols[i] = col + " = ?"
			args = append(args, set[col])
		}
		args = append(args, store.T(s.Now()), a.ID)
		if _, err := tx.ExecContext(ctx, `UPDATE improvement_actions SET `+strings.Join(cols, ", ")+`, updated_at = ? WHERE id = ?`, args...); err != nil {
			return fmt.Errorf("update action: %w", err)
		}
		if dueChanged {
			// A new date earns its own reminder and escalation.
			if _, err := tx.ExecContext(ctx, `DELETE FROM action_notices WHERE action_id = ?`, a.ID); err != nil {
				return fmt.Errorf("clear reminders: %w", err)
			}
		}
		if newOwner != nil && *c.OwnerID != p.UserID {
			if err := s.tellOwner(ctx, tx, a.ID, *c.OwnerID, *newOwner, a.Title, a.DueOn); err != nil {
				return err
			}
		}
		detail := strings.Join(changes, "; ")
		if to == Cancelled && a.Status != Cancelled {
			detail += "; reason: " + clip(note, 500)
		}
		return audit.Record(ctx, tx, s.Now(), actor(p), "action.update", "improvement_action", id(a.ID), detail)
	})
	if err != nil {
		return Action{}, err
	}
	return s.Get(ctx, p, actionID)
}

func orNone(ref string) string {
	if ref == "" {
		return "none"
	}
	return ref
}
