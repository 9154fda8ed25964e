package actions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/validate"
)

const selectAction = `SELECT a.id, a.title, a.description, a.owner_user_id, o.name, o.email, a.due_on, a.status, a.evidence,
	COALESCE(a.report_id, 0), COALESCE(r.reference, ''), COALESCE(a.response_id, 0), COALESCE(lr.reference, ''),
	a.created_by, c.name, a.created_at, a.updated_at, a.completed_at
	FROM improvement_actions a
	JOIN users o ON o.id = a.owner_user_id
	JOIN users c ON c.id = a.created_by
	LEFT JOIN reports r ON r.id = a.report_id
	LEFT JOIN learning_responses lr ON lr.id = a.response_id`

type scanner interface{ Scan(dest ...any) error }

func scanAction(sc scanner) (Action, error) {
	var a Action
	var status, note string
	var created, updated, completed store.Time
	err := sc.Scan(&a.ID, &a.Title, &a.Description, &a.OwnerID, &a.OwnerName, &a.OwnerEmail, &a.DueOn, &status, &note,
		&a.Report.ID, &a.Report.Reference, &a.Response.ID, &a.Response.Reference,
		&a.CreatedBy, &a.CreatorName, &created, &updated, &completed)
	if err != nil {
		return a, err
	}
	a.Status = Status(status)
	if a.Status == Cancelled {
		a.CancelReason = note
	} else {
		a.Evidence = note
	}
	a.CreatedAt, a.UpdatedAt, a.CompletedAt = created.Time, updated.Time, completed.Time
	return a, nil
}

// load reads one action, whoever asks.
func load(ctx context.Context, q store.Querier, actionID int64) (Action, error) {
	a, err := scanAction(q.QueryRowContext(ctx, selectAction+` WHERE a.id = ?`, actionID))
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrNotAllowed
	}
	if err != nil {
		return a, fmt.Errorf("load action: %w", err)
	}
	return a, nil
}

// Get returns one action to the safety team or its owner.
func (s *Service) Get(ctx context.Context, p *authz.Principal, actionID int64) (Action, error) {
	a, err := load(ctx, s.DB, actionID)
	if err != nil {
		return Action{}, err
	}
	if !canSee(p, a) {
		return Action{}, ErrNotAllowed
	}
	return a, nil
}

// Query filters a list of actions.
type Query struct {
	// OwnerID lists one person's actions; only the safety team may name
	// someone other than themselves.
	OwnerID int64
	// Mine lists the caller's own actions.
	Mine bool
	// Status is "" for the actions still to be done (open or in progress),
	// "all", or one status.
	Status string
	// Overdue keeps only actions still to be done whose due date has passed.
	Overdue bool
	// ReportID and ResponseID keep the actions linked to that event or
	// learning response.
	ReportID   int64
	ResponseID int64
	// Limit is the page size (default 50, at most 500).
	Limit int
	// After is the Next cursor of the previous page.
	After string
}

