package report_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"candour/internal/account"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/org"
	"candour/internal/report"
	"candour/internal/secret"
	"candour/internal/store"
	"candour/internal/store/storetest"
	"candour/internal/validate"
)

// fixture is a report service over a real database with a department and
// one user per role (two guardians).
type fixture struct {
	db    *store.DB
	svc   *report.Service
	dept  int64
	users map[string]*authz.Principal
	clock *time.Time
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	keys, err := secret.NewRing(secret.NewKeySpec("k1"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	f := &fixture{db: db, clock: &now, users: map[string]*authz.Principal{}}
	f.svc = report.NewService(db, keys)
	f.svc.Now = func() time.Time { return *f.clock }
	f.svc.BaseURL = "https://candour.test"
	dir := org.New(db)
	site, err := dir.CreateSite(ctx, audit.System, org.Site{Code: "NGH", Name: "Northfield General"})
	if err != nil {
		t.Fatal(err)
	}
	dep, err := dir.CreateDepartment(ctx, audit.System, org.Department{SiteID: site.ID, Code: "W7", Name: "Ward 7", Kind: "ward"})
	if err != nil {
		t.Fatal(err)
	}
	f.dept = dep.ID
	acc := account.New(db)
	for name, role := range map[string]authz.Role{"staff": authz.Staff, "manager": authz.Manager, "guardian": authz.Guardian,
		"guardian2": authz.Guardian, "safety": authz.Safety, "hr": authz.HR, "union": authz.UnionRep, "exec": authz.Exec, "admin": authz.Admin} {
		u, err := acc.Create(ctx, audit.System, account.NewUser{Email: name + "@trust.example", Name: "Person " + name, Roles: []authz.Role{role}})
		if err != nil {
			t.Fatal(err)
		}
		f.users[name] = &authz.Principal{UserID: u.ID, Email: u.Email, Name: u.Name, Roles: u.Roles}
	}
	return f
}

func (f *fixture) event(mode report.Mode) report.Submission {
	return report.Submission{Kind: report.SafetyEvent, Mode: mode, DepartmentID: f.dept, OccurredOn: "2026-03-01", OccurredTime: "14:30",
		Description: "Patient in bed 4 was given a second dose of paracetamol because the chart had not been signed.",
		EventType:   "incident", PhysicalHarm: "low", PsychologicalHarm: "none",
		People: []report.Involved{{Role: "patient", Description: "Patient in bed 4", Name: "Margaret Thornbury"}}}
}

func (f *fixture) concern(mode report.Mode) report.Submission {
	return report.Submission{Kind: report.Concern, Mode: mode, Description: "Shifts on the ward are regularly left short and people are afraid to say so.",
		Elements: []string{"worker_safety", "patient_safety"}, DesiredOutcome: "Safer staffing"}
}

func fields(err error) map[string]string {
	out := map[string]string{}
	if v, ok := validate.As(err); ok {
		for _, e := range v {
			out[e.Field] = e.Message
		}
	}
	return out
}

func TestSubmitValidation(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	cases := []struct {
		name  string
		edit  func(*report.Submission)
		p     *authz.Principal
		field string
	}{
		{"empty narrative", func(s *report.Submission) { s.Description = "   " }, nil, "description"},
		{"huge narrative", func(s *report.Submission) { s.Description = strings.Repeat("a", report.MaxDescription+1) }, nil, "description"},
		{"control characters", func(s *report.Submission) { s.Description = "bad \x00 bytes in the text here" }, nil, "description"},
		{"future date", func(s *report.Submission) { s.OccurredOn = "2026-03-03" }, nil, "occurred_on-day"},
		{"before the NHS", func(s *report.Submission) { s.OccurredOn = "1900-01-01" }, nil, "occurred_on-day"},
		{"not a date", func(s *report.Submission) { s.OccurredOn = "2026-02-30" }, nil, "occurred_on-day"},
		{"bad time", func(s *report.Submission) { s.OccurredTime = "25:00" }, nil, "occurred_time"},
		{"later today", func(s *report.Submission) { s.OccurredOn, s.OccurredTime = "2026-03-02", "09:36" }, nil, "occurred_time"},
		{"unknown department", func(s *report.Submission) { s.DepartmentID = 99999 }, nil, "department_id"},
		{"unknown harm", func(s *report.Submission) { s.PhysicalHarm = "catastrophic" }, nil, "physical_harm"},
		{"open without signing in", func(s *report.Submission) { s.Mode = report.Open }, nil, "mode"},
		{"concern without elements", func(s *report.Submission) { *s = f.concern(report.Anonymous); s.Elements = nil }, nil, "elements"},
		{"bad person role", func(s *report.Submission) { s.People[0].Role = "boss" }, nil, "people-1-role"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sub := f.event(report.Anonymous)
			c.edit(&sub)
			_, err := f.svc.Submit(ctx, sub, c.p)
			if _, ok := fields(err)[c.field]; !ok {
				t.Fatalf("error %v does not name %s", err, c.field)
			}
		})
	}
	var n int
	f.db.QueryRowContext(ctx, `SELECT count(*) FROM reports`).Scan(&n)
	if n != 0 {
		t.Fatalf("invalid submissions stored %d reports", n)
	}
	// A time today up to five minutes ahead is a fast clock, not the
	// future. In summer the clock is England's: at 23:30 on 1 July (22:30
	// UTC) a quarter past eleven that evening has happened, ten to midnight
	// has not.
	for _, c := range []struct {
		now       time.Time
		day, time string
		ok        bool
	}{
		{time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC), "2026-03-02", "09:35", true},
		{time.Date(2026, 7, 1, 22, 30, 0, 0, time.UTC), "2026-07-01", "23:15", true},
		{time.Date(2026, 7, 1, 22, 30, 0, 0, time.UTC), "2026-07-01", "23:50", false},
		{time.Date(2026, 7, 1, 23, 58, 0, 0, time.UTC), "2026-07-02", "00:58", true},
		{time.Date(2026, 7, 1, 23, 58, 0, 0, time.UTC), "2026-07-02", "01:10", false},
	} {
		*f.clock = c.now
		sub := f.event(report.Anonymous)
		sub.OccurredOn, sub.OccurredTime = c.day, c.time
		_, err := f.svc.Submit(ctx, sub, nil)
		if msg := fields(err)["occurred_time"]; (msg == "") != c.ok || err != nil && c.ok {
			t.Fatalf("%s at %s when it is %s UTC: %v", c.day, c.time, c.now.Format("2 Jan 15:04"), err)
		}
	}
	*f.clock = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

	// An organisation established later refuses events before its first
	// day, and says which day that was; the day itself is fine.
	f.svc.Earliest = time.Date(2019, 4, 1, 0, 0, 0, 0, time.UTC)
	early := f.event(report.Anonymous)
	early.OccurredOn = "2019-03-31"
	if _, err := f.svc.Submit(ctx, early, nil); !strings.Contains(fields(err)["occurred_on-day"], "1 April 2019") {
		t.Fatalf("event the day before the organisation began: %v, want the date error to name 1 April 2019", err)
	}
	early.OccurredOn = "2019-04-01"
	if _, err := f.svc.Submit(ctx, early, nil); err != nil {
		t.Fatalf("event on the organisation's first day: %v", err)
	}
	// Good care needs no harm grading.
	good := f.event(report.Anonymous)
	good.EventType, good.PhysicalHarm, good.PsychologicalHarm = "good_care", "", ""
	if _, err := f.svc.Submit(ctx, good, nil); err != nil {
		t.Fatalf("good care report: %v", err)
	}
}

