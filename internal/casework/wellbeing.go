package casework

// Wellbeing: a named person keeps in touch with the employee, and with each
// witness, for as long as the case lasts; a lapse in contact alerts. Too
// little attention to health and wellbeing was one of the failings found
// after the death of Amin Abdullah.

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
	"candour/internal/store"
	"candour/internal/validate"
)

// ErrWellbeingEnded means the wellbeing contact has been replaced or ended,
// so contacts are logged against the current one.
var ErrWellbeingEnded = errors.New("this wellbeing contact has ended: log the contact against the current one")

// Bounds on wellbeing contacts.
const (
	// MaxWellbeingFrequencyDays is the longest gap allowed between
	// contacts: a contact only every three months is no contact.
	MaxWellbeingFrequencyDays = 90
	maxContactNotes           = 2000
)

// ContactMethods lists how a wellbeing contact was made.
func ContactMethods() []Option {
	return []Option{
		{Value: "phone", Label: "Phone"},
		{Value: "video", Label: "Video call"},
		{Value: "in_person", Label: "In person"},
		{Value: "email", Label: "Email"},
		{Value: "letter", Label: "Letter"},
	}
}

// ContactMethodLabel is the label of a contact method.
func ContactMethodLabel(m string) string {
	for _, o := range ContactMethods() {
		if o.Value == m {
			return o.Label
		}
	}
	return m
}

func validContactMethod(m string) bool {
	for _, o := range ContactMethods() {
		if o.Value == m {
			return true
		}
	}
	return false
}

func (s *Service) frequencyDays() int {
	if s.WellbeingFrequencyDays > 0 {
		return s.WellbeingFrequencyDays
	}
	return DefaultWellbeingFrequencyDays
}

// Wellbeing lists the case's wellbeing contacts with their logs: current
// ones first. The case's handlers and its manager may see them; the read
// is audited.
func (s *Service) Wellbeing(ctx context.Context, p *authz.Principal, id int64) ([]Wellbeing, error) {
	var out []Wellbeing
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.accessTo(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if !a.CanManage() && !a.Manager {
			return ErrNotAllowed
		}
		out, err = s.queryWellbeing(ctx, tx, `w.case_id = ?`, id)
		if err != nil {
			return err
		}
		for i := range out {
			if out[i].Contacts, err = wellbeingContacts(ctx, tx, out[i].ID); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, p, "wellbeing.read", id, fmt.Sprintf("%d wellbeing contacts", len(out)))
	})
	return out, err
}