// List returns the actions p may see that match q, earliest due first, a
// page at a time, and the cursor of the next page ("" on the last). People
// outside the safety team see only their own actions.
func (s *Service) List(ctx context.Context, p *authz.Principal, q Query) ([]Action, string, error) {
	if p == nil {
		return nil, "", ErrNotAllowed
	}
	var errs validate.Errors
	var where []string
	var args []any
	owner := q.OwnerID
	if q.Mine || !CanManage(p) {
		if owner != 0 && owner != p.UserID {
			errs.Add("owner", "You can list only your own actions")
		}
		owner = p.UserID
	}
	if owner != 0 {
		where, args = append(where, `a.owner_user_id = ?`), append(args, owner)
	}
	switch st := Status(q.Status); {
	case st == "":
		where = append(where, `a.status IN ('open', 'in_progress')`)
	case st == "all":
	case st.Valid():
		where, args = append(where, `a.status = ?`), append(args, string(st))
	default:
		errs.Add("status", "Choose open, in_progress, done, cancelled or all")
	}
	if q.Overdue {
		where, args = append(where, `a.status IN ('open', 'in_progress') AND a.due_on < ?`), append(args, s.Today())
	}
	if q.ReportID != 0 {
		where, args = append(where, `a.report_id = ?`), append(args, q.ReportID)
	}
	if q.ResponseID != 0 {
		where, args = append(where, `a.response_id = ?`), append(args, q.ResponseID)
	}
	if q.After != "" {
		due, after, ok := parseCursor(q.After)
		if !ok {
			errs.Add("after", "This page link is not valid; start from the first page")
		} else {
			where, args = append(where, `(a.due_on > ? OR (a.due_on = ? AND a.id > ?))`), append(args, due, due, after)
		}
	}
	limit := q.Limit
	switch {
	case limit == 0:
		limit = 50
	case limit < 1 || limit > 500:
		errs.Add("limit", "Choose a page size from 1 to 500")
	}
	if len(errs) > 0 {
		return nil, "", errs
	}
	sqlText := selectAction
	if len(where) > 0 {
		sqlText += ` WHERE ` + strings.Join(where, ` AND `)
	}
	sqlText += ` ORDER BY a.due_on, a.id LIMIT ?`
	rows, err := s.DB.QueryContext(ctx, sqlText, append(args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("list actions: %w", err)
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		a, err := scanAction(rows)
		if err != nil {
			return nil, "", fmt.Errorf("list actions: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list actions: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[len(out)-1]
		next = last.DueOn + "." + id(last.ID)
	}
	return out, next, nil
}

func parseCursor(c string) (string, int64, bool) {
	due, n, ok := strings.Cut(c, ".")
	if !ok {
		return "", 0, false
	}
	if _, err := time.Parse(store.DateLayout, due); err != nil {
		return "", 0, false
	}
	after, err := strconv.ParseInt(n, 10, 64)
	return due, after, err == nil && after > 0
}

// Overdue lists, for the patient safety team, the actions still to be done
// whose due date has passed, the longest overdue first.
func (s *Service) Overdue(ctx context.Context, p *authz.Principal, limit int, after string) ([]Action, string, error) {
	if !CanManage(p) {
		return nil, "", ErrSafetyOnly
	}
	return s.List(ctx, p, Query{Overdue: true, Limit: limit, After: after})
}

// Person is someone who can own an action.
type Person struct {
	ID          int64
	Name, Email string
}

// Owners lists the active users who can be given an action, by name.
func (s *Service) Owners(ctx context.Context) ([]Person, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, name, email FROM users WHERE disabled = FALSE ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("list owners: %w", err)
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		var u Person
		if err := rows.Scan(&u.ID, &u.Name, &u.Email); err != nil {
			return nil, fmt.Errorf("list owners: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// FindReport resolves a patient safety event by its reference (SE-...) or
// id, for linking. Speak-up concerns are never offered: they belong to the
// guardians.
func (s *Service) FindReport(ctx context.Context, text string) (Link, error) {
	return findReport(ctx, s.DB, text)
}

func findReport(ctx context.Context, q store.Querier, text string) (Link, error) {
	text = strings.ToUpper(strings.TrimSpace(text))
	var l Link
	var kind string
	var dup sql.NullInt64
	query := `SELECT id, reference, kind, duplicate_of FROM reports WHERE reference = ?`
	var arg any = text
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		query, arg = `SELECT id, reference, kind, duplicate_of FROM reports WHERE id = ?`, n
	}
	err := q.QueryRowContext(ctx, query, arg).Scan(&l.ID, &l.Reference, &kind, &dup)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && kind != "safety_event") {
		return Link{}, fieldError("report", "No patient safety event has the reference "+text+"; check it and try again")
	}
	if err != nil {
		return Link{}, fmt.Errorf("find report: %w", err)
	}
	if dup.Valid {
		var orig string
		q.QueryRowContext(ctx, `SELECT reference FROM reports WHERE id = ?`, dup.Int64).Scan(&orig)
		return Link{}, fieldError("report", l.Reference+" was merged into "+orig+" as a duplicate; link the action to "+orig+" instead")
	}
	return l, nil
}

// FindResponse resolves a learning response by its reference or id.
func (s *Service) FindResponse(ctx context.Context, text string) (Link, error) {
	return findResponse(ctx, s.DB, text)
}

func findResponse(ctx context.Context, q store.Querier, text string) (Link, error) {
	text = strings.ToUpper(strings.TrimSpace(text))
	var l Link
	query := `SELECT id, reference FROM learning_responses WHERE upper(reference) = ?`
	var arg any = text
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		query, arg = `SELECT id, reference FROM learning_responses WHERE id = ?`, n
	}
	err := q.QueryRowContext(ctx, query, arg).Scan(&l.ID, &l.Reference)
	if errors.Is(err, sql.ErrNoRows) {
		return Link{}, fieldError("response", "No learning response has the reference "+text+"; check it and try again")
	}
	if err != nil {
		return Link{}, fmt.Errorf("find response: %w", err)
	}
	return l, nil
}