func TestAnonymousReportStoresNothingAboutTheReporter(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		// Signed in or not, an anonymous report ignores who sent it.
		rec, err := f.svc.Submit(ctx, f.event(report.Anonymous), f.users["staff"])
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.AccessCode) != 24 || !strings.HasPrefix(rec.Reference, "SE-") {
			t.Fatalf("receipt %+v: want a 5-group access code and an SE reference", rec)
		}
		var userID, key, sealed, created, code string
		db.QueryRowContext(ctx, `SELECT COALESCE(CAST(reporter_user_id AS TEXT), ''), COALESCE(reporter_key, ''), COALESCE(reporter_sealed, ''),
			created_at, access_code_hash FROM reports WHERE id = ?`, rec.ID).Scan(&userID, &key, &sealed, &created, &code)
		if userID != "" || key != "" || sealed != "" {
			t.Fatalf("anonymous report stored reporter data: %q %q %q", userID, key, sealed)
		}
		if created != "2026-03-02T00:00:00.000000Z" {
			t.Fatalf("created_at %q: an anonymous report keeps only the day", created)
		}
		if strings.Contains(code, rec.AccessCode) || strings.Contains(code, strings.ReplaceAll(rec.AccessCode, "-", "")) {
			t.Fatal("the access code is stored in the clear")
		}
		// The submission waits out its day before joining the audit chain
		// (TestAnonymousReporterActivityWaitsOutItsDay), and names nobody.
		var actors string
		db.QueryRowContext(ctx, `SELECT actor || ':' || day FROM audit_pending WHERE action = 'report.submit'`).Scan(&actors)
		if actors != "reporter (anonymous):2026-03-02" {
			t.Fatalf("held audit entry %q: want the anonymous reporter and the day alone", actors)
		}
		var outbox int
		db.QueryRowContext(ctx, `SELECT count(*) FROM outbox`).Scan(&outbox)
		if outbox != 0 {
			t.Fatalf("an anonymous report queued %d emails", outbox)
		}

		// The code, typed loosely, opens a follow-up session; a wrong one does not.
		loose := strings.ToLower(strings.ReplaceAll(rec.AccessCode, "-", " "))
		token, fu, err := f.svc.StartFollowUp(ctx, loose, "10.1.2.3")
		if err != nil || fu.ReportID != rec.ID {
			t.Fatalf("follow-up with the code: %v", err)
		}
		if _, err := f.svc.CheckFollowUp(token); err != nil {
			t.Fatal(err)
		}
		wrong := []byte(rec.AccessCode)
		wrong[0] = map[bool]byte{true: 'C', false: 'A'}[wrong[0] == 'A']
		if _, _, err := f.svc.StartFollowUp(ctx, string(wrong), "10.1.2.3"); !errors.Is(err, report.ErrBadCode) {
			t.Fatalf("one character wrong: %v, want ErrBadCode", err)
		}
		*f.clock = f.clock.Add(report.FollowUpTTL + time.Second)
		if _, err := f.svc.CheckFollowUp(token); !errors.Is(err, report.ErrTokenExpired) {
			t.Fatalf("expired token: %v", err)
		}
		if _, err := f.svc.CheckFollowUp(token[:len(token)-3] + "abc"); !errors.Is(err, report.ErrTokenExpired) {
			t.Fatalf("forged token: %v", err)
		}
	})
}

