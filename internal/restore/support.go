package restore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/validate"
)

// Plan statuses.
const (
	Active = "active"
	Closed = "closed"
)

// DefaultFrequencyDays is how often a supporter checks in unless agreed
// otherwise.
const DefaultFrequencyDays = 7

// Limits on a plan.
const (
	MaxFrequencyDays = 90
	maxOfferedOther  = 300
	maxOwnView       = 4000
	maxCheckInNotes  = 4000
)

// OfferOptions lists the support that can be offered to staff involved.
func OfferOptions() []Option {
	return []Option{
		{"time_out", "Time out", "Time away from the ward or the work, straight away or later"},
		{"counselling", "Counselling", "Through the staff wellbeing or employee assistance service"},
		{"occupational_health", "Occupational health", ""},
		{"peer_support", "Peer support", "A trained colleague who has been through something similar"},
		{"restorative_conversation", "A restorative conversation", "With the people affected, when everyone is ready"},
	}
}

// CheckIn is one conversation between the supporter and the staff member.
type CheckIn struct {
	ID           int64     `json:"id"`
	HeldOn       string    `json:"held_on"`
	Notes        string    `json:"notes"`
	RecordedBy   string    `json:"recorded_by"`
	RecordedAt   time.Time `json:"recorded_at"`
	RecordedByID int64     `json:"-"`
}

// Viewer is how the caller relates to a plan.
type Viewer struct {
	StaffMember bool `json:"staff_member"`
	Supporter   bool `json:"supporter"`
	SafetyTeam  bool `json:"safety_team"`
}

