package org

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"candour/internal/audit"
	"candour/internal/store"
	"candour/internal/validate"
)

// ErrBadCursor is returned by People when PeopleQuery.After is not a cursor
// that People returned.
var ErrBadCursor = errors.New("the page cursor is not valid; start again from the first page")

// Person is someone who works, or worked, for the organisation.
type Person struct {
	ID              int64
	EmployeeNumber  string // ESR employee number, unique
	Name            string
	Email           string // lower case; "" when not known
	DepartmentID    int64
	DepartmentName  string // filled in when read
	SiteName        string // filled in when read
	StaffGroup      string // a StaffGroup code
	StaffGroupName  string // filled in when read
	JobTitle        string
	LineManagerID   int64  // zero when none
	LineManagerName string // filled in when read
	StartDate       string // YYYY-MM-DD
	LeaveDate       string // YYYY-MM-DD; "" while still employed
	// EthnicGroup is a code from EthnicGroups, "Z" when the person preferred
	// not to say, or "" when not known.
	EthnicGroup string
	// Disability is "yes", "no", "prefer_not_to_say", or "" when not known.
	Disability string
}

// PeopleQuery selects a page of people.
type PeopleQuery struct {
	// Search matches part of a name, employee number or email address,
	// ignoring case; % and _ match themselves.
	Search       string
	DepartmentID int64
	StaffGroup   string
	// IncludeLeavers includes people whose leave date has passed.
	IncludeLeavers bool
	// After is the cursor People returned for the previous page; "" for the
	// first page.
	After string
	// Limit is the page size: 50 when zero or less, at most 500.
	Limit int
}

// Page sizes for People.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

const personSelect = `SELECT p.id, p.employee_number, p.name, COALESCE(p.email, ''), p.department_id, d.name, s.name,
	p.staff_group, g.name, p.job_title, COALESCE(p.line_manager_id, 0), COALESCE(m.name, ''),
	p.start_date, COALESCE(p.leave_date, ''), COALESCE(p.ethnic_group, ''), COALESCE(p.disability, '')
	FROM people p
	JOIN departments d ON d.id = p.department_id
	JOIN sites s ON s.id = d.site_id
	JOIN staff_groups g ON g.code = p.staff_group
	LEFT JOIN people m ON m.id = p.line_manager_id`

func scanPerson(r scanner) (Person, error) {
	var p Person
	err := r.Scan(&p.ID, &p.EmployeeNumber, &p.Name, &p.Email, &p.DepartmentID, &p.DepartmentName, &p.SiteName,
		&p.StaffGroup, &p.StaffGroupName, &p.JobTitle, &p.LineManagerID, &p.LineManagerName,
		&p.StartDate, &p.LeaveDate, &p.EthnicGroup, &p.Disability)
	return p, err
}

// People returns a page of people ordered by name, then id, and the cursor
// for the next page ("" when this is the last). Leavers are left out unless
// q.IncludeLeavers. A cursor that People did not return gives ErrBadCursor.
// Cursors hold no names, so they are safe in URLs and access logs.
func (d *Directory) People(ctx context.Context, q PeopleQuery) ([]Person, string, error) {
	limit := q.Limit
	switch {
	case limit <= 0:
		limit = DefaultPageSize
	case limit > MaxPageSize:
		limit = MaxPageSize
	}
	var where []string
	var args []any
	q.Search, q.StaffGroup = strings.ToValidUTF8(q.Search, ""), strings.ToValidUTF8(q.StaffGroup, "")
	if s := strings.TrimSpace(q.Search); s != "" {
		if len(s) > 200 {
			s = s[:200]
		}
		pat := "%" + audit.LikeEscape(strings.ToLower(s)) + "%"
		where = append(where, `(p.sort_name LIKE ? ESCAPE '\' OR lower(p.employee_number) LIKE ? ESCAPE '\' OR p.email LIKE ? ESCAPE '\')`)
		args = append(args, pat, pat, pat)
	}
	if q.DepartmentID != 0 {
		where, args = append(where, "p.department_id = ?"), append(args, q.DepartmentID)
	}
	if q.StaffGroup != "" {
		where, args = append(where, "p.staff_group = ?"), append(args, q.StaffGroup)
	}
	if !q.IncludeLeavers {
		// The leave date is the last working day (as in ESR).
		where = append(where, "(p.leave_date IS NULL OR p.leave_date >= ?)")
		args = append(args, d.Now().Format(store.DateLayout))
	}
	if q.After != "" {
		afterID, err := decodeCursor(q.After)
		if err != nil {
			return nil, "", err
		}
		var sortName string
		err = d.DB.QueryRowContext(ctx, `SELECT sort_name FROM people WHERE id = ?`, afterID).Scan(&sortName)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, "", ErrBadCursor
		}
		if err != nil {
			return nil, "", fmt.Errorf("list people: %w", err)
		}
		where = append(where, "(p.sort_name, p.id) > (?, ?)")
		args = append(args, sortName, afterID)
	}
	query := personSelect
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY p.sort_name, p.id LIMIT ?"
	args = append(args, limit+1)
	rows, err := d.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("list people: %w", err)
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, "", fmt.Errorf("list people: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list people: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = encodeCursor(out[limit-1].ID)
	}
	return out, next, nil
}

