package library_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"candour/internal/authz"
	"candour/internal/library"
	"candour/internal/store"
)

var ctx = context.Background()

// fixture is a library over a fresh database with a few users.
type fixture struct {
	db  *store.DB
	svc *library.Service
	now time.Time
	seq int
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	now := time.Date(2026, 5, 12, 10, 0, 0, 0, time.UTC)
	svc := library.NewService(db)
	svc.Now = func() time.Time { return now }
	return &fixture{db: db, svc: svc, now: now}
}

func (f *fixture) exec(t testing.TB, q string, args ...any) {
	t.Helper()
	if _, err := f.db.ExecContext(ctx, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (f *fixture) id(t testing.TB, q string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := f.db.QueryRowContext(ctx, q, args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return id
}

// user adds a user with roles, optionally linked to a person.
func (f *fixture) user(t testing.TB, name string, personID int64, roles ...authz.Role) *authz.Principal {
	t.Helper()
	f.seq++
	email := fmt.Sprintf("user%d@test.example", f.seq)
	var person any
	if personID != 0 {
		person = personID
	}
	id := f.id(t, `INSERT INTO users (email, name, person_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		email, name, person, store.T(f.now), store.T(f.now))
	for _, r := range roles {
		f.exec(t, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, id, string(r))
	}
	return &authz.Principal{UserID: id, Email: email, Name: name, Roles: roles}
}

func (f *fixture) department(t testing.TB, code, name string) int64 {
	t.Helper()
	var site int64
	err := f.db.QueryRowContext(ctx, `SELECT id FROM sites WHERE code = 'TST'`).Scan(&site)
	if err != nil {
		site = f.id(t, `INSERT INTO sites (code, name, created_at) VALUES ('TST', 'Test Hospital', ?) RETURNING id`, store.T(f.now))
	}
	return f.id(t, `INSERT INTO departments (site_id, code, name, kind, created_at) VALUES (?, ?, ?, 'ward', ?) RETURNING id`,
		site, code, name, store.T(f.now))
}

func (f *fixture) person(t testing.TB, name string, dept int64, group string) int64 {
	t.Helper()
	f.seq++
	return f.id(t, `INSERT INTO people (employee_number, name, department_id, staff_group, start_date, created_at, updated_at, sort_name)
		VALUES (?, ?, ?, ?, '2020-01-01', ?, ?, ?) RETURNING id`,
		fmt.Sprintf("E%06d", f.seq), name, dept, group, store.T(f.now), store.T(f.now), strings.ToLower(name))
}

// report stores a report directly, as the report service would.
func (f *fixture) report(t testing.TB, kind, team, description string) int64 {
	t.Helper()
	f.seq++
	day := f.now.Format(store.DateLayout)
	return f.id(t, `INSERT INTO reports (reference, kind, mode, team, status, description, received_on, created_at, updated_at, ack_due_on, feedback_due_on)
		VALUES (?, ?, 'open', ?, 'new', ?, ?, ?, ?, ?, ?) RETURNING id`,
		fmt.Sprintf("T-%06d", f.seq), kind, team, description, day, store.T(f.now), store.T(f.now), day, day)
}

// labelled reads the labelled set: cluster and text per event.
func labelled(t testing.TB) (clusters, texts []string) {
	t.Helper()
	fh, err := os.Open("testdata/similar_labelled.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c, text, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		clusters, texts = append(clusters, c), append(texts, text)
	}
	return clusters, texts
}