// Plan is a support plan for a member of staff involved in an event.
type Plan struct {
	ID               int64     `json:"id"`
	PersonID         int64     `json:"-"`
	EmployeeNumber   string    `json:"employee_number"`
	PersonName       string    `json:"person_name"`
	JobTitle         string    `json:"job_title"`
	DepartmentName   string    `json:"department"`
	ReportID         int64     `json:"report_id,omitempty"`
	ReportReference  string    `json:"report,omitempty"`
	ResponseID       int64     `json:"response_id,omitempty"`
	SupporterUserID  int64     `json:"-"`
	SupporterName    string    `json:"supporter_name"`
	SupporterEmail   string    `json:"supporter"`
	FrequencyDays    int       `json:"frequency_days"`
	Offered          []string  `json:"offered"`
	OfferedOther     string    `json:"offered_other"`
	OwnView          string    `json:"own_view"`
	Status           string    `json:"status"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
	ClosedAt         time.Time `json:"closed_at,omitzero"`
	CheckIns         []CheckIn `json:"check_ins"`
	LastCheckIn      string    `json:"last_check_in,omitempty"`
	NextCheckInDue   string    `json:"next_check_in_due,omitempty"`
	CheckInLapsed    bool      `json:"check_in_lapsed"`
	CheckInLapsedFor int       `json:"-"`
	Viewer           Viewer    `json:"viewer"`
}

// OfferedLabels lists what was offered, for people.
func (p Plan) OfferedLabels() []string {
	var out []string
	for _, o := range p.Offered {
		out = append(out, optionLabel(OfferOptions(), o))
	}
	if p.OfferedOther != "" {
		out = append(out, p.OfferedOther)
	}
	return out
}

type storedOffer struct {
	Items []string `json:"items"`
	Other string   `json:"other,omitempty"`
}

// PlanInput starts a support plan.
type PlanInput struct {
	// EmployeeNumber names the staff member in the people directory.
	EmployeeNumber string
	// SupporterEmail is the email address of the supporter's account.
	SupporterEmail string
	// FrequencyDays between check-ins: zero means DefaultFrequencyDays.
	FrequencyDays int
	Offered       []string
	OfferedOther  string
	// Report optionally links a patient safety event (reference or number).
	Report string
	// ResponseID optionally links a learning response.
	ResponseID int64
}

// CreatePlan starts a support plan for a member of staff involved in an
// event. Only the patient safety team starts plans.
func (s *Service) CreatePlan(ctx context.Context, p *authz.Principal, in PlanInput) (Plan, error) {
	if !isSafety(p) {
		return Plan{}, ErrNotAllowed
	}
	var newID int64
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		var errs validate.Errors
		var personID int64
		var leave string
		number := strings.TrimSpace(in.EmployeeNumber)
		if number == "" {
			errs.Add("person", "Enter the staff member's employee number")
		} else {
			err := tx.QueryRowContext(ctx, `SELECT id, COALESCE(leave_date, '') FROM people WHERE employee_number = ?`, number).Scan(&personID, &leave)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				errs.Add("person", "No one in the people directory has the employee number "+number)
			case err != nil:
				return fmt.Errorf("find person: %w", err)
			case leave != "" && leave < dateText(s.today()):
				errs.Add("person", "This person left on "+leave+"; support plans are for current staff")
			}
		}
		var supporterID, supporterPerson int64
		email := strings.ToLower(strings.TrimSpace(in.SupporterEmail))
		if email == "" {
			errs.Add("supporter", "Enter the supporter's email address")
		} else {
			var disabled bool
			err := tx.QueryRowContext(ctx, `SELECT id, COALESCE(person_id, 0), disabled FROM users WHERE email = ?`, email).Scan(&supporterID, &supporterPerson, &disabled)
			switch {
			case errors.Is(err, sql.ErrNoRows), err == nil && disabled:
				errs.Add("supporter", "No one can sign in to candour with "+email+"; the supporter needs an account")
			case err != nil:
				return fmt.Errorf("find supporter: %w", err)
			case personID != 0 && supporterPerson == personID:
				errs.Add("supporter", "Choose someone other than the staff member to support them")
			}
		}
		freq := in.FrequencyDays
		if freq == 0 {
			freq = DefaultFrequencyDays
		}
		if freq < 1 || freq > MaxFrequencyDays {
			errs.Add("frequency_days", "Enter how many days between check-ins, from 1 to 90")
		}
		offered := []string{}
		for _, o := range in.Offered {
			if !validOption(OfferOptions(), o) {
				errs.Add("offered", "Choose what was offered from the list, or describe it under something else")
				break
			}
			if !slices.Contains(offered, o) {
				offered = append(offered, o)
			}
		}
		other := errs.Text("offered_other", "Something else offered", in.OfferedOther, false, maxOfferedOther)
		t, err := resolveTarget(ctx, tx, in.Report, in.ResponseID, &errs)
		if err != nil {
			return err
		}
		if len(errs) > 0 {
			return errs
		}
		b, _ := json.Marshal(storedOffer{Items: offered, Other: other})
		now := store.T(s.Now())
		if err := tx.QueryRowContext(ctx, `INSERT INTO support_plans (person_id, report_id, response_id, supporter_user_id, frequency_days, offered,
			own_view, status, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?) RETURNING id`,
			personID, nullID(t.ReportID), nullID(t.ResponseID), supporterID, freq, string(b), Active, p.UserID, now, now).Scan(&newID); err != nil {
			return fmt.Errorf("create support plan: %w", err)
		}
		// The supporter hears about it in candour; the notice names no one.
		if supporterID != p.UserID {
			if err := notifyUser(ctx, tx, s.Now(), supporterID, "You have been asked to support a colleague after a patient safety event. Their support plan is in candour.", planHref(newID)); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, s.Now(), actorOf(p), "support.create", "support_plan", id(newID), "supporter user "+id(supporterID))
	})
	if err != nil {
		return Plan{}, err
	}
	return s.loadPlan(ctx, s.DB, p, newID)
}

func planHref(planID int64) string { return "/support/" + id(planID) }

// personOf is the directory entry of p's account, or zero.
func personOf(ctx context.Context, q store.Querier, p *authz.Principal) (int64, error) {
	if p == nil {
		return 0, nil
	}
	var personID int64
	err := q.QueryRowContext(ctx, `SELECT COALESCE(person_id, 0) FROM users WHERE id = ?`, p.UserID).Scan(&personID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return personID, err
}

const planColumns = `sp.id, sp.person_id, pe.employee_number, pe.name, pe.job_title, COALESCE(d.name, ''), COALESCE(sp.report_id, 0), COALESCE(r.reference, ''),
	COALESCE(sp.response_id, 0), sp.supporter_user_id, su.name, su.email, sp.frequency_days, sp.offered, sp.own_view, sp.status,
	sp.created_at, sp.updated_at, sp.closed_at`

const planFrom = ` FROM support_plans sp JOIN people pe ON pe.id = sp.person_id LEFT JOIN departments d ON d.id = pe.department_id
	JOIN users su ON su.id = sp.supporter_user_id LEFT JOIN reports r ON r.id = sp.report_id`

func scanPlan(sc interface{ Scan(...any) error }) (Plan, error) {
	var pl Plan
	var offered string
	var created, updated, closed store.Time
	err := sc.Scan(&pl.ID, &pl.PersonID, &pl.EmployeeNumber, &pl.PersonName, &pl.JobTitle, &pl.DepartmentName, &pl.ReportID, &pl.ReportReference,
		&pl.ResponseID, &pl.SupporterUserID, &pl.SupporterName, &pl.SupporterEmail, &pl.FrequencyDays, &offered, &pl.OwnView, &pl.Status,
		&created, &updated, &closed)
	if err != nil {
		return pl, err
	}
	var so storedOffer
	json.Unmarshal([]byte(offered), &so)
	pl.Offered, pl.OfferedOther = so.Items, so.Other
	if pl.Offered == nil {
		pl.Offered = []string{}
	}
	pl.CreatedAt, pl.UpdatedAt, pl.ClosedAt = created.Time, updated.Time, closed.Time
	return pl, nil
}

// viewerOf says how p relates to pl; ok is false when p may not see it.
func viewerOf(p *authz.Principal, personID int64, pl Plan) (Viewer, bool) {
	if p == nil {
		return Viewer{}, false
	}
	v := Viewer{StaffMember: personID != 0 && personID == pl.PersonID, Supporter: pl.SupporterUserID == p.UserID, SafetyTeam: isSafety(p)}
	return v, v.StaffMember || v.Supporter || v.SafetyTeam
}

// dueOn works out when the next check-in is due: the last one (or the
// plan's start, before any) plus the agreed frequency.
func (s *Service) dueOn(pl *Plan) {
	base := pl.CreatedAt.In(london()).Format(store.DateLayout)
	for _, c := range pl.CheckIns {
		if c.HeldOn > pl.LastCheckIn {
			pl.LastCheckIn = c.HeldOn
		}
	}
	if pl.LastCheckIn != "" {
		base = pl.LastCheckIn
	}
	b, err := time.Parse(store.DateLayout, base)
	if err != nil || pl.Status != Active {
		pl.NextCheckInDue = ""
		return
	}
	due := b.AddDate(0, 0, pl.FrequencyDays)
	pl.NextCheckInDue = dateText(due)
	today := s.today()
	if today.After(due) {
		pl.CheckInLapsed = true
		pl.CheckInLapsedFor = int(today.Sub(due).Hours() / 24)
	}
}

// loadPlan reads a plan with its check-ins if p may see it.
func (s *Service) loadPlan(ctx context.Context, q store.Querier, p *authz.Principal, planID int64) (Plan, error) {
	pl, err := scanPlan(q.QueryRowContext(ctx, `SELECT `+planColumns+planFrom+` WHERE sp.id = ?`, planID))
	if errors.Is(err, sql.ErrNoRows) {
		return Plan{}, ErrNotAllowed
	}
	if err != nil {
		return Plan{}, fmt.Errorf("read support plan %d: %w", planID, err)
	}
	personID, err := personOf(ctx, q, p)
	if err != nil {
		return Plan{}, fmt.Errorf("read caller: %w", err)
	}
	v, ok := viewerOf(p, personID, pl)
	if !ok {
		return Plan{}, ErrNotAllowed
	}
	pl.Viewer = v
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.held_on, c.notes, COALESCE(u.name, ''), c.recorded_by, c.created_at
		FROM support_checkins c LEFT JOIN users u ON u.id = c.recorded_by WHERE c.plan_id = ? ORDER BY c.held_on DESC, c.id DESC`, planID)
	if err != nil {
		return Plan{}, fmt.Errorf("read check-ins: %w", err)
	}
	defer rows.Close()
	pl.CheckIns = []CheckIn{}
	for rows.Next() {
		var c CheckIn
		var at store.Time
		if err := rows.Scan(&c.ID, &c.HeldOn, &c.Notes, &c.RecordedBy, &c.RecordedByID, &at); err != nil {
			return Plan{}, fmt.Errorf("read check-ins: %w", err)
		}
		c.RecordedAt = at.Time
		pl.CheckIns = append(pl.CheckIns, c)
	}
	if err := rows.Err(); err != nil {
		return Plan{}, fmt.Errorf("read check-ins: %w", err)
	}
	s.dueOn(&pl)
	return pl, nil
}

