package casework_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"candour/internal/authz"
	"candour/internal/casework"
	"candour/internal/guide"
	"candour/internal/justculture"
	"candour/internal/store"
	"candour/internal/validate"
)

// world is a small trust for the casework core tests: Alex Nurse, the
// employee a concern is about; the people around a case (her manager, an
// investigator, a decision maker, a wellbeing contact, two union
// representatives, two HR advisers and the employee relations lead); and
// people who must see nothing (an executive, an administrator, another
// member of staff). There is one patient safety event.
type world struct {
	db      *store.DB
	svc     *casework.Service
	culture *justculture.Service
	now     time.Time

	hr, hr2, lead, manager, rep, rep2, employee, exec, admin, staff *authz.Principal
	investigator, decider, contact, safety                          *authz.Principal
	event                                                           string
}

const (
	employeeNumber = "E1001"
	leaverNumber   = "E1003"
	eventRef       = "SE-AAAA-CCCC"
	// specific allegations: what, when and where.
	allegations = "On 3 March 2026 on Ward 9, gave a second dose of morphine to the patient in bed 4 without checking the drug chart."
)

func dbExec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func dbCount(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{db: db, now: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC), event: eventRef}
	w.culture = justculture.NewService(db)
	w.culture.Now = func() time.Time { return w.now }
	if err := w.culture.EnsureBuiltins(ctx); err != nil {
		t.Fatal(err)
	}
	w.svc = casework.NewService(db, w.culture)
	w.svc.Now = func() time.Time { return w.now }
	at := store.T(w.now)
	dbExec(t, db, `INSERT INTO sites (id, code, name, created_at) VALUES (1, 'NGH', 'Northfield General', ?)`, at)
	dbExec(t, db, `INSERT INTO departments (id, site_id, code, name, kind, created_at) VALUES (1, 1, 'W9', 'Ward 9', 'ward', ?)`, at)
	person := func(id int64, number, name, leave string) {
		var lv any
		if leave != "" {
			lv = leave
		}
		dbExec(t, db, `INSERT INTO people (id, employee_number, name, department_id, staff_group, job_title, start_date, leave_date, created_at, updated_at)
			VALUES (?, ?, ?, 1, 'nursing_midwifery', 'Staff Nurse', '2015-01-01', ?, ?, ?)`, id, number, name, lv, at, at)
	}
	person(1, employeeNumber, "Alex Nurse", "")
	person(2, "E1002", "Morgan Manager", "")
	person(3, leaverNumber, "Lee Leaver", "2026-01-31")
	person(4, "E1004", "Ivy Investigator", "")
	person(5, "E1005", "Dev Decider", "")
	person(6, "E1006", "Wes Witness", "")
	person(7, "E1007", "Pat Today", "2026-03-10") // last working day is today
	w.hr = w.user(t, "Hana Adviser", 0, authz.HR)
	w.hr2 = w.user(t, "Omar Other", 0, authz.HR)
	w.lead = w.user(t, "Leah Lead", 0, authz.HR)
	w.manager = w.user(t, "Morgan Manager", 2, authz.Manager, authz.Staff)
	w.rep = w.user(t, "Rita Rep", 0, authz.UnionRep, authz.Staff)
	w.rep2 = w.user(t, "Ray Other Rep", 0, authz.UnionRep)
	w.employee = w.user(t, "Alex Nurse", 1, authz.Staff)
	w.exec = w.user(t, "Eve Exec", 0, authz.Exec)
	w.admin = w.user(t, "Ada Admin", 0, authz.Admin)
	w.staff = w.user(t, "Sam Staff", 0, authz.Staff)
	w.investigator = w.user(t, "Ivy Investigator", 4, authz.Staff)
	w.decider = w.user(t, "Dev Decider", 5, authz.Manager)
	w.contact = w.user(t, "Chris Contact", 0, authz.Staff)
	w.safety = w.user(t, "Priya Safety", 0, authz.Safety)
	dbExec(t, db, `INSERT INTO casework_designations (user_id, designation, created_at) VALUES (?, 'er_lead', ?)`, w.lead.UserID, at)
	dbExec(t, db, `INSERT INTO reports (id, reference, kind, mode, team, status, department_id, description, received_on, created_at, updated_at,
		ack_due_on, feedback_due_on) VALUES (1, ?, 'safety_event', 'open', 'safety', 'new', 1, 'A second dose was given.', '2026-03-03', ?, ?, '2026-03-10', '2026-06-01')`,
		eventRef, at, at)
	return w
}

