package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"candour/internal/store"
	"candour/internal/store/storetest"
)

// TestUpgradeLeavesNoStoredSubmissionKeys stores reports with submission
// keys as versions before 14 did (the client's text, here UUIDv7s that spell
// the millisecond they were made), upgrades, and looks for the keys in the
// rows and, on SQLite, in every byte of the database files.
func TestUpgradeLeavesNoStoredSubmissionKeys(t *testing.T) {
	ctx := context.Background()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			db := openAtVersion(t, engine, 13)
			keys := make([]string, 300)
			for i := range keys {
				keys[i] = fmt.Sprintf("019cade2-123b-7c41-9a57-3f0c2d8e%04d", i)
				_, err := db.ExecContext(ctx, `INSERT INTO reports (reference, kind, mode, team, status, description, submission_key,
					received_on, created_at, updated_at, ack_due_on, feedback_due_on)
					VALUES (?, 'concern', 'anonymous', 'guardian', 'new', 'Shifts are left short and people fear saying so.', ?,
					'2026-03-02', '2026-03-02T00:00:00.000000Z', '2026-03-02T00:00:00.000000Z', '2026-03-09', '2026-06-01')`,
					fmt.Sprintf("SU-%06d-0", i+1), keys[i])
				if err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var left int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM reports WHERE submission_key IS NOT NULL OR submission_hash IS NOT NULL`).Scan(&left); err != nil {
				t.Fatal(err)
			}
			if left != 0 {
				t.Fatalf("%d reports still hold a submission key after the upgrade", left)
			}
			if db.Engine != store.SQLite {
				return
			}
			if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
				t.Fatal(err)
			}
			path := strings.TrimPrefix(db.Location, "sqlite:")
			var files bytes.Buffer
			for _, f := range []string{path, path + "-wal"} {
				b, _ := os.ReadFile(f)
				files.Write(b)
			}
			if !bytes.Contains(files.Bytes(), []byte("Shifts are left short")) {
				t.Fatal("the reports' own text is not in the files; the search proves nothing")
			}
			for _, k := range keys {
				if bytes.Contains(files.Bytes(), []byte(k)) {
					t.Fatalf("the key %s is still in the database file after the upgrade", k)
				}
			}
		})
	}
}

// TestUpgradeRemovesPerClientRateLimits stores the per-client wrong-code
// counts earlier versions kept, upgrades, and finds only the overall count.
func TestUpgradeRemovesPerClientRateLimits(t *testing.T) {
	ctx := context.Background()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			db := openAtVersion(t, engine, 18)
			for _, bucket := range []string{"access-code:all", "access-code:9f2c41d0", "access-code:1b77e0aa", "sign-in:someone"} {
				if _, err := db.ExecContext(ctx, `INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, '2026-03-02T10:00:00.000000Z', 3)`, bucket); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			rows, err := db.QueryContext(ctx, `SELECT bucket FROM rate_limits ORDER BY bucket`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var left []string
			for rows.Next() {
				var b string
				rows.Scan(&b)
				left = append(left, b)
			}
			if strings.Join(left, " ") != "access-code:all sign-in:someone" {
				t.Fatalf("rate limit buckets after the upgrade: %v", left)
			}
		})
	}
}

// TestUpgradeKeepsFeedbackGiven stores feedback as versions before 20 did,
// on the report row only, and finds it in the feedback history afterwards,
// where the guardians' return now counts it.
func TestUpgradeKeepsFeedbackGiven(t *testing.T) {
	ctx := context.Background()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			db := openAtVersion(t, engine, 19)
			// Reports 1 and 2 closed and answered, 3 closed and not answered,
			// 4 answered and then reopened (earlier versions kept the answer),
			// 5 a duplicate of 4 answered before 4 was reopened. All closed on
			// 2 March unless set below.
			for i, fb := range []struct {
				status, again, detriment, at, duplicateOf any
			}{
				{"closed", "yes", "no", "2026-03-05T00:00:00.000000Z", nil},
				{"closed", "no", "yes", "2026-04-01T09:30:00.000000Z", nil},
				{"closed", nil, nil, nil, nil},
				{"in_review", "maybe", "no", "2026-04-02T10:00:00.000000Z", nil},
				{"closed", "dont_know", "prefer_not_to_say", "2026-04-03T00:00:00.000000Z", 4},
				// 6 answered, reopened and closed again on 1 June; 7, anonymous,
				// answered on the day it was closed again; 8 a duplicate of 6
				// answered before 6 closed again.
				{"closed", "yes", "no", "2026-04-04T10:00:00.000000Z", nil},
				{"closed", "no", "no", "2026-06-01T00:00:00.000000Z", nil},
				{"closed", "maybe", "no", "2026-04-05T00:00:00.000000Z", 6},
			} {
				if _, err := db.ExecContext(ctx, `INSERT INTO reports (id, reference, kind, mode, team, status, description,
					received_on, created_at, updated_at, ack_due_on, feedback_due_on, speak_up_again, detriment, feedback_at, duplicate_of)
					VALUES (?, ?, 'concern', 'anonymous', 'guardian', ?, 'Shifts are left short and people fear saying so.',
					'2026-03-02', '2026-03-02T00:00:00.000000Z', '2026-03-02T00:00:00.000000Z', '2026-03-09', '2026-06-01', ?, ?, ?, ?)`,
					i+1, fmt.Sprintf("SU-%06d-0", i+1), fb.status, fb.again, fb.detriment, fb.at, fb.duplicateOf); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.ExecContext(ctx, `UPDATE reports SET closed_at = CASE WHEN id IN (6, 7) THEN '2026-06-01T09:15:00.000000Z'
				ELSE '2026-03-02T12:00:00.000000Z' END WHERE status = 'closed'`); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			rows, err := db.QueryContext(ctx, `SELECT r.reference, f.speak_up_again, f.detriment, f.given_at
				FROM report_feedback f JOIN reports r ON r.id = f.report_id ORDER BY f.report_id, f.n`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var got []string
			for rows.Next() {
				var ref, again, detriment, at string
				rows.Scan(&ref, &again, &detriment, &at)
				got = append(got, strings.Join([]string{ref, again, detriment, at}, " "))
			}
			want := "SU-000001-0 yes no 2026-03-05T00:00:00.000000Z | SU-000002-0 no yes 2026-04-01T09:30:00.000000Z | " +
				"SU-000004-0 maybe no 2026-04-02T10:00:00.000000Z | SU-000005-0 dont_know prefer_not_to_say 2026-04-03T00:00:00.000000Z | " +
				"SU-000006-0 yes no 2026-04-04T10:00:00.000000Z | SU-000007-0 no no 2026-06-01T00:00:00.000000Z | " +
				"SU-000008-0 maybe no 2026-04-05T00:00:00.000000Z"
			if strings.Join(got, " | ") != want {
				t.Fatalf("feedback history after the upgrade:\n%s\nwant\n%s", strings.Join(got, " | "), want)
			}
			// The answers to closings since undone are history only: those
			// reporters are asked again when the report closes again.
			var current []string
			crows, err := db.QueryContext(ctx, `SELECT reference FROM reports WHERE feedback_at IS NOT NULL ORDER BY id`)
			if err != nil {
				t.Fatal(err)
			}
			defer crows.Close()
			for crows.Next() {
				var ref string
				crows.Scan(&ref)
				current = append(current, ref)
			}
			if strings.Join(current, " ") != "SU-000001-0 SU-000002-0 SU-000007-0" {
				t.Fatalf("reports holding an answer to their latest closing after the upgrade: %v", current)
			}
		})
	}
}

// openAtVersion opens a fresh database of engine ("sqlite" or "postgres",
// skipped without one) with its schema at version, as an older candour
// left it.
func openAtVersion(t *testing.T, engine string, version int64) *store.DB {
	t.Helper()
	ctx := context.Background()
	url := "sqlite:" + filepath.Join(t.TempDir(), "candour.db")
	if engine == "postgres" {
		url = storetest.PostgresDatabaseURL(t)
	}
	db, err := store.Open(ctx, url, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.MigrateTo(ctx, version); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestUpgradeMarksGradingsItCannotKnow stores reports at version 20, two of
// them graded again or passed on by the team (their audit entries say so),
// upgrades, and finds those two marked "not known" so that a later change
// does not keep the team's grading as the reporter's; the others are left
// to be kept when they first change.
func TestUpgradeMarksGradingsItCannotKnow(t *testing.T) {
	ctx := context.Background()
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			db := openAtVersion(t, engine, 20)
			for i := 1; i <= 3; i++ {
				if _, err := db.ExecContext(ctx, `INSERT INTO reports (id, reference, kind, mode, team, status, description,
					received_on, created_at, updated_at, ack_due_on, feedback_due_on)
					VALUES (?, ?, 'concern', 'anonymous', 'guardian', 'new', 'Shifts are left short and people fear saying so.',
					'2026-03-02', '2026-03-02T00:00:00.000000Z', '2026-03-02T00:00:00.000000Z', '2026-03-09', '2026-06-01')`,
					i, fmt.Sprintf("SU-%06d-0", i)); err != nil {
					t.Fatal(err)
				}
			}
			for seq, e := range []struct{ action, id string }{{"report.classify", "1"}, {"report.reroute", "2"}, {"report.read", "3"}, {"case.classify", "3"}} {
				if _, err := db.ExecContext(ctx, `INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, detail, prev_hash, hash)
					VALUES (?, '2026-03-03T10:00:00.000000Z', 'user:1', ?, ?, ?, '', '', '')`,
					seq+1, e.action, strings.SplitN(e.action, ".", 2)[0], e.id); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			got := map[int]string{}
			rows, err := db.QueryContext(ctx, `SELECT id, COALESCE(reported_kind, 'null') FROM reports ORDER BY id`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var id int
				var kind string
				rows.Scan(&id, &kind)
				got[id] = kind
			}
			if got[1] != "" || got[2] != "" || got[3] != "null" {
				t.Fatalf("reporter's grading after the upgrade: %v", got)
			}
		})
	}
}
