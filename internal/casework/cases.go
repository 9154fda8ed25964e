package casework

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

// Limits on what people type.
const (
	maxSummary = 2000
	maxLong    = 4000
	maxShort   = 200
	maxNote    = 2000
	maxBody    = 10000
)

// Open opens an early concern about a person. HR (and managers, for a case
// they will manage) may open one.
//
// Field names in validation errors: type, person, summary, report,
// appeal_of, manager, hr_adviser.
//
// The person must be in the people directory and still work here (their
// leave date is their last working day), except for an appeal or an
// employment tribunal claim, which often come after someone has left. An
// HR opener who names no adviser becomes the adviser; a manager who opens a
// concern becomes its manager. The reference (ER-2026-0042) is the year and
// a sequence; two people opening at once get different references.
func (s *Service) Open(ctx context.Context, p *authz.Principal, in OpenInput) (Case, error) {
	if p == nil || p.UserID == 0 || !p.HasAny(authz.HR, authz.Manager) {
		return Case{}, ErrNotAllowed
	}
	var id int64
	var err error
	// A reference taken by someone opening a case at the same moment is a
	// unique violation; the whole transaction runs again with the next
	// number (on PostgreSQL a failed statement spoils the transaction).
	for attempt := 0; attempt < 8; attempt++ {
		err = s.DB.InTx(ctx, func(tx *store.Tx) error {
			var e error
			id, e = s.open(ctx, tx, p, in)
			return e
		})
		if !store.IsUniqueViolation(err) {
			break
		}
	}
	if err != nil {
		return Case{}, err
	}
	c, err := loadCase(ctx, s.DB, id)
	if err != nil {
		return Case{}, err
	}
	return c, s.fill(ctx, s.DB, &c)
}