const cursorPrefix = "p1:"

func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatInt(id, 10)))
}

func decodeCursor(s string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) {
		return 0, ErrBadCursor
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(string(b), cursorPrefix), 10, 64)
	if err != nil || n <= 0 {
		return 0, ErrBadCursor
	}
	return n, nil
}

// Person returns one person, or an error wrapping store.ErrNotFound.
func (d *Directory) Person(ctx context.Context, id int64) (Person, error) {
	return getPerson(ctx, d.DB, id)
}

func getPerson(ctx context.Context, q store.Querier, id int64) (Person, error) {
	p, err := scanPerson(q.QueryRowContext(ctx, personSelect+` WHERE p.id = ?`, id))
	return p, store.NotFound(err, fmt.Sprintf("person %d", id))
}

// PersonByEmployeeNumber returns the person with an ESR employee number, or
// an error wrapping store.ErrNotFound.
func (d *Directory) PersonByEmployeeNumber(ctx context.Context, number string) (Person, error) {
	number = strings.TrimSpace(number)
	if !utf8.ValidString(number) || len(number) > 64 {
		// No stored number looks like this, and PostgreSQL refuses
		// invalid UTF-8 outright.
		return Person{}, fmt.Errorf("person with employee number %q: %w", number, store.ErrNotFound)
	}
	p, err := scanPerson(d.DB.QueryRowContext(ctx, personSelect+` WHERE p.employee_number = ?`, number))
	return p, store.NotFound(err, fmt.Sprintf("person with employee number %q", number))
}

// checkPerson tidies p and checks everything that needs no database.
func checkPerson(p *Person) validate.Errors {
	var errs validate.Errors
	p.EmployeeNumber = line(&errs, "employee_number", "Employee number", "Enter the employee number", p.EmployeeNumber, true, maxEmployeeLen)
	if p.EmployeeNumber != "" && !errs.Has("employee_number") && !isEmployeeNumber(p.EmployeeNumber) {
		errs.Add("employee_number", "Employee number must only include letters, numbers and hyphens")
	}
	p.Name = line(&errs, "name", "Name", "Enter the person's name", p.Name, true, maxNameLen)
	p.Email = checkEmail(&errs, p.Email)
	if p.DepartmentID <= 0 {
		errs.Add("department_id", "Select the department")
	}
	p.StaffGroup = strings.TrimSpace(p.StaffGroup)
	if p.StaffGroup == "" {
		errs.Add("staff_group", "Select the staff group")
	}
	p.JobTitle = line(&errs, "job_title", "Job title", "", p.JobTitle, false, maxJobTitleLen)
	if p.LineManagerID < 0 {
		errs.Add("line_manager", "Select a line manager from the list")
	}
	p.StartDate = strings.TrimSpace(p.StartDate)
	p.LeaveDate = strings.TrimSpace(p.LeaveDate)
	start, startOK := checkDate(&errs, "start_date", "Start date", p.StartDate, true)
	leave, leaveOK := checkDate(&errs, "leave_date", "Leave date", p.LeaveDate, false)
	if startOK && leaveOK && p.LeaveDate != "" && leave.Before(start) {
		errs.Add("leave_date", "Leave date must be on or after the start date")
	}
	p.EthnicGroup = strings.TrimSpace(p.EthnicGroup)
	if p.EthnicGroup != "" && optionLabel(EthnicGroups(), p.EthnicGroup) == "" {
		errs.Add("ethnic_group", "Select an ethnic group from the list, or prefer not to say")
	}
	p.Disability = strings.TrimSpace(p.Disability)
	if p.Disability != "" && optionLabel(DisabilityOptions(), p.Disability) == "" {
		errs.Add("disability", "Select yes, no or prefer not to say")
	}
	return errs
}

