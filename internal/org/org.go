package org

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"candour/internal/audit"
	"candour/internal/store"
	"candour/internal/validate"
)

// Limits on free text, in characters.
const (
	maxCodeLen     = 30
	maxNameLen     = 200
	maxJobTitleLen = 200
	maxEmployeeLen = 20
	maxEmailLen    = 254
)

// Directory reads and changes the organisation's sites, departments and
// people.
type Directory struct {
	DB *store.DB
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// New returns a Directory over db with the real clock.
func New(db *store.DB) *Directory {
	return &Directory{DB: db, Now: time.Now}
}

// Option is one choice in a fixed list: a stored Value and the Label people
// see.
type Option struct {
	Value, Label string
}

// optionLabel returns the label of value in opts, or "".
func optionLabel(opts []Option, value string) string {
	for _, o := range opts {
		if o.Value == value {
			return o.Label
		}
	}
	return ""
}

// Site is a hospital or other place where the organisation works.
type Site struct {
	ID   int64
	Code string
	Name string
}

// Department is a ward, team, department or service at a site.
type Department struct {
	ID       int64
	SiteID   int64
	SiteName string // filled in when read
	Code     string
	Name     string
	Kind     string // one of DepartmentKinds
}

// DepartmentKinds lists the kinds of department.
func DepartmentKinds() []Option {
	return []Option{
		{"ward", "Ward"},
		{"team", "Team"},
		{"department", "Department"},
		{"service", "Service"},
	}
}

// StaffGroup is one of the national NHS staff groups.
type StaffGroup struct {
	Code string
	Name string
}

// Sites returns every site ordered by name.
func (d *Directory) Sites(ctx context.Context) ([]Site, error) {
	rows, err := d.DB.QueryContext(ctx, `SELECT id, code, name FROM sites ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("list sites: %w", err)
	}
	defer rows.Close()
	var out []Site
	for rows.Next() {
		var s Site
		if err := rows.Scan(&s.ID, &s.Code, &s.Name); err != nil {
			return nil, fmt.Errorf("list sites: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list sites: %w", err)
	}
	return out, nil
}

// Site returns one site, or an error wrapping store.ErrNotFound.
func (d *Directory) Site(ctx context.Context, id int64) (Site, error) {
	return getSite(ctx, d.DB, id)
}

func getSite(ctx context.Context, q store.Querier, id int64) (Site, error) {
	var s Site
	err := q.QueryRowContext(ctx, `SELECT id, code, name FROM sites WHERE id = ?`, id).Scan(&s.ID, &s.Code, &s.Name)
	return s, store.NotFound(err, fmt.Sprintf("site %d", id))
}

func checkSite(s *Site) validate.Errors {
	var errs validate.Errors
	s.Code = checkCode(&errs, "Site code", "Enter the site code", s.Code)
	s.Name = line(&errs, "name", "Site name", "Enter the site name", s.Name, true, maxNameLen)
	return errs
}

// checkCode checks an identifier: letters, numbers and a little punctuation.
func checkCode(errs *validate.Errors, label, missing, v string) string {
	v = line(errs, "code", label, missing, v, true, maxCodeLen)
	if v != "" && !errs.Has("code") && !isCode(v) {
		errs.Add("code", label+" must only include letters, numbers, hyphens, underscores, full stops and slashes")
	}
	return v
}

func isCode(s string) bool {
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case r == '-', r == '_', r == '.', r == '/':
		default:
			return false
		}
	}
	return true
}

// line checks a one-line text input: it must be readable text without
// control characters or line breaks, at most max characters, and present
// when required (missing is then the message).
func line(errs *validate.Errors, field, label, missing, value string, required bool, max int) string {
	v := strings.TrimSpace(value)
	if required && v == "" {
		errs.Add(field, missing)
		return v
	}
	before := len(*errs)
	v = errs.Text(field, label, v, false, max)
	if len(*errs) == before && strings.ContainsAny(v, "\r\n\t") {
		errs.Add(field, label+" must be on one line")
	}
	return v
}

// CreateSite adds a site.
func (d *Directory) CreateSite(ctx context.Context, actor audit.Actor, s Site) (Site, error) {
	if errs := checkSite(&s); len(errs) > 0 {
		return Site{}, errs
	}
	now := d.Now()
	err := d.DB.InTx(ctx, func(tx *store.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO sites (code, name, created_at) VALUES (?, ?, ?) RETURNING id`,
			s.Code, s.Name, store.T(now)).Scan(&s.ID)
		if store.IsUniqueViolation(err) {
			return validate.Errors{{Field: "code", Message: "A site with this code already exists"}}
		}
		if err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		return audit.Record(ctx, tx, now, actor, "site.create", "site", id(s.ID), fmt.Sprintf("created site %s %q", s.Code, s.Name))
	})
	if err != nil {
		return Site{}, wrap("create site", err)
	}
	return s, nil
}