func (s *Service) open(ctx context.Context, tx *store.Tx, p *authz.Principal, in OpenInput) (int64, error) {
	var errs validate.Errors
	t := Type(strings.TrimSpace(in.Type))
	if !validType(t) {
		errs.Add("type", "Choose the type of case")
	}
	summary := errs.Text("summary", "A summary of the concern", in.Summary, true, maxSummary)
	today := s.today()

	// The person concerned.
	var personID int64
	var personName, leave string
	num := strings.ToValidUTF8(strings.TrimSpace(in.Person), "")
	if num == "" {
		errs.Add("person", "Enter the employee number of the person the concern is about")
	} else {
		err := tx.QueryRowContext(ctx, `SELECT id, name, COALESCE(leave_date, '') FROM people WHERE employee_number = ?`, num).
			Scan(&personID, &personName, &leave)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			errs.Add("person", "No one in the people directory has employee number "+num+"; check the number and try again")
		case err != nil:
			return 0, fmt.Errorf("casework: find person: %w", err)
		case leave != "" && leave < dateText(today) && t != Appeal && t != EmploymentTribunal:
			errs.Add("person", fmt.Sprintf("%s (%s) left on %s. Only an appeal or an employment tribunal claim can be about someone who has left", personName, num, leave))
		}
	}
	if personID != 0 {
		if self, err := userPerson(ctx, tx, p.UserID); err != nil {
			return 0, err
		} else if self == personID {
			errs.Add("person", "You cannot open a case about yourself; ask a colleague in HR")
		}
	}

	// The event the concern arose from.
	var reportID int64
	if ref := strings.ToUpper(strings.ToValidUTF8(strings.TrimSpace(in.Report), "")); ref != "" {
		rid, msg, err := findSafetyEvent(ctx, tx, ref)
		if err != nil {
			return 0, err
		}
		if msg != "" {
			errs.Add("report", msg)
		}
		reportID = rid
	}

	// The case appealed.
	var appealOf int64
	appealRef := strings.ToUpper(strings.ToValidUTF8(strings.TrimSpace(in.AppealOf), ""))
	switch {
	case t == Appeal && appealRef == "":
		errs.Add("appeal_of", "Enter the reference of the case being appealed, for example ER-2026-0042")
	case t == Appeal:
		var other int64
		var status Status
		err := tx.QueryRowContext(ctx, `SELECT id, person_id, status FROM cases WHERE reference = ?`, appealRef).Scan(&appealOf, &other, &status)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			errs.Add("appeal_of", "No case has the reference "+appealRef+"; check it and try again")
		case err != nil:
			return 0, fmt.Errorf("casework: find appealed case: %w", err)
		case personID != 0 && other != personID:
			errs.Add("appeal_of", appealRef+" is about someone else. An appeal must be about the same person as the case it appeals")
		case status != Closed:
			errs.Add("appeal_of", appealRef+" is still open. An appeal can be opened only once the case is closed with an outcome")
		}
	case appealRef != "":
		errs.Add("appeal_of", "Only an appeal names the case it appeals. Choose Appeal as the type, or leave this empty")
	}

	// Who handles and manages it.
	var hrID, mgrID int64
	if email := strings.TrimSpace(in.HRAdviser); email != "" {
		u, found, err := userByEmail(ctx, tx, email)
		switch {
		case err != nil:
			return 0, err
		case !found:
			errs.Add("hr_adviser", "No active candour user has the email address "+email)
		case !u.Has(authz.HR):
			errs.Add("hr_adviser", u.Name+" is not in HR in candour. The HR adviser must hold the HR role")
		case personID != 0 && u.PersonID == personID:
			errs.Add("hr_adviser", u.Name+" is the person the concern is about; name someone else")
		default:
			hrID = u.ID
		}
	} else if p.Has(authz.HR) {
		hrID = p.UserID
	}
	if p.Has(authz.HR) {
		if email := strings.TrimSpace(in.Manager); email != "" {
			u, found, err := userByEmail(ctx, tx, email)
			switch {
			case err != nil:
				return 0, err
			case !found:
				errs.Add("manager", "No active candour user has the email address "+email)
			case personID != 0 && u.PersonID == personID:
				errs.Add("manager", u.Name+" is the person the concern is about; name their manager instead")
			default:
				mgrID = u.ID
			}
		}
	} else {
		// A manager opens concerns they will manage themselves.
		if email := strings.TrimSpace(in.Manager); email != "" && !strings.EqualFold(email, p.Email) {
			errs.Add("manager", "You will be this case's manager because you are opening it. Leave this empty, or ask HR to open it for another manager")
		}
		mgrID = p.UserID
	}
	if len(errs) > 0 {
		return 0, errs
	}

	ref, err := nextReference(ctx, tx, today.Year())
	if err != nil {
		return 0, err
	}
	now := store.T(s.Now())
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO cases (reference, case_type, person_id, summary, report_id, appeal_of, status,
		hr_user_id, manager_user_id, employee_access, opened_on, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?, ?) RETURNING id`,
		ref, string(t), personID, summary, nullID(reportID), nullID(appealOf), string(EarlyConcern),
		nullID(hrID), nullID(mgrID), dateText(today), p.UserID, now, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("casework: store case: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO case_checklists (case_id, updated_at) VALUES (?, ?)`, id, now); err != nil {
		return 0, fmt.Errorf("casework: store checklist: %w", err)
	}
	if _, err := s.addSystemEntry(ctx, tx, p, id, EntryOpened, "Early concern opened: "+TypeLabel(t), "", true); err != nil {
		return 0, err
	}
	return id, s.record(ctx, tx, p, "case.open", id, ref+" "+string(t))
}

// nextReference is the next free ER-YYYY-NNNN reference. Ordering by length
// first keeps ER-2026-10000 after ER-2026-9999.
func nextReference(ctx context.Context, q store.Querier, year int) (string, error) {
	prefix := fmt.Sprintf("ER-%d-", year)
	var last string
	err := q.QueryRowContext(ctx, `SELECT reference FROM cases WHERE reference LIKE ? ORDER BY length(reference) DESC, reference DESC LIMIT 1`,
		prefix+"%").Scan(&last)
	n := 0
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return "", fmt.Errorf("casework: next reference: %w", err)
	default:
		n, _ = strconv.Atoi(strings.TrimPrefix(last, prefix))
	}
	return fmt.Sprintf("%s%04d", prefix, n+1), nil
}

