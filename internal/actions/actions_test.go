package actions_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"candour/internal/actions"
	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/store/storetest"
	"candour/internal/validate"
)

// clock is a controllable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) days(n int)     { c.mu.Lock(); c.t = c.t.AddDate(0, 0, n); c.mu.Unlock() }

// fixture is a database with a safety lead, a second safety team member, a
// ward manager, a nurse, a bystander, a safety event and a learning response.
type fixture struct {
	db                                     *store.DB
	svc                                    *actions.Service
	clock                                  *clock
	lead, lead2, manager, nurse, bystander *authz.Principal
	eventRef, concernRef, mergedRef, lrRef string
	eventID, concernID, mergedID, lrID     int64
}

func date(t time.Time, days int) string { return t.AddDate(0, 0, days).Format(store.DateLayout) }

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: db, clock: &clock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}}
	f.svc = actions.NewService(db)
	f.svc.Now = f.clock.Now
	f.svc.BaseURL = "https://candour.test"
	now := store.T(f.clock.Now())
	user := func(email string, roles ...authz.Role) *authz.Principal {
		var uid int64
		if err := db.QueryRowContext(ctx, `INSERT INTO users (email, name, created_at, updated_at) VALUES (?, ?, ?, ?) RETURNING id`,
			email, strings.Split(email, "@")[0], now, now).Scan(&uid); err != nil {
			t.Fatal(err)
		}
		for _, r := range roles {
			if _, err := db.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, uid, string(r)); err != nil {
				t.Fatal(err)
			}
		}
		return &authz.Principal{UserID: uid, Email: email, Roles: roles}
	}
	f.lead = user("lead@test.example", authz.Safety)
	f.lead2 = user("lead2@test.example", authz.Safety)
	f.manager = user("manager@test.example", authz.Manager)
	f.nurse = user("nurse@test.example", authz.Staff)
	f.bystander = user("bystander@test.example", authz.Staff)
	rep := func(ref, kind string, dup int64) int64 {
		var rid int64
		var d any
		if dup != 0 {
			d = dup
		}
		team := "safety"
		if kind == "concern" {
			team = "guardian"
		}
		if err := db.QueryRowContext(ctx, `INSERT INTO reports (reference, kind, mode, team, status, description, duplicate_of,
			received_on, created_at, updated_at, ack_due_on, feedback_due_on) VALUES (?, ?, 'anonymous', ?, 'in_review', 'What happened', ?,
			'2026-03-01', ?, ?, '2026-03-08', '2026-05-30') RETURNING id`, ref, kind, team, d, now, now).Scan(&rid); err != nil {
			t.Fatal(err)
		}
		return rid
	}
	f.eventRef, f.concernRef, f.mergedRef = "SE-AAAA-CCCC", "SU-DDDD-EEEE", "SE-FFFF-GGGG"
	f.eventID = rep(f.eventRef, "safety_event", 0)
	f.concernID = rep(f.concernRef, "concern", 0)
	f.mergedID = rep(f.mergedRef, "safety_event", f.eventID)
	f.lrRef = "LR-0001"
	if err := db.QueryRowContext(ctx, `INSERT INTO learning_responses (reference, method, title, status, created_by, created_at, updated_at)
		VALUES (?, 'aar', 'After action review', 'open', ?, ?, ?) RETURNING id`, f.lrRef, f.lead.UserID, now, now).Scan(&f.lrID); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) create(t *testing.T, in actions.Input) actions.Action {
	t.Helper()
	a, err := f.svc.Create(context.Background(), f.lead, in)
	if err != nil {
		t.Fatalf("create %+v: %v", in, err)
	}
	return a
}

func fieldErr(t *testing.T, err error, field, contains string) {
	t.Helper()
	fe, ok := validate.As(err)
	if !ok {
		t.Fatalf("error = %v, want a field error on %s", err, field)
	}
	for _, e := range fe {
		if e.Field == field && strings.Contains(e.Message, contains) {
			return
		}
	}
	t.Fatalf("errors %v lack %s: %q", fe, field, contains)
}