func TestAccessCodeGuessingIsRateLimited(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	rec, _ := f.svc.Submit(ctx, f.event(report.Anonymous), nil)
	for i := 0; i < 10; i++ {
		if _, _, err := f.svc.StartFollowUp(ctx, "AAAA-AAAA-AAAA-AAAA-AAAA", "192.0.2.9"); !errors.Is(err, report.ErrBadCode) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	// Even the right code is refused from that client until the window passes.
	if _, _, err := f.svc.StartFollowUp(ctx, rec.AccessCode, "192.0.2.9"); !errors.Is(err, report.ErrRateLimited) {
		t.Fatalf("11th attempt: %v, want ErrRateLimited", err)
	}
	if _, _, err := f.svc.StartFollowUp(ctx, rec.AccessCode, "198.51.100.7"); err != nil {
		t.Fatalf("another client: %v", err)
	}
	*f.clock = f.clock.Add(16 * time.Minute)
	if _, _, err := f.svc.StartFollowUp(ctx, rec.AccessCode, "192.0.2.9"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	var perClient int
	f.db.QueryRowContext(ctx, `SELECT count(*) FROM rate_limits WHERE bucket <> 'access-code:all'`).Scan(&perClient)
	if perClient != 0 {
		t.Fatalf("%d per-client counts stored in the database, where a keyed hash of an address can be reversed", perClient)
	}

	// The right code never uses up a client's tries; nine wrong ones still
	// leave room for it.
	*f.clock = f.clock.Add(16 * time.Minute)
	for i := 0; i < 20; i++ {
		if _, _, err := f.svc.StartFollowUp(ctx, rec.AccessCode, "203.0.113.5"); err != nil {
			t.Fatalf("right code, attempt %d: %v", i+1, err)
		}
	}
	for i := 0; i < 9; i++ {
		f.svc.StartFollowUp(ctx, "AAAA-AAAA-AAAA-AAAA-AAAA", "203.0.113.5")
	}
	if _, _, err := f.svc.StartFollowUp(ctx, rec.AccessCode, "203.0.113.5"); err != nil {
		t.Fatalf("right code after nine wrong: %v", err)
	}
	// An IPv6 client counts by its /64: changing the last bits gains nothing.
	for i := 0; i < 10; i++ {
		f.svc.StartFollowUp(ctx, "AAAA-AAAA-AAAA-AAAA-AAAA", fmt.Sprintf("2001:db8:7:1::%x", i+1))
	}
	if _, _, err := f.svc.StartFollowUp(ctx, rec.AccessCode, "2001:db8:7:1::ffff"); !errors.Is(err, report.ErrRateLimited) {
		t.Fatalf("another address in the same /64: %v, want ErrRateLimited", err)
	}
	if _, _, err := f.svc.StartFollowUp(ctx, rec.AccessCode, "2001:db8:7:2::1"); err != nil {
		t.Fatalf("another /64: %v", err)
	}
	// Past the overall limit, clients that have already got a code wrong
	// are refused, but not a reporter typing theirs for the first time.
	window := f.clock.UTC().Truncate(15 * time.Minute)
	if _, err := f.db.ExecContext(ctx, `UPDATE rate_limits SET hits = 100000 WHERE bucket = 'access-code:all' AND window_start = ?`, store.T(window)); err != nil {
		t.Fatal(err)
	}
	f.svc.StartFollowUp(ctx, "AAAA-AAAA-AAAA-AAAA-AAAA", "198.51.100.20")
	if _, _, err := f.svc.StartFollowUp(ctx, rec.AccessCode, "198.51.100.20"); !errors.Is(err, report.ErrRateLimited) {
		t.Fatalf("a client with a wrong code past the overall limit: %v, want ErrRateLimited", err)
	}
	if _, _, err := f.svc.StartFollowUp(ctx, rec.AccessCode, "198.51.100.21"); err != nil {
		t.Fatalf("a first try past the overall limit: %v", err)
	}
	if wait := f.svc.CodeRetryAfter(); wait <= 0 || wait > 15*time.Minute {
		t.Fatalf("retry after %v, want within the 15-minute window", wait)
	}
}

// Wrong codes sent all at once from one client are held to the limit too:
// each is counted before it is checked, not after.
func TestAccessCodeGuessesSentAtOnceAreLimited(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	rec, _ := f.svc.Submit(ctx, f.event(report.Anonymous), nil)
	var wg sync.WaitGroup
	var mu sync.Mutex
	outcomes := map[string]int{}
	for range 60 {
		wg.Go(func() {
			_, _, err := f.svc.StartFollowUp(ctx, "AAAA-AAAA-AAAA-AAAA-AAAA", "192.0.2.44")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, report.ErrBadCode):
				outcomes["checked"]++
			case errors.Is(err, report.ErrRateLimited):
				outcomes["refused"]++
			default:
				outcomes[fmt.Sprint(err)]++
			}
		})
	}
	wg.Wait()
	if outcomes["checked"] != 10 || outcomes["refused"] != 50 || len(outcomes) != 2 {
		t.Fatalf("60 wrong codes at once from one client: %v; want 10 checked and 50 refused", outcomes)
	}
	if _, _, err := f.svc.StartFollowUp(ctx, rec.AccessCode, "192.0.2.44"); !errors.Is(err, report.ErrRateLimited) {
		t.Fatalf("the right code after the burst: %v, want ErrRateLimited", err)
	}
	var all int
	f.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(hits), 0) FROM rate_limits WHERE bucket = 'access-code:all'`).Scan(&all)
	if all != 10 {
		t.Fatalf("%d wrong codes counted overall, want the 10 checked", all)
	}
}

func TestMinutes(t *testing.T) {
	for d, want := range map[time.Duration]string{time.Second: "1 minute", time.Minute: "1 minute",
		61 * time.Second: "2 minutes", 15 * time.Minute: "15 minutes"} {
		if got := report.Minutes(d); got != want {
			t.Errorf("Minutes(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestWhoMayReadAndReveal(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		concern, err := f.svc.Submit(ctx, f.concern(report.Confidential), f.users["staff"])
		if err != nil {
			t.Fatal(err)
		}
		event, err := f.svc.Submit(ctx, f.event(report.Open), f.users["staff"])
		if err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"manager", "union", "admin", "exec", "hr", "safety", "staff"} {
			if _, err := f.svc.Get(ctx, f.users[who], concern.ID); !errors.Is(err, report.ErrNotAllowed) {
				t.Errorf("%s reading a concern: %v, want ErrNotAllowed", who, err)
			}
		}
		if _, err := f.svc.Get(ctx, f.users["guardian"], event.ID); !errors.Is(err, report.ErrNotAllowed) {
			t.Errorf("a guardian reading a safety event: %v", err)
		}
		got, err := f.svc.Get(ctx, f.users["guardian2"], concern.ID)
		if err != nil || got.Description == "" || got.ReporterName != "" {
			t.Fatalf("guardian reading a confidential concern: %+v %v; want the narrative without the reporter", got, err)
		}
		ev, err := f.svc.Get(ctx, f.users["safety"], event.ID)
		if err != nil || ev.ReporterName != "Person staff" || len(ev.People) != 1 || ev.People[0].Name != "Margaret Thornbury" {
			t.Fatalf("safety team reading an open event: %+v %v", ev, err)
		}

		// Only the assigned guardian can reveal a confidential reporter, with a reason.
		if err := f.svc.Assign(ctx, f.users["guardian"], concern.ID, f.users["guardian"].UserID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Reveal(ctx, f.users["guardian2"], concern.ID, "curious"); !errors.Is(err, report.ErrNotAssigned) {
			t.Fatalf("unassigned guardian revealing: %v", err)
		}
		if _, err := f.svc.Reveal(ctx, f.users["safety"], concern.ID, "I would like to know who this is"); !errors.Is(err, report.ErrNotAllowed) {
			t.Fatalf("the safety team revealing a concern's reporter: %v", err)
		}
		if _, err := f.svc.Reveal(ctx, f.users["safety"], event.ID, "I would like to know who this is"); !errors.Is(err, report.ErrRaisedOpenly) {
			t.Fatalf("revealing an open report's reporter: %v", err)
		}
		anon, err := f.svc.Submit(ctx, f.event(report.Anonymous), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Reveal(ctx, f.users["safety"], anon.ID, "I would like to know who this is"); !errors.Is(err, report.ErrRaisedAnonymously) {
			t.Fatalf("revealing an anonymous report's reporter: %v", err)
		}
		// The limit is in characters, as the message says, not bytes.
		if _, err := f.svc.Reveal(ctx, f.users["guardian"], concern.ID, strings.Repeat("ŵ", 1001)); fields(err)["reason"] == "" {
			t.Fatalf("reveal with a reason of 1,001 characters: %v", err)
		}
		if _, err := f.svc.Reveal(ctx, f.users["guardian"], concern.ID, " "); fields(err)["reason"] == "" {
			t.Fatalf("reveal without a reason: %v", err)
		}
		if _, err := f.svc.Reveal(ctx, f.users["guardian"], concern.ID, "x"); !strings.Contains(fields(err)["reason"], "20 to 1000 characters") {
			t.Fatalf("reveal with a one-letter reason: %v", err)
		}
		// Nor can the second guardian take the report over to reveal it.
		err = f.svc.Assign(ctx, f.users["guardian2"], concern.ID, f.users["guardian2"].UserID)
		if msg := fields(err)["assignee"]; !strings.Contains(msg, "Only Person guardian") {
			t.Fatalf("unassigned guardian taking a confidential report over: %v", err)
		}
		var assigned int64
		db.QueryRowContext(ctx, `SELECT assigned_user_id FROM reports WHERE id = ?`, concern.ID).Scan(&assigned)
		if assigned != f.users["guardian"].UserID {
			t.Fatalf("assignment changed by a refused take-over: %d", assigned)
		}
		if _, err := f.svc.Reveal(ctx, f.users["guardian2"], concern.ID, "I would like to know who this is"); !errors.Is(err, report.ErrNotAssigned) {
			t.Fatalf("unassigned guardian revealing after a refused take-over: %v", err)
		}
		if entries, _, _ := audit.List(ctx, db, audit.Filter{Action: "report.reveal_identity"}); len(entries) != 0 {
			t.Fatalf("refused reveals audited as reveals: %+v", entries)
		}
		id, err := f.svc.Reveal(ctx, f.users["guardian"], concern.ID, "Need to arrange a meeting they asked for: "+strings.Repeat("ŵ", 900))
		if err != nil || id.Email != "staff@trust.example" {
			t.Fatalf("assigned guardian revealing: %+v %v", id, err)
		}
		// The reveal is audited; its reason, written about the case, is
		// kept for the team as an internal note, not in the audit log that
		// administrators read.
		entries, _, _ := audit.List(ctx, db, audit.Filter{Action: "report.reveal_identity"})
		if len(entries) != 1 || strings.Contains(entries[0].Detail, "arrange a meeting") {
			t.Fatalf("reveal audit: %+v", entries)
		}
		var noted int
		db.QueryRowContext(ctx, `SELECT count(*) FROM report_messages WHERE report_id = ? AND internal AND author_user_id = ? AND team = 'guardian'
			AND body LIKE '%Need to arrange a meeting they asked for%'`, concern.ID, f.users["guardian"].UserID).Scan(&noted)
		if noted != 1 {
			t.Fatalf("the reveal's reason is in %d internal notes by the guardian for the guardians, want 1", noted)
		}
		var sealed string
		db.QueryRowContext(ctx, `SELECT reporter_sealed FROM reports WHERE id = ?`, concern.ID).Scan(&sealed)
		if strings.Contains(sealed, "staff@trust.example") || strings.Contains(sealed, "Person staff") {
			t.Fatal("confidential identity is not encrypted at rest")
		}
		reads, _, _ := audit.List(ctx, db, audit.Filter{Action: "report.read"})
		if len(reads) != 2 {
			t.Fatalf("audited reads: %d, want 2", len(reads))
		}
		// The reporter finds both under "my reports".
		mine, err := f.svc.MyReports(ctx, f.users["staff"])
		if err != nil || len(mine) != 2 {
			t.Fatalf("my reports: %+v %v", mine, err)
		}
		if mine, _ := f.svc.MyReports(ctx, f.users["manager"]); len(mine) != 0 {
			t.Fatal("someone else's reports listed as mine")
		}

		// The assigned guardian can pass it on; once their successor has
		// left the team, anyone in it can pick it up.
		if err := f.svc.Assign(ctx, f.users["guardian"], concern.ID, f.users["guardian2"].UserID); err != nil {
			t.Fatalf("assignee passing a confidential report on: %v", err)
		}
		if _, err := db.ExecContext(ctx, `UPDATE users SET disabled = TRUE WHERE id = ?`, f.users["guardian2"].UserID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Assign(ctx, f.users["guardian"], concern.ID, f.users["guardian"].UserID); err != nil {
			t.Fatalf("taking over from a handler who has left: %v", err)
		}
	})
}

func TestConversationCloseAndFeedback(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		rec, _ := f.svc.Submit(ctx, f.concern(report.Anonymous), nil)
		_, fu, err := f.svc.StartFollowUp(ctx, rec.AccessCode, "c1")
		if err != nil {
			t.Fatal(err)
		}
		g := f.users["guardian"]
		if err := f.svc.Acknowledge(ctx, g, rec.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.MessageReporter(ctx, g, rec.ID, "Thank you. Which shifts were affected?", false, nil); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.MessageReporter(ctx, g, rec.ID, "Internal: check the rota with the matron", true, nil); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.ReporterMessage(ctx, nil, &fu, rec.ID, "Mostly night shifts at weekends.", nil); err != nil {
			t.Fatal(err)
		}
		view, err := f.svc.ForReporter(ctx, nil, &fu, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(view.Messages) != 2 || view.Status != report.Acknowledged {
			t.Fatalf("reporter sees %d messages and status %s; want 2 (no internal note) and acknowledged", len(view.Messages), view.Status)
		}
		for _, m := range view.Messages {
			if strings.Contains(m.Body, "Internal") {
				t.Fatal("the reporter can read an internal note")
			}
		}
		if err := f.svc.Feedback(ctx, nil, &fu, rec.ID, "yes", "no"); fields(err)["speak_up_again"] == "" {
			t.Fatalf("feedback before closing: %v", err)
		}
		if err := f.svc.Close(ctx, g, rec.ID, "short"); fields(err)["outcome"] == "" {
			t.Fatalf("closing with a thin outcome: %v", err)
		}
		if err := f.svc.Close(ctx, g, rec.ID, "We found weekend nights were one nurse short; the rota now has a floating nurse on those shifts."); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Feedback(ctx, nil, &fu, rec.ID, "maybe", "no"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Feedback(ctx, nil, &fu, rec.ID, "yes", "no"); fields(err)["speak_up_again"] == "" {
			t.Fatal("feedback accepted twice")
		}
		var again, detriment string
		db.QueryRowContext(ctx, `SELECT speak_up_again, detriment FROM reports WHERE id = ?`, rec.ID).Scan(&again, &detriment)
		if again != "maybe" || detriment != "no" {
			t.Fatalf("stored feedback %q %q", again, detriment)
		}
		// Another report's follow-up session cannot read this one.
		other, _ := f.svc.Submit(ctx, f.concern(report.Anonymous), nil)
		_, fu2, _ := f.svc.StartFollowUp(ctx, other.AccessCode, "c1")
		if _, err := f.svc.ForReporter(ctx, nil, &fu2, rec.ID); !errors.Is(err, report.ErrNotAllowed) {
			t.Fatalf("cross-report follow-up: %v", err)
		}
	})
}

func TestRepeatSubmissionRerouteAndRedaction(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		sub := f.event(report.Confidential)
		sub.SubmissionKey = "form-abcdefghijklmnop"
		first, err := f.svc.Submit(ctx, sub, f.users["staff"])
		if err != nil {
			t.Fatal(err)
		}
		again, err := f.svc.Submit(ctx, sub, f.users["staff"])
		if err != nil || !again.Repeat || again.Reference != first.Reference {
			t.Fatalf("double submit: %+v %v", again, err)
		}
		var n int
		db.QueryRowContext(ctx, `SELECT count(*) FROM reports`).Scan(&n)
		if n != 1 {
			t.Fatalf("double submit stored %d reports", n)
		}
		s := f.users["safety"]
		if err := f.svc.Reroute(ctx, s, first.ID, "This is about staffing culture, not a single event"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Get(ctx, s, first.ID); !errors.Is(err, report.ErrNotAllowed) {
			t.Fatal("the safety team still sees a report passed to the guardians")
		}
		g := f.users["guardian"]
		r, err := f.svc.Get(ctx, g, first.ID)
		if err != nil || r.Mode != report.Confidential || r.Kind != report.Concern || r.ReporterName != "" {
			t.Fatalf("rerouted report: %+v %v; identity protection must travel with it", r, err)
		}
		if err := f.svc.Redact(ctx, g, first.ID, "description", 0, "bed 4", "Identifies the patient"); err != nil {
			t.Fatal(err)
		}
		r, _ = f.svc.Get(ctx, g, first.ID)
		if strings.Contains(r.Description, "bed 4") || !strings.Contains(r.Description, "[redacted]") || r.Redactions != 1 {
			t.Fatalf("after redaction: %q", r.Description)
		}
		var sealed string
		db.QueryRowContext(ctx, `SELECT original_sealed FROM report_redactions`).Scan(&sealed)
		if sealed == "" || strings.Contains(sealed, "bed 4") {
			t.Fatal("the original passage is not kept encrypted")
		}
		if err := f.svc.Redact(ctx, g, first.ID, "description", 0, "not in the text", "x"); fields(err)["passage"] == "" {
			t.Fatalf("redacting words that are not there: %v", err)
		}
		// Part of a word is not redacted, and the message says why.
		if err := f.svc.Redact(ctx, g, first.ID, "description", 0, "aracetam", "A slip"); !strings.Contains(fields(err)["passage"], "only inside longer words") {
			t.Fatalf("redacting inside a word: %v", err)
		}
		// One letter would take every "a" with it.
		if err := f.svc.Redact(ctx, g, first.ID, "description", 0, "a", "A slip"); !strings.Contains(fields(err)["passage"], "at least 2 characters") {
			t.Fatalf("redacting one letter: %v", err)
		}
		if after, _ := f.svc.Get(ctx, g, first.ID); after.Description != r.Description {
			t.Fatalf("a refused redaction changed the text: %q", after.Description)
		}

		// Every text the reporter wrote can be redacted, not only what
		// happened: names turn up in what was done straight away too.
		withNames := f.concern(report.Confidential)
		withNames.DesiredOutcome = "I would like Dr Peter Brown to stop shouting at the students."
		withNames.RaisedElsewhere = "I told my manager Karen Smith in March."
		cn, err := f.svc.Submit(ctx, withNames, f.users["staff"])
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ field, passage string }{{"desired_outcome", "Peter Brown"}, {"raised_elsewhere", "Karen Smith"}} {
			if err := f.svc.Redact(ctx, g, cn.ID, c.field, 0, c.passage, "Names of staff stay with the guardians"); err != nil {
				t.Fatalf("redact from %s: %v", c.field, err)
			}
		}
		r, _ = f.svc.Get(ctx, g, cn.ID)
		if r.DesiredOutcome != "I would like Dr [redacted] to stop shouting at the students." || r.RaisedElsewhere != "I told my manager [redacted] in March." ||
			r.Redactions != 2 || r.RedactionLog[0].Field != "desired_outcome" || r.RedactionLog[1].Field != "raised_elsewhere" {
			t.Fatalf("after redacting both: %q, %q, %+v", r.DesiredOutcome, r.RaisedElsewhere, r.RedactionLog)
		}
		if err := f.svc.Redact(ctx, g, cn.ID, "reporter_name", 0, "Sam", "x"); fields(err)["field"] == "" {
			t.Fatalf("redacting from a field that is not a report text: %v", err)
		}
		if err := f.svc.Redact(ctx, g, cn.ID, "immediate_actions", 0, "Karen", "x"); fields(err)["passage"] == "" {
			t.Fatalf("redacting from an empty text: %v", err)
		}
	})
}

func TestDeadlinesFireOnceEach(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		rec, _ := f.svc.Submit(ctx, f.concern(report.Anonymous), nil)
		count := func(kind string) int {
			var n int
			db.QueryRowContext(ctx, `SELECT count(*) FROM deadline_notices WHERE report_id = ? AND kind = ?`, rec.ID, kind).Scan(&n)
			return n
		}
		run := func() int {
			n, err := f.svc.RunDeadlines(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := run(); n != 1 || count(report.NoticeReceived) != 1 {
			t.Fatalf("day 0: fired %d, want the new-report alert only", n)
		}
		if n := run(); n != 0 {
			t.Fatalf("running again fired %d", n)
		}
		*f.clock = f.clock.AddDate(0, 0, 5) // two days before acknowledgement is due
		if n := run(); n != 1 || count(report.NoticeAckReminder) != 1 {
			t.Fatalf("day 5: fired %d, want the reminder", n)
		}
		*f.clock = f.clock.AddDate(0, 0, 3) // a day past due
		if n := run(); n != 1 || count(report.NoticeAckOverdue) != 1 {
			t.Fatalf("day 8: fired %d, want the escalation", n)
		}
		var notices, emails int
		db.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE report_id = ?`, rec.ID).Scan(&notices)
		db.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE body LIKE ?`, "%"+rec.Reference+"%").Scan(&emails)
		if notices != 6 || emails != 6 {
			t.Fatalf("notices %d, emails %d: want 3 each to both guardians", notices, emails)
		}
		var leak int
		db.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE body LIKE '%short%'`).Scan(&leak)
		if leak != 0 {
			t.Fatal("an email carries the report's narrative")
		}
		f.svc.Acknowledge(ctx, f.users["guardian"], rec.ID)
		*f.clock = f.clock.AddDate(0, 0, 80) // within 14 days of feedback due
		if n := run(); n != 1 || count(report.NoticeFeedbackReminder) != 1 {
			t.Fatalf("day 88: fired %d, want the feedback reminder", n)
		}
		// Past the feedback date, the escalation contact for concerns is
		// told too (by email, with the reference only); the one for safety
		// events is not.
		f.svc.EscalateTo = map[report.Kind][]string{report.Concern: {"ftsu-lead@trust.example"}, report.SafetyEvent: {"safety-head@trust.example"}}
		*f.clock = f.clock.AddDate(0, 0, 15)
		if n := run(); n != 1 || count(report.NoticeFeedbackOverdue) != 1 {
			t.Fatalf("day 103: fired %d, want the feedback escalation", n)
		}
		var to, subject, body string
		db.QueryRowContext(ctx, `SELECT to_addr, subject, body FROM outbox WHERE to_addr LIKE '%trust.example' AND to_addr NOT LIKE 'guardian%'`).Scan(&to, &subject, &body)
		if to != "ftsu-lead@trust.example" || !strings.Contains(subject, rec.Reference) || !strings.Contains(body, "escalation contact for speak-up concerns") ||
			strings.Contains(body, "short") {
			t.Fatalf("escalation email to %q, %q: %q", to, subject, body)
		}
	})
}

