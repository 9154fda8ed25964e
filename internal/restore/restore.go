package restore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/localtime"
	"candour/internal/store"
	"candour/internal/validate"
)

// Errors callers act on.
var (
	// ErrNotAllowed means the caller may not see this record or plan. It is
	// also returned for ones that do not exist, so that probing ids reveals
	// nothing.
	ErrNotAllowed = errors.New("not found or not yours to see")
	// ErrStaffMemberOnly means only the staff member a plan is for may do
	// this (write their own view).
	ErrStaffMemberOnly = errors.New("only the member of staff this plan is for can write their own view")
	// ErrSupporterOnly means only the supporter or the patient safety team
	// may do this (log a check-in, close the plan).
	ErrSupporterOnly = errors.New("only the supporter or the patient safety team can do this")
	// ErrClosed means the plan is closed and cannot take this change.
	ErrClosed = errors.New("this support plan is closed")
)

// Service records restorative work.
type Service struct {
	DB  *store.DB
	Now func() time.Time
}

// NewService returns a Service with the real clock.
func NewService(db *store.DB) *Service { return &Service{DB: db, Now: time.Now} }

// Option is a value and its label for people, with an optional hint.
type Option struct {
	Value, Label, Hint string
}

func optionLabel(opts []Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

func validOption(opts []Option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}

// london is the organisation's clock for dates.
func london() *time.Location { return localtime.London() }

// today is the date in England now, as midnight UTC.
func (s *Service) today() time.Time {
	n := s.Now().In(london())
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

func dateText(t time.Time) string { return t.Format(store.DateLayout) }

// actorOf is the audit actor for a signed-in user.
func actorOf(p *authz.Principal) audit.Actor { return audit.Actor{UserID: p.UserID, Label: p.Email} }

func id(n int64) string { return strconv.FormatInt(n, 10) }

// isSafety reports whether p is in the patient safety team.
func isSafety(p *authz.Principal) bool { return p != nil && p.Has(authz.Safety) }

// target is the event or learning response a record or plan is about.
type target struct {
	ReportID        int64
	ReportReference string
	ResponseID      int64
	ResponseTitle   string
}

// resolveTarget finds the patient safety event named by report (a
// reference such as SE-004512-5, or its number) and the learning response
// numbered responseID, adding field problems to errs. Only patient safety
// events are accepted: speak-up concerns belong to the guardians, and one
// merged into another event is recorded on that one.
func resolveTarget(ctx context.Context, q store.Querier, report string, responseID int64, errs *validate.Errors) (target, error) {
	var t target
	report = strings.ToUpper(strings.TrimSpace(report))
	if report != "" {
		where, arg := `r.reference = ?`, any(report)
		if n, err := strconv.ParseInt(report, 10, 64); err == nil {
			where, arg = `r.id = ?`, n
		}
		var kind, dup string
		err := q.QueryRowContext(ctx, `SELECT r.id, r.reference, r.kind, COALESCE(d.reference, '') FROM reports r
			LEFT JOIN reports d ON d.id = r.duplicate_of WHERE `+where, arg).Scan(&t.ReportID, &t.ReportReference, &kind, &dup)
		switch {
		case errors.Is(err, sql.ErrNoRows), err == nil && kind != "safety_event":
			t.ReportID, t.ReportReference = 0, ""
			errs.Add("report", "No patient safety event has the reference "+report+"; check it and try again")
		case err != nil:
			return t, fmt.Errorf("find event: %w", err)
		case dup != "":
			errs.Add("report", t.ReportReference+" was merged into "+dup+"; use "+dup+" instead")
			t.ReportID = 0
		}
	}
	switch {
	case responseID < 0:
		errs.Add("response_id", "Enter the learning response's number, or leave it empty")
	case responseID > 0:
		err := q.QueryRowContext(ctx, `SELECT id, title FROM learning_responses WHERE id = ?`, responseID).Scan(&t.ResponseID, &t.ResponseTitle)
		if errors.Is(err, sql.ErrNoRows) {
			errs.Add("response_id", "No learning response has the number "+id(responseID))
		} else if err != nil {
			return t, fmt.Errorf("find learning response: %w", err)
		}
	}
	return t, nil
}

func nullID(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}
