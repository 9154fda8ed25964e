package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"candour/internal/report"
	"candour/internal/secret"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// A UUIDv7, as many API clients send for Idempotency-Key: its first 48 bits
// are the millisecond it was made (here 2026-03-02 09:30:00.123 UTC).
const uuidV7 = "019cade2-123b-7c41-9a57-3f0c2d8e4b61"

func TestSubmissionKeysAreStoredOnlyAsScopedHashes(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()

		sub := f.concern(report.Anonymous)
		sub.SubmissionKey = uuidV7
		first, err := f.svc.Submit(ctx, sub, f.users["staff"])
		if err != nil {
			t.Fatal(err)
		}
		// What the database holds for it: not the key, nor any part of it.
		var hash, key *string
		if err := db.QueryRowContext(ctx, `SELECT submission_hash, submission_key FROM reports WHERE id = ?`, first.ID).Scan(&hash, &key); err != nil {
			t.Fatal(err)
		}
		if key != nil || hash == nil {
			t.Fatalf("stored submission_key %v, submission_hash %v; want only a hash", key, hash)
		}
		// (Parts of 8 digits or more: a 4-digit part turns up in a random
		// hash about once in 700 tries.)
		for _, part := range append(strings.Split(uuidV7, "-"), uuidV7, "019cade2123b") {
			if len(part) >= 8 && strings.Contains(*hash, part) {
				t.Fatalf("the stored hash %q holds %q from the client's key", *hash, part)
			}
		}

		// The same key, sent again anonymously (signed in or not), is a
		// repeat, with the first code (within minutes, as here).
		again, err := f.svc.Submit(ctx, sub, nil)
		if err != nil || !again.Repeat || again.Reference != first.Reference || again.AccessCode != first.AccessCode {
			t.Fatalf("anonymous repeat: %+v %v", again, err)
		}
		// The same key from a signed-in sender is theirs alone: another
		// person using it gets a report of their own, not the first receipt.
		open := f.event(report.Open)
		open.SubmissionKey = uuidV7
		mine, err := f.svc.Submit(ctx, open, f.users["staff"])
		if err != nil || mine.Repeat || mine.Reference == first.Reference {
			t.Fatalf("open report with an anonymous report's key: %+v %v", mine, err)
		}
		theirs, err := f.svc.Submit(ctx, open, f.users["manager"])
		if err != nil || theirs.Repeat || theirs.Reference == mine.Reference {
			t.Fatalf("another person's open report with the same key: %+v %v", theirs, err)
		}
		conf := open
		conf.Mode = report.Confidential
		mineAgain, err := f.svc.Submit(ctx, conf, f.users["staff"])
		if err != nil || !mineAgain.Repeat || mineAgain.Reference != mine.Reference {
			t.Fatalf("the same person's second send: %+v %v", mineAgain, err)
		}
		// The same key with something else written (a form sent, changed
		// with Back and sent again) is a second report, not a repeat that
		// would drop what was added.
		changed := conf
		changed.Description += " It happened again last night."
		second, err := f.svc.Submit(ctx, changed, f.users["staff"])
		if err != nil || second.Repeat || second.Reference == mine.Reference {
			t.Fatalf("the same key with a changed narrative: %+v %v", second, err)
		}
		var n int
		db.QueryRowContext(ctx, `SELECT count(*) FROM reports`).Scan(&n)
		if n != 4 {
			t.Fatalf("%d reports stored, want 4", n)
		}
	})
}