// findSafetyEvent finds a patient safety event by reference or number. msg
// says what is wrong for the person when it cannot be used.
func findSafetyEvent(ctx context.Context, q store.Querier, ref string) (id int64, msg string, err error) {
	where, arg := `r.reference = ?`, any(ref)
	if n, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
		where, arg = `r.id = ?`, n
	}
	var reference, kind, dup string
	err = q.QueryRowContext(ctx, `SELECT r.id, r.reference, r.kind, COALESCE(d.reference, '') FROM reports r
		LEFT JOIN reports d ON d.id = r.duplicate_of WHERE `+where, arg).Scan(&id, &reference, &kind, &dup)
	switch {
	case errors.Is(err, sql.ErrNoRows), err == nil && kind != "safety_event":
		return 0, "No patient safety event has the reference " + ref + "; check it and try again", nil
	case err != nil:
		return 0, "", fmt.Errorf("casework: find event: %w", err)
	case dup != "":
		return 0, reference + " was merged into " + dup + "; use " + dup + " instead", nil
	}
	return id, "", nil
}

// userPerson is the directory person a user is, or 0.
func userPerson(ctx context.Context, q store.Querier, userID int64) (int64, error) {
	var pid sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT person_id FROM users WHERE id = ?`, userID).Scan(&pid)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("casework: read user: %w", err)
	}
	return pid.Int64, nil
}

// loadCase reads a case without access checks or auditing.
func loadCase(ctx context.Context, q store.Querier, id int64) (Case, error) {
	var c Case
	var created store.Time
	err := q.QueryRowContext(ctx, `SELECT c.id, c.reference, c.case_type, c.person_id, pe.name, pe.employee_number, pe.staff_group, d.name,
		c.summary, COALESCE(c.report_id, 0), COALESCE(r.reference, ''), COALESCE(c.assessment_id, 0),
		COALESCE(c.appeal_of, 0), COALESCE(ap.reference, ''), COALESCE(ap.case_type, ''), COALESCE(ap.status, ''),
		c.status, COALESCE(c.hr_user_id, 0), COALESCE(hu.name, ''), COALESCE(c.manager_user_id, 0), COALESCE(mu.name, ''),
		COALESCE(c.rep_user_id, 0), COALESCE(ru.name, ''), COALESCE(c.rep_requested_on, ''), c.employee_access,
		c.opened_on, COALESCE(c.formal_on, ''), COALESCE(c.closed_on, ''), COALESCE(c.outcome, ''), c.outcome_detail, c.created_at
		FROM cases c JOIN people pe ON pe.id = c.person_id JOIN departments d ON d.id = pe.department_id
		LEFT JOIN reports r ON r.id = c.report_id LEFT JOIN cases ap ON ap.id = c.appeal_of
		LEFT JOIN users hu ON hu.id = c.hr_user_id LEFT JOIN users mu ON mu.id = c.manager_user_id LEFT JOIN users ru ON ru.id = c.rep_user_id
		WHERE c.id = ?`, id).Scan(&c.ID, &c.Reference, &c.Type, &c.PersonID, &c.PersonName, &c.EmployeeNumber, &c.StaffGroup, &c.DepartmentName,
		&c.Summary, &c.ReportID, &c.ReportReference, &c.AssessmentID,
		&c.AppealOf.ID, &c.AppealOf.Reference, &c.AppealOf.Type, &c.AppealOf.Status,
		&c.Status, &c.HRUserID, &c.HRName, &c.ManagerUserID, &c.ManagerName,
		&c.RepUserID, &c.RepName, &c.RepRequestedOn, &c.EmployeeAccess,
		&c.OpenedOn, &c.FormalOn, &c.ClosedOn, &c.Outcome, &c.OutcomeDetail, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotAllowed
	}
	if err != nil {
		return c, fmt.Errorf("casework: read case %d: %w", id, err)
	}
	c.CreatedAt = created.Time
	return c, nil
}

// fill adds the current stage, the appeals and any suspension to a case.
func (s *Service) fill(ctx context.Context, q store.Querier, c *Case) error {
	stages, err := s.stagesOf(ctx, q, c.ID, c.Type)
	if err != nil {
		return err
	}
	for i := range stages {
		if stages[i].EndedOn == "" {
			st := stages[i]
			c.Stage = &st
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT id, reference, case_type, status FROM cases WHERE appeal_of = ? ORDER BY id`, c.ID)
	if err != nil {
		return fmt.Errorf("casework: read appeals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r CaseRef
		if err := rows.Scan(&r.ID, &r.Reference, &r.Type, &r.Status); err != nil {
			return fmt.Errorf("casework: read appeals: %w", err)
		}
		c.Appeals = append(c.Appeals, r)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("casework: read appeals: %w", err)
	}
	c.Suspension, err = s.activeSuspension(ctx, q, c.ID)
	return err
}

