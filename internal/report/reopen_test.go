package report_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"candour/internal/report"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

func TestReopenKeepsWhatWasSaid(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		g, staff := f.users["guardian"], f.users["staff"]
		rec, err := f.svc.Submit(ctx, f.concern(report.Open), staff)
		if err != nil {
			t.Fatal(err)
		}
		first := "We found the night rota was one nurse short at weekends; a floating nurse now covers those shifts."
		if err := f.svc.Close(ctx, g, rec.ID, first); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Feedback(ctx, staff, nil, rec.ID, "yes", "no"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO deadline_notices (report_id, kind, fired_at) VALUES (?, ?, '2026-06-01T00:00:00.000000Z')`,
			rec.ID, report.NoticeFeedbackOverdue); err != nil {
			t.Fatal(err)
		}

		*f.clock = f.clock.AddDate(0, 0, 100)
		if err := f.svc.Reopen(ctx, g, rec.ID, "new info"); fields(err)["reason"] == "" {
			t.Fatalf("a reason of two words: %v", err)
		}
		if err := f.svc.Reopen(ctx, f.users["safety"], rec.ID, "The reporter says the floating nurse was withdrawn last month."); !errors.Is(err, report.ErrNotAllowed) {
			t.Fatalf("the safety team reopened a concern: %v", err)
		}
		if err := f.svc.Reopen(ctx, g, rec.ID, "The reporter says the floating nurse was withdrawn last month."); err != nil {
			t.Fatal(err)
		}
		r, err := f.svc.Get(ctx, g, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantDue := f.clock.AddDate(0, 0, 90).Format("2006-01-02")
		if r.Status != report.InReview || !r.ClosedAt.IsZero() || r.OutcomeSummary != "" || r.FeedbackDueOn != wantDue || r.SpeakUpAgain != "" {
			t.Fatalf("reopened: status %s, closed %v, outcome %q, feedback due %s (want %s), speak up again %q (want none until it closes again)",
				r.Status, r.ClosedAt, r.OutcomeSummary, r.FeedbackDueOn, wantDue, r.SpeakUpAgain)
		}
		if len(r.EarlierFeedback) != 1 || r.EarlierFeedback[0].SpeakUpAgain != "yes" || r.EarlierFeedback[0].Detriment != "no" {
			t.Fatalf("the answer to the first closing is not kept: %+v", r.EarlierFeedback)
		}
		var notices int
		db.QueryRowContext(ctx, `SELECT count(*) FROM deadline_notices WHERE report_id = ? AND kind = ?`, rec.ID, report.NoticeFeedbackOverdue).Scan(&notices)
		if notices != 0 {
			t.Fatal("the feedback escalation will not fire again for the new date")
		}
		view, err := f.svc.ForReporter(ctx, staff, nil, rec.ID)
		if err != nil {
			t.Fatal(err)
		}
		var told bool
		for _, m := range view.Messages {
			if strings.Contains(m.Body, "withdrawn") {
				t.Fatal("the reporter can read the reason, an internal note")
			}
			told = told || (strings.Contains(m.Body, "reopened") && strings.Contains(m.Body, first))
		}
		if !told {
			t.Fatal("the reporter's conversation does not keep the outcome they were given")
		}
		var notes int
		db.QueryRowContext(ctx, `SELECT count(*) FROM report_messages WHERE report_id = ? AND internal AND body LIKE '%withdrawn%'`, rec.ID).Scan(&notes)
		if notes != 1 {
			t.Fatalf("%d internal notes hold the reason, want 1", notes)
		}
		var notified int
		db.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE user_id = ? AND body LIKE '%reopened%'`, staff.UserID).Scan(&notified)
		if notified != 1 {
			t.Fatalf("the reporter had %d notices of the reopening, want 1", notified)
		}

		if err := f.svc.Reopen(ctx, g, rec.ID, "The reporter says the floating nurse was withdrawn last month."); !errors.Is(err, report.ErrNotClosed) {
			t.Fatalf("reopening an open report: %v", err)
		}
		if err := f.svc.Close(ctx, g, rec.ID, "The floating nurse is back on the rota, agreed with the ward manager."); err != nil {
			t.Fatal(err)
		}
		// Closed again, the reporter is asked again, once.
		if view, err := f.svc.ForReporter(ctx, staff, nil, rec.ID); err != nil || !view.CanGiveFeedback {
			t.Fatalf("after closing again the reporter is not asked for feedback: %v", err)
		}
		if err := f.svc.Feedback(ctx, staff, nil, rec.ID, "maybe", "yes"); err != nil {
			t.Fatalf("feedback on the second closing: %v", err)
		}
		if err := f.svc.Feedback(ctx, staff, nil, rec.ID, "no", "no"); fields(err)["speak_up_again"] == "" {
			t.Fatalf("feedback twice on one closing: %v", err)
		}
		if r, err = f.svc.Get(ctx, g, rec.ID); err != nil {
			t.Fatal(err)
		}
		if r.SpeakUpAgain != "maybe" || r.Detriment != "yes" || len(r.EarlierFeedback) != 1 || r.EarlierFeedback[0].SpeakUpAgain != "yes" {
			t.Fatalf("after the second answer: %q, %q, earlier %+v", r.SpeakUpAgain, r.Detriment, r.EarlierFeedback)
		}

		// A duplicate is reopened through the report it duplicates.
		dup, _ := f.svc.Submit(ctx, f.concern(report.Anonymous), nil)
		orig, _ := f.svc.Submit(ctx, f.concern(report.Anonymous), nil)
		if err := f.svc.MarkDuplicate(ctx, g, dup.ID, orig.Reference); err != nil {
			t.Fatal(err)
		}
		// A second duplicate, whose reporter never answers.
		quiet, _ := f.svc.Submit(ctx, f.concern(report.Anonymous), nil)
		if err := f.svc.MarkDuplicate(ctx, g, quiet.ID, orig.Reference); err != nil {
			t.Fatal(err)
		}
		// A report others are joined to cannot itself become a duplicate:
		// theirs would wait for an outcome that never came.
		third, _ := f.svc.Submit(ctx, f.concern(report.Anonymous), nil)
		if err := f.svc.MarkDuplicate(ctx, g, orig.ID, third.Reference); !strings.Contains(fields(err)["related"], "joined to this one") {
			t.Fatalf("marking a report with duplicates as a duplicate: %v", err)
		}
		if err := f.svc.Reopen(ctx, g, dup.ID, "Thought to be separate from the other report after all."); !errors.Is(err, report.ErrDuplicate) {
			t.Fatalf("reopening a duplicate: %v", err)
		}
		// Its reporter read the original's outcome; when the original is
		// reopened they are told the work goes on, keep what they read in
		// their conversation, and hear the new outcome when it closes again.
		outcome := func() string {
			var o string
			db.QueryRowContext(ctx, `SELECT outcome_summary FROM reports WHERE id = ?`, dup.ID).Scan(&o)
			return o
		}
		if err := f.svc.Close(ctx, g, orig.ID, "Weekend staffing is now reviewed every Friday with the matron."); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(outcome(), "reviewed every Friday") {
			t.Fatalf("the duplicate was not given the outcome: %q", outcome())
		}
		// The duplicate's reporter answers; the reopening asks them again.
		_, fu, err := f.svc.StartFollowUp(ctx, dup.AccessCode, "c1")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Feedback(ctx, nil, &fu, dup.ID, "yes", "no"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Reopen(ctx, g, orig.ID, "The Friday reviews have stopped, the reporters tell us."); err != nil {
			t.Fatal(err)
		}
		if o := outcome(); strings.Contains(o, "reviewed every Friday") || !strings.Contains(o, "being looked at together") {
			t.Fatalf("after the original was reopened, the duplicate's outcome reads %q", o)
		}
		var kept int
		db.QueryRowContext(ctx, `SELECT count(*) FROM report_messages WHERE report_id = ? AND NOT internal AND body LIKE '%reopened%reviewed every Friday%'`, dup.ID).Scan(&kept)
		if kept != 1 {
			t.Fatal("the duplicate's reporter lost the outcome they had read")
		}
		if err := f.svc.Close(ctx, g, orig.ID, "The Friday reviews are back, chaired by the deputy director of nursing."); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(outcome(), "deputy director") {
			t.Fatalf("the duplicate was not given the new outcome: %q", outcome())
		}
		// The quiet duplicate's reporter was told of the reopening, kept the
		// first outcome in their conversation, and is asked once it closes.
		_, qfu, err := f.svc.StartFollowUp(ctx, quiet.AccessCode, "c2")
		if err != nil {
			t.Fatal(err)
		}
		qv, err := f.svc.ForReporter(ctx, nil, &qfu, quiet.ID)
		if err != nil {
			t.Fatal(err)
		}
		var toldQuiet bool
		for _, m := range qv.Messages {
			toldQuiet = toldQuiet || (strings.Contains(m.Body, "has been reopened, so the work is not finished") && strings.Contains(m.Body, "reviewed every Friday"))
		}
		if !toldQuiet || !qv.CanGiveFeedback || !strings.Contains(qv.OutcomeSummary, "deputy director") {
			t.Fatalf("the duplicate that never answered: told %v, asked %v, outcome %q", toldQuiet, qv.CanGiveFeedback, qv.OutcomeSummary)
		}
		if view, err := f.svc.ForReporter(ctx, nil, &fu, dup.ID); err != nil || !view.CanGiveFeedback {
			t.Fatalf("the duplicate's reporter, who answered before the reopening, is not asked again: %v", err)
		}
		if err := f.svc.Feedback(ctx, nil, &fu, dup.ID, "no", "no"); err != nil {
			t.Fatal(err)
		}
		var answers int
		db.QueryRowContext(ctx, `SELECT count(*) FROM report_feedback WHERE report_id = ?`, dup.ID).Scan(&answers)
		if answers != 2 {
			t.Fatalf("the duplicate's feedback history holds %d answers, want 2", answers)
		}
	})
}

