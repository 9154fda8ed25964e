package restore_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"candour/internal/authz"
	"candour/internal/restore"
	"candour/internal/store"
	"candour/internal/store/storetest"
	"candour/internal/validate"
)

// world is a small organisation: a ward with a nurse and her line manager,
// users for every part of the role table, and a patient safety event.
type world struct {
	db  *store.DB
	svc *restore.Service
	now time.Time
	// Principals by part they play.
	safety, nurse, supporter, manager, hr, admin, guardian, otherStaff *authz.Principal
	event, concern, merged                                             string
	nurseNumber                                                        string
}

func exec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func newWorld(t *testing.T, db *store.DB) *world {
	t.Helper()
	w := &world{db: db, now: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC), nurseNumber: "E1001"}
	w.svc = &restore.Service{DB: db, Now: func() time.Time { return w.now }}
	at := store.T(w.now)
	exec(t, db, `INSERT INTO sites (id, code, name, created_at) VALUES (1, 'NGH', 'Northfield General', ?)`, at)
	exec(t, db, `INSERT INTO departments (id, site_id, code, name, kind, created_at) VALUES (1, 1, 'W9', 'Ward 9', 'ward', ?)`, at)
	exec(t, db, `INSERT INTO people (id, employee_number, name, department_id, staff_group, job_title, start_date, created_at, updated_at)
		VALUES (2, 'E1002', 'Morgan Lead', 1, 'nursing_midwifery', 'Ward Manager', '2015-01-01', ?, ?)`, at, at)
	exec(t, db, `INSERT INTO people (id, employee_number, name, department_id, staff_group, job_title, line_manager_id, start_date, created_at, updated_at)
		VALUES (1, 'E1001', 'Alex Nurse', 1, 'nursing_midwifery', 'Staff Nurse', 2, '2020-01-06', ?, ?)`, at, at)
	exec(t, db, `INSERT INTO people (id, employee_number, name, department_id, staff_group, job_title, start_date, leave_date, created_at, updated_at)
		VALUES (3, 'E1003', 'Left Already', 1, 'nursing_midwifery', 'Staff Nurse', '2010-01-06', '2020-01-01', ?, ?)`, at, at)
	var next int64 = 1
	user := func(name string, person int64, roles ...authz.Role) *authz.Principal {
		uid := next
		next++
		email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@test.example"
		var pid any
		if person != 0 {
			pid = person
		}
		exec(t, db, `INSERT INTO users (id, email, name, person_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`, uid, email, name, pid, at, at)
		for _, r := range roles {
			exec(t, db, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, uid, string(r))
		}
		return &authz.Principal{UserID: uid, Email: email, Name: name, Roles: roles}
	}
	w.safety = user("Priya Safety", 0, authz.Safety, authz.Staff)
	w.nurse = user("Alex Nurse", 1, authz.Staff)
	w.supporter = user("Sam Peer", 0, authz.Staff)
	w.manager = user("Morgan Lead", 2, authz.Manager, authz.Staff)
	w.hr = user("Hana HR", 0, authz.HR)
	w.admin = user("Ada Admin", 0, authz.Admin)
	w.guardian = user("Gus Guardian", 0, authz.Guardian)
	w.otherStaff = user("Olu Other", 0, authz.Staff)
	report := func(id int64, ref, kind, team string, dup any) {
		exec(t, db, `INSERT INTO reports (id, reference, kind, mode, team, status, department_id, description, received_on, created_at, updated_at,
			ack_due_on, feedback_due_on, duplicate_of) VALUES (?, ?, ?, 'open', ?, 'new', 1, 'A fall at night.', '2026-03-01', ?, ?, '2026-03-08', '2026-06-01', ?)`,
			id, ref, kind, team, at, at, dup)
	}
	w.event, w.concern, w.merged = "SE-AAAA-CCCC", "SU-AAAA-DDDD", "SE-AAAA-EEEE"
	report(1, w.event, "safety_event", "safety", nil)
	report(2, w.concern, "concern", "guardian", nil)
	report(3, w.merged, "safety_event", "safety", int64(1))
	return w
}

func fieldErrors(t *testing.T, err error) validate.Errors {
	t.Helper()
	errs, ok := validate.As(err)
	if !ok {
		t.Fatalf("want field errors, got %v", err)
	}
	return errs
}

