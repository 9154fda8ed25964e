package report_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"candour/internal/audit"
	"candour/internal/report"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// chainEntry is an audit entry as stored.
type chainEntry struct {
	seq                                 int64
	at, actor, action, entityID, detail string
}

func chain(t *testing.T, db *store.DB) []chainEntry {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT seq, at, actor, action, entity_id, detail FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []chainEntry
	for rows.Next() {
		var e chainEntry
		if err := rows.Scan(&e.seq, &e.at, &e.actor, &e.action, &e.entityID, &e.detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

// An entry's place in the audit chain dates it: it lies between neighbours
// whose times are exact. What an anonymous reporter does must therefore not
// enter the chain until its day is over, and then in an order that says
// nothing about when it happened.
func TestAnonymousReporterActivityWaitsOutItsDay(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		g := f.users["guardian"]
		tick := func() { *f.clock = f.clock.Add(7 * time.Minute) }

		// 09:30 an anonymous concern, and the team's new-report alert; 09:37
		// the guardian reads it; 09:44 the reporter reads the reply; 09:51
		// another anonymous concern; 09:58 the first reporter writes back.
		// An open report is the control.
		alert := func() {
			if _, err := f.svc.RunDeadlines(ctx); err != nil {
				t.Fatal(err)
			}
		}
		first, err := f.svc.Submit(ctx, f.concern(report.Anonymous), nil)
		if err != nil {
			t.Fatal(err)
		}
		alert()
		tick()
		if _, err := f.svc.Get(ctx, g, first.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.MessageReporter(ctx, g, first.ID, "Thank you for telling us. Which shifts were short?", false, nil); err != nil {
			t.Fatal(err)
		}
		_, fu, err := f.svc.StartFollowUp(ctx, first.AccessCode, "c1")
		if err != nil {
			t.Fatal(err)
		}
		tick()
		if _, err := f.svc.ForReporter(ctx, nil, &fu, first.ID); err != nil {
			t.Fatal(err)
		}
		tick()
		second, err := f.svc.Submit(ctx, f.concern(report.Anonymous), nil)
		if err != nil {
			t.Fatal(err)
		}
		tick()
		if err := f.svc.ReporterMessage(ctx, nil, &fu, first.ID, "Night shifts at weekends, mostly.", nil); err != nil {
			t.Fatal(err)
		}
		open, err := f.svc.Submit(ctx, f.event(report.Open), f.users["staff"])
		if err != nil {
			t.Fatal(err)
		}
		alert()

		before := chain(t, db)
		anonymous := map[string]bool{fmt.Sprint(first.ID): true, fmt.Sprint(second.ID): true}
		for _, e := range before {
			if e.actor == "reporter (anonymous)" || anonymous[e.entityID] && e.action == "report.notice" {
				t.Fatalf("entry %d (%s by %s on report %s at %s) is in the chain the day it happened, between neighbours with exact times",
					e.seq, e.action, e.actor, e.entityID, e.at)
			}
		}
		openSubmitted, openAlerted := false, false
		for _, e := range before {
			openSubmitted = openSubmitted || e.action == "report.submit" && e.entityID == fmt.Sprint(open.ID)
			openAlerted = openAlerted || e.action == "report.notice" && e.entityID == fmt.Sprint(open.ID) && e.actor == "system"
		}
		if !openSubmitted || !openAlerted {
			t.Fatalf("the open report's submission (%v) or new-report alert (%v) is not in the chain: only anonymous activity waits", openSubmitted, openAlerted)
		}
		var held int
		db.QueryRowContext(ctx, `SELECT count(*) FROM audit_pending WHERE day = '2026-03-02' AND actor = 'reporter (anonymous)'`).Scan(&held)
		if held != 4 {
			t.Fatalf("%d entries held back for 2 March, want 4 (two submissions, a read, a message)", held)
		}

		// Later the same day nothing is released.
		*f.clock = time.Date(2026, 3, 2, 23, 59, 0, 0, time.UTC)
		if n, err := f.svc.ReleaseHeldAudit(ctx); err != nil || n != 0 {
			t.Fatalf("released %d (%v) before the day was over", n, err)
		}
		// After midnight in England (in summer time too: here 1 March is
		// winter, so UTC), all six join the chain, after everything else
		// and timed at the start of their day.
		*f.clock = time.Date(2026, 3, 3, 0, 5, 0, 0, time.UTC)
		if n, err := f.svc.ReleaseHeldAudit(ctx); err != nil || n != 6 {
			t.Fatalf("released %d (%v), want 6", n, err)
		}
		after := chain(t, db)
		if len(after) != len(before)+6 {
			t.Fatalf("chain grew from %d to %d entries, want 6 more", len(before), len(after))
		}
		var got []string
		for _, e := range after[len(before):] {
			if e.at != "2026-03-02T00:00:00.000000Z" || e.actor != "reporter (anonymous)" && e.action != "report.notice" {
				t.Fatalf("released entry %+v: want the day's start and the anonymous reporter", e)
			}
			if e.action == "report.notice" && (e.actor != "system" || e.detail != report.NoticeReceived) {
				t.Fatalf("released alert %+v: want the system's new-report alert", e)
			}
			got = append(got, e.entityID+" "+e.action)
		}
		// Ordered by report and action, not by when: the reporter's message
		// (09:58) comes before their read (09:44), and the first report's
		// entries all come before the second's submission (09:51).
		want := []string{
			fmt.Sprint(first.ID) + " report.notice", fmt.Sprint(first.ID) + " report.reporter_message",
			fmt.Sprint(first.ID) + " report.reporter_read", fmt.Sprint(first.ID) + " report.submit",
			fmt.Sprint(second.ID) + " report.notice", fmt.Sprint(second.ID) + " report.submit",
		}
		if strings.Join(got, ", ") != strings.Join(want, ", ") {
			t.Fatalf("released in the order %v, want %v", got, want)
		}
		var left int
		db.QueryRowContext(ctx, `SELECT count(*) FROM audit_pending`).Scan(&left)
		if n, err := f.svc.ReleaseHeldAudit(ctx); err != nil || n != 0 || left != 0 {
			t.Fatalf("a second release added %d (%v); %d left held", n, err, left)
		}
		verifyChain(t, db)
	})
}

func TestHeldAuditEntriesNameNobody(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		err := db.InTx(context.Background(), func(tx *store.Tx) error {
			return audit.Hold(context.Background(), tx, []audit.Event{{At: time.Now(), Actor: audit.Actor{UserID: 7, Label: "someone@trust.example"},
				Action: "report.submit", Entity: "report", EntityID: "1"}})
		})
		if err == nil || !strings.Contains(err.Error(), "name nobody") {
			t.Fatalf("holding an entry that names an account: %v, want a refusal", err)
		}
	})
}