// TestFeedbackOncePerClosingUnderRaces sends the same answer twice at once
// (a double click, a client's retry) and an answer at the moment the report
// is reopened. Whatever the order, a closing keeps at most one answer, and
// a report that is open again holds none, so its reporter is asked when it
// closes again. On PostgreSQL the requests really do overlap.
func TestFeedbackOncePerClosingUnderRaces(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		g, staff := f.users["guardian"], f.users["staff"]
		const outcome = "Weekend staffing is now agreed with the staff side each month."
		for i := 0; i < 15; i++ {
			rec, err := f.svc.Submit(ctx, f.concern(report.Open), staff)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.svc.Close(ctx, g, rec.ID, outcome); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			for range 2 {
				wg.Go(func() { f.svc.Feedback(ctx, staff, nil, rec.ID, "yes", "no") })
			}
			wg.Wait()
			var answers int
			db.QueryRowContext(ctx, `SELECT count(*) FROM report_feedback WHERE report_id = ?`, rec.ID).Scan(&answers)
			if answers != 1 {
				t.Fatalf("a double send left %d answers to one closing, want 1", answers)
			}

			if err := f.svc.Reopen(ctx, g, rec.ID, "The reporter wrote again: the agreement has lapsed."); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.Close(ctx, g, rec.ID, outcome); err != nil {
				t.Fatal(err)
			}
			wg.Go(func() { f.svc.Feedback(ctx, staff, nil, rec.ID, "maybe", "no") })
			wg.Go(func() { f.svc.Reopen(ctx, g, rec.ID, "The reporter wrote a third time about the same rota.") })
			wg.Wait()
			var status string
			var answered bool
			db.QueryRowContext(ctx, `SELECT status, feedback_at IS NOT NULL FROM reports WHERE id = ?`, rec.ID).Scan(&status, &answered)
			db.QueryRowContext(ctx, `SELECT count(*) FROM report_feedback WHERE report_id = ?`, rec.ID).Scan(&answers)
			if status != "in_review" || answered || answers > 2 {
				t.Fatalf("an answer racing a reopening left the report %s, answered %v, with %d answers", status, answered, answers)
			}
		}
	})
}