// UpdateSite changes a site's code and name. It returns an error wrapping
// store.ErrNotFound when the site does not exist.
func (d *Directory) UpdateSite(ctx context.Context, actor audit.Actor, s Site) error {
	if errs := checkSite(&s); len(errs) > 0 {
		return errs
	}
	now := d.Now()
	err := d.DB.InTx(ctx, func(tx *store.Tx) error {
		old, err := getSite(ctx, tx, s.ID)
		if err != nil {
			return err
		}
		var changed []string
		if old.Code != s.Code {
			changed = append(changed, fmt.Sprintf("code %s to %s", old.Code, s.Code))
		}
		if old.Name != s.Name {
			changed = append(changed, fmt.Sprintf("name %q to %q", old.Name, s.Name))
		}
		if len(changed) == 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE sites SET code = ?, name = ? WHERE id = ?`, s.Code, s.Name, s.ID)
		if store.IsUniqueViolation(err) {
			return validate.Errors{{Field: "code", Message: "A site with this code already exists"}}
		}
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		return audit.Record(ctx, tx, now, actor, "site.update", "site", id(s.ID), "changed "+strings.Join(changed, ", "))
	})
	return wrap("update site", err)
}

// Departments returns every department ordered by site name, then name.
func (d *Directory) Departments(ctx context.Context) ([]Department, error) {
	rows, err := d.DB.QueryContext(ctx, departmentSelect+` ORDER BY s.name, s.id, d.name, d.id`)
	if err != nil {
		return nil, fmt.Errorf("list departments: %w", err)
	}
	defer rows.Close()
	var out []Department
	for rows.Next() {
		dep, err := scanDepartment(rows)
		if err != nil {
			return nil, fmt.Errorf("list departments: %w", err)
		}
		out = append(out, dep)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list departments: %w", err)
	}
	return out, nil
}

const departmentSelect = `SELECT d.id, d.site_id, s.name, d.code, d.name, d.kind
	FROM departments d JOIN sites s ON s.id = d.site_id`

type scanner interface{ Scan(dest ...any) error }

func scanDepartment(r scanner) (Department, error) {
	var dep Department
	err := r.Scan(&dep.ID, &dep.SiteID, &dep.SiteName, &dep.Code, &dep.Name, &dep.Kind)
	return dep, err
}

// Department returns one department, or an error wrapping store.ErrNotFound.
func (d *Directory) Department(ctx context.Context, id int64) (Department, error) {
	return getDepartment(ctx, d.DB, id)
}

func getDepartment(ctx context.Context, q store.Querier, id int64) (Department, error) {
	dep, err := scanDepartment(q.QueryRowContext(ctx, departmentSelect+` WHERE d.id = ?`, id))
	return dep, store.NotFound(err, fmt.Sprintf("department %d", id))
}

func checkDepartment(dep *Department) validate.Errors {
	var errs validate.Errors
	if dep.SiteID <= 0 {
		errs.Add("site_id", "Select the site")
	}
	dep.Code = checkCode(&errs, "Department code", "Enter the department code", dep.Code)
	dep.Name = line(&errs, "name", "Department name", "Enter the department name", dep.Name, true, maxNameLen)
	switch {
	case dep.Kind == "":
		errs.Add("kind", "Select whether this is a ward, team, department or service")
	case optionLabel(DepartmentKinds(), dep.Kind) == "":
		errs.Add("kind", "Select a ward, team, department or service")
	}
	return errs
}

// checkSiteExists adds a field error when the department's site is missing.
func checkSiteExists(ctx context.Context, tx *store.Tx, dep Department, errs *validate.Errors) error {
	if dep.SiteID <= 0 {
		return nil
	}
	_, err := getSite(ctx, tx, dep.SiteID)
	if errors.Is(err, store.ErrNotFound) {
		errs.Add("site_id", "Select a site from the list")
		return nil
	}
	return err
}

// CreateDepartment adds a department to a site.
func (d *Directory) CreateDepartment(ctx context.Context, actor audit.Actor, dep Department) (Department, error) {
	errs := checkDepartment(&dep)
	now := d.Now()
	err := d.DB.InTx(ctx, func(tx *store.Tx) error {
		if err := checkSiteExists(ctx, tx, dep, &errs); err != nil {
			return err
		}
		if len(errs) > 0 {
			return errs
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO departments (site_id, code, name, kind, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			dep.SiteID, dep.Code, dep.Name, dep.Kind, store.T(now)).Scan(&dep.ID)
		if store.IsUniqueViolation(err) {
			return validate.Errors{{Field: "code", Message: "A department with this code already exists"}}
		}
		if err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		if dep, err = getDepartment(ctx, tx, dep.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, actor, "department.create", "department", id(dep.ID),
			fmt.Sprintf("created %s %s %q at site %d", dep.Kind, dep.Code, dep.Name, dep.SiteID))
	})
	if err != nil {
		return Department{}, wrap("create department", err)
	}
	return dep, nil
}

// UpdateDepartment changes a department. It returns an error wrapping
// store.ErrNotFound when the department does not exist.
func (d *Directory) UpdateDepartment(ctx context.Context, actor audit.Actor, dep Department) error {
	errs := checkDepartment(&dep)
	now := d.Now()
	err := d.DB.InTx(ctx, func(tx *store.Tx) error {
		old, err := getDepartment(ctx, tx, dep.ID)
		if err != nil {
			return err
		}
		if err := checkSiteExists(ctx, tx, dep, &errs); err != nil {
			return err
		}
		if len(errs) > 0 {
			return errs
		}
		var changed []string
		if old.SiteID != dep.SiteID {
			changed = append(changed, fmt.Sprintf("site %d to %d", old.SiteID, dep.SiteID))
		}
		if old.Code != dep.Code {
			changed = append(changed, fmt.Sprintf("code %s to %s", old.Code, dep.Code))
		}
		if old.Name != dep.Name {
			changed = append(changed, fmt.Sprintf("name %q to %q", old.Name, dep.Name))
		}
		if old.Kind != dep.Kind {
			changed = append(changed, fmt.Sprintf("kind %s to %s", old.Kind, dep.Kind))
		}
		if len(changed) == 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE departments SET site_id = ?, code = ?, name = ?, kind = ? WHERE id = ?`,
			dep.SiteID, dep.Code, dep.Name, dep.Kind, dep.ID)
		if store.IsUniqueViolation(err) {
			return validate.Errors{{Field: "code", Message: "A department with this code already exists"}}
		}
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		return audit.Record(ctx, tx, now, actor, "department.update", "department", id(dep.ID), "changed "+strings.Join(changed, ", "))
	})
	return wrap("update department", err)
}

// StaffGroups returns the national staff groups in their usual order.
func (d *Directory) StaffGroups(ctx context.Context) ([]StaffGroup, error) {
	rows, err := d.DB.QueryContext(ctx, `SELECT code, name FROM staff_groups ORDER BY sort, code`)
	if err != nil {
		return nil, fmt.Errorf("list staff groups: %w", err)
	}
	defer rows.Close()
	var out []StaffGroup
	for rows.Next() {
		var g StaffGroup
		if err := rows.Scan(&g.Code, &g.Name); err != nil {
			return nil, fmt.Errorf("list staff groups: %w", err)
		}
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list staff groups: %w", err)
	}
	return out, nil
}

// id formats a row id for the audit log.
func id(n int64) string { return strconv.FormatInt(n, 10) }

// wrap adds context to err, leaving validation errors as they are so that
// callers can show them beside the fields.
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(validate.Errors); ok {
		return err
	}
	return fmt.Errorf("%s: %w", what, err)
}