func count(t *testing.T, db *store.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func ptr[T any](v T) *T { return &v }

func TestCreate(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		today := f.clock.Now()
		good := actions.Input{Title: "Add an ECG paper check to the start-of-shift list", Description: "Majors ran out of ECG paper.",
			OwnerID: f.manager.UserID, DueOn: date(today, 30), Report: f.eventRef, Response: f.lrRef}

		// Refusals, each with a clear message, and nothing stored.
		in := good
		in.DueOn = date(today, -1)
		_, err := f.svc.Create(ctx, f.lead, in)
		fieldErr(t, err, "due_on", "must be today or in the future")
		in.DueOn = "31/02/2026"
		_, err = f.svc.Create(ctx, f.lead, in)
		fieldErr(t, err, "due_on", "real date")
		in.DueOn = date(today, 366*6)
		_, err = f.svc.Create(ctx, f.lead, in)
		fieldErr(t, err, "due_on", "within 5 years")
		in = good
		in.Title, in.OwnerID = "  ", 0
		_, err = f.svc.Create(ctx, f.lead, in)
		fieldErr(t, err, "title", "Enter title")
		fieldErr(t, err, "owner", "Choose who owns")
		in = good
		in.Report, in.Response = "SE-NONE-NONE", "LR-9999"
		_, err = f.svc.Create(ctx, f.lead, in)
		fieldErr(t, err, "report", "No patient safety event has the reference SE-NONE-NONE")
		fieldErr(t, err, "response", "No learning response")
		in.Report, in.Response = f.concernRef, ""
		_, err = f.svc.Create(ctx, f.lead, in)
		fieldErr(t, err, "report", "No patient safety event")
		in.Report = f.mergedRef
		_, err = f.svc.Create(ctx, f.lead, in)
		fieldErr(t, err, "report", "was merged into "+f.eventRef)
		if _, err := db.ExecContext(ctx, `UPDATE users SET disabled = TRUE WHERE id = ?`, f.bystander.UserID); err != nil {
			t.Fatal(err)
		}
		in = good
		in.OwnerID = f.bystander.UserID
		_, err = f.svc.Create(ctx, f.lead, in)
		fieldErr(t, err, "owner", "active users")
		for _, p := range []*authz.Principal{f.manager, f.nurse, nil} {
			if _, err := f.svc.Create(ctx, p, good); !errors.Is(err, actions.ErrSafetyOnly) {
				t.Errorf("create as %v = %v, want ErrSafetyOnly", p, err)
			}
		}
		if n := count(t, db, `SELECT count(*) FROM improvement_actions`); n != 0 {
			t.Fatalf("%d actions stored by refused requests", n)
		}

		// Due today is fine; links by reference or id.
		in = good
		in.DueOn = date(today, 0)
		in.Report = "se-aaaa-cccc"
		a := f.create(t, in)
		if a.Status != actions.Open || a.Report.ID != f.eventID || a.Response.Reference != f.lrRef || a.OwnerName != "manager" || a.Overdue(f.svc.Today()) {
			t.Fatalf("created %+v", a)
		}
		// The owner hears about it, in candour and by email without the description.
		if n := count(t, db, `SELECT count(*) FROM notifications WHERE user_id = ? AND link = ?`, f.manager.UserID, "/actions/"+itoa(a.ID)); n != 1 {
			t.Errorf("owner notices = %d, want 1", n)
		}
		var body string
		db.QueryRowContext(ctx, `SELECT body FROM outbox WHERE to_addr = 'manager@test.example'`).Scan(&body)
		if !strings.Contains(body, good.Title) || strings.Contains(body, "Majors ran out") || !strings.Contains(body, "https://candour.test/actions/") {
			t.Errorf("owner email = %q", body)
		}
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'action.create' AND entity_id = ?`, itoa(a.ID)); n != 1 {
			t.Errorf("audit entries = %d", n)
		}
		in.Report, in.Response = itoa(f.eventID), itoa(f.lrID)
		if b := f.create(t, in); b.Report.Reference != f.eventRef || b.Response.ID != f.lrID {
			t.Errorf("linked by id: %+v", b)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestStatusRules(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		a := f.create(t, actions.Input{Title: "Separate look-alike insulin pens", OwnerID: f.nurse.UserID, DueOn: date(f.clock.Now(), 14)})

		// The owner moves it on, but cannot finish without evidence.
		got, err := f.svc.Update(ctx, f.nurse, a.ID, actions.Change{Status: ptr(actions.InProgress)})
		if err != nil || got.Status != actions.InProgress {
			t.Fatalf("in progress: %+v, %v", got, err)
		}
		_, err = f.svc.Update(ctx, f.nurse, a.ID, actions.Change{Status: ptr(actions.Done)})
		fieldErr(t, err, "evidence", "Enter the evidence of completion")
		_, err = f.svc.Update(ctx, f.nurse, a.ID, actions.Change{Status: ptr(actions.Done), Evidence: ptr("   ")})
		fieldErr(t, err, "evidence", "Enter the evidence of completion")
		_, err = f.svc.Update(ctx, f.nurse, a.ID, actions.Change{Status: ptr(actions.Status("finished"))})
		fieldErr(t, err, "status", "Choose a status")
		// The owner may not cancel, change details or reopen.
		for name, c := range map[string]actions.Change{
			"cancel":   {Status: ptr(actions.Cancelled), Reason: "not needed"},
			"due date": {DueOn: ptr(date(f.clock.Now(), 40))},
			"title":    {Title: ptr("Something else")},
			"owner":    {OwnerID: ptr(f.manager.UserID)},
		} {
			if _, err := f.svc.Update(ctx, f.nurse, a.ID, c); !errors.Is(err, actions.ErrSafetyOnly) {
				t.Errorf("owner %s = %v, want ErrSafetyOnly", name, err)
			}
		}
		got, err = f.svc.Update(ctx, f.nurse, a.ID, actions.Change{Status: ptr(actions.Done), Evidence: ptr("Pens now in separate labelled boxes; audit of 3 fridges clean.")})
		if err != nil || got.Status != actions.Done || got.CompletedAt.IsZero() || !strings.Contains(got.Evidence, "labelled boxes") {
			t.Fatalf("done: %+v, %v", got, err)
		}
		// Evidence cannot then be emptied.
		_, err = f.svc.Update(ctx, f.nurse, a.ID, actions.Change{Evidence: ptr("")})
		fieldErr(t, err, "evidence", "Enter the evidence")
		if _, err := f.svc.Update(ctx, f.nurse, a.ID, actions.Change{Status: ptr(actions.Open)}); !errors.Is(err, actions.ErrSafetyOnly) {
			t.Errorf("owner reopening = %v, want ErrSafetyOnly", err)
		}

		// The safety team cancels, only with a reason, and may reopen.
		b := f.create(t, actions.Input{Title: "Replace the delivery room 3 buzzer", OwnerID: f.manager.UserID, DueOn: date(f.clock.Now(), 7)})
		_, err = f.svc.Update(ctx, f.lead, b.ID, actions.Change{Status: ptr(actions.Cancelled), Reason: " "})
		fieldErr(t, err, "reason", "Enter reason for cancelling")
		_, err = f.svc.Update(ctx, f.lead, b.ID, actions.Change{Reason: "because"})
		fieldErr(t, err, "reason", "only when cancelling")
		got, err = f.svc.Update(ctx, f.lead, b.ID, actions.Change{Status: ptr(actions.Cancelled), Reason: "Estates replaced the whole call system instead."})
		if err != nil || got.Status != actions.Cancelled || got.CancelReason == "" || got.Evidence != "" || got.CompletedAt.IsZero() {
			t.Fatalf("cancelled: %+v, %v", got, err)
		}
		got, err = f.svc.Update(ctx, f.lead, b.ID, actions.Change{Status: ptr(actions.Open)})
		if err != nil || got.Status != actions.Open || got.CancelReason != "" || !got.CompletedAt.IsZero() {
			t.Fatalf("reopened: %+v, %v", got, err)
		}
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'action.update' AND entity_id = ?`, itoa(b.ID)); n != 2 {
			t.Errorf("audit entries for b = %d, want 2", n)
		}
		var detail string
		db.QueryRowContext(ctx, `SELECT detail FROM audit_log WHERE action = 'action.update' AND entity_id = ? ORDER BY seq LIMIT 1`, itoa(b.ID)).Scan(&detail)
		if !strings.Contains(detail, "open -> cancelled") || !strings.Contains(detail, "Estates replaced") {
			t.Errorf("audit detail = %q", detail)
		}
	})
}