func wantField(t *testing.T, err error, field, contains string) {
	t.Helper()
	for _, fe := range fieldErrors(t, err) {
		if fe.Field == field && strings.Contains(fe.Message, contains) {
			return
		}
	}
	t.Errorf("want an error on %s containing %q, got %v", field, contains, err)
}

func auditCount(t *testing.T, db *store.DB, action string) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM audit_log WHERE action = ?`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

func TestRestorativeRecordLifecycle(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		s := w.svc

		// Only the patient safety team may start or read one.
		for _, p := range []*authz.Principal{w.nurse, w.manager, w.hr, w.admin, w.guardian, nil} {
			if _, err := s.CreateRecord(ctx, p, restore.RecordInput{Report: w.event}); !errors.Is(err, restore.ErrNotAllowed) {
				t.Errorf("create as %v: %v, want ErrNotAllowed", p, err)
			}
			if _, err := s.Records(ctx, p); !errors.Is(err, restore.ErrNotAllowed) {
				t.Errorf("list as %v: %v, want ErrNotAllowed", p, err)
			}
		}
		// Bad targets are refused with a reason.
		_, err := s.CreateRecord(ctx, w.safety, restore.RecordInput{})
		wantField(t, err, "report", "Enter the reference")
		_, err = s.CreateRecord(ctx, w.safety, restore.RecordInput{Report: "SE-NOPE-NOPE"})
		wantField(t, err, "report", "No patient safety event")
		_, err = s.CreateRecord(ctx, w.safety, restore.RecordInput{Report: w.concern})
		wantField(t, err, "report", "No patient safety event")
		_, err = s.CreateRecord(ctx, w.safety, restore.RecordInput{Report: w.merged})
		wantField(t, err, "report", "merged into "+w.event)
		_, err = s.CreateRecord(ctx, w.safety, restore.RecordInput{ResponseID: 77})
		wantField(t, err, "response_id", "No learning response")
		_, err = s.CreateRecord(ctx, w.safety, restore.RecordInput{Report: w.event, ResponseID: 77})
		wantField(t, err, "report", "not both")

		rec, err := s.CreateRecord(ctx, w.safety, restore.RecordInput{Report: strings.ToLower(w.event)})
		if err != nil {
			t.Fatal(err)
		}
		if rec.ReportReference != w.event || len(rec.Goals) != 4 || len(rec.Needs) != 0 {
			t.Fatalf("new record: %+v", rec)
		}
		if pr := rec.Progress(); pr.Acknowledged || pr.Achieved {
			t.Errorf("new record progress %+v", pr)
		}
		_, err = s.CreateRecord(ctx, w.safety, restore.RecordInput{Report: "1"})
		wantField(t, err, "report", "already has a restorative record")

		// 1. Acknowledge who is hurt.
		_, err = s.AddNeed(ctx, w.safety, rec.ID, restore.NeedInput{Who: "villain", Description: ""})
		wantField(t, err, "who", "Choose who")
		wantField(t, err, "description", "Enter a description")
		_, err = s.AddNeed(ctx, w.safety, rec.ID, restore.NeedInput{Who: "patient", Description: "The patient", Met: true})
		wantField(t, err, "needs", "before marking")
		patient, err := s.AddNeed(ctx, w.safety, rec.ID, restore.NeedInput{Who: "patient", Description: "The patient who fell"})
		if err != nil {
			t.Fatal(err)
		}
		nurse, err := s.AddNeed(ctx, w.safety, rec.ID, restore.NeedInput{Who: "staff", Description: "The nurse in charge that night",
			Needs: "Someone to talk to; time out", Obligation: "Ward manager and peer supporter"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddNeed(ctx, w.nurse, rec.ID, restore.NeedInput{Who: "patient", Description: "x"}); !errors.Is(err, restore.ErrNotAllowed) {
			t.Errorf("add need as the nurse: %v", err)
		}
		rec, err = s.Record(ctx, w.safety, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		pr := rec.Progress()
		if !pr.Acknowledged || pr.Explored || pr.Identified || pr.NeedsTotal != 2 {
			t.Errorf("progress after naming: %+v", pr)
		}
		// 2 and 3. Explore what they need and whose obligation it is; 4. met.
		if _, err := s.UpdateNeed(ctx, w.safety, rec.ID, patient.ID, restore.NeedUpdate{Needs: "An honest account and an apology", Obligation: "Matron, under the duty of candour", Met: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpdateNeed(ctx, w.safety, rec.ID, 999, restore.NeedUpdate{}); !errors.Is(err, restore.ErrNotAllowed) {
			t.Errorf("update a need of no record: %v", err)
		}
		_, err = s.UpdateNeed(ctx, w.safety, rec.ID, nurse.ID, restore.NeedUpdate{Needs: strings.Repeat("x", 2001), Obligation: "y"})
		wantField(t, err, "needs", "2,000 characters")

		// The goals.
		_, err = s.SetGoals(ctx, w.safety, rec.ID, map[string]restore.GoalAnswer{"moral_engagement": {Achieved: yes()}, "revenge": {Achieved: yes()}})
		wantField(t, err, "moral_engagement_note", "Say how")
		wantField(t, err, "revenge", "no goal")
		rec, err = s.SetGoals(ctx, w.safety, rec.ID, map[string]restore.GoalAnswer{
			restore.MoralEngagement:        {Achieved: yes(), Note: "Team debrief held with the family's questions answered"},
			restore.EmotionalHealing:       {Achieved: no(), Note: "The nurse is still finding nights hard"},
			restore.OrganisationalLearning: {Achieved: yes(), Note: "Bed alarms now reset automatically"},
		})
		if err != nil {
			t.Fatal(err)
		}
		pr = rec.Progress()
		if !pr.Explored || !pr.Identified || pr.NeedsMet != 1 || pr.GoalsAchieved != 2 || pr.Achieved {
			t.Errorf("progress: %+v", pr)
		}
		if g := rec.Goals[2]; g.Key != restore.Reintegration || g.Achieved != nil {
			t.Errorf("unanswered goal %+v", g)
		}
		// Leaving a goal out keeps its answer.
		rec, err = s.SetGoals(ctx, w.safety, rec.ID, map[string]restore.GoalAnswer{
			restore.EmotionalHealing: {Achieved: yes(), Note: "Back on nights with a buddy"},
			restore.Reintegration:    {Achieved: yes(), Note: "Back on the ward"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if pr := rec.Progress(); !pr.Achieved || rec.Goals[0].Note == "" {
			t.Errorf("all goals: %+v %+v", pr, rec.Goals)
		}
		list, err := s.Records(ctx, w.safety)
		if err != nil || len(list) != 1 || list[0].GoalsAchieved != 4 || list[0].NeedsTotal != 2 || list[0].NeedsMet != 1 {
			t.Fatalf("list: %+v %v", list, err)
		}
		if _, err := s.Record(ctx, w.manager, rec.ID); !errors.Is(err, restore.ErrNotAllowed) {
			t.Errorf("read as manager: %v", err)
		}
		for action, want := range map[string]int{"restore.create": 1, "restore.need.add": 2, "restore.need.update": 1, "restore.goals": 2, "restore.read": 1, "restore.list": 1} {
			if got := auditCount(t, db, action); got != want {
				t.Errorf("audit %s: %d entries, want %d", action, got, want)
			}
		}
	})
}

func TestRestorativeRecordForLearningResponse(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		exec(t, db, `INSERT INTO learning_responses (id, reference, method, title, status, created_by, created_at, updated_at)
			VALUES (5, 'LR-1', 'aar', 'Falls at night on Ward 9', 'open', ?, ?, ?)`, w.safety.UserID, store.T(w.now), store.T(w.now))
		rec, err := w.svc.CreateRecord(ctx, w.safety, restore.RecordInput{ResponseID: 5})
		if err != nil {
			t.Fatal(err)
		}
		if rec.ResponseID != 5 || rec.ResponseTitle != "Falls at night on Ward 9" || rec.ReportID != 0 {
			t.Fatalf("record %+v", rec)
		}
		_, err = w.svc.CreateRecord(ctx, w.safety, restore.RecordInput{ResponseID: 5})
		wantField(t, err, "response_id", "already has")
	})
}

func newPlan(t *testing.T, w *world) restore.Plan {
	t.Helper()
	pl, err := w.svc.CreatePlan(context.Background(), w.safety, restore.PlanInput{EmployeeNumber: w.nurseNumber, SupporterEmail: w.supporter.Email,
		Offered: []string{"time_out", "peer_support"}, OfferedOther: "Changed shifts for two weeks", Report: w.event})
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

func TestSupportPlanCreate(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		s := w.svc
		_, err := s.CreatePlan(ctx, w.safety, restore.PlanInput{})
		wantField(t, err, "person", "Enter the staff member")
		wantField(t, err, "supporter", "Enter the supporter")
		_, err = s.CreatePlan(ctx, w.safety, restore.PlanInput{EmployeeNumber: "E9999", SupporterEmail: "nobody@test.example", FrequencyDays: 200,
			Offered: []string{"a_holiday"}, Report: w.concern})
		wantField(t, err, "person", "No one in the people directory")
		wantField(t, err, "supporter", "needs an account")
		wantField(t, err, "frequency_days", "from 1 to 90")
		wantField(t, err, "offered", "Choose what was offered")
		wantField(t, err, "report", "No patient safety event")
		_, err = s.CreatePlan(ctx, w.safety, restore.PlanInput{EmployeeNumber: "E1003", SupporterEmail: w.nurse.Email})
		wantField(t, err, "person", "left on")
		_, err = s.CreatePlan(ctx, w.safety, restore.PlanInput{EmployeeNumber: w.nurseNumber, SupporterEmail: w.nurse.Email})
		wantField(t, err, "supporter", "someone other than")
		for _, p := range []*authz.Principal{w.nurse, w.supporter, w.manager, w.hr, w.admin, w.guardian} {
			if _, err := s.CreatePlan(ctx, p, restore.PlanInput{EmployeeNumber: w.nurseNumber, SupporterEmail: w.supporter.Email}); !errors.Is(err, restore.ErrNotAllowed) {
				t.Errorf("create as %s: %v", p.Name, err)
			}
		}
		pl := newPlan(t, w)
		if pl.FrequencyDays != restore.DefaultFrequencyDays || pl.Status != restore.Active || pl.PersonName != "Alex Nurse" ||
			pl.SupporterName != "Sam Peer" || pl.ReportReference != w.event || len(pl.OfferedLabels()) != 3 {
			t.Fatalf("plan %+v", pl)
		}
		if pl.NextCheckInDue != "2026-03-17" || pl.CheckInLapsed {
			t.Errorf("first check-in due %s lapsed %v", pl.NextCheckInDue, pl.CheckInLapsed)
		}
		// The supporter is told, without the staff member's name.
		var body string
		if err := db.QueryRowContext(ctx, `SELECT body FROM notifications WHERE user_id = ?`, w.supporter.UserID).Scan(&body); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(body, "Alex") {
			t.Errorf("notice names the staff member: %q", body)
		}
	})
}

// The role table: only the staff member, their supporter and the patient
// safety team see a plan; not their line manager, HR, administrators,
// guardians or other staff.
func TestSupportPlanVisibility(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		pl := newPlan(t, w)
		table := []struct {
			who  string
			p    *authz.Principal
			sees bool
		}{
			{"staff member", w.nurse, true},
			{"supporter", w.supporter, true},
			{"patient safety lead", w.safety, true},
			{"line manager", w.manager, false},
			{"HR", w.hr, false},
			{"administrator", w.admin, false},
			{"guardian", w.guardian, false},
			{"another member of staff", w.otherStaff, false},
			{"nobody signed in", nil, false},
		}
		for _, row := range table {
			got, err := w.svc.Plan(ctx, row.p, pl.ID)
			if row.sees != (err == nil) {
				t.Errorf("%s reads the plan: %v, want sees=%v", row.who, err, row.sees)
			}
			if !row.sees && !errors.Is(err, restore.ErrNotAllowed) {
				t.Errorf("%s: %v, want ErrNotAllowed", row.who, err)
			}
			if row.sees && got.ID != pl.ID {
				t.Errorf("%s got plan %d", row.who, got.ID)
			}
			if row.p == nil {
				continue
			}
			list, err := w.svc.Plans(ctx, row.p)
			if err != nil {
				t.Fatal(err)
			}
			if row.sees != (len(list) == 1) {
				t.Errorf("%s lists %d plans, want sees=%v", row.who, len(list), row.sees)
			}
			if _, err := w.svc.AddCheckIn(ctx, row.p, pl.ID, restore.CheckInInput{HeldOn: "2026-03-09"}); !row.sees && !errors.Is(err, restore.ErrNotAllowed) {
				t.Errorf("%s logs a check-in: %v, want ErrNotAllowed", row.who, err)
			}
		}
		if n := auditCount(t, db, "support.read"); n != 3 {
			t.Errorf("%d support.read audit entries, want 3 (one per allowed read)", n)
		}
		v, _ := w.svc.Plan(ctx, w.nurse, pl.ID)
		if !v.Viewer.StaffMember || v.Viewer.Supporter || v.Viewer.SafetyTeam {
			t.Errorf("nurse's viewer %+v", v.Viewer)
		}
	})
}

func TestSupportPlanCheckInsOwnViewAndClose(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		s := w.svc
		pl := newPlan(t, w)

		// Check-ins: the supporter and the safety team, never in the future.
		_, err := s.AddCheckIn(ctx, w.supporter, pl.ID, restore.CheckInInput{HeldOn: "2026-03-11"})
		wantField(t, err, "held_on", "today or in the past")
		_, err = s.AddCheckIn(ctx, w.supporter, pl.ID, restore.CheckInInput{HeldOn: "2026-02-30"})
		wantField(t, err, "held_on", "real date")
		_, err = s.AddCheckIn(ctx, w.supporter, pl.ID, restore.CheckInInput{})
		wantField(t, err, "held_on", "Enter the date")
		if _, err := s.AddCheckIn(ctx, w.nurse, pl.ID, restore.CheckInInput{HeldOn: "2026-03-10"}); !errors.Is(err, restore.ErrSupporterOnly) {
			t.Errorf("check-in by the staff member: %v", err)
		}
		if _, err := s.AddCheckIn(ctx, w.supporter, pl.ID, restore.CheckInInput{HeldOn: "2026-03-10", Notes: "Coffee after the shift; sleeping badly."}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddCheckIn(ctx, w.safety, pl.ID, restore.CheckInInput{HeldOn: "2026-03-08"}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Plan(ctx, w.nurse, pl.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.CheckIns) != 2 || got.CheckIns[0].HeldOn != "2026-03-10" || got.LastCheckIn != "2026-03-10" || got.NextCheckInDue != "2026-03-17" {
			t.Errorf("check-ins %+v last %s due %s", got.CheckIns, got.LastCheckIn, got.NextCheckInDue)
		}
		w.now = time.Date(2026, 3, 18, 12, 0, 0, 0, time.UTC)
		got, _ = s.Plan(ctx, w.supporter, pl.ID)
		if !got.CheckInLapsed || got.CheckInLapsedFor != 1 {
			t.Errorf("lapsed %v for %d days", got.CheckInLapsed, got.CheckInLapsedFor)
		}

		// Own view: only the staff member, not the supporter or the safety lead.
		for _, p := range []*authz.Principal{w.supporter, w.safety} {
			if _, err := s.SetOwnView(ctx, p, pl.ID, "Written for them"); !errors.Is(err, restore.ErrStaffMemberOnly) {
				t.Errorf("own view by %s: %v, want ErrStaffMemberOnly", p.Name, err)
			}
		}
		if _, err := s.SetOwnView(ctx, w.manager, pl.ID, "x"); !errors.Is(err, restore.ErrNotAllowed) {
			t.Errorf("own view by the manager: %v", err)
		}
		_, err = s.SetOwnView(ctx, w.nurse, pl.ID, strings.Repeat("a", 4001))
		wantField(t, err, "own_view", "4,000 characters")
		got, err = s.SetOwnView(ctx, w.nurse, pl.ID, "  The peer support helped most. I would like to talk to the family when they are ready.  ")
		if err != nil {
			t.Fatal(err)
		}
		if got.OwnView != "The peer support helped most. I would like to talk to the family when they are ready." {
			t.Errorf("own view %q", got.OwnView)
		}

		// Closing: the supporter or the safety team; then nothing more.
		if _, err := s.ClosePlan(ctx, w.nurse, pl.ID); !errors.Is(err, restore.ErrSupporterOnly) {
			t.Errorf("close by the staff member: %v", err)
		}
		got, err = s.ClosePlan(ctx, w.supporter, pl.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != restore.Closed || got.ClosedAt.IsZero() || got.CheckInLapsed || got.NextCheckInDue != "" {
			t.Errorf("closed plan %+v", got)
		}
		if _, err := s.ClosePlan(ctx, w.safety, pl.ID); !errors.Is(err, restore.ErrClosed) {
			t.Errorf("close twice: %v", err)
		}
		if _, err := s.AddCheckIn(ctx, w.supporter, pl.ID, restore.CheckInInput{HeldOn: "2026-03-18"}); !errors.Is(err, restore.ErrClosed) {
			t.Errorf("check-in on a closed plan: %v", err)
		}
		for action, want := range map[string]int{"support.create": 1, "support.check_in": 2, "support.own_view": 1, "support.close": 1} {
			if n := auditCount(t, db, action); n != want {
				t.Errorf("audit %s: %d, want %d", action, n, want)
			}
		}
	})
}

func noticeCount(t *testing.T, db *store.DB, userID int64, like string) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), `SELECT count(*) FROM notifications WHERE user_id = ? AND body LIKE ?`, userID, "%"+like+"%").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCheckInRemindersFireOnce(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		s := w.svc
		pl := newPlan(t, w) // started 10 March, first check-in due 17 March

		for _, day := range []int{12, 17} {
			w.now = time.Date(2026, 3, day, 10, 0, 0, 0, time.UTC)
			if n, err := s.RunCheckInReminders(ctx); err != nil || n != 0 {
				t.Fatalf("on %d March: %d reminders, %v; want none before it lapses", day, n, err)
			}
		}
		w.now = time.Date(2026, 3, 18, 10, 0, 0, 0, time.UTC)
		if n, err := s.RunCheckInReminders(ctx); err != nil || n != 1 {
			t.Fatalf("first lapsed run: %d, %v; want 1", n, err)
		}
		w.now = time.Date(2026, 3, 19, 10, 0, 0, 0, time.UTC)
		if n, err := s.RunCheckInReminders(ctx); err != nil || n != 0 {
			t.Fatalf("next day: %d, %v; want 0 (already reminded)", n, err)
		}
		if n := noticeCount(t, db, w.supporter.UserID, "was due on 17 March 2026"); n != 1 {
			t.Errorf("%d reminders for 17 March, want 1", n)
		}
		// A check-in moves the due date on; a later lapse reminds again.
		if _, err := s.AddCheckIn(ctx, w.supporter, pl.ID, restore.CheckInInput{HeldOn: "2026-03-19"}); err != nil {
			t.Fatal(err)
		}
		w.now = time.Date(2026, 3, 27, 10, 0, 0, 0, time.UTC)
		if n, err := s.RunCheckInReminders(ctx); err != nil || n != 1 {
			t.Fatalf("second lapse: %d, %v; want 1", n, err)
		}
		// Closed plans are left alone.
		if _, err := s.ClosePlan(ctx, w.safety, pl.ID); err != nil {
			t.Fatal(err)
		}
		w.now = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
		if n, err := s.RunCheckInReminders(ctx); err != nil || n != 0 {
			t.Fatalf("closed plan: %d, %v", n, err)
		}
		if n := auditCount(t, db, "support.reminder"); n != 2 {
			t.Errorf("%d reminder audit entries, want 2", n)
		}
	})
}

// Replicas running the job at the same moment send each reminder once.
func TestCheckInRemindersAcrossReplicas(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db)
		const plans = 6
		for range plans {
			newPlan(t, w)
		}
		w.now = time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC)
		var wg sync.WaitGroup
		counts := make([]int, 4)
		errs := make([]error, 4)
		for i := range counts {
			replica := &restore.Service{DB: db, Now: func() time.Time { return w.now }}
			wg.Go(func() { counts[i], errs[i] = replica.RunCheckInReminders(ctx) })
		}
		wg.Wait()
		total := 0
		for i := range counts {
			if errs[i] != nil {
				t.Fatalf("replica %d: %v", i, errs[i])
			}
			total += counts[i]
		}
		if total != plans {
			t.Errorf("replicas sent %d reminders between them, want %d", total, plans)
		}
		if n := noticeCount(t, db, w.supporter.UserID, "was due on"); n != plans {
			t.Errorf("%d reminder notices, want %d", n, plans)
		}
	})
}
