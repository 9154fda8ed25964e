package casework

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
)

// access is what one caller may do with one case. Every method that touches
// a case starts by working this out, inside the transaction that does the
// work where there is one.
type access struct {
	CaseID        int64
	Reference     string
	PersonID      int64
	Type          Type
	Status        Status
	HRUserID      int64
	ManagerUserID int64
	RepUserID     int64
	// Lead: the caller is the employee-relations lead (sees and assigns all).
	Lead bool
	// Handler: the caller is the case's HR adviser or the ER lead.
	Handler bool
	// Manager: the caller is the case's manager.
	Manager bool
	// Rep: the caller is the representative the employee asked for.
	Rep bool
	// Employee: the caller is the employee and has been given access.
	Employee bool
}

// CanRead reports whether the caller may read the case at all.
func (a access) CanRead() bool { return a.Handler || a.Manager || a.Rep || a.Employee }

// CanManage reports whether the caller may change the case.
func (a access) CanManage() bool { return a.Handler }

// SeesInternal reports whether the caller sees entries not shared with the
// employee (HR notes are further limited to handlers; see Timeline).
func (a access) SeesInternal() bool { return a.Handler || a.Manager || a.Rep }

// accessTo works out what p may do with case id. A case that does not exist
// and a case p may not read both give ErrNotAllowed.
func (s *Service) accessTo(ctx context.Context, q store.Querier, p *authz.Principal, id int64) (access, error) {
	var a access
	if p == nil || p.UserID == 0 || id <= 0 {
		return a, ErrNotAllowed
	}
	var hr, mgr, rep sql.NullInt64
	var empAccess bool
	err := q.QueryRowContext(ctx, `SELECT id, reference, person_id, case_type, status, hr_user_id, manager_user_id, rep_user_id, employee_access
		FROM cases WHERE id = ?`, id).Scan(&a.CaseID, &a.Reference, &a.PersonID, &a.Type, &a.Status, &hr, &mgr, &rep, &empAccess)
	if errors.Is(err, sql.ErrNoRows) {
		return a, ErrNotAllowed
	}
	if err != nil {
		return a, fmt.Errorf("casework: read case %d: %w", id, err)
	}
	a.HRUserID, a.ManagerUserID, a.RepUserID = hr.Int64, mgr.Int64, rep.Int64
	if p.Has(authz.HR) {
		lead, err := hasDesignation(ctx, q, p.UserID, ERLead)
		if err != nil {
			return a, err
		}
		a.Lead = lead
		a.Handler = lead || a.HRUserID == p.UserID
	}
	a.Manager = a.ManagerUserID == p.UserID
	a.Rep = p.Has(authz.UnionRep) && a.RepUserID == p.UserID
	if empAccess && !a.Handler && !a.Manager && !a.Rep {
		var personID sql.NullInt64
		err := q.QueryRowContext(ctx, `SELECT person_id FROM users WHERE id = ?`, p.UserID).Scan(&personID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return a, fmt.Errorf("casework: read user %d: %w", p.UserID, err)
		}
		a.Employee = personID.Valid && personID.Int64 == a.PersonID
	}
	if !a.CanRead() {
		return a, ErrNotAllowed
	}
	return a, nil
}

// hasDesignation reports whether the user holds the designation.
func hasDesignation(ctx context.Context, q store.Querier, userID int64, d Designation) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM casework_designations WHERE user_id = ? AND designation = ?`, userID, string(d)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("casework: read designation: %w", err)
	}
	return n > 0, nil
}

// activeUser is a candour user found by email.
type activeUser struct {
	ID          int64
	Name, Email string
	PersonID    int64
	Roles       []authz.Role
}

// Has reports whether the user holds role r.
func (u activeUser) Has(r authz.Role) bool {
	for _, x := range u.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// userByEmail finds an enabled user by email (case-insensitive). found is
// false when there is none.
func userByEmail(ctx context.Context, q store.Querier, email string) (u activeUser, found bool, err error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return u, false, nil
	}
	var personID sql.NullInt64
	err = q.QueryRowContext(ctx, `SELECT id, name, email, person_id FROM users WHERE lower(email) = ? AND NOT disabled`, email).
		Scan(&u.ID, &u.Name, &u.Email, &personID)
	if errors.Is(err, sql.ErrNoRows) {
		return u, false, nil
	}
	if err != nil {
		return u, false, fmt.Errorf("casework: find user: %w", err)
	}
	u.PersonID = personID.Int64
	rows, err := q.QueryContext(ctx, `SELECT role FROM user_roles WHERE user_id = ?`, u.ID)
	if err != nil {
		return u, false, fmt.Errorf("casework: read roles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return u, false, fmt.Errorf("casework: read roles: %w", err)
		}
		u.Roles = append(u.Roles, authz.Role(r))
	}
	return u, true, rows.Err()
}

// today is the date in England now, as midnight UTC.
func (s *Service) today() time.Time {
	n := s.Now().In(localtime.London())
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// parseDate reads a YYYY-MM-DD date typed by a person.
func parseDate(v string) (time.Time, bool) {
	t, err := time.Parse(store.DateLayout, strings.TrimSpace(v))
	return t, err == nil
}

func dateText(t time.Time) string { return t.Format(store.DateLayout) }

// actorOf is the audit actor for a signed-in user.
func actorOf(p *authz.Principal) audit.Actor { return audit.Actor{UserID: p.UserID, Label: p.Email} }

func idText(n int64) string { return strconv.FormatInt(n, 10) }

// record writes an audit entry for a case in the same transaction as the
// change (or read) it describes.
func (s *Service) record(ctx context.Context, tx *store.Tx, p *authz.Principal, action string, caseID int64, detail string) error {
	return audit.Record(ctx, tx, s.Now(), actorOf(p), action, "case", idText(caseID), detail)
}

func nullID(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}