// Get reads a case the caller may see; the read is audited.
func (s *Service) Get(ctx context.Context, p *authz.Principal, id int64) (Case, error) {
	var c Case
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.accessTo(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if c, err = loadCase(ctx, tx, id); err != nil {
			return err
		}
		if err := s.fill(ctx, tx, &c); err != nil {
			return err
		}
		if c.Suspension != nil && !a.Handler {
			// Only the handlers see the reasons and the alternatives.
			sp := outlineSuspension(*c.Suspension)
			c.Suspension = &sp
		}
		return s.record(ctx, tx, p, "case.read", id, "")
	})
	return c, err
}

// CanManage reports whether p handles the case (its HR adviser or the ER
// lead) and so may change it. A case p may not see gives false, not an
// error.
func (s *Service) CanManage(ctx context.Context, p *authz.Principal, id int64) (bool, error) {
	a, err := s.accessTo(ctx, s.DB, p, id)
	if errors.Is(err, ErrNotAllowed) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return a.CanManage(), nil
}

// isLead reports whether p is the employee-relations lead: an HR user with
// the er_lead designation.
func isLead(ctx context.Context, q store.Querier, p *authz.Principal) (bool, error) {
	if p == nil || !p.Has(authz.HR) {
		return false, nil
	}
	return hasDesignation(ctx, q, p.UserID, ERLead)
}

// List lists the cases the caller may see, newest first: every case for the
// ER lead; for anyone else the cases they advise on (HR), manage, or
// represent the employee in (union representatives). Executives and
// administrators hold none of these, so see an empty list.
func (s *Service) List(ctx context.Context, p *authz.Principal, f Filter) ([]CaseSummary, error) {
	if p == nil || p.UserID == 0 {
		return nil, ErrNotAllowed
	}
	lead, err := isLead(ctx, s.DB, p)
	if err != nil {
		return nil, err
	}
	var who []string
	var args []any
	if lead {
		who = []string{"1 = 1"}
	} else {
		if p.Has(authz.HR) {
			who, args = append(who, "c.hr_user_id = ?"), append(args, p.UserID)
		}
		who, args = append(who, "c.manager_user_id = ?"), append(args, p.UserID)
		if p.Has(authz.UnionRep) {
			who, args = append(who, "c.rep_user_id = ?"), append(args, p.UserID)
		}
	}
	return s.summaries(ctx, "("+strings.Join(who, " OR ")+")", args, f)
}

// MyCases lists the cases about the caller's own person record that they
// have been given access to.
func (s *Service) MyCases(ctx context.Context, p *authz.Principal) ([]CaseSummary, error) {
	if p == nil || p.UserID == 0 {
		return nil, ErrNotAllowed
	}
	return s.summaries(ctx, "c.employee_access = TRUE AND c.person_id = (SELECT u.person_id FROM users u WHERE u.id = ?)", []any{p.UserID}, Filter{})
}

// summaries lists cases matching where, newest first, with the filter.
func (s *Service) summaries(ctx context.Context, where string, args []any, f Filter) ([]CaseSummary, error) {
	today := dateText(s.today())
	if f.Status != "" {
		where, args = where+" AND c.status = ?", append(args, string(f.Status))
	}
	if f.Type != "" {
		where, args = where+" AND c.case_type = ?", append(args, string(f.Type))
	}
	if f.Overdue {
		where, args = where+" AND st.target_on < ?", append(args, today)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT c.id, c.reference, c.case_type, pe.name, c.status, COALESCE(d.name, COALESCE(st.stage_code, '')),
		COALESCE(st.target_on, ''), COALESCE(hu.name, ''), c.opened_on,
		EXISTS (SELECT 1 FROM case_suspensions su WHERE su.case_id = c.id AND su.status = 'active')
		FROM cases c JOIN people pe ON pe.id = c.person_id
		LEFT JOIN case_stages st ON st.case_id = c.id AND st.ended_on IS NULL
		LEFT JOIN case_stage_definitions d ON d.case_type = c.case_type AND d.code = st.stage_code
		LEFT JOIN users hu ON hu.id = c.hr_user_id
		WHERE `+where+` ORDER BY c.id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("casework: list cases: %w", err)
	}
	defer rows.Close()
	var out []CaseSummary
	index := map[int64]int{}
	for rows.Next() {
		var c CaseSummary
		if err := rows.Scan(&c.ID, &c.Reference, &c.Type, &c.PersonName, &c.Status, &c.StageName, &c.StageTargetOn, &c.HRName, &c.OpenedOn, &c.Suspended); err != nil {
			return nil, fmt.Errorf("casework: list cases: %w", err)
		}
		c.Overdue = c.StageTargetOn != "" && c.StageTargetOn < today
		index[c.ID] = len(out)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("casework: list cases: %w", err)
	}
	if err := s.markLapses(ctx, out, index); err != nil {
		return nil, err
	}
	return out, nil
}

