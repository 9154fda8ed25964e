package casework

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/store/storetest"
	"candour/internal/validate"
)

// supWorld is a small trust for suspension, wellbeing and reminder tests:
// an employee with a case handled by an HR adviser, the people around the
// case, four executives (one the non-executive reviewer) and people who
// must see nothing. Cases are written with SQL so that these tests do not
// depend on opening a case.
type supWorld struct {
	db  *store.DB
	svc *Service
	now time.Time

	hr, hr2, lead, hrExec, manager, employee, rep   *authz.Principal
	exec1, exec2, exec3, ned, admin, contact, staff *authz.Principal

	// caseID is Alex Nurse's disciplinary case, handled by hr and managed
	// by manager; otherCase is Sam Porter's, handled by hrExec.
	caseID, otherCase int64
	ref, otherRef     string
	nextUser          int64
}

const (
	supSummary    = "Alleged medication error on the night shift"
	supEmployee   = "Alex Nurse"
	supOtherName  = "Sam Porter"
	supReasonText = "Risk to patients while the facts about the medication round are gathered"
)

func supExec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func supCount(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func newSupWorld(t *testing.T, db *store.DB) *supWorld {
	t.Helper()
	w := &supWorld{db: db, now: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC), nextUser: 1}
	w.svc = NewService(db, nil)
	w.svc.Now = func() time.Time { return w.now }
	w.svc.BaseURL = "https://candour.test"
	at := store.T(w.now)
	supExec(t, db, `INSERT INTO sites (id, code, name, created_at) VALUES (1, 'NGH', 'Northfield General', ?)`, at)
	supExec(t, db, `INSERT INTO departments (id, site_id, code, name, kind, created_at) VALUES (1, 1, 'W9', 'Ward 9', 'ward', ?)`, at)
	person := func(id int64, number, name, group string) {
		supExec(t, db, `INSERT INTO people (id, employee_number, name, department_id, staff_group, job_title, start_date, created_at, updated_at)
			VALUES (?, ?, ?, 1, ?, 'Staff', '2015-01-01', ?, ?)`, id, number, name, group, at, at)
	}
	person(1, "E1001", supEmployee, "nursing_midwifery")
	person(2, "E1002", "Morgan Manager", "nursing_midwifery")
	person(3, "E1003", supOtherName, "estates_ancillary")
	person(4, "E1004", "Chris Contact", "admin_clerical")
	w.hr = w.user(t, "Hana Adviser", 0, authz.HR)
	w.hr2 = w.user(t, "Harry Other", 0, authz.HR)
	w.lead = w.user(t, "Lee Lead", 0, authz.HR)
	w.hrExec = w.user(t, "Dana Dual", 0, authz.HR, authz.Exec)
	w.manager = w.user(t, "Morgan Manager", 2, authz.Manager, authz.Staff)
	w.employee = w.user(t, supEmployee, 1, authz.Staff)
	w.rep = w.user(t, "Ray Rep", 0, authz.UnionRep, authz.Staff)
	w.exec1 = w.user(t, "Erin Exec", 0, authz.Exec)
	w.exec2 = w.user(t, "Ezra Exec", 0, authz.Exec)
	w.exec3 = w.user(t, "Eve Exec", 0, authz.Exec)
	w.ned = w.user(t, "Nia Nonexec", 0, authz.Exec)
	w.admin = w.user(t, "Ada Admin", 0, authz.Admin)
	w.contact = w.user(t, "Chris Contact", 4, authz.Staff)
	w.staff = w.user(t, "Olu Other", 0, authz.Staff)
	w.designate(t, w.lead, ERLead)
	w.designate(t, w.ned, NonExecReviewer)
	w.caseID, w.ref = 1, "ER-2026-0001"
	w.otherCase, w.otherRef = 2, "ER-2026-0002"
	w.addCase(t, w.caseID, w.ref, 1, w.hr, w.manager, "formal")
	w.addCase(t, w.otherCase, w.otherRef, 3, w.hrExec, nil, "early_concern")
	supExec(t, db, `UPDATE cases SET rep_user_id = ? WHERE id = ?`, w.rep.UserID, w.caseID)
	return w
}

func (w *supWorld) user(t *testing.T, name string, person int64, roles ...authz.Role) *authz.Principal {
	t.Helper()
	uid := w.nextUser
	w.nextUser++
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@trust.test"
	var pid any
	if person != 0 {
		pid = person
	}
	at := store.T(w.now)
	supExec(t, w.db, `INSERT INTO users (id, email, name, person_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`, uid, email, name, pid, at, at)
	for _, r := range roles {
		supExec(t, w.db, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, uid, string(r))
	}
	return &authz.Principal{UserID: uid, Email: email, Name: name, Roles: roles}
}

func (w *supWorld) designate(t *testing.T, p *authz.Principal, d Designation) {
	t.Helper()
	supExec(t, w.db, `INSERT INTO casework_designations (user_id, designation, created_at) VALUES (?, ?, ?)`, p.UserID, string(d), store.T(w.now))
}