func TestVisibility(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		mine := f.create(t, actions.Input{Title: "Ward 9 bed alarm check at each handover", OwnerID: f.manager.UserID, DueOn: date(f.clock.Now(), 10)})
		theirs := f.create(t, actions.Input{Title: "Nurse's action", OwnerID: f.nurse.UserID, DueOn: date(f.clock.Now(), 5)})

		for _, p := range []*authz.Principal{f.lead, f.lead2, f.manager} {
			if _, err := f.svc.Get(ctx, p, mine.ID); err != nil {
				t.Errorf("%s cannot see the manager's action: %v", p.Email, err)
			}
		}
		for _, p := range []*authz.Principal{f.nurse, f.bystander, nil} {
			if _, err := f.svc.Get(ctx, p, mine.ID); !errors.Is(err, actions.ErrNotAllowed) {
				t.Errorf("%v sees the manager's action: %v", p, err)
			}
			if _, err := f.svc.Update(ctx, p, mine.ID, actions.Change{Status: ptr(actions.InProgress)}); !errors.Is(err, actions.ErrNotAllowed) {
				t.Errorf("%v changed the manager's action: %v", p, err)
			}
		}
		if _, err := f.svc.Get(ctx, f.lead, 999999); !errors.Is(err, actions.ErrNotAllowed) {
			t.Errorf("missing action = %v", err)
		}

		list, _, err := f.svc.List(ctx, f.manager, actions.Query{})
		if err != nil || len(list) != 1 || list[0].ID != mine.ID {
			t.Fatalf("manager's list = %+v, %v", list, err)
		}
		list, _, _ = f.svc.List(ctx, f.bystander, actions.Query{Status: "all"})
		if len(list) != 0 {
			t.Fatalf("bystander sees %d actions", len(list))
		}
		_, _, err = f.svc.List(ctx, f.manager, actions.Query{OwnerID: f.nurse.UserID})
		fieldErr(t, err, "owner", "only your own")
		list, _, _ = f.svc.List(ctx, f.lead, actions.Query{})
		if len(list) != 2 || list[0].ID != theirs.ID {
			t.Fatalf("lead's list = %+v; want both, earliest due first", list)
		}
		list, _, _ = f.svc.List(ctx, f.lead, actions.Query{OwnerID: f.nurse.UserID})
		if len(list) != 1 || list[0].ID != theirs.ID {
			t.Fatalf("lead filtering by owner = %+v", list)
		}
		list, _, _ = f.svc.List(ctx, f.lead, actions.Query{Mine: true})
		if len(list) != 0 {
			t.Fatalf("lead's own = %+v", list)
		}
		if _, _, err := f.svc.Overdue(ctx, f.manager, 0, ""); !errors.Is(err, actions.ErrSafetyOnly) {
			t.Errorf("manager's overdue view = %v", err)
		}
		_, _, err = f.svc.List(ctx, f.lead, actions.Query{Status: "finished", After: "bogus", Limit: 9999})
		fieldErr(t, err, "status", "Choose")
		fieldErr(t, err, "after", "not valid")
		fieldErr(t, err, "limit", "1 to 500")
	})
}