// replicaFixture is a fixture on a fresh PostgreSQL database (the test is
// skipped without one) and a way to add replicas: services like the
// fixture's, each on a connection pool of its own to the same database,
// returned with the fixture's own service first.
func replicaFixture(t *testing.T) (f *fixture, replicas func(n int) []*report.Service) {
	t.Helper()
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
	f = newFixture(t, first)
	return f, func(n int) []*report.Service {
		out := []*report.Service{f.svc}
		for i := 0; i < n; i++ {
			r := *f.svc
			r.DB = open()
			out = append(out, &r)
		}
		return out
	}
}

// Several replicas running the deadline job at once still fire each notice once.
func TestDeadlinesAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	f, more := replicaFixture(t)
	first := f.db
	for i := 0; i < 20; i++ {
		if _, err := f.svc.Submit(ctx, f.concern(report.Anonymous), nil); err != nil {
			t.Fatal(err)
		}
	}
	replicas := more(3)
	var wg sync.WaitGroup
	total := make([]int, len(replicas))
	for i, r := range replicas {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := r.RunDeadlines(ctx)
			if err != nil {
				t.Error(err)
			}
			total[i] = n
		}()
	}
	wg.Wait()
	sum := 0
	for _, n := range total {
		sum += n
	}
	var notices int
	first.QueryRowContext(ctx, `SELECT count(*) FROM notifications`).Scan(&notices)
	if sum != 20 || notices != 40 {
		t.Fatalf("4 replicas fired %d alerts and %d notices; want 20 alerts, 40 notices (2 guardians each)", sum, notices)
	}
}