// markLapses sets WellbeingLapse on open cases where a named wellbeing
// contact is past due (the rule is wellbeingDue's), in one query for the
// whole list.
func (s *Service) markLapses(ctx context.Context, out []CaseSummary, index map[int64]int) error {
	var ids []any
	var marks []string
	for _, c := range out {
		if c.Status != Closed {
			ids = append(ids, c.ID)
			marks = append(marks, "?")
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT w.case_id, w.frequency_days, w.started_on,
		COALESCE((SELECT max(x.contacted_on) FROM case_wellbeing_contacts x WHERE x.wellbeing_id = w.id), '')
		FROM case_wellbeing w WHERE w.ended_on IS NULL AND w.case_id IN (`+strings.Join(marks, ", ")+`)`, ids...)
	if err != nil {
		return fmt.Errorf("casework: read wellbeing: %w", err)
	}
	defer rows.Close()
	today := s.today()
	for rows.Next() {
		var caseID int64
		var w Wellbeing
		if err := rows.Scan(&caseID, &w.FrequencyDays, &w.StartedOn, &w.LastContactOn); err != nil {
			return fmt.Errorf("casework: read wellbeing: %w", err)
		}
		if _, lapsed := wellbeingDue(w, today); lapsed {
			out[index[caseID]].WellbeingLapse = true
		}
	}
	return rows.Err()
}

// handle works out p's access to case id for a change: only a handler (the
// HR adviser or the ER lead) may change a case, and a closed case takes no
// change.
func (s *Service) handle(ctx context.Context, tx *store.Tx, p *authz.Principal, id int64) (access, error) {
	a, err := s.accessTo(ctx, tx, p, id)
	if err != nil {
		return a, err
	}
	if !a.Handler {
		return a, ErrNotAllowed
	}
	if a.Status == Closed {
		return a, ErrClosed
	}
	return a, nil
}

// Assign changes the HR adviser and manager (ER lead or the current adviser).
// Field names: hr_adviser, manager.
func (s *Service) Assign(ctx context.Context, p *authz.Principal, id int64, in AssignInput) error {
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.handle(ctx, tx, p, id)
		if err != nil {
			return err
		}
		var errs validate.Errors
		var hr, mgr activeUser
		email := strings.TrimSpace(in.HRAdviser)
		if email == "" {
			errs.Add("hr_adviser", "Enter the email address of the HR adviser who will handle the case")
		} else {
			u, found, err := userByEmail(ctx, tx, email)
			switch {
			case err != nil:
				return err
			case !found:
				errs.Add("hr_adviser", "No active candour user has the email address "+email)
			case !u.Has(authz.HR):
				errs.Add("hr_adviser", u.Name+" is not in HR in candour. The HR adviser must hold the HR role")
			case u.PersonID != 0 && u.PersonID == a.PersonID:
				errs.Add("hr_adviser", u.Name+" is the person the case is about; name someone else")
			default:
				hr = u
			}
		}
		if email := strings.TrimSpace(in.Manager); email != "" {
			u, found, err := userByEmail(ctx, tx, email)
			switch {
			case err != nil:
				return err
			case !found:
				errs.Add("manager", "No active candour user has the email address "+email)
			case u.PersonID != 0 && u.PersonID == a.PersonID:
				errs.Add("manager", u.Name+" is the person the case is about; name their manager instead")
			default:
				mgr = u
			}
		}
		if len(errs) > 0 {
			return errs
		}
		if hr.ID == a.HRUserID && mgr.ID == a.ManagerUserID {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET hr_user_id = ?, manager_user_id = ?, updated_at = ? WHERE id = ?`,
			hr.ID, nullID(mgr.ID), store.T(s.Now()), id); err != nil {
			return fmt.Errorf("casework: assign: %w", err)
		}
		body := "HR adviser: " + hr.Name + ". Manager: "
		if mgr.ID == 0 {
			body += "none."
		} else {
			body += mgr.Name + "."
		}
		if _, err := s.addSystemEntry(ctx, tx, p, id, EntryAssigned, "Handlers changed", body, false); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "case.assign", id, fmt.Sprintf("hr %d manager %d", hr.ID, mgr.ID))
	})
}