// TestFeedbackAnswersTheOutcomeRead has the reporter open their report,
// closed with one outcome, while it is reopened and closed again (with the
// same words, even): their answer, sent with the closing they read, is
// refused, and taken once they have read the new one.
func TestFeedbackAnswersTheOutcomeRead(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		g := f.users["guardian"]
		const outcome = "Weekend staffing is now agreed with the staff side each month."
		for _, dup := range []bool{false, true} {
			orig, err := f.svc.Submit(ctx, f.concern(report.Anonymous), nil)
			if err != nil {
				t.Fatal(err)
			}
			rec := orig
			if dup {
				if rec, err = f.svc.Submit(ctx, f.concern(report.Anonymous), nil); err != nil {
					t.Fatal(err)
				}
				if err := f.svc.MarkDuplicate(ctx, g, rec.ID, orig.Reference); err != nil {
					t.Fatal(err)
				}
			}
			if err := f.svc.Close(ctx, g, orig.ID, outcome); err != nil {
				t.Fatal(err)
			}
			_, fu, err := f.svc.StartFollowUp(ctx, rec.AccessCode, "c1")
			if err != nil {
				t.Fatal(err)
			}
			read, err := f.svc.ForReporter(ctx, nil, &fu, rec.ID)
			if err != nil || !read.CanGiveFeedback || read.Closing == "" {
				t.Fatalf("duplicate %v: the reporter is not asked: %v", dup, err)
			}
			*f.clock = f.clock.Add(time.Hour)
			if err := f.svc.Reopen(ctx, g, orig.ID, "The reporter wrote again: the agreement has lapsed."); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.FeedbackFor(ctx, nil, &fu, rec.ID, read.Closing, "yes", "no"); !strings.Contains(fields(err)["speak_up_again"], "once the work on your report has finished") {
				t.Fatalf("duplicate %v: an answer while the report is reopened: %v", dup, err)
			}
			*f.clock = f.clock.Add(time.Hour)
			if err := f.svc.Close(ctx, g, orig.ID, outcome); err != nil {
				t.Fatal(err)
			}
			if err := f.svc.FeedbackFor(ctx, nil, &fu, rec.ID, read.Closing, "yes", "no"); !strings.Contains(fields(err)["speak_up_again"], "has changed since you opened this page") {
				t.Fatalf("duplicate %v: an answer to the closing before: %v", dup, err)
			}
			again, err := f.svc.ForReporter(ctx, nil, &fu, rec.ID)
			if err != nil || again.Closing == read.Closing {
				t.Fatalf("duplicate %v: the new closing is marked as the old one: %v", dup, err)
			}
			if err := f.svc.FeedbackFor(ctx, nil, &fu, rec.ID, again.Closing, "maybe", "no"); err != nil {
				t.Fatalf("duplicate %v: the answer to the outcome read: %v", dup, err)
			}
		}
	})
}