// A confidential reporter's notices and emails are stored in plain text
// beside their account or address, so they must not say which report they
// are about; an open reporter's may.
func TestConfidentialReporterNoticesNameNoReport(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		staff, g := f.users["staff"], f.users["guardian"]
		confidential, err := f.svc.Submit(ctx, f.concern(report.Confidential), staff)
		if err != nil {
			t.Fatal(err)
		}
		open, err := f.svc.Submit(ctx, f.concern(report.Open), staff)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{confidential.ID, open.ID} {
			if err := f.svc.Acknowledge(ctx, g, id); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.MessageReporter(ctx, g, id, "Could you tell us which shifts were short?", false, nil); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := db.QueryContext(ctx, `SELECT COALESCE(report_id, 0), body, link FROM notifications WHERE user_id = ?`, staff.UserID)
		if err != nil {
			t.Fatal(err)
		}
		var toldOpenly, toldInConfidence int
		for rows.Next() {
			var reportID int64
			var body, link string
			if err := rows.Scan(&reportID, &body, &link); err != nil {
				t.Fatal(err)
			}
			switch {
			case reportID == confidential.ID || strings.Contains(body, confidential.Reference) || strings.Contains(link, fmt.Sprint(confidential.ID)):
				t.Errorf("a confidential reporter's notice names their report: %d %q %q", reportID, body, link)
			case reportID == open.ID:
				toldOpenly++
			case body == report.ConfidentialUpdate && link == "/my-reports":
				toldInConfidence++
			}
		}
		rows.Close()
		if toldOpenly != 2 || toldInConfidence != 2 {
			t.Fatalf("notices: %d about the open report, %d plain confidential updates; want 2 and 2", toldOpenly, toldInConfidence)
		}
		var emails, naming int
		db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(CASE WHEN subject LIKE ? OR body LIKE ? THEN 1 END) FROM outbox WHERE to_addr = ?`,
			"%"+confidential.Reference+"%", "%"+confidential.Reference+"%", staff.Email).Scan(&emails, &naming)
		if emails != 6 || naming != 0 {
			t.Fatalf("emails to the reporter: %d, %d of them naming the confidential report; want 6 and 0", emails, naming)
		}
		// Nor does the audit chain time what they did on it that day: the
		// entries wait, held back, for the day to end.
		if _, err := f.svc.ForReporter(ctx, staff, nil, confidential.ID); err != nil {
			t.Fatal(err)
		}
		var inChain, held int
		db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE entity = 'report' AND entity_id = ? AND actor LIKE 'reporter%'`, fmt.Sprint(confidential.ID)).Scan(&inChain)
		db.QueryRowContext(ctx, `SELECT count(*) FROM audit_pending WHERE entity = 'report' AND entity_id = ?`, fmt.Sprint(confidential.ID)).Scan(&held)
		if inChain != 0 || held != 2 {
			t.Fatalf("the confidential reporter's submission and read: %d in the chain, %d held back; want 0 and 2", inChain, held)
		}
	})
}