func (w *world) user(t *testing.T, name string, person int64, roles ...authz.Role) *authz.Principal {
	t.Helper()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@trust.test"
	var pid any
	if person != 0 {
		pid = person
	}
	at := store.T(w.now)
	var uid int64
	if err := w.db.QueryRowContext(context.Background(), `INSERT INTO users (email, name, person_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		email, name, pid, at, at).Scan(&uid); err != nil {
		t.Fatal(err)
	}
	for _, r := range roles {
		dbExec(t, w.db, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, uid, string(r))
	}
	return &authz.Principal{UserID: uid, Email: email, Name: name, Roles: roles}
}

func (w *world) today() string { return w.now.Format(store.DateLayout) }

// on is the date n days from today.
func (w *world) on(n int) string { return w.now.AddDate(0, 0, n).Format(store.DateLayout) }

// days moves the clock on.
func (w *world) days(n int) { w.now = w.now.AddDate(0, 0, n) }

// open opens a concern about Alex Nurse as the HR adviser, managed by her
// manager; report links the patient safety event when true.
func (w *world) open(t *testing.T, typ casework.Type, report bool) casework.Case {
	t.Helper()
	in := casework.OpenInput{Type: string(typ), Person: employeeNumber, Summary: "Medication given twice on a night shift", Manager: w.manager.Email}
	if report {
		in.Report = eventRef
	}
	c, err := w.svc.Open(context.Background(), w.hr, in)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return c
}

// fullChecklist is a checklist with every item answered.
func (w *world) fullChecklist() casework.ChecklistInput {
	return casework.ChecklistInput{
		FactsGathered: true, FactsSummary: "Drug chart, the MAR and the night coordinator's notes read; two colleagues spoken to.",
		EmployeeAccountHeard: true, EmployeeAccountOn: w.on(-1),
		Allegations:            allegations,
		AlternativesConsidered: "A restorative conversation was held; the harm to the patient means a formal investigation is needed.",
		InvestigatorConflicts:  "None", DecisionMakerConflicts: "Works on the same site; has never managed Alex.",
		ConflictsDeclared: true, WellbeingContact: w.contact.Email,
		UnionRepOffered: true, UnionRepOfferedOn: w.on(-1),
	}
}

// ready opens a concern and completes everything except the just culture
// guide and the sign-off: parties named and the checklist saved.
func (w *world) ready(t *testing.T, typ casework.Type, report bool) casework.Case {
	t.Helper()
	ctx := context.Background()
	c := w.open(t, typ, report)
	if _, err := w.svc.AddParty(ctx, w.hr, c.ID, casework.PartyInput{Role: casework.RoleInvestigator, Person: "E1004"}); err != nil {
		t.Fatalf("investigator: %v", err)
	}
	if _, err := w.svc.AddParty(ctx, w.hr, c.ID, casework.PartyInput{Role: casework.RoleDecisionMaker, User: w.decider.Email}); err != nil {
		t.Fatalf("decision maker: %v", err)
	}
	if err := w.svc.SaveChecklist(ctx, w.hr, c.ID, w.fullChecklist()); err != nil {
		t.Fatalf("checklist: %v", err)
	}
	return c
}

// answersTo walks the built-in guide to the end point.
func answersTo(endPoint string) map[string]guide.Answer {
	route := map[string][]struct {
		q string
		v bool
	}{
		"A": {{"1a", true}},
		"D": {{"1a", false}, {"2a", false}, {"2b", false}, {"2c", false}, {"3a", false}},
		"E": {{"1a", false}, {"2a", false}, {"2b", false}, {"2c", false}, {"3a", true}, {"3b", true}, {"3c", true}, {"4a", true}},
		"G": {{"1a", false}, {"2a", false}, {"2b", false}, {"2c", false}, {"3a", true}, {"3b", true}, {"3c", true}, {"4a", false}, {"4b", false}, {"4c", false}, {"5a", false}},
	}[endPoint]
	out := map[string]guide.Answer{}
	for _, r := range route {
		out[r.q] = guide.Answer{Value: r.v, Reason: "Talked through with the ward team"}
	}
	return out
}

// assess records a just culture guide assessment of Alex Nurse for the
// event, walked by her manager with the HR adviser, reaching endPoint; the
// bias check completes it unless unfinished.
func (w *world) assess(t *testing.T, endPoint string, unfinished bool) justculture.Assessment {
	t.Helper()
	bias, reason := "yes", "We considered a colleague of a different ethnicity and grade"
	if unfinished {
		bias, reason = "", ""
	}
	a, err := w.culture.Record(context.Background(), w.manager, justculture.StartInput{
		GuideID: "nhs-just-culture-2018", Action: "Gave a second dose of morphine without checking the chart",
		EmployeeNumber: employeeNumber, Participants: []string{w.hr.Email}, ReportReference: eventRef, ConcernConfirmed: true,
	}, answersTo(endPoint), bias, reason)
	if err != nil {
		t.Fatalf("assessment to %s: %v", endPoint, err)
	}
	if a.Outcome != endPoint {
		t.Fatalf("the walk reached %s, want %s", a.Outcome, endPoint)
	}
	return a
}

// unmetNames are the names of the unmet preconditions in err, which must
// be an *UnmetError.
func unmetNames(t *testing.T, err error) []string {
	t.Helper()
	var ue *casework.UnmetError
	if !errors.As(err, &ue) {
		t.Fatalf("want *UnmetError, got %v", err)
	}
	var names []string
	for _, u := range ue.Unmet {
		if u.Met {
			t.Errorf("a met precondition %s is listed as unmet", u.Name)
		}
		if u.Detail == "" {
			t.Errorf("unmet %s has no explanation", u.Name)
		}
		names = append(names, u.Name)
	}
	return names
}

// unmetDetail is the explanation of one unmet precondition in err.
func unmetDetail(t *testing.T, err error, name string) string {
	t.Helper()
	var ue *casework.UnmetError
	if !errors.As(err, &ue) {
		t.Fatalf("want *UnmetError, got %v", err)
	}
	for _, u := range ue.Unmet {
		if u.Name == name {
			return u.Detail
		}
	}
	t.Fatalf("%s is not among the unmet preconditions %v", name, unmetNames(t, err))
	return ""
}

func precondition(t *testing.T, pcs []casework.Precondition, name string) casework.Precondition {
	t.Helper()
	i := slices.IndexFunc(pcs, func(p casework.Precondition) bool { return p.Name == name })
	if i < 0 {
		t.Fatalf("no precondition %s", name)
	}
	return pcs[i]
}

func fieldErrors(t *testing.T, err error) validate.Errors {
	t.Helper()
	errs, ok := validate.As(err)
	if !ok {
		t.Fatalf("want field errors, got %v", err)
	}
	return errs
}

// wantField asserts err has a problem on field whose message says each of
// words.
func wantField(t *testing.T, err error, field string, words ...string) {
	t.Helper()
	for _, fe := range fieldErrors(t, err) {
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

func auditCount(t *testing.T, db *store.DB, action string) int {
	t.Helper()
	return dbCount(t, db, `SELECT count(*) FROM audit_log WHERE action = ?`, action)
}