func TestOverdueAndDueDates(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		start := f.clock.Now()
		a := f.create(t, actions.Input{Title: "A, due in 5 days", OwnerID: f.nurse.UserID, DueOn: date(start, 5), Report: f.eventRef})
		b := f.create(t, actions.Input{Title: "B, due in 2 days", OwnerID: f.manager.UserID, DueOn: date(start, 2)})
		c := f.create(t, actions.Input{Title: "C, due in 3 days, done", OwnerID: f.manager.UserID, DueOn: date(start, 3)})
		d := f.create(t, actions.Input{Title: "D, due in 30 days", OwnerID: f.manager.UserID, DueOn: date(start, 30)})
		if _, err := f.svc.Update(ctx, f.lead, c.ID, actions.Change{Status: ptr(actions.Done), Evidence: ptr("Done and checked")}); err != nil {
			t.Fatal(err)
		}
		f.clock.days(10)
		today := f.svc.Today()
		over, next, err := f.svc.Overdue(ctx, f.lead, 0, "")
		if err != nil || next != "" || len(over) != 2 || over[0].ID != b.ID || over[1].ID != a.ID {
			t.Fatalf("overdue = %+v, %q, %v; want B then A", over, next, err)
		}
		if over[0].DaysOverdue(today) != 8 || !over[1].Overdue(today) {
			t.Errorf("B is %d days overdue, want 8", over[0].DaysOverdue(today))
		}
		// A page at a time.
		page, next, _ := f.svc.Overdue(ctx, f.lead, 1, "")
		if len(page) != 1 || next == "" {
			t.Fatalf("first page %+v next %q", page, next)
		}
		page, next, _ = f.svc.Overdue(ctx, f.lead, 1, next)
		if len(page) != 1 || page[0].ID != a.ID || next != "" {
			t.Fatalf("second page %+v next %q", page, next)
		}
		// Filters.
		got, _, _ := f.svc.List(ctx, f.lead, actions.Query{ReportID: f.eventID})
		if len(got) != 1 || got[0].ID != a.ID {
			t.Errorf("by report = %+v", got)
		}
		got, _, _ = f.svc.List(ctx, f.lead, actions.Query{Status: "done"})
		if len(got) != 1 || got[0].ID != c.ID {
			t.Errorf("done = %+v", got)
		}
		got, _, _ = f.svc.List(ctx, f.lead, actions.Query{Status: "all"})
		if len(got) != 4 {
			t.Errorf("all = %d", len(got))
		}
		_ = d

		// An overdue action keeps its date through other edits...
		if _, err := f.svc.Update(ctx, f.lead, a.ID, actions.Change{Title: ptr("A, renamed"), DueOn: ptr(a.DueOn)}); err != nil {
			t.Fatalf("editing an overdue action without moving its date: %v", err)
		}
		// ...but cannot be moved to another past date, nor a new one to the past.
		_, err = f.svc.Update(ctx, f.lead, a.ID, actions.Change{DueOn: ptr(date(f.clock.Now(), -1))})
		fieldErr(t, err, "due_on", "has passed")
		_, err = f.svc.Update(ctx, f.lead, d.ID, actions.Change{DueOn: ptr(date(f.clock.Now(), -1))})
		fieldErr(t, err, "due_on", "today or in the future")
		moved, err := f.svc.Update(ctx, f.lead, a.ID, actions.Change{DueOn: ptr(date(f.clock.Now(), 7))})
		if err != nil || moved.Overdue(today) || moved.Title != "A, renamed" {
			t.Fatalf("moved: %+v, %v", moved, err)
		}
		// Unlinking and relinking.
		moved, err = f.svc.Update(ctx, f.lead, a.ID, actions.Change{Report: ptr(""), Response: ptr(f.lrRef)})
		if err != nil || moved.Report.ID != 0 || moved.Response.ID != f.lrID {
			t.Fatalf("relinked: %+v, %v", moved, err)
		}
		_, err = f.svc.Update(ctx, f.lead, a.ID, actions.Change{Report: ptr(f.mergedRef)})
		fieldErr(t, err, "report", "merged")
	})
}

