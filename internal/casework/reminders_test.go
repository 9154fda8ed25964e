package casework

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// supStage opens a stage on a case with its target date.
func (w *supWorld) stage(t *testing.T, caseID int64, code, started, target string) {
	t.Helper()
	supExec(t, w.db, `INSERT INTO case_stages (case_id, stage_code, started_on, target_on, started_by) VALUES (?, ?, ?, ?, ?)`,
		caseID, code, started, target, w.hr.UserID)
}

// supFired lists the notices claimed so far, as "kind key".
func supFired(t *testing.T, db *store.DB) map[string]bool {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT case_id, kind, key FROM case_notices`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c int64
		var k, key string
		if err := rows.Scan(&c, &k, &key); err != nil {
			t.Fatal(err)
		}
		out[fmt.Sprintf("%d %s %s", c, k, key)] = true
	}
	return out
}

// supTold lists who has a notice containing phrase, by name, sorted, one
// entry per notice.
func supTold(t *testing.T, db *store.DB, phrase string) string {
	t.Helper()
	rows, err := db.QueryContext(context.Background(), `SELECT u.name FROM notifications n JOIN users u ON u.id = n.user_id
		WHERE n.body LIKE ? ORDER BY u.name`, "%"+phrase+"%")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return strings.Join(out, ", ")
}

// Walking day by day, each reminder fires on its day, once, to the right
// people, naming only the case and what is due; a new review date or a new
// contact gets its own reminder; closed cases and ended suspensions get
// none.
func TestRemindersWithAClock(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newSupWorld(t, db) // day 0 is 10 March 2026
		s := w.svc
		w.stage(t, w.caseID, "investigation", w.today(), w.on(5))
		sp := w.agreedSuspension(t, w.caseID, w.hr)
		supExec(t, db, `UPDATE case_suspensions SET review_on = ? WHERE id = ?`, w.on(5), sp.ID)
		wb, err := s.AddWellbeing(ctx, w.hr, w.caseID, WellbeingInput{Contact: w.contact.Email})
		if err != nil {
			t.Fatal(err)
		}
		// The other case: an ended suspension long past its review date.
		old, err := s.ProposeSuspension(ctx, w.hrExec, w.otherCase, w.goodSuspension())
		if err != nil {
			t.Fatal(err)
		}
		supExec(t, db, `UPDATE case_suspensions SET status = 'ended', ended_on = ?, review_on = ? WHERE id = ?`, w.today(), w.on(1), old.ID)
		// An ended wellbeing contact, long lapsed.
		supExec(t, db, `INSERT INTO case_wellbeing (case_id, contact_user_id, frequency_days, started_on, ended_on, created_by, created_at)
			VALUES (?, ?, 7, ?, ?, ?, ?)`, w.caseID, w.contact.UserID, w.on(-30), w.on(-20), w.hr.UserID, store.T(w.now))
		// A closed case with everything overdue.
		w.addCase(t, 3, "ER-2026-0003", 3, w.hr, nil, "closed")
		w.stage(t, 3, "investigation", w.on(-60), w.on(-20))
		supExec(t, db, `INSERT INTO case_suspensions (case_id, kind, reason, status, starts_on, review_on, proposed_by, created_at, updated_at)
			VALUES (3, 'suspension', 'x', 'active', ?, ?, ?, ?, ?)`, w.on(-30), w.on(-16), w.hr.UserID, store.T(w.now), store.T(w.now))
		supExec(t, db, `INSERT INTO case_wellbeing (case_id, contact_user_id, frequency_days, started_on, created_by, created_at)
			VALUES (3, ?, 7, ?, ?, ?)`, w.contact.UserID, w.on(-30), w.hr.UserID, store.T(w.now))

		stage := fmt.Sprint(supCount(t, db, `SELECT id FROM case_stages WHERE case_id = ?`, w.caseID))
		want := map[int][]string{
			3:  {"stage_due " + stage, "suspension_review_due " + fmt.Sprint(sp.ID) + ":2026-03-15"},
			6:  {"stage_overdue " + stage, "suspension_review_overdue " + fmt.Sprint(sp.ID) + ":2026-03-15"},
			8:  {"wellbeing_lapsed " + fmt.Sprint(wb.ID) + ":2026-03-17"},
			17: {"wellbeing_lapsed " + fmt.Sprint(wb.ID) + ":2026-03-26"},
			18: {"suspension_review_due " + fmt.Sprint(sp.ID) + ":2026-03-30"},
			21: {"suspension_review_overdue " + fmt.Sprint(sp.ID) + ":2026-03-30"},
		}
		seen := supFired(t, db)
		for day := 0; day <= 24; day++ {
			switch day {
			case 9: // a contact on 19 March moves the next one to the 26th
				if err := s.LogContact(ctx, w.manager, w.caseID, wb.ID, ContactInput{ContactedOn: w.today(), Method: "video"}); err != nil {
					t.Fatal(err)
				}
			case 10: // a review on 20 March sets the next for the 30th
				if _, err := s.ReviewSuspension(ctx, w.hr, sp.ID, ReviewInput{HeldOn: w.today(), Decision: ReviewContinue, NextReviewOn: w.on(10)}); err != nil {
					t.Fatal(err)
				}
			}
			n, err := s.RunReminders(ctx)
			if err != nil {
				t.Fatalf("day %d: %v", day, err)
			}
			again, err := s.RunReminders(ctx)
			if err != nil || again != 0 {
				t.Fatalf("day %d: a second run fired %d (%v)", day, again, err)
			}
			now := supFired(t, db)
			var fresh []string
			for k := range now {
				if !seen[k] {
					if !strings.HasPrefix(k, fmt.Sprint(w.caseID)+" ") {
						t.Errorf("day %d: fired %q for a closed case or an ended suspension", day, k)
					}
					fresh = append(fresh, strings.TrimPrefix(k, fmt.Sprint(w.caseID)+" "))
				}
			}
			seen = now
			sort.Strings(fresh)
			exp := append([]string(nil), want[day]...)
			sort.Strings(exp)
			if strings.Join(fresh, "|") != strings.Join(exp, "|") || n != len(exp) {
				t.Errorf("day %d (%s): fired %d %v, want %v", day, w.today(), n, fresh, exp)
			}
			w.days(1)
		}

		// Who was told what.
		for phrase, who := range map[string]string{
			"is due to finish by 15 March":  "Hana Adviser",
			"was due to finish by 15 March": "Hana Adviser, Lee Lead",
			"review is due by":              "Hana Adviser, Hana Adviser",
			"review was due by 15 March":    "Hana Adviser, Lee Lead, Nia Nonexec",
			"review was due by 30 March":    "Hana Adviser, Lee Lead, Nia Nonexec",
			"wellbeing contact was due by":  "Chris Contact, Chris Contact, Hana Adviser, Hana Adviser",
		} {
			if got := supTold(t, db, phrase); got != who {
				t.Errorf("%q went to %q, want %q", phrase, got, who)
			}
		}
		for _, p := range []*authz.Principal{w.hr, w.lead, w.ned, w.contact} {
			mails := supEmails(t, db, p)
			if len(mails) == 0 {
				t.Errorf("%s got no email", p.Name)
			}
			for _, m := range mails {
				if !strings.Contains(m, w.ref) && !strings.Contains(m, w.otherRef) {
					t.Errorf("an email to %s does not name the case: %q", p.Name, m)
				}
			}
			supNoNarrative(t, p.Name+"'s notices and emails", append(supNotices(t, db, p), mails...))
		}
		if n := supCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'case.notice'`); n != 8 {
			t.Errorf("%d notices audited, want 8", n)
		}
	})
}