// AddWellbeing names a wellbeing contact for the employee or a witness.
// Naming a new contact for someone ends their current one, so each person
// has one named contact at a time.
func (s *Service) AddWellbeing(ctx context.Context, p *authz.Principal, id int64, in WellbeingInput) (Wellbeing, error) {
	var out Wellbeing
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.accessTo(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if !a.CanManage() {
			return ErrNotAllowed
		}
		if a.Status == Closed {
			return ErrClosed
		}
		var errs validate.Errors
		// Who is looked after: the employee, or a current witness.
		var partyID, forPerson, forUser int64
		forPerson = a.PersonID
		if v := strings.TrimSpace(in.Party); v != "" {
			forPerson = 0
			n, convErr := strconv.ParseInt(v, 10, 64)
			var pp, pu sql.NullInt64
			err := tx.QueryRowContext(ctx, `SELECT id, person_id, user_id FROM case_parties
				WHERE id = ? AND case_id = ? AND role = ? AND removed_at IS NULL`, n, id, RoleWitness).Scan(&partyID, &pp, &pu)
			switch {
			case convErr != nil || errors.Is(err, sql.ErrNoRows):
				errs.Add("party", "Choose the employee or one of the witnesses in this case")
			case err != nil:
				return fmt.Errorf("casework: read party: %w", err)
			}
			forPerson, forUser = pp.Int64, pu.Int64
		}
		var contact activeUser
		email := strings.TrimSpace(in.Contact)
		if email == "" {
			errs.Add("contact", "Enter the email address the wellbeing contact uses to sign in to candour")
		} else {
			u, found, err := userByEmail(ctx, tx, email)
			if err != nil {
				return err
			}
			switch {
			case !found:
				errs.Add("contact", "No one uses candour with this email address. Check it, or ask an administrator to add them")
			case (forPerson != 0 && u.PersonID == forPerson) || (forUser != 0 && u.ID == forUser):
				errs.Add("contact", "The wellbeing contact must be someone other than the person they look after")
			default:
				contact = u
			}
		}
		freq := s.frequencyDays()
		if v := strings.TrimSpace(in.FrequencyDays); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > MaxWellbeingFrequencyDays {
				errs.Add("frequency_days", fmt.Sprintf("Enter how often, in days, they should be in touch: a whole number from 1 to %d", MaxWellbeingFrequencyDays))
			} else {
				freq = n
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		today := dateText(s.today())
		now := store.T(s.Now())
		end := `UPDATE case_wellbeing SET ended_on = ? WHERE case_id = ? AND ended_on IS NULL AND party_id IS NULL`
		args := []any{today, id}
		if partyID != 0 {
			end = `UPDATE case_wellbeing SET ended_on = ? WHERE case_id = ? AND ended_on IS NULL AND party_id = ?`
			args = append(args, partyID)
		}
		if _, err := tx.ExecContext(ctx, end, args...); err != nil {
			return fmt.Errorf("casework: end wellbeing contact: %w", err)
		}
		var wid int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO case_wellbeing (case_id, party_id, contact_user_id, frequency_days, started_on, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, id, nullID(partyID), contact.ID, freq, today, p.UserID, now).Scan(&wid); err != nil {
			return fmt.Errorf("casework: add wellbeing contact: %w", err)
		}
		// The contact is told the case and the rhythm, never who it is
		// about: the HR adviser tells them that in person.
		if contact.ID != p.UserID {
			adviser := "The HR adviser"
			if a.HRUserID != 0 {
				var name string
				if err := tx.QueryRowContext(ctx, `SELECT name FROM users WHERE id = ?`, a.HRUserID).Scan(&name); err != nil {
					return fmt.Errorf("casework: read adviser: %w", err)
				}
				adviser = "The HR adviser, " + name + ","
			}
			text := fmt.Sprintf("Case %s: you have been named as a wellbeing contact for someone in this case. %s will tell you who. Please be in touch at least every %d days.",
				a.Reference, adviser, freq)
			if err := s.supportTellID(ctx, tx, contact.ID, text, "", "", false); err != nil {
				return err
			}
		}
		if err := s.record(ctx, tx, p, "wellbeing.add", id, fmt.Sprintf("wellbeing %d: every %d days", wid, freq)); err != nil {
			return err
		}
		list, err := s.queryWellbeing(ctx, tx, `w.id = ?`, wid)
		if err != nil {
			return err
		}
		out = list[0]
		return nil
	})
	return out, err
}

// LogContact logs a wellbeing contact. The case's handlers, its manager and
// the named contact (when they can read the case) may log one.
func (s *Service) LogContact(ctx context.Context, p *authz.Principal, id, wellbeingID int64, in ContactInput) error {
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.accessTo(ctx, tx, p, id)
		if err != nil {
			return err
		}
		list, err := s.queryWellbeing(ctx, tx, `w.id = ? AND w.case_id = ?`, wellbeingID, id)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return ErrNotAllowed
		}
		w := list[0]
		if !a.CanManage() && !a.Manager && w.ContactUserID != p.UserID {
			return ErrNotAllowed
		}
		if a.Status == Closed {
			return ErrClosed
		}
		if w.EndedOn != "" {
			return ErrWellbeingEnded
		}
		var errs validate.Errors
		today := s.today()
		on, ok := parseDate(in.ContactedOn)
		started, _ := parseDate(w.StartedOn)
		switch {
		case strings.TrimSpace(in.ContactedOn) == "":
			errs.Add("contacted_on", "Enter the date you were in touch, for example "+dateText(today))
		case !ok:
			errs.Add("contacted_on", "Enter the date as a real date, for example "+dateText(today))
		case on.After(today):
			errs.Add("contacted_on", "The date cannot be in the future: log a contact once it has happened")
		case on.Before(started):
			errs.Add("contacted_on", "The date cannot be before this wellbeing contact was named, on "+humanDate(w.StartedOn))
		}
		method := strings.TrimSpace(in.Method)
		if !validContactMethod(method) {
			errs.Add("method", "Choose how you were in touch")
		}
		notes := errs.Text("notes", "Notes", in.Notes, false, maxContactNotes)
		if err := errs.Err(); err != nil {
			return err
		}
		now := s.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_wellbeing_contacts (wellbeing_id, contacted_on, method, notes, oh_referral, recorded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, wellbeingID, dateText(on), method, notes, in.OHReferral, p.UserID, store.T(now)); err != nil {
			return fmt.Errorf("casework: log wellbeing contact: %w", err)
		}
		if in.OHReferral {
			// The timeline says a referral was made, and for the employee or
			// a witness, but not which witness: the representative reads it.
			who := "the employee"
			if w.PartyID != 0 {
				who = "a witness"
			}
			if err := s.supportEntry(ctx, tx, id, EntryOHReferal, dateText(on), "Occupational health referral",
				"An occupational health referral was made for "+who+".", p.UserID); err != nil {
				return err
			}
		}
		detail := fmt.Sprintf("wellbeing %d: contact on %s", wellbeingID, dateText(on))
		if in.OHReferral {
			detail += ", occupational health referral"
		}
		return audit.Record(ctx, tx, now, actorOf(p), "wellbeing.contact", "case", idText(id), detail)
	})
}

