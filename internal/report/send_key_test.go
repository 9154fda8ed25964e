package report_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"candour/internal/report"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// A message sent twice with its send key is stored once, even when both
// sendings arrive at once; the same key with other words is a new message;
// no key, no check.
func TestMessagesSentTwiceAreStoredOnce(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		rec, err := f.svc.Submit(ctx, f.concern(report.Anonymous), nil)
		if err != nil {
			t.Fatal(err)
		}
		fu := &report.FollowUp{ReportID: rec.ID, Expires: time.Now().Add(time.Hour)}
		g := f.users["guardian"]
		count := func(fromReporter bool) int {
			t.Helper()
			var n int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM report_messages WHERE report_id = ? AND from_reporter = ?`, rec.ID, fromReporter).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		// The reporter's page sent eight times at once.
		var wg sync.WaitGroup
		var mu sync.Mutex
		repeats, errs := 0, []error{}
		for range 8 {
			wg.Go(func() {
				repeat, err := f.svc.ReporterMessageOnce(ctx, nil, fu, rec.ID, "form-key-00000000001", "It happened again on Tuesday night.", nil)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err)
				} else if repeat {
					repeats++
				}
			})
		}
		wg.Wait()
		if len(errs) > 0 || repeats != 7 || count(true) != 1 {
			t.Fatalf("eight sendings at once: %d repeats, errors %v, %d messages stored; want 7, none, 1", repeats, errs, count(true))
		}
		// Changed before being sent again: a new message.
		if repeat, err := f.svc.ReporterMessageOnce(ctx, nil, fu, rec.ID, "form-key-00000000001", "It happened again on Tuesday and Wednesday nights.", nil); err != nil || repeat {
			t.Fatalf("same key, other words: repeat %v, %v", repeat, err)
		}
		// Without a key, nothing is taken for a repeat.
		for range 2 {
			if err := f.svc.ReporterMessage(ctx, nil, fu, rec.ID, "And on Thursday.", nil); err != nil {
				t.Fatal(err)
			}
		}
		if n := count(true); n != 4 {
			t.Fatalf("%d messages from the reporter, want 4", n)
		}

		// The team's message and note: once each, and a repeat changes
		// nothing else (no second notice, no second audit entry).
		for range 2 {
			if _, err := f.svc.MessageReporterOnce(ctx, g, rec.ID, "form-key-00000000002", "Thank you. Which ward was it?", false, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.MessageReporterOnce(ctx, g, rec.ID, "form-key-00000000002", "Spoke to the ward manager.", true, nil); err != nil {
				t.Fatal(err)
			}
		}
		if n := count(false); n != 2 {
			t.Fatalf("%d messages and notes from the team, want 2", n)
		}
		// A key is its sender's, for its kind of message: the same key and
		// words as a note and then as a message, or from another handler,
		// are new messages.
		if repeat, err := f.svc.MessageReporterOnce(ctx, g, rec.ID, "form-key-00000000003", "Seen by the ward manager.", true, nil); err != nil || repeat {
			t.Fatalf("a note: repeat %v, %v", repeat, err)
		}
		if repeat, err := f.svc.MessageReporterOnce(ctx, g, rec.ID, "form-key-00000000003", "Seen by the ward manager.", false, nil); err != nil || repeat {
			t.Fatalf("a message with a note's key and words: repeat %v, %v", repeat, err)
		}
		second := f.users["guardian2"]
		if repeat, err := f.svc.MessageReporterOnce(ctx, second, rec.ID, "form-key-00000000002", "Thank you. Which ward was it?", false, nil); err != nil || repeat {
			t.Fatalf("another handler with the same key and words: repeat %v, %v", repeat, err)
		}
		if n := count(false); n != 5 {
			t.Fatalf("%d messages and notes from the team, want 5", n)
		}
		var audited int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM audit_log WHERE entity = 'report' AND entity_id = ? AND action IN ('report.message', 'report.note')`,
			strconv.FormatInt(rec.ID, 10)).Scan(&audited); err != nil {
			t.Fatal(err)
		}
		if audited != 5 {
			t.Errorf("%d audit entries for the team's messages and notes, want one for each of the 5 stored", audited)
		}
		// What is stored is a keyed hash, not the key.
		var plain int
		db.QueryRowContext(ctx, `SELECT count(*) FROM report_messages WHERE send_key LIKE '%form-key%'`).Scan(&plain)
		if plain != 0 {
			t.Errorf("%d messages store the send key as sent", plain)
		}
	})
}
