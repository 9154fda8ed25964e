package casework

import (
	"context"
	"fmt"
	"strings"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/validate"
)

// designationRole is the role a designation builds on.
func designationRole(d Designation) (authz.Role, bool) {
	switch d {
	case ERLead:
		return authz.HR, true
	case NonExecReviewer:
		return authz.Exec, true
	case StaffSideLead:
		return authz.UnionRep, true
	}
	return "", false
}

// Designations lists who holds each designation, by designation then name.
func (s *Service) Designations(ctx context.Context) ([]DesignationHolder, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT u.id, u.name, u.email, d.designation FROM casework_designations d
		JOIN users u ON u.id = d.user_id ORDER BY d.designation, u.name, u.id`)
	if err != nil {
		return nil, fmt.Errorf("casework: read designations: %w", err)
	}
	defer rows.Close()
	var out []DesignationHolder
	for rows.Next() {
		var h DesignationHolder
		if err := rows.Scan(&h.UserID, &h.Name, &h.Email, &h.Designation); err != nil {
			return nil, fmt.Errorf("casework: read designations: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Designate gives a designation to the user with the email (admin only);
// the user must hold the matching role: HR for the employee relations
// lead, executive for the non-executive reviewer, trade union
// representative for the staff-side lead. Giving it twice changes nothing.
// Field names: email, designation.
func (s *Service) Designate(ctx context.Context, p *authz.Principal, email string, d Designation) error {
	if p == nil || !p.Has(authz.Admin) {
		return ErrNotAllowed
	}
	var errs validate.Errors
	role, ok := designationRole(d)
	if !ok {
		errs.Add("designation", "Choose a designation")
	}
	email = strings.TrimSpace(email)
	if email == "" {
		errs.Add("email", "Enter the email address of the person's candour account")
	}
	if len(errs) > 0 {
		return errs
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		u, found, err := userByEmail(ctx, tx, email)
		switch {
		case err != nil:
			return err
		case !found:
			errs.Add("email", "No active candour user has the email address "+email)
		case !u.Has(role):
			errs.Add("email", fmt.Sprintf("%s cannot be the %s: %s",
				u.Name, strings.ToLower(DesignationLabel(d)), map[Designation]string{
					ERLead:          "only someone in HR can be. Give them the HR role first",
					NonExecReviewer: "only an executive or non-executive director can be. Give them the executive role first",
					StaffSideLead:   "only a trade union representative can be. Give them that role first",
				}[d]))
		}
		if len(errs) > 0 {
			return errs
		}
		held, err := hasDesignation(ctx, tx, u.ID, d)
		if err != nil || held {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO casework_designations (user_id, designation, created_at) VALUES (?, ?, ?)`,
			u.ID, string(d), store.T(s.Now())); err != nil {
			return fmt.Errorf("casework: designate: %w", err)
		}
		return audit.Record(ctx, tx, s.Now(), actorOf(p), "designation.add", "user", idText(u.ID), string(d))
	})
}

// Undesignate removes a designation (admin only).
func (s *Service) Undesignate(ctx context.Context, p *authz.Principal, userID int64, d Designation) error {
	if p == nil || !p.Has(authz.Admin) {
		return ErrNotAllowed
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM casework_designations WHERE user_id = ? AND designation = ?`, userID, string(d))
		if err != nil {
			return fmt.Errorf("casework: undesignate: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Record(ctx, tx, s.Now(), actorOf(p), "designation.remove", "user", idText(userID), string(d))
	})
}

// HasDesignation reports whether the user holds the designation.
func (s *Service) HasDesignation(ctx context.Context, userID int64, d Designation) (bool, error) {
	return hasDesignation(ctx, s.DB, userID, d)
}