func isEmployeeNumber(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// checkEmail lower-cases an optional email address and checks its form.
func checkEmail(errs *validate.Errors, s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return ""
	}
	if len(s) > maxEmailLen {
		errs.Add("email", "Email address must be 254 characters or fewer")
		return s
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@"):], ".") {
		errs.Add("email", "Enter an email address in the correct format, like name@example.nhs.uk")
	}
	return s
}

// checkDate checks a YYYY-MM-DD date; ok is false when it is not a date.
func checkDate(errs *validate.Errors, field, label, s string, required bool) (time.Time, bool) {
	if s == "" {
		if required {
			errs.Add(field, "Enter the "+strings.ToLower(label))
		}
		return time.Time{}, !required
	}
	t, err := time.Parse(store.DateLayout, s)
	if err != nil {
		errs.Add(field, label+" must be a real date")
		return t, false
	}
	if t.Year() < 1900 || t.Year() > 2200 {
		errs.Add(field, label+" must be between 1900 and 2200")
		return t, false
	}
	return t, true
}

// checkPersonRefs checks what needs the database: the department and staff
// group exist, the employee number is free, and the line manager exists, is
// someone else and is not managed by this person, directly or not.
func checkPersonRefs(ctx context.Context, q store.Querier, p Person, errs *validate.Errors) error {
	var n int
	if p.DepartmentID > 0 {
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM departments WHERE id = ?`, p.DepartmentID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			errs.Add("department_id", "Select a department from the list")
		}
	}
	if p.StaffGroup != "" {
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM staff_groups WHERE code = ?`, p.StaffGroup).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			errs.Add("staff_group", "Select a staff group from the list")
		}
	}
	if p.EmployeeNumber != "" && !errs.Has("employee_number") {
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM people WHERE employee_number = ? AND id <> ?`, p.EmployeeNumber, p.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			errs.Add("employee_number", "Someone else already has this employee number")
		}
	}
	if p.LineManagerID > 0 {
		if p.LineManagerID == p.ID {
			errs.Add("line_manager", "A person cannot be their own line manager")
			return nil
		}
		cycle, found, err := managesIndirectly(ctx, q, p.ID, p.LineManagerID)
		switch {
		case err != nil:
			return err
		case !found:
			errs.Add("line_manager", "Select a line manager from the list")
		case cycle:
			errs.Add("line_manager", "The line manager you selected is managed by this person, directly or through others; choose someone else")
		}
	}
	return nil
}

// managesIndirectly walks up the line from manager and reports whether it
// reaches person (so that making manager the person's line manager would
// make a loop), and whether manager exists at all.
func managesIndirectly(ctx context.Context, q store.Querier, person, manager int64) (cycle, found bool, err error) {
	up := func(id int64) (int64, bool, error) {
		var next sql.NullInt64
		err := q.QueryRowContext(ctx, `SELECT line_manager_id FROM people WHERE id = ?`, id).Scan(&next)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, false, nil
		}
		if err != nil {
			return 0, false, fmt.Errorf("line manager chain: %w", err)
		}
		return next.Int64, true, nil
	}
	cur, found, err := up(manager)
	if err != nil || !found {
		return false, found, err
	}
	seen := map[int64]bool{manager: true}
	for cur != 0 && !seen[cur] {
		if cur == person {
			return true, true, nil
		}
		seen[cur] = true
		if cur, _, err = up(cur); err != nil {
			return false, true, err
		}
	}
	return false, true, nil
}

// SavePerson creates p when p.ID is zero and otherwise updates that person,
// and returns the person as stored. Problems with the input come back as
// validate.Errors; a missing person as an error wrapping store.ErrNotFound.
// An update replaces every field, line manager and equality data included.
// Saving a person unchanged writes nothing.
func (d *Directory) SavePerson(ctx context.Context, actor audit.Actor, p Person) (Person, error) {
	errs := checkPerson(&p)
	now := d.Now()
	var out Person
	err := d.DB.InTx(ctx, func(tx *store.Tx) error {
		var old Person
		if p.ID != 0 {
			var err error
			if old, err = getPerson(ctx, tx, p.ID); err != nil {
				return err
			}
		}
		if err := checkPersonRefs(ctx, tx, p, &errs); err != nil {
			return fmt.Errorf("check person: %w", err)
		}
		if len(errs) > 0 {
			return errs
		}
		if p.ID == 0 {
			if err := insertPerson(ctx, tx, &p, now); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, now, actor, "person.create", "person", id(p.ID), "created person with employee number "+p.EmployeeNumber); err != nil {
				return err
			}
		} else if changed := changedFields(old, p); len(changed) > 0 {
			if err := updatePerson(ctx, tx, p, now); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, now, actor, "person.update", "person", id(p.ID), "changed "+strings.Join(changed, ", ")); err != nil {
				return err
			}
		}
		var err error
		out, err = getPerson(ctx, tx, p.ID)
		return err
	})
	if err != nil {
		return Person{}, wrap("save person", err)
	}
	return out, nil
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullID(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

func insertPerson(ctx context.Context, tx *store.Tx, p *Person, now time.Time) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO people (employee_number, name, sort_name, email, department_id, staff_group,
		job_title, line_manager_id, start_date, leave_date, ethnic_group, disability, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.EmployeeNumber, p.Name, strings.ToLower(p.Name), nullString(p.Email), p.DepartmentID, p.StaffGroup,
		p.JobTitle, nullID(p.LineManagerID), p.StartDate, nullString(p.LeaveDate), nullString(p.EthnicGroup),
		nullString(p.Disability), store.T(now), store.T(now)).Scan(&p.ID)
	if store.IsUniqueViolation(err) {
		return validate.Errors{{Field: "employee_number", Message: "Someone else already has this employee number"}}
	}
	if err != nil {
		return fmt.Errorf("insert person: %w", err)
	}
	return nil
}

func updatePerson(ctx context.Context, tx *store.Tx, p Person, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE people SET employee_number = ?, name = ?, sort_name = ?, email = ?, department_id = ?,
		staff_group = ?, job_title = ?, line_manager_id = ?, start_date = ?, leave_date = ?, ethnic_group = ?,
		disability = ?, updated_at = ? WHERE id = ?`,
		p.EmployeeNumber, p.Name, strings.ToLower(p.Name), nullString(p.Email), p.DepartmentID, p.StaffGroup,
		p.JobTitle, nullID(p.LineManagerID), p.StartDate, nullString(p.LeaveDate), nullString(p.EthnicGroup),
		nullString(p.Disability), store.T(now), p.ID)
	if store.IsUniqueViolation(err) {
		return validate.Errors{{Field: "employee_number", Message: "Someone else already has this employee number"}}
	}
	if err != nil {
		return fmt.Errorf("update person %d: %w", p.ID, err)
	}
	return nil
}

// changedFields names the fields that differ between a and b. Equality
// monitoring fields are named together and never with their values, so that
// the audit log holds no equality data.
func changedFields(a, b Person) []string {
	var out []string
	add := func(differ bool, name string) {
		if differ {
			out = append(out, name)
		}
	}
	add(a.EmployeeNumber != b.EmployeeNumber, "employee_number")
	add(a.Name != b.Name, "name")
	add(a.Email != b.Email, "email")
	add(a.DepartmentID != b.DepartmentID, "department_id")
	add(a.StaffGroup != b.StaffGroup, "staff_group")
	add(a.JobTitle != b.JobTitle, "job_title")
	add(a.LineManagerID != b.LineManagerID, "line_manager")
	add(a.StartDate != b.StartDate, "start_date")
	add(a.LeaveDate != b.LeaveDate, "leave_date")
	add(a.EthnicGroup != b.EthnicGroup || a.Disability != b.Disability, "equality_monitoring")
	return out
}