func TestSubmissionKeysSurviveRestartAndKeyRotation(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		oldKey := secret.NewKeySpec("k1")
		ring := func(spec string) *report.Service {
			t.Helper()
			keys, err := secret.NewRing(spec)
			if err != nil {
				t.Fatal(err)
			}
			svc := report.NewService(db, keys)
			svc.Now = func() time.Time { return *f.clock }
			return svc
		}
		before := ring(oldKey)
		sub := f.event(report.Anonymous)
		sub.SubmissionKey = uuidV7
		first, err := before.Submit(ctx, sub, nil)
		if err != nil {
			t.Fatal(err)
		}
		// A restarted server, with a new key in front of the old one, still
		// knows the key the next day.
		*f.clock = f.clock.Add(24 * time.Hour)
		after := ring(secret.NewKeySpec("k2") + "," + oldKey)
		again, err := after.Submit(ctx, sub, nil)
		if err != nil || !again.Repeat || again.Reference != first.Reference {
			t.Fatalf("after a restart and a key rotation: %+v %v", again, err)
		}
		// Through the group-commit writer too.
		wctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { after.StartBatching(wctx); close(done) }()
		for !after.Batching() {
			time.Sleep(time.Millisecond)
		}
		batched, err := after.Submit(ctx, sub, nil)
		stop()
		<-done
		if err != nil || !batched.Repeat || batched.Reference != first.Reference {
			t.Fatalf("through the writer: %+v %v", batched, err)
		}

		// RecentKeyDays later SQLite has forgotten the key (it holds only
		// recent ones in memory); PostgreSQL's index never forgets.
		*f.clock = f.clock.Add(time.Duration(report.RecentKeyDays) * 24 * time.Hour)
		later, err := ring(secret.NewKeySpec("k2")+","+oldKey).Submit(ctx, sub, nil)
		if err != nil {
			t.Fatal(err)
		}
		if db.Engine == store.Postgres && (!later.Repeat || later.Reference != first.Reference) {
			t.Fatalf("PostgreSQL forgot a key: %+v", later)
		}
		if db.Engine == store.SQLite && later.Repeat {
			t.Fatalf("SQLite still holds a key %d days old: %+v", report.RecentKeyDays+1, later)
		}
	})
}

// An anonymous report sent again within minutes, its first answer lost or
// its button pressed twice, is given its access code again; after that, or
// to a different key, never. The code given again is the stored one.
func TestRepeatedAnonymousReportGetsItsCodeForMinutes(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		start := *f.clock // 09:30:00, the start of a five-minute window
		sub := f.concern(report.Anonymous)
		sub.SubmissionKey = "b9d7c0de-58a3-4c1e-9f4e-1d2c3b4a5f60"
		first, err := f.svc.Submit(ctx, sub, nil)
		if err != nil || first.AccessCode == "" {
			t.Fatalf("first send: %+v %v", first, err)
		}
		for _, c := range []struct {
			after time.Duration
			code  bool
		}{{time.Second, true}, {4*time.Minute + 59*time.Second, true}, {9*time.Minute + 59*time.Second, true}, {10 * time.Minute, false}, {2 * time.Hour, false}} {
			*f.clock = start.Add(c.after)
			again, err := f.svc.Submit(ctx, sub, nil)
			if err != nil || !again.Repeat || again.ID != first.ID {
				t.Fatalf("%v later: %+v %v", c.after, again, err)
			}
			if want := map[bool]string{true: first.AccessCode}[c.code]; again.AccessCode != want {
				t.Fatalf("%v later: code %q, want %q", c.after, again.AccessCode, want)
			}
		}
		*f.clock = start.Add(time.Minute)
		if _, fu, err := f.svc.StartFollowUp(ctx, first.AccessCode, "c1"); err != nil || fu.ReportID != first.ID {
			t.Fatalf("the code given opens %d (%v), want report %d", fu.ReportID, err, first.ID)
		}
		// Another key, or other content, is another report with a code of
		// its own.
		other := sub
		other.SubmissionKey = "0c0ffee0-58a3-4c1e-9f4e-1d2c3b4a5f61"
		second, err := f.svc.Submit(ctx, other, nil)
		if err != nil || second.Repeat || second.AccessCode == "" || second.AccessCode[:19] == first.AccessCode[:19] {
			t.Fatalf("another key: %+v %v", second, err)
		}
		edited := sub
		edited.Description += " It happened again last night."
		third, err := f.svc.Submit(ctx, edited, nil)
		if err != nil || third.Repeat || third.AccessCode == "" || third.AccessCode[:19] == first.AccessCode[:19] {
			t.Fatalf("edited content: %+v %v", third, err)
		}
		// A report raised openly has no code, repeated or not.
		open := f.event(report.Open)
		open.SubmissionKey = "d00dfeed-58a3-4c1e-9f4e-1d2c3b4a5f62"
		for range 2 {
			if rec, err := f.svc.Submit(ctx, open, f.users["staff"]); err != nil || rec.AccessCode != "" {
				t.Fatalf("open report: %+v %v", rec, err)
			}
		}
	})
}
