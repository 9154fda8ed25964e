// Package equalitytest puts people, cases, stages and suspensions straight
// into a test database, as the directory import and the casework service
// would, so that the equality measures and the oversight view can be tested
// against hand-worked figures without going through casework's rules.
package equalitytest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"candour/internal/authz"
	"candour/internal/store"
)

// Fixture writes test rows into one database.
type Fixture struct {
	DB   *store.DB
	dept int64
	user int64
	seq  int
}

// Person describes people to add. Empty fields take defaults: staff group
// nursing_midwifery, start date 2015-01-01, still employed, ethnicity and
// disability not known.
type Person struct {
	Ethnic, Disability string
	StaffGroup         string
	Start, Leave       string
}

// Case describes a case to add. Formal, Closed and Outcome may be empty.
type Case struct {
	Person  int64
	Type    string
	Opened  string
	Formal  string
	Closed  string
	Outcome string
}

// New adds a site, a department and a user to own the rows.
func New(t testing.TB, db *store.DB) *Fixture {
	t.Helper()
	f := &Fixture{DB: db}
	at := store.T(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	site := f.id(t, `INSERT INTO sites (code, name, created_at) VALUES ('EQT', 'Equality Test Hospital', ?) RETURNING id`, at)
	f.dept = f.id(t, `INSERT INTO departments (site_id, code, name, kind, created_at) VALUES (?, 'EQW', 'Equality Ward', 'ward', ?) RETURNING id`, site, at)
	f.user = f.id(t, `INSERT INTO users (email, name, created_at, updated_at) VALUES ('equality-fixture@test.example', 'Fixture', ?, ?) RETURNING id`, at, at)
	return f
}

func (f *Fixture) id(t testing.TB, q string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := f.DB.QueryRowContext(context.Background(), q, args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return id
}

// Exec runs a statement or fails the test.
func (f *Fixture) Exec(t testing.TB, q string, args ...any) {
	t.Helper()
	if _, err := f.DB.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// People adds n people alike and returns their ids in order.
func (f *Fixture) People(t testing.TB, n int, p Person) []int64 {
	t.Helper()
	if p.StaffGroup == "" {
		p.StaffGroup = "nursing_midwifery"
	}
	if p.Start == "" {
		p.Start = "2015-01-01"
	}
	first := f.seq + 1
	at := store.T(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	const batch = 200
	for done := 0; done < n; done += batch {
		k := min(batch, n-done)
		var sb strings.Builder
		args := make([]any, 0, k*10)
		sb.WriteString(`INSERT INTO people (employee_number, name, department_id, staff_group, start_date, leave_date, ethnic_group, disability, created_at, updated_at) VALUES `)
		for i := range k {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			f.seq++
			args = append(args, fmt.Sprintf("Q%07d", f.seq), fmt.Sprintf("Person %d", f.seq), f.dept, p.StaffGroup,
				p.Start, nullable(p.Leave), nullable(p.Ethnic), nullable(p.Disability), at, at)
		}
		f.Exec(t, sb.String(), args...)
	}
	rows, err := f.DB.QueryContext(context.Background(), `SELECT id FROM people WHERE employee_number >= ? AND employee_number <= ? ORDER BY employee_number`,
		fmt.Sprintf("Q%07d", first), fmt.Sprintf("Q%07d", f.seq))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if len(ids) != n {
		t.Fatalf("added %d people, found %d", n, len(ids))
	}
	return ids
}

// Case adds a case and returns its id. Status follows from the dates.
func (f *Fixture) Case(t testing.TB, c Case) int64 {
	t.Helper()
	if c.Opened == "" {
		c.Opened = c.Formal
	}
	if c.Opened == "" {
		c.Opened = "2025-01-01"
	}
	status := "early_concern"
	switch {
	case c.Closed != "":
		status = "closed"
	case c.Formal != "":
		status = "formal"
	}
	f.seq++
	at := store.T(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	return f.id(t, `INSERT INTO cases (reference, case_type, person_id, summary, status, opened_on, formal_on, closed_on, outcome, created_by, created_at, updated_at)
		VALUES (?, ?, ?, 'Test case', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		fmt.Sprintf("ER-T-%05d", f.seq), c.Type, c.Person, status, c.Opened, nullable(c.Formal), nullable(c.Closed), nullable(c.Outcome), f.user, at, at)
}

// Stage adds a stage to a case; ended may be empty for a running stage.
func (f *Fixture) Stage(t testing.TB, caseID int64, code, started, target, ended string) {
	t.Helper()
	f.Exec(t, `INSERT INTO case_stages (case_id, stage_code, started_on, target_on, ended_on, started_by) VALUES (?, ?, ?, ?, ?, ?)`,
		caseID, code, started, target, nullable(ended), f.user)
}

// Suspension adds a suspension with the given status; ended may be empty.
func (f *Fixture) Suspension(t testing.TB, caseID int64, status, starts, ended string) {
	t.Helper()
	at := store.T(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	f.Exec(t, `INSERT INTO case_suspensions (case_id, kind, reason, status, starts_on, review_on, ended_on, proposed_by, created_at, updated_at)
		VALUES (?, 'suspension', 'Test', ?, ?, ?, ?, ?, ?, ?)`, caseID, status, starts, starts, nullable(ended), f.user, at, at)
}

// Designate gives a user a casework designation.
func (f *Fixture) Designate(t testing.TB, userID int64, designation string) {
	t.Helper()
	f.Exec(t, `INSERT INTO casework_designations (user_id, designation, created_at) VALUES (?, ?, ?)`,
		userID, designation, store.T(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)))
}

// Threshold sets the small-number threshold.
func (f *Fixture) Threshold(t testing.TB, n int) {
	t.Helper()
	f.Exec(t, `DELETE FROM settings WHERE key = 'small_number_threshold'`)
	f.Exec(t, `INSERT INTO settings (key, value, updated_at) VALUES ('small_number_threshold', ?, ?)`, fmt.Sprint(n),
		store.T(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)))
}

// User adds a user holding roles and returns them as a signed-in principal.
func (f *Fixture) User(t testing.TB, name string, roles ...authz.Role) *authz.Principal {
	t.Helper()
	at := store.T(time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC))
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@test.example"
	id := f.id(t, `INSERT INTO users (email, name, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`, email, name, at, at)
	for _, r := range roles {
		f.Exec(t, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, id, string(r))
	}
	return &authz.Principal{UserID: id, Email: email, Name: name, Roles: roles}
}