// queryWellbeing reads wellbeing contacts matching where (without their
// logs), with when the last contact was and when the next is due.
func (s *Service) queryWellbeing(ctx context.Context, q store.Querier, where string, args ...any) ([]Wellbeing, error) {
	rows, err := q.QueryContext(ctx, `SELECT w.id, w.case_id, w.party_id, COALESCE(pa.name, pe.name), w.contact_user_id, u.name, w.frequency_days,
		w.started_on, w.ended_on, (SELECT MAX(x.contacted_on) FROM case_wellbeing_contacts x WHERE x.wellbeing_id = w.id)
		FROM case_wellbeing w
		JOIN cases c ON c.id = w.case_id
		JOIN people pe ON pe.id = c.person_id
		LEFT JOIN case_parties pa ON pa.id = w.party_id
		JOIN users u ON u.id = w.contact_user_id
		WHERE `+where+` ORDER BY CASE WHEN w.ended_on IS NULL THEN 0 ELSE 1 END, w.started_on DESC, w.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("casework: list wellbeing contacts: %w", err)
	}
	defer rows.Close()
	today := s.today()
	var out []Wellbeing
	for rows.Next() {
		var w Wellbeing
		var caseID int64
		var party sql.NullInt64
		var ended, last sql.NullString
		if err := rows.Scan(&w.ID, &caseID, &party, &w.ForName, &w.ContactUserID, &w.ContactName, &w.FrequencyDays,
			&w.StartedOn, &ended, &last); err != nil {
			return nil, fmt.Errorf("casework: read wellbeing contact: %w", err)
		}
		w.PartyID, w.EndedOn, w.LastContactOn = party.Int64, ended.String, last.String
		w.NextDueOn, w.Lapsed = wellbeingDue(w, today)
		out = append(out, w)
	}
	return out, rows.Err()
}

// wellbeingDue is when the next contact is due (the last contact, or the
// day the contact was named, plus the frequency) and whether it has lapsed:
// a current contact is lapsed from the day after it fell due.
func wellbeingDue(w Wellbeing, today time.Time) (string, bool) {
	base := w.LastContactOn
	if base == "" {
		base = w.StartedOn
	}
	b, ok := parseDate(base)
	if !ok {
		return "", false
	}
	next := b.AddDate(0, 0, w.FrequencyDays)
	return dateText(next), w.EndedOn == "" && today.After(next)
}

func wellbeingContacts(ctx context.Context, q store.Querier, wellbeingID int64) ([]Contact, error) {
	rows, err := q.QueryContext(ctx, `SELECT x.id, x.contacted_on, x.method, x.notes, x.oh_referral, u.name
		FROM case_wellbeing_contacts x JOIN users u ON u.id = x.recorded_by
		WHERE x.wellbeing_id = ? ORDER BY x.contacted_on DESC, x.id DESC`, wellbeingID)
	if err != nil {
		return nil, fmt.Errorf("casework: list contacts: %w", err)
	}
	defer rows.Close()
	var out []Contact
	for rows.Next() {
		var c Contact
		if err := rows.Scan(&c.ID, &c.ContactedOn, &c.Method, &c.Notes, &c.OHReferral, &c.RecordedBy); err != nil {
			return nil, fmt.Errorf("casework: read contact: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