// Plan returns a support plan to the staff member it is for, their
// supporter or the patient safety team, and audits the read. Anyone else,
// their line manager, HR, administrators and guardians included, gets
// ErrNotAllowed.
func (s *Service) Plan(ctx context.Context, p *authz.Principal, planID int64) (Plan, error) {
	pl, err := s.loadPlan(ctx, s.DB, p, planID)
	if err != nil {
		return Plan{}, err
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, s.Now(), actorOf(p), "support.read", "support_plan", id(planID), "")
	})
	return pl, err
}

// Plans lists the plans p may see, newest first: the patient safety team
// sees all; anyone else the plans they support and their own. The list is
// audited.
func (s *Service) Plans(ctx context.Context, p *authz.Principal) ([]Plan, error) {
	if p == nil {
		return nil, ErrNotAllowed
	}
	personID, err := personOf(ctx, s.DB, p)
	if err != nil {
		return nil, fmt.Errorf("read caller: %w", err)
	}
	where, args := `1 = 1`, []any{}
	if !isSafety(p) {
		where, args = `(sp.supporter_user_id = ? OR sp.person_id = ?)`, []any{p.UserID, personID}
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+planColumns+`,
		(SELECT MAX(c.held_on) FROM support_checkins c WHERE c.plan_id = sp.id)`+planFrom+` WHERE `+where+`
		ORDER BY sp.status, sp.updated_at DESC, sp.id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("list support plans: %w", err)
	}
	var out []Plan
	for rows.Next() {
		var last sql.NullString
		var pl Plan
		var offered string
		var created, updated, closed store.Time
		err := rows.Scan(&pl.ID, &pl.PersonID, &pl.EmployeeNumber, &pl.PersonName, &pl.JobTitle, &pl.DepartmentName, &pl.ReportID, &pl.ReportReference,
			&pl.ResponseID, &pl.SupporterUserID, &pl.SupporterName, &pl.SupporterEmail, &pl.FrequencyDays, &offered, &pl.OwnView, &pl.Status,
			&created, &updated, &closed, &last)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list support plans: %w", err)
		}
		var so storedOffer
		json.Unmarshal([]byte(offered), &so)
		pl.Offered, pl.OfferedOther = so.Items, so.Other
		if pl.Offered == nil {
			pl.Offered = []string{}
		}
		pl.CreatedAt, pl.UpdatedAt, pl.ClosedAt = created.Time, updated.Time, closed.Time
		if last.Valid {
			pl.CheckIns = []CheckIn{{HeldOn: last.String}}
		}
		pl.Viewer, _ = viewerOf(p, personID, pl)
		s.dueOn(&pl)
		pl.CheckIns = nil
		out = append(out, pl)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list support plans: %w", err)
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, s.Now(), actorOf(p), "support.list", "support_plan", "", fmt.Sprintf("%d plans", len(out)))
	})
	return out, err
}

// changePlan runs fn on a plan p may see, in a transaction, touching the
// plan and recording the audit entry.
func (s *Service) changePlan(ctx context.Context, p *authz.Principal, planID int64, action string, fn func(tx *store.Tx, pl Plan) (string, error)) error {
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		pl, err := s.loadPlan(ctx, tx, p, planID)
		if err != nil {
			return err
		}
		detail, err := fn(tx, pl)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE support_plans SET updated_at = ? WHERE id = ?`, store.T(s.Now()), planID); err != nil {
			return fmt.Errorf("touch support plan: %w", err)
		}
		return audit.Record(ctx, tx, s.Now(), actorOf(p), action, "support_plan", id(planID), detail)
	})
}