func notices(t *testing.T, db *store.DB, userID int64) int {
	return count(t, db, `SELECT count(*) FROM notifications WHERE user_id = ?`, userID)
}

func TestRemindersFireOnce(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		a := f.create(t, actions.Input{Title: "Print discharge letters for offline visits", Description: "Confidential narrative",
			OwnerID: f.nurse.UserID, DueOn: date(f.clock.Now(), 10)})
		done := f.create(t, actions.Input{Title: "Already done", OwnerID: f.nurse.UserID, DueOn: date(f.clock.Now(), 4)})
		if _, err := f.svc.Update(ctx, f.nurse, done.ID, actions.Change{Status: ptr(actions.Done), Evidence: ptr("done")}); err != nil {
			t.Fatal(err)
		}
		base := notices(t, db, f.nurse.UserID) // the "you own this" notices
		outbox := count(t, db, `SELECT count(*) FROM outbox`)
		run := func(want int) {
			t.Helper()
			n, err := f.svc.RunReminders(ctx)
			if err != nil || n != want {
				t.Fatalf("on %s fired %d (%v), want %d", f.svc.Today(), n, err, want)
			}
		}
		run(0)
		f.clock.days(6) // 4 days before
		run(0)
		f.clock.days(1) // 3 days before: the owner's reminder, once
		run(1)
		run(0)
		if n := notices(t, db, f.nurse.UserID) - base; n != 1 {
			t.Fatalf("owner reminders = %d", n)
		}
		if n := notices(t, db, f.lead.UserID); n != 0 {
			t.Fatalf("the lead was told about a reminder: %d", n)
		}
		f.clock.days(3) // the due date itself: not yet overdue
		run(0)
		f.clock.days(1) // the day after: escalate to the owner and both leads
		run(1)
		run(0)
		f.clock.days(5)
		run(0)
		if n := notices(t, db, f.nurse.UserID) - base; n != 2 {
			t.Errorf("owner notices = %d, want 2", n)
		}
		for _, l := range []*authz.Principal{f.lead, f.lead2} {
			if n := notices(t, db, l.UserID); n != 1 {
				t.Errorf("%s notices = %d, want 1", l.Email, n)
			}
		}
		if n := count(t, db, `SELECT count(*) FROM outbox`) - outbox; n != 4 {
			t.Errorf("emails = %d, want 4", n)
		}
		if n := count(t, db, `SELECT count(*) FROM outbox WHERE body LIKE '%Confidential narrative%'`); n != 0 {
			t.Errorf("%d emails carry the description", n)
		}
		if n := count(t, db, `SELECT count(*) FROM audit_log WHERE action = 'action.notice'`); n != 2 {
			t.Errorf("notice audit entries = %d", n)
		}
		// A new date earns a new reminder and escalation.
		if _, err := f.svc.Update(ctx, f.lead, a.ID, actions.Change{DueOn: ptr(date(f.clock.Now(), 2))}); err != nil {
			t.Fatal(err)
		}
		run(1)
		run(0)
		f.clock.days(3)
		run(1)
		run(0)
		// Done actions are never chased.
		if _, err := f.svc.Update(ctx, f.nurse, a.ID, actions.Change{Status: ptr(actions.Done), Evidence: ptr("Letters printed weekly")}); err != nil {
			t.Fatal(err)
		}
		f.clock.days(30)
		run(0)
	})
}