// A file's own name can say who sent it, or (from a phone) the second the
// photo was taken: anonymous and confidential reporters' files are stored
// under plain names, numbered on through the report's conversation.
func TestReportersFilesStoredUnderPlainNames(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n2 0 obj << /Author (Sam Okoro) >> endobj\ntrailer << /Root 1 0 R /Info 2 0 R >>\n%%EOF\n")
	note := []byte("Statement about the night shift.\n")
	names := func(reportID int64) []string {
		rows, err := f.db.QueryContext(ctx, `SELECT filename FROM attachments WHERE report_id = ? ORDER BY id`, reportID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			out = append(out, n)
		}
		return out
	}
	sub := f.event(report.Anonymous)
	sub.Attachments = []report.Upload{{Filename: "Statement - Sam Okoro (HCA Ward 7).pdf", Data: pdf}, {Filename: "IMG_20261129_140233.txt", Data: note}}
	rec, err := f.svc.Submit(ctx, sub, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, fu, err := f.svc.StartFollowUp(ctx, rec.AccessCode, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ReporterMessage(ctx, nil, &fu, rec.ID, "One more page.", []report.Upload{{Filename: "Sam's notes.pdf", Data: pdf}}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(names(rec.ID), ", "); got != "document-1.pdf, document-2.txt, document-3.pdf" {
		t.Errorf("anonymous reporter's files stored as %s", got)
	}
	// The PDFs lose the author their document information named.
	var withAuthor int
	f.db.QueryRowContext(ctx, `SELECT count(*) FROM attachments WHERE report_id = ? AND content_type = 'application/pdf' AND CAST(data AS TEXT) LIKE '%Okoro%'`, rec.ID).Scan(&withAuthor)
	var searchable int
	f.db.QueryRowContext(ctx, `SELECT count(*) FROM attachments WHERE report_id = ? AND CAST(data AS TEXT) LIKE '%Catalog%'`, rec.ID).Scan(&searchable)
	if withAuthor != 0 || searchable != 2 {
		t.Errorf("%d stored PDFs still name their author (of %d found by their text)", withAuthor, searchable)
	}
	// A handler's file is kept as it is: its dates and author can matter.
	if err := f.svc.MessageReporter(ctx, f.users["safety"], rec.ID, "The ward's own statement.", true, []report.Upload{{Filename: "statement.pdf", Data: pdf}}); err != nil {
		t.Fatal(err)
	}
	f.db.QueryRowContext(ctx, `SELECT count(*) FROM attachments WHERE report_id = ? AND CAST(data AS TEXT) LIKE '%Okoro%'`, rec.ID).Scan(&withAuthor)
	if withAuthor != 1 {
		t.Errorf("%d of the handler's PDFs keep their author, want 1", withAuthor)
	}
	sub = f.concern(report.Confidential)
	sub.Attachments = []report.Upload{{Filename: "Sam Okoro.pdf", Data: pdf}}
	conf, err := f.svc.Submit(ctx, sub, f.users["staff"])
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(names(conf.ID), ", "); got != "document-1.pdf" {
		t.Errorf("confidential reporter's file stored as %s", got)
	}
	sub = f.event(report.Open)
	sub.Attachments = []report.Upload{{Filename: "ward rota.pdf", Data: pdf}}
	open, err := f.svc.Submit(ctx, sub, f.users["staff"])
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(names(open.ID), ", "); got != "ward rota.pdf" {
		t.Errorf("open reporter's file stored as %s, want its own name", got)
	}
}

// A report closed as a duplicate is not the end of its reporter's story:
// they can still be written to, they hear the outcome when the report theirs
// was joined to closes, and only then are they asked for feedback.
func TestDuplicateReportersHearTheOutcome(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		g := f.users["guardian"]
		original, _ := f.svc.Submit(ctx, f.concern(report.Open), f.users["staff"])
		dup, _ := f.svc.Submit(ctx, f.concern(report.Anonymous), nil)
		_, fu, err := f.svc.StartFollowUp(ctx, dup.AccessCode, "c1")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.MarkDuplicate(ctx, g, dup.ID, original.Reference); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.MessageReporter(ctx, g, dup.ID, "Thank you. We are looking at this together with another report.", false, nil); err != nil {
			t.Fatalf("writing to a duplicate's reporter: %v", err)
		}
		v, err := f.svc.ForReporter(ctx, nil, &fu, dup.ID)
		if err != nil || v.CanGiveFeedback || !strings.Contains(v.OutcomeSummary, "You will hear what was found") {
			t.Fatalf("duplicate before the original closes: feedback %v, outcome %q, %v", v.CanGiveFeedback, v.OutcomeSummary, err)
		}
		if err := f.svc.Feedback(ctx, nil, &fu, dup.ID, "yes", "no"); fields(err)["speak_up_again"] == "" {
			t.Fatalf("feedback before the outcome: %v", err)
		}
		const outcome = "We found the rota gaps were real and have added two posts to nights from January."
		if err := f.svc.Close(ctx, g, original.ID, outcome); err != nil {
			t.Fatal(err)
		}
		v, err = f.svc.ForReporter(ctx, nil, &fu, dup.ID)
		if err != nil || !v.CanGiveFeedback || !strings.Contains(v.OutcomeSummary, outcome) {
			t.Fatalf("duplicate after the original closed: feedback %v, outcome %q, %v", v.CanGiveFeedback, v.OutcomeSummary, err)
		}
		if err := f.svc.Feedback(ctx, nil, &fu, dup.ID, "yes", "no"); err != nil {
			t.Fatalf("feedback after the outcome: %v", err)
		}
		// A closed report keeps the outcome its reporter read.
		err = f.svc.MarkDuplicate(ctx, g, original.ID, dup.Reference)
		if !strings.Contains(fields(err)["related"], "already closed") {
			t.Fatalf("marking a closed report a duplicate: %v", err)
		}
		var kept string
		db.QueryRowContext(ctx, `SELECT outcome_summary FROM reports WHERE id = ?`, original.ID).Scan(&kept)
		if kept != outcome {
			t.Fatalf("the original's outcome became %q", kept)
		}
	})
}

// Detriment for speaking up is the guardians' to follow up, whichever team
// handled the report.
func TestDetrimentOnASafetyEventReachesTheGuardians(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		rec, _ := f.svc.Submit(ctx, f.event(report.Anonymous), nil)
		if err := f.svc.Close(ctx, f.users["safety"], rec.ID, "We found the chart was not signed and changed the handover checklist."); err != nil {
			t.Fatal(err)
		}
		_, fu, err := f.svc.StartFollowUp(ctx, rec.AccessCode, "c1")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Feedback(ctx, nil, &fu, rec.ID, "maybe", "yes"); err != nil {
			t.Fatal(err)
		}
		for who, wantLink := range map[string]bool{"safety": true, "guardian": false, "guardian2": false} {
			var n int
			var link string
			db.QueryRowContext(ctx, `SELECT count(*), COALESCE(MAX(link), '') FROM notifications WHERE user_id = ? AND body LIKE ?`,
				f.users[who].UserID, "%"+rec.Reference+"%treated worse%").Scan(&n, &link)
			if n != 1 || (link != "") != wantLink {
				t.Errorf("%s: %d detriment notices, link %q", who, n, link)
			}
		}
	})
}