// Replicas release together: each held entry joins the chain once.
func TestHeldAuditReleasedOnceAcrossReplicas(t *testing.T) {
	ctx := context.Background()
	f, more := replicaFixture(t)
	first := f.db
	const n = 30
	for i := 0; i < n; i++ {
		if _, err := f.svc.Submit(ctx, f.concern(report.Anonymous), nil); err != nil {
			t.Fatal(err)
		}
	}
	*f.clock = f.clock.Add(24 * time.Hour)
	replicas := more(3)
	var wg sync.WaitGroup
	released := make([]int, len(replicas))
	for i, r := range replicas {
		wg.Go(func() {
			m, err := r.ReleaseHeldAudit(ctx)
			if err != nil {
				t.Error(err)
			}
			released[i] = m
		})
	}
	wg.Wait()
	sum := 0
	for _, m := range released {
		sum += m
	}
	var entries int
	first.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE action = 'report.submit'`).Scan(&entries)
	if sum != n || entries != n {
		t.Fatalf("4 replicas released %v (%d in all) and the chain has %d submissions; want %d once each", released, sum, entries, n)
	}
	verifyChain(t, first)
}

// In summer England is an hour ahead of UTC. What an anonymous reporter
// does at half past midnight, and the team's alerts about it, belong to
// that day in England, and wait for its end: filed under the day before,
// they would be released within minutes. A reminder that fires at once,
// the deadlines being set short, waits too.
func TestHeldEntriesKeepTheirDayInEngland(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.svc.Deadlines.AckDays[report.Concern] = 1
		*f.clock = time.Date(2026, 7, 1, 23, 30, 0, 0, time.UTC) // 00:30 on 2 July in England
		rec, err := f.svc.Submit(ctx, f.concern(report.Anonymous), nil)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := f.svc.RunDeadlines(ctx); err != nil || n < 2 {
			t.Fatalf("fired %d notices (%v), want the alert and the reminder", n, err)
		}
		for _, e := range chain(t, db) {
			if e.entityID == fmt.Sprint(rec.ID) && strings.HasPrefix(e.action, "report.") {
				t.Fatalf("entry %s (%s) for the anonymous report is in the chain at once", e.action, e.detail)
			}
		}
		rows, err := db.QueryContext(ctx, `SELECT day, action, detail FROM audit_pending ORDER BY action, detail`)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var day, action, detail string
			rows.Scan(&day, &action, &detail)
			got = append(got, day+" "+action+" "+detail)
		}
		rows.Close()
		want := []string{"2026-07-02 report.notice ack_reminder", "2026-07-02 report.notice received", "2026-07-02 report.submit Speak-up concern raised Anonymously"}
		if strings.Join(got, "; ") != strings.Join(want, "; ") {
			t.Fatalf("held:\n %s\nwant\n %s", strings.Join(got, "\n "), strings.Join(want, "\n "))
		}
		*f.clock = time.Date(2026, 7, 1, 23, 45, 0, 0, time.UTC)
		if n, err := f.svc.ReleaseHeldAudit(ctx); err != nil || n != 0 {
			t.Fatalf("released %d (%v) a quarter of an hour later", n, err)
		}
		*f.clock = time.Date(2026, 7, 2, 23, 5, 0, 0, time.UTC) // 00:05 on 3 July in England
		if n, err := f.svc.ReleaseHeldAudit(ctx); err != nil || n != 3 {
			t.Fatalf("released %d (%v) once the day was over, want 3", n, err)
		}
	})
}