// SetEmployeeAccess gives or withdraws the employee's read access to their
// own case timeline (entries marked visible to them).
func (s *Service) SetEmployeeAccess(ctx context.Context, p *authz.Principal, id int64, allow bool) error {
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.accessTo(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if !a.Handler {
			return ErrNotAllowed
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET employee_access = ?, updated_at = ? WHERE id = ?`, allow, store.T(s.Now()), id); err != nil {
			return fmt.Errorf("casework: employee access: %w", err)
		}
		title, detail := "The employee can read their case timeline", "given"
		if !allow {
			title, detail = "The employee's access to their case timeline was withdrawn", "withdrawn"
		}
		if _, err := s.addSystemEntry(ctx, tx, p, id, EntryAccess, title, "", allow); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "case.employee_access", id, detail)
	})
}

// RequestRepresentative records that the employee asked for the named
// union representative (email of a union_rep user), who then sees the case.
// An empty email removes the representative. Field names: rep,
// requested_on.
func (s *Service) RequestRepresentative(ctx context.Context, p *authz.Principal, id int64, repEmail, requestedOn string) error {
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.handle(ctx, tx, p, id)
		if err != nil {
			return err
		}
		email := strings.TrimSpace(repEmail)
		if email == "" {
			if a.RepUserID == 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, `UPDATE cases SET rep_user_id = NULL, rep_requested_on = NULL, updated_at = ? WHERE id = ?`,
				store.T(s.Now()), id); err != nil {
				return fmt.Errorf("casework: remove representative: %w", err)
			}
			if _, err := s.addSystemEntry(ctx, tx, p, id, EntryRep, "The representative no longer has access to the case", "", true); err != nil {
				return err
			}
			return s.record(ctx, tx, p, "case.rep", id, "removed")
		}
		var errs validate.Errors
		u, found, err := userByEmail(ctx, tx, email)
		switch {
		case err != nil:
			return err
		case !found:
			errs.Add("rep", "No active candour user has the email address "+email)
		case !u.Has(authz.UnionRep):
			errs.Add("rep", u.Name+" is not a trade union representative in candour. Ask the employee to check the name, or ask an administrator to give them the role")
		case u.PersonID != 0 && u.PersonID == a.PersonID:
			errs.Add("rep", u.Name+" is the person the case is about; name their representative")
		}
		on := strings.TrimSpace(requestedOn)
		d, ok := parseDate(on)
		switch {
		case on == "":
			errs.Add("requested_on", "Enter the date the employee asked for this representative, for example "+dateText(s.today()))
		case !ok:
			errs.Add("requested_on", "Enter the date as year, month and day, for example "+dateText(s.today()))
		case d.After(s.today()):
			errs.Add("requested_on", "The date the employee asked cannot be in the future")
		}
		if len(errs) > 0 {
			return errs
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET rep_user_id = ?, rep_requested_on = ?, updated_at = ? WHERE id = ?`,
			u.ID, dateText(d), store.T(s.Now()), id); err != nil {
			return fmt.Errorf("casework: representative: %w", err)
		}
		if _, err := s.addSystemEntry(ctx, tx, p, id, EntryRep, u.Name+" represents the employee",
			"The employee asked for "+u.Name+" on "+humanDate(dateText(d))+".", true); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "case.rep", id, fmt.Sprintf("user %d", u.ID))
	})
}

// addSystemEntry writes a timeline entry for something candour did on p's
// behalf, dated today.
func (s *Service) addSystemEntry(ctx context.Context, tx *store.Tx, p *authz.Principal, caseID int64, kind, title, body string, visible bool) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO case_entries (case_id, kind, occurred_on, title, body, visible_to_employee, author_user_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, caseID, kind, dateText(s.today()), title, body, visible, p.UserID, store.T(s.Now())).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("casework: timeline entry: %w", err)
	}
	return id, nil
}

// daysBetween is the whole days from a to b.
func daysBetween(a, b time.Time) int { return int(b.Sub(a).Hours() / 24) }