// A concern's errors speak of the concern, not of "what happened".
func TestConcernErrorsNameTheConcern(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	sub := f.concern(report.Anonymous)
	sub.Description = strings.Repeat("a", report.MaxDescription+1)
	_, err := f.svc.Submit(ctx, sub, nil)
	if msg := fields(err)["description"]; !strings.HasPrefix(msg, "Your concern must be") {
		t.Fatalf("too long a concern: %q", msg)
	}
	sub.Description = strings.Repeat("\u200b", 40)
	_, err = f.svc.Submit(ctx, sub, nil)
	if msg := fields(err)["description"]; msg != "Tell us what your concern is about" {
		t.Fatalf("an invisible concern: %q", msg)
	}
}

// Passing a report to the other team passes the report, not the first
// team's notes; deadlines follow the new kind, and the reporter is told.
func TestRerouteKeepsNotesWithTheirTeam(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.svc.Deadlines.FeedbackDays = map[report.Kind]int{report.Concern: 90, report.SafetyEvent: 60}
		g, safety := f.users["guardian"], f.users["safety"]
		rec, err := f.svc.Submit(ctx, f.concern(report.Open), f.users["staff"])
		if err != nil {
			t.Fatal(err)
		}
		note := []report.Upload{{Filename: "call notes.txt", Data: []byte("Spoke to Sam on ward 7.\n")}}
		if err := f.svc.MessageReporter(ctx, g, rec.ID, "Phoned the reporter (Sam, ward 7 HCA): do not share", true, note); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.RunDeadlines(ctx); err != nil {
			t.Fatal(err)
		}
		before, _ := f.svc.Get(ctx, g, rec.ID)
		if err := f.svc.Reroute(ctx, g, rec.ID, "This is about a drug error on the ward, not a concern about how people are treated"); err != nil {
			t.Fatal(err)
		}
		after, err := f.svc.Get(ctx, safety, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		var sawReason bool
		for _, m := range after.Messages {
			if strings.Contains(m.Body, "Phoned the reporter") || len(m.Attachments) > 0 {
				t.Errorf("the safety team sees the guardians' note: %+v", m)
			}
			sawReason = sawReason || strings.Contains(m.Body, "drug error on the ward")
		}
		if !sawReason {
			t.Error("the safety team does not see why the report was passed to them")
		}
		var noteFile int64
		db.QueryRowContext(ctx, `SELECT id FROM attachments WHERE report_id = ?`, rec.ID).Scan(&noteFile)
		if _, _, err := f.svc.AttachmentData(ctx, safety, rec.ID, noteFile); !errors.Is(err, report.ErrNotAllowed) {
			t.Errorf("the safety team opening the guardians' note's file: %v", err)
		}
		if len(before.Messages) != 1 || after.FeedbackDueOn == before.FeedbackDueOn {
			t.Errorf("feedback due %s before and %s after; want the safety team's 60 days", before.FeedbackDueOn, after.FeedbackDueOn)
		}
		received, _ := time.Parse("2006-01-02", after.ReceivedOn)
		if want := received.AddDate(0, 0, 60).Format("2006-01-02"); after.FeedbackDueOn != want {
			t.Errorf("feedback due %s, want %s", after.FeedbackDueOn, want)
		}
		var told int
		db.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE user_id = ? AND body LIKE ?`,
			f.users["staff"].UserID, "%passed to the patient safety team%").Scan(&told)
		if told != 1 {
			t.Errorf("the reporter was told %d times, want once", told)
		}
		var reminders int
		db.QueryRowContext(ctx, `SELECT count(*) FROM deadline_notices WHERE report_id = ? AND kind <> 'received'`, rec.ID).Scan(&reminders)
		if reminders != 0 {
			t.Errorf("%d of the first team's reminders still count as sent", reminders)
		}
	})
}

// A concern passed to the safety team arrives without an event type or
// harm; the team grades it, and the change is audited.
func TestClassifyAfterReroute(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		g, safety := f.users["guardian"], f.users["safety"]
		rec, _ := f.svc.Submit(ctx, f.concern(report.Anonymous), nil)
		if err := f.svc.Reroute(ctx, g, rec.ID, "A medication error, for the patient safety team"); err != nil {
			t.Fatal(err)
		}
		got, _ := f.svc.Get(ctx, safety, rec.ID)
		if !got.Unclassified() {
			t.Fatalf("a rerouted concern counts as classified: %+v", got)
		}
		for _, c := range []struct {
			c     report.Classification
			field string
		}{
			{report.Classification{}, "event_type"},
			{report.Classification{EventType: "incident", PhysicalHarm: "catastrophic", PsychologicalHarm: "none"}, "physical_harm"},
			{report.Classification{EventType: "good_care", PhysicalHarm: "fatal", PsychologicalHarm: "none"}, "event_type"},
			{report.Classification{EventType: "incident", PhysicalHarm: "low", PsychologicalHarm: "none", Elements: []string{"other"}}, "elements"},
		} {
			if err := f.svc.Classify(ctx, safety, rec.ID, c.c); fields(err)[c.field] == "" {
				t.Errorf("classify %+v: %v, want an error on %s", c.c, err, c.field)
			}
		}
		if err := f.svc.Classify(ctx, g, rec.ID, report.Classification{EventType: "incident", PhysicalHarm: "low", PsychologicalHarm: "none"}); !errors.Is(err, report.ErrNotAllowed) {
			t.Errorf("the guardians classifying a report that left them: %v", err)
		}
		if err := f.svc.Classify(ctx, safety, rec.ID, report.Classification{EventType: "incident", PhysicalHarm: "moderate", PsychologicalHarm: "low"}); err != nil {
			t.Fatal(err)
		}
		got, _ = f.svc.Get(ctx, safety, rec.ID)
		if got.Unclassified() || got.EventType != "incident" || got.PhysicalHarm != "moderate" || got.PsychHarm != "low" {
			t.Fatalf("after classifying: %+v", got)
		}
		// The grading is case content: the team reads the change in a note,
		// the audit log (which administrators read) only that it happened.
		entries, _, _ := audit.List(ctx, db, audit.Filter{Action: "report.classify"})
		if len(entries) != 1 || !strings.HasPrefix(entries[0].Detail, "classification changed; kept in internal note ") ||
			strings.Contains(strings.ToLower(entries[0].Detail), "moderate") {
			t.Fatalf("classification audit: %+v", entries)
		}
		var note string
		db.QueryRowContext(ctx, `SELECT body FROM report_messages WHERE report_id = ? AND internal AND team = 'safety' AND body LIKE 'Classification changed%'`, rec.ID).Scan(&note)
		if note != "Classification changed to: Patient safety incident, moderate physical harm, low psychological harm. Before: not graded." {
			t.Fatalf("the team's note of the grading: %q", note)
		}
		if err := f.svc.Classify(ctx, safety, rec.ID, report.Classification{EventType: "incident", PhysicalHarm: "moderate", PsychologicalHarm: "low"}); err != nil {
			t.Fatal(err)
		}
		var regrades int
		db.QueryRowContext(ctx, `SELECT count(*) FROM report_messages WHERE report_id = ? AND body LIKE 'Classification changed%'`, rec.ID).Scan(&regrades)
		if regrades != 1 {
			t.Fatalf("%d notes of grading changes after saving the same grading again, want 1", regrades)
		}
		// A concern's elements.
		cn, _ := f.svc.Submit(ctx, f.concern(report.Anonymous), nil)
		if err := f.svc.Classify(ctx, g, cn.ID, report.Classification{Elements: []string{"other", "bullying_harassment"}}); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.svc.Get(ctx, g, cn.ID); strings.Join(got.Elements, ",") != "bullying_harassment,other" {
			t.Fatalf("elements after classifying: %v", got.Elements)
		}
		db.QueryRowContext(ctx, `SELECT body FROM report_messages WHERE report_id = ? AND internal AND team = 'guardian' AND body LIKE 'Classification changed%'`, cn.ID).Scan(&note)
		if !strings.Contains(note, "to: Bullying or harassment; Something else. Before: Patient safety or quality; Worker safety or wellbeing.") {
			t.Fatalf("the guardians' note of the elements: %q", note)
		}
		// Saving the same classification again changes nothing, and says so.
		if err := f.svc.Classify(ctx, g, cn.ID, report.Classification{Elements: []string{"bullying_harassment", "other"}}); err != nil {
			t.Fatal(err)
		}
		var notes int
		db.QueryRowContext(ctx, `SELECT count(*) FROM report_messages WHERE report_id = ? AND body LIKE 'Classification changed%'`, cn.ID).Scan(&notes)
		if notes != 1 {
			t.Fatalf("%d notes of classification changes after saving it unchanged, want 1", notes)
		}
		if err := f.svc.Close(ctx, g, cn.ID, "We looked into this and met the team to agree changes."); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Classify(ctx, g, cn.ID, report.Classification{Elements: []string{"other"}}); !errors.Is(err, report.ErrClosed) {
			t.Fatalf("classifying a closed report: %v", err)
		}
	})
}

// Passing a report on is told on the reporter's own page, however they
// raised it (a notice reaches only those who signed in), without the
// team's reason, and saying that how they raised it still holds.
func TestRerouteTellsTheReporterOnTheirOwnPage(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		g := f.users["guardian"]
		for _, tc := range []struct {
			mode report.Mode
			says string
		}{
			{report.Anonymous, "It is still anonymous"},
			{report.Confidential, "You raised it in confidence, and it stays that way"},
			{report.Open, "you can keep writing to them here."},
		} {
			rec, err := f.svc.Submit(ctx, f.concern(tc.mode), f.users["staff"])
			if err != nil {
				t.Fatal(err)
			}
			if err := f.svc.Reroute(ctx, g, rec.ID, "A drug error on ward 7, named by the charge nurse"); err != nil {
				t.Fatal(err)
			}
			var p *authz.Principal
			var fu *report.FollowUp
			if tc.mode == report.Anonymous {
				fu = &report.FollowUp{ReportID: rec.ID, Expires: time.Now().Add(time.Hour)}
			} else {
				p = f.users["staff"]
			}
			v, err := f.svc.ForReporter(ctx, p, fu, rec.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Messages) != 1 {
				t.Fatalf("%s: the reporter sees %d messages after the reroute, want 1: %+v", tc.mode, len(v.Messages), v.Messages)
			}
			m := v.Messages[0]
			if m.FromReporter || !strings.Contains(m.Body, "passed your report to the patient safety team") || !strings.Contains(m.Body, tc.says) {
				t.Errorf("%s: the reporter reads %q", tc.mode, m.Body)
			}
			if strings.Contains(m.Body, "charge nurse") {
				t.Errorf("%s: the reporter reads the team's reason: %q", tc.mode, m.Body)
			}
		}
	})
}

// A confidential reporter's messages, files and feedback keep their day
// alone, as an anonymous reporter's do: every handler in the team sees
// them, and an exact time beside the audit log's sign-ins would name them.
// An open reporter's keep the time.
func TestConfidentialReporterActivityKeepsTheDay(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		at := time.Now().UTC().Truncate(24 * time.Hour).Add(14*time.Hour + 37*time.Minute + 12*time.Second)
		f.svc.Now = func() time.Time { return at }
		g, staff := f.users["guardian"], f.users["staff"]
		for _, tc := range []struct {
			mode    report.Mode
			dayOnly bool
		}{{report.Confidential, true}, {report.Open, false}} {
			rec, err := f.svc.Submit(ctx, f.concern(tc.mode), staff)
			if err != nil {
				t.Fatal(err)
			}
			note := []report.Upload{{Filename: "rota.txt", Data: []byte("Nights, week 12.\n")}}
			if err := f.svc.ReporterMessage(ctx, staff, nil, rec.ID, "It happened again on Tuesday night.", note); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.Close(ctx, g, rec.ID, "Break cover is now on the night rota for every ward."); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.Feedback(ctx, staff, nil, rec.ID, "yes", "no"); err != nil {
				t.Fatal(err)
			}
			r, err := f.svc.Get(ctx, g, rec.ID)
			if err != nil {
				t.Fatal(err)
			}
			var got []time.Time
			for _, m := range r.Messages {
				if m.FromReporter {
					got = append(got, m.CreatedAt)
					for _, a := range m.Attachments {
						got = append(got, a.CreatedAt)
					}
				}
			}
			got = append(got, r.FeedbackAt)
			if len(got) != 3 {
				t.Fatalf("%s: %d reporter times (message, file, feedback), want 3", tc.mode, len(got))
			}
			for _, when := range got {
				if dayOnly := when.Equal(when.Truncate(24 * time.Hour)); dayOnly != tc.dayOnly || !dayOnly && !when.Equal(at) {
					t.Errorf("%s: a reporter's action stored at %s (the time was %s)", tc.mode, when, at)
				}
			}
		}
	})
}