// Two replicas, each with its own connection pool, running the job at the
// same moment still fire each notice once.
func TestRemindersAcrossReplicas(t *testing.T) {
	u := storetest.PostgresDatabaseURL(t)
	ctx := context.Background()
	open := func() *store.DB {
		db, err := store.Open(ctx, u, store.Options{MaxConns: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	first := open()
	if _, err := first.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, first)
	for i := 0; i < 15; i++ {
		f.create(t, actions.Input{Title: "Overdue action " + strconv.Itoa(i), OwnerID: f.nurse.UserID, DueOn: date(f.clock.Now(), 1)})
		f.create(t, actions.Input{Title: "Due soon action " + strconv.Itoa(i), OwnerID: f.manager.UserID, DueOn: date(f.clock.Now(), 5)})
	}
	f.clock.days(2) // 15 overdue, 15 due in 3 days
	base := count(t, first, `SELECT count(*) FROM notifications`)
	second := *f.svc
	second.DB = open()
	var wg sync.WaitGroup
	totals := make([]int, 2)
	for i, svc := range []*actions.Service{f.svc, &second} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := svc.RunReminders(ctx)
			if err != nil {
				t.Error(err)
			}
			totals[i] = n
		}()
	}
	wg.Wait()
	// Each overdue action tells the owner and two leads; each reminder the owner.
	got := count(t, first, `SELECT count(*) FROM notifications`) - base
	if totals[0]+totals[1] != 30 || got != 15*3+15 {
		t.Fatalf("replicas fired %v and %d notices; want 30 fired, 60 notices", totals, got)
	}
	if n := count(t, first, `SELECT count(*) FROM action_notices`); n != 30 {
		t.Fatalf("%d claims, want 30", n)
	}
}
