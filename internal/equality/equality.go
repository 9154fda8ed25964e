package equality

import (
	"context"
	"errors"
	"fmt"
	"time"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/settings"
	"candour/internal/store"
)

// Errors callers act on.
var (
	// ErrNotAllowed means the caller may not see these figures. For the
	// partnership view it is also what a union representative who is not
	// the staff-side lead gets, so that the page seems not to exist.
	ErrNotAllowed = errors.New("not found or not yours to see")
	// ErrPeriodOrder means the start date is after the end date.
	ErrPeriodOrder = errors.New("the start date is after the end date")
	// ErrPeriodTooLong means the period is longer than MaxPeriodYears.
	ErrPeriodTooLong = errors.New("the period is longer than the longest allowed")
)

// MaxPeriodYears is the longest period the measures and the oversight view
// cover. Longer periods mix policies and staff records that have changed too
// much to compare, and would make the queries needlessly heavy.
const MaxPeriodYears = 5

// StaffSideLead is the casework designation (in casework_designations) of
// the union representative who sees the partnership view.
const StaffSideLead = "staff_side_lead"

// Service computes equality measures and oversight figures.
type Service struct {
	DB  *store.DB
	Now func() time.Time
}

// NewService returns a Service with the real clock.
func NewService(db *store.DB) *Service { return &Service{DB: db, Now: time.Now} }

// Period is the span a measure or the oversight view covers, both days
// included.
type Period struct {
	From, To time.Time
	// Rolling is the two-year rolling measure: From is then the day after
	// the same date two years before To.
	Rolling bool
}

// NewPeriod checks a period. With rolling, from is ignored and the period is
// the 24 months ending to. It returns ErrPeriodOrder or ErrPeriodTooLong for
// a period that cannot be used.
func NewPeriod(from, to time.Time, rolling bool) (Period, error) {
	from, to = day(from), day(to)
	if rolling {
		from = to.AddDate(-2, 0, 1)
	}
	if from.After(to) {
		return Period{}, ErrPeriodOrder
	}
	if !to.Before(from.AddDate(MaxPeriodYears, 0, 0)) {
		return Period{}, ErrPeriodTooLong
	}
	return Period{From: from, To: to, Rolling: rolling}, nil
}

// day drops the time of day, keeping the calendar date.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func (p Period) from() string { return p.From.Format(store.DateLayout) }
func (p Period) to() string   { return p.To.Format(store.DateLayout) }

// mayMeasure reports whether p may see the equality measures and the
// oversight view: HR and executives.
func mayMeasure(p *authz.Principal) bool { return p.HasAny(authz.HR, authz.Exec) }

// MaySeePartnership reports whether p may see the partnership view: HR, and
// the union representative named as the staff-side lead.
func (s *Service) MaySeePartnership(ctx context.Context, p *authz.Principal) (bool, error) {
	if p.Has(authz.HR) {
		return true, nil
	}
	if !p.Has(authz.UnionRep) {
		return false, nil
	}
	var n int
	err := s.DB.QueryRowContext(ctx, `SELECT count(*) FROM casework_designations WHERE user_id = ? AND designation = ?`,
		p.UserID, StaffSideLead).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("equality: read designation: %w", err)
	}
	return n > 0, nil
}

// threshold is the organisation's small-number threshold.
func (s *Service) threshold(ctx context.Context) (int, error) {
	st, err := settings.Load(ctx, s.DB)
	if err != nil {
		return 0, fmt.Errorf("equality: %w", err)
	}
	return st.SmallNumberThreshold, nil
}

// record writes an audit entry for a read of figures. Aggregates name
// nobody, but they are drawn from special category data, so who looked at
// them, and at which period, is kept like any other sensitive read.
func (s *Service) record(ctx context.Context, p *authz.Principal, action, what string, per Period) error {
	detail := per.from() + " to " + per.to()
	if per.Rolling {
		detail += " (two-year rolling)"
	}
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, s.Now(), audit.Actor{UserID: p.UserID, Label: p.Email}, action, "equality", what, detail)
	})
	if err != nil {
		return fmt.Errorf("equality: audit: %w", err)
	}
	return nil
}

// Count is a number of people or cases as it may be shown. When Suppressed,
// N is zero and the real number is above zero but below the threshold.
type Count struct {
	N          int
	Suppressed bool
}

// Row is one labelled count in a breakdown.
type Row struct {
	Key, Label string
	Count      Count
}

// Suppression says what was withheld and why.
type Suppression struct {
	// What names the figure, for example "ethnic_minority.entered".
	What string
	// Why explains it in plain words.
	Why string
}