func (w *supWorld) addCase(t *testing.T, id int64, ref string, person int64, hr, manager *authz.Principal, status string) {
	t.Helper()
	var mgr any
	if manager != nil {
		mgr = manager.UserID
	}
	at := store.T(w.now)
	supExec(t, w.db, `INSERT INTO cases (id, reference, case_type, person_id, summary, status, hr_user_id, manager_user_id, opened_on, created_by, created_at, updated_at)
		VALUES (?, ?, 'disciplinary', ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, ref, person, supSummary, status, hr.UserID, mgr, w.today(), hr.UserID, at, at)
}

// days moves the clock on.
func (w *supWorld) days(n int) { w.now = w.now.AddDate(0, 0, n) }

func (w *supWorld) today() string { return w.now.Format(store.DateLayout) }

// on is the date n days from today.
func (w *supWorld) on(n int) string { return w.now.AddDate(0, 0, n).Format(store.DateLayout) }

// goodSuspension is a complete proposal starting today with a review in a
// week.
func (w *supWorld) goodSuspension() SuspensionInput {
	return SuspensionInput{Kind: KindSuspension, Reason: supReasonText,
		AltRedeployment:   "No other ward can take a nurse without medicines duties this month",
		AltModifiedDuties: "Tried non-medicines duties for a week; the ward could not staff it safely",
		AltSupervision:    "No senior nurse free on nights to supervise every round",
		StartsOn:          w.today(), ReviewOn: w.on(7)}
}

// activeSuspension proposes a suspension on the case and has two
// executives agree it.
func (w *supWorld) agreedSuspension(t *testing.T, caseID int64, by *authz.Principal) Suspension {
	t.Helper()
	ctx := context.Background()
	sp, err := w.svc.ProposeSuspension(ctx, by, caseID, w.goodSuspension())
	if err != nil {
		t.Fatalf("propose: %v", err)
	}
	if _, err := w.svc.DecideSuspension(ctx, w.exec1, sp.ID, DecisionApprove, ""); err != nil {
		t.Fatalf("first approval: %v", err)
	}
	sp, err = w.svc.DecideSuspension(ctx, w.exec2, sp.ID, DecisionApprove, "")
	if err != nil {
		t.Fatalf("second approval: %v", err)
	}
	if sp.Status != SuspensionActive {
		t.Fatalf("two approvals left the suspension %s", sp.Status)
	}
	return sp
}

func supFieldErrors(t *testing.T, err error) validate.Errors {
	t.Helper()
	errs, ok := validate.As(err)
	if !ok {
		t.Fatalf("want field errors, got %v", err)
	}
	return errs
}

// supWantField asserts err has a problem on field saying each of words.
func supWantField(t *testing.T, err error, field string, words ...string) {
	t.Helper()
	for _, fe := range supFieldErrors(t, err) {
		if fe.Field != field {
			continue
		}
		for _, w := range words {
			if !strings.Contains(fe.Message, w) {
				t.Errorf("the error on %s, %q, does not say %q", field, fe.Message, w)
			}
		}
		return
	}
	t.Errorf("want an error on %s, got %v", field, err)
}

func supWantErr(t *testing.T, what string, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("%s: got %v, want %v", what, err, want)
	}
}

// supNotices lists the in-app notices a user has, oldest first.
func supNotices(t *testing.T, db *store.DB, p *authz.Principal) []string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT body FROM notifications WHERE user_id = ? ORDER BY id`, p.UserID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// supEmails lists the subject and body of every email to a user.
func supEmails(t *testing.T, db *store.DB, p *authz.Principal) []string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT subject, body FROM outbox WHERE to_addr = ? ORDER BY id`, p.Email)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s, b string
		if err := rows.Scan(&s, &b); err != nil {
			t.Fatal(err)
		}
		out = append(out, s+"\n"+b)
	}
	return out
}

// supNoNarrative asserts no text names the person or carries the case's
// narrative or the suspension's reasons.
func supNoNarrative(t *testing.T, what string, texts []string) {
	t.Helper()
	for _, x := range texts {
		for _, secret := range []string{supEmployee, supOtherName, supSummary, supReasonText, "medication", "Medication"} {
			if strings.Contains(x, secret) {
				t.Errorf("%s gives away %q: %q", what, secret, x)
			}
		}
	}
}

// supReplica opens a second connection pool on the same database, as a
// second replica of candour would.
func supReplica(t *testing.T, db *store.DB) *store.DB {
	t.Helper()
	ctx := context.Background()
	var u string
	if db.Engine == store.Postgres {
		var name string
		if err := db.QueryRowContext(ctx, `SELECT current_database()`).Scan(&name); err != nil {
			t.Fatal(err)
		}
		base, err := url.Parse(os.Getenv(storetest.PostgresURLEnv))
		if err != nil {
			t.Fatal(err)
		}
		base.Path = "/" + name
		u = base.String()
	} else {
		var file string
		if err := db.QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&file); err != nil {
			t.Fatal(err)
		}
		u = "sqlite:" + file
	}
	other, err := store.Open(ctx, u, store.Options{MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	return other
}