// CheckInInput is a check-in held.
type CheckInInput struct {
	// HeldOn is the date, YYYY-MM-DD; it cannot be in the future.
	HeldOn string
	Notes  string
}

// AddCheckIn logs a check-in. The supporter or the patient safety team log
// them, on active plans.
func (s *Service) AddCheckIn(ctx context.Context, p *authz.Principal, planID int64, in CheckInInput) (CheckIn, error) {
	var errs validate.Errors
	held, err := time.Parse(store.DateLayout, strings.TrimSpace(in.HeldOn))
	switch {
	case strings.TrimSpace(in.HeldOn) == "":
		errs.Add("held_on", "Enter the date of the check-in")
	case err != nil:
		errs.Add("held_on", "The date of the check-in must be a real date")
	case held.After(s.today()):
		errs.Add("held_on", "The date of the check-in must be today or in the past")
	case held.Year() < 2000:
		errs.Add("held_on", "The date of the check-in must be after 2000")
	}
	notes := errs.Text("notes", "Notes", in.Notes, false, maxCheckInNotes)
	var c CheckIn
	err = s.changePlan(ctx, p, planID, "support.check_in", func(tx *store.Tx, pl Plan) (string, error) {
		if !pl.Viewer.Supporter && !pl.Viewer.SafetyTeam {
			return "", ErrSupporterOnly
		}
		if pl.Status != Active {
			return "", ErrClosed
		}
		if len(errs) > 0 {
			return "", errs
		}
		c = CheckIn{HeldOn: dateText(held), Notes: notes, RecordedBy: p.Name, RecordedByID: p.UserID, RecordedAt: s.Now()}
		if err := tx.QueryRowContext(ctx, `INSERT INTO support_checkins (plan_id, held_on, notes, recorded_by, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			planID, c.HeldOn, notes, p.UserID, store.T(s.Now())).Scan(&c.ID); err != nil {
			return "", fmt.Errorf("log check-in: %w", err)
		}
		return "held on " + c.HeldOn, nil
	})
	return c, err
}

// SetOwnView records the staff member's own view of what happened and of
// the support they are getting, in their own words. Only they can write it;
// an empty view removes it.
func (s *Service) SetOwnView(ctx context.Context, p *authz.Principal, planID int64, view string) (Plan, error) {
	var errs validate.Errors
	view = errs.Text("own_view", "Your view", view, false, maxOwnView)
	err := s.changePlan(ctx, p, planID, "support.own_view", func(tx *store.Tx, pl Plan) (string, error) {
		if !pl.Viewer.StaffMember {
			return "", ErrStaffMemberOnly
		}
		if len(errs) > 0 {
			return "", errs
		}
		if _, err := tx.ExecContext(ctx, `UPDATE support_plans SET own_view = ? WHERE id = ?`, view, planID); err != nil {
			return "", fmt.Errorf("save own view: %w", err)
		}
		if view == "" {
			return "removed", nil
		}
		return "written", nil
	})
	if err != nil {
		return Plan{}, err
	}
	return s.loadPlan(ctx, s.DB, p, planID)
}

// ClosePlan ends a plan when support is no longer needed. The supporter or
// the patient safety team close plans.
func (s *Service) ClosePlan(ctx context.Context, p *authz.Principal, planID int64) (Plan, error) {
	err := s.changePlan(ctx, p, planID, "support.close", func(tx *store.Tx, pl Plan) (string, error) {
		if !pl.Viewer.Supporter && !pl.Viewer.SafetyTeam {
			return "", ErrSupporterOnly
		}
		if pl.Status != Active {
			return "", ErrClosed
		}
		if _, err := tx.ExecContext(ctx, `UPDATE support_plans SET status = ?, closed_at = ? WHERE id = ?`, Closed, store.T(s.Now()), planID); err != nil {
			return "", fmt.Errorf("close support plan: %w", err)
		}
		return "", nil
	})
	if err != nil {
		return Plan{}, err
	}
	return s.loadPlan(ctx, s.DB, p, planID)
}