// Two replicas running reminders at the same moment, each with its own
// connection pool, fire each notice once between them.
func TestRemindersAcrossReplicas(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newSupWorld(t, db)
		const cases = 8
		at := store.T(w.now)
		for i := int64(10); i < 10+cases; i++ {
			w.addCase(t, i, fmt.Sprintf("ER-2026-%04d", i), 1, w.hr, nil, "formal")
			w.stage(t, i, "investigation", w.on(-50), w.on(-8)) // overdue: adviser and lead
			supExec(t, db, `INSERT INTO case_suspensions (case_id, kind, reason, status, starts_on, review_on, proposed_by, created_at, updated_at)
				VALUES (?, 'exclusion', 'x', 'active', ?, ?, ?, ?, ?)`, i, w.on(-5), w.on(1), w.hr.UserID, at, at) // due soon: adviser
			supExec(t, db, `INSERT INTO case_wellbeing (case_id, contact_user_id, frequency_days, started_on, created_by, created_at)
				VALUES (?, ?, 7, ?, ?, ?)`, i, w.contact.UserID, w.on(-9), w.hr.UserID, at) // lapsed: contact and adviser
		}
		second := *w.svc
		second.DB = supReplica(t, db)
		var wg sync.WaitGroup
		totals := make([]int, 4)
		for i, svc := range []*Service{w.svc, &second, w.svc, &second} {
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
		if sum := totals[0] + totals[1] + totals[2] + totals[3]; sum != cases*3 {
			t.Errorf("replicas fired %v between them, want %d", totals, cases*3)
		}
		if n := supCount(t, db, `SELECT count(*) FROM case_notices`); n != cases*3 {
			t.Errorf("%d claims, want %d", n, cases*3)
		}
		if n := supCount(t, db, `SELECT count(*) FROM notifications`); n != cases*5 {
			t.Errorf("%d notices, want %d", n, cases*5)
		}
		if n := supCount(t, db, `SELECT count(*) FROM outbox`); n != cases*5 {
			t.Errorf("%d emails, want %d", n, cases*5)
		}
		if told := supTold(t, db, "exclusion review is due by 11 March"); strings.Count(told, "Hana Adviser") != cases {
			t.Errorf("exclusion reviews went to %q", told)
		}
		if n, err := second.RunReminders(ctx); err != nil || n != 0 {
			t.Errorf("a later run fired %d (%v)", n, err)
		}
	})
}
