package casework

import (
	"context"
	"errors"
	"strings"
	"testing"

	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/store/storetest"
)

// A suspension takes effect only when two different executives agree;
// neither HR, nor the proposer, nor one executive twice can make it so.
func TestSuspensionNeedsTwoExecutives(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newSupWorld(t, db)
		s := w.svc

		sp, err := s.ProposeSuspension(ctx, w.hr, w.caseID, w.goodSuspension())
		if err != nil {
			t.Fatalf("propose: %v", err)
		}
		if sp.Status != SuspensionProposed || sp.ProposedBy != "Hana Adviser" || sp.StartsOn != w.today() || sp.ReviewOn != w.on(7) {
			t.Fatalf("proposed suspension = %+v", sp)
		}
		if sp.Days != 0 {
			t.Errorf("a proposal counts %d days suspended, want 0", sp.Days)
		}
		// Every executive is told a decision waits, in the app and by email,
		// with the case reference and nothing of the narrative.
		for _, e := range []*struct {
			name  string
			notes []string
			mails []string
		}{
			{"Erin", supNotices(t, db, w.exec1), supEmails(t, db, w.exec1)},
			{"Dana", supNotices(t, db, w.hrExec), supEmails(t, db, w.hrExec)},
		} {
			if len(e.notes) != 1 || !strings.Contains(e.notes[0], w.ref) || !strings.Contains(e.notes[0], "waiting for your decision") {
				t.Errorf("%s's notices = %q", e.name, e.notes)
			}
			if len(e.mails) != 1 || !strings.Contains(e.mails[0], w.ref) || !strings.Contains(e.mails[0], "a suspension is waiting for your decision") ||
				!strings.Contains(e.mails[0], "https://candour.test/suspensions/") {
				t.Errorf("%s's emails = %q", e.name, e.mails)
			}
			supNoNarrative(t, e.name+"'s notices", append(e.notes, e.mails...))
		}
		// The non-executive reviewer is told, but not asked to decide: they
		// review every suspension, so they are never one of the two.
		if notes := supNotices(t, db, w.ned); len(notes) != 1 || !strings.Contains(notes[0], "you review every one") {
			t.Errorf("the reviewer's notices = %q", notes)
		}
		if _, err := s.DecideSuspension(ctx, w.ned, sp.ID, DecisionApprove, ""); !errors.Is(err, ErrReviewerDecides) {
			t.Errorf("the non-executive reviewer deciding: %v, want ErrReviewerDecides", err)
		}
		if n := len(supNotices(t, db, w.hr)) + len(supNotices(t, db, w.manager)); n != 0 {
			t.Errorf("people who do not decide got %d notices", n)
		}
		if n := supCount(t, db, `SELECT count(*) FROM case_entries WHERE case_id = ? AND kind = 'suspension' AND NOT visible_to_employee`, w.caseID); n != 1 {
			t.Errorf("%d hidden suspension entries on the timeline, want 1", n)
		}
		if n := supCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'suspension.propose'`); n != 1 {
			t.Errorf("%d propose audits, want 1", n)
		}

		// HR, even the handler, cannot decide; nor can someone without a role.
		_, err = s.DecideSuspension(ctx, w.hr, sp.ID, DecisionApprove, "")
		supWantErr(t, "HR approving", err, ErrNotAllowed)
		_, err = s.DecideSuspension(ctx, w.lead, sp.ID, DecisionApprove, "")
		supWantErr(t, "the ER lead approving", err, ErrNotAllowed)

		sp, err = s.DecideSuspension(ctx, w.exec1, sp.ID, DecisionApprove, "Agreed: the alternatives were tried")
		if err != nil {
			t.Fatalf("first approval: %v", err)
		}
		if sp.Status != SuspensionProposed || len(sp.Approvals) != 1 || sp.Approvals[0].Name != "Erin Exec" {
			t.Fatalf("after one approval: status %s, approvals %+v", sp.Status, sp.Approvals)
		}
		_, err = s.DecideSuspension(ctx, w.exec1, sp.ID, DecisionApprove, "")
		supWantErr(t, "the same executive approving twice", err, ErrAlreadyDecided)
		if got, _ := s.loadSuspension(ctx, db, sp.ID); got.Status != SuspensionProposed {
			t.Fatalf("one executive twice made it %s", got.Status)
		}
		_, err = s.DecideSuspension(ctx, w.exec2, sp.ID, "maybe", "")
		supWantField(t, err, "decision", "agree")

		sp, err = s.DecideSuspension(ctx, w.exec2, sp.ID, DecisionApprove, "")
		if err != nil {
			t.Fatalf("second approval: %v", err)
		}
		if sp.Status != SuspensionActive || len(sp.Approvals) != 2 {
			t.Fatalf("after two approvals: status %s, approvals %d", sp.Status, len(sp.Approvals))
		}
		if sp.Days != 1 {
			t.Errorf("active from today: %d days, want 1", sp.Days)
		}
		_, err = s.DecideSuspension(ctx, w.exec3, sp.ID, DecisionDecline, "Too late")
		supWantErr(t, "deciding an active suspension", err, ErrNotWaiting)
		if n := supCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'suspension.approve'`); n != 2 {
			t.Errorf("%d approval audits, want 2", n)
		}
		notes := supNotices(t, db, w.hr)
		if len(notes) != 1 || !strings.Contains(notes[0], "two executives have agreed") {
			t.Errorf("the adviser was told %q", notes)
		}

		// Whoever proposed cannot decide, even when they are an executive.
		own, err := s.ProposeSuspension(ctx, w.hrExec, w.otherCase, w.goodSuspension())
		if err != nil {
			t.Fatalf("propose on the other case: %v", err)
		}
		_, err = s.DecideSuspension(ctx, w.hrExec, own.ID, DecisionApprove, "")
		supWantErr(t, "the proposer approving", err, ErrOwnSuspension)
		if n := len(supNotices(t, db, w.hrExec)); n != 1 {
			t.Errorf("the proposer was told of their own proposal: %d notices, want 1 (from the first case)", n)
		}

		// A decline needs a reason, and ends the proposal.
		_, err = s.DecideSuspension(ctx, w.exec1, own.ID, DecisionDecline, "  ")
		supWantField(t, err, "reason", "Say why you are declining")
		own, err = s.DecideSuspension(ctx, w.exec1, own.ID, DecisionDecline, "Modified duties have not been tried")
		if err != nil {
			t.Fatalf("decline: %v", err)
		}
		if own.Status != SuspensionDeclined {
			t.Fatalf("declined suspension is %s", own.Status)
		}
		_, err = s.DecideSuspension(ctx, w.exec2, own.ID, DecisionApprove, "")
		supWantErr(t, "approving a declined suspension", err, ErrNotWaiting)
		if n := supCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'suspension.decline'`); n != 1 {
			t.Errorf("%d decline audits, want 1", n)
		}
		// Declined, the case may have a new proposal.
		if _, err := s.ProposeSuspension(ctx, w.hrExec, w.otherCase, w.goodSuspension()); err != nil {
			t.Errorf("a new proposal after a decline: %v", err)
		}
		_, err = s.DecideSuspension(ctx, w.exec1, 9999, DecisionApprove, "")
		supWantErr(t, "a suspension that does not exist", err, ErrNotAllowed)
	})
}

// Each named alternative must be answered on its own; "other" is optional.
func TestSuspensionAlternativesRequired(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newSupWorld(t, db)
		s := w.svc
		in := w.goodSuspension()
		in.AltRedeployment, in.AltModifiedDuties, in.AltSupervision, in.AltOther = "", " ", "", ""
		_, err := s.ProposeSuspension(ctx, w.hr, w.caseID, in)
		supWantField(t, err, "alt_redeployment", "Say why redeployment is not enough, or what was tried")
		supWantField(t, err, "alt_modified_duties", "modified duties")
		supWantField(t, err, "alt_supervision", "supervision")
		if supFieldErrors(t, err).Has("alt_other") {
			t.Errorf("other alternatives should be optional: %v", err)
		}
		for _, c := range []struct {
			field string
			clear func(*SuspensionInput)
		}{
			{"alt_redeployment", func(in *SuspensionInput) { in.AltRedeployment = "" }},
			{"alt_modified_duties", func(in *SuspensionInput) { in.AltModifiedDuties = "" }},
			{"alt_supervision", func(in *SuspensionInput) { in.AltSupervision = "" }},
		} {
			in := w.goodSuspension()
			c.clear(&in)
			_, err := s.ProposeSuspension(ctx, w.hr, w.caseID, in)
			if errs := supFieldErrors(t, err); len(errs) != 1 || errs[0].Field != c.field {
				t.Errorf("without %s: %v", c.field, errs)
			}
		}
		in = w.goodSuspension()
		in.Kind, in.Reason = "gardening_leave", ""
		_, err = s.ProposeSuspension(ctx, w.hr, w.caseID, in)
		supWantField(t, err, "kind", "suspension or an exclusion")
		supWantField(t, err, "reason", "Enter")
		if n := supCount(t, db, `SELECT count(*) FROM case_suspensions`); n != 0 {
			t.Errorf("%d suspensions stored from refused proposals", n)
		}
	})
}

// Dates: a start no more than 7 days back, a review not in the past, after
// the start and no more than the configured number of days away, with the
// limit said in the message.
func TestSuspensionDates(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newSupWorld(t, db) // today is 10 March 2026
		s := w.svc
		try := func(starts, review string) error {
			in := w.goodSuspension()
			in.StartsOn, in.ReviewOn = starts, review
			_, err := s.ProposeSuspension(ctx, w.hr, w.caseID, in)
			return err
		}
		supWantField(t, try(w.on(-8), w.on(3)), "starts_on", "7 days", "3 March 2026")
		supWantField(t, try("2026-02-30", w.on(3)), "starts_on", "real date")
		supWantField(t, try("", w.on(3)), "starts_on", "Enter the date the suspension starts")
		supWantField(t, try(w.on(-3), w.on(-1)), "review_on", "cannot be in the past", "24 March 2026", "14 days")
		supWantField(t, try(w.today(), w.on(15)), "review_on", "no more than 14 days", "24 March 2026")
		supWantField(t, try(w.on(5), w.on(5)), "review_on", "after the start date")
		supWantField(t, try(w.today(), ""), "review_on", "14 days")
		// Starting later, the limit runs from the start.
		supWantField(t, try(w.on(10), w.on(25)), "review_on", "14 days", "3 April 2026")
		s.SuspensionReviewDays = 10
		supWantField(t, try(w.today(), w.on(11)), "review_on", "10 days", "20 March 2026")
		// Exactly at the limit is allowed; a start a week back is too.
		sp, err := s.ProposeSuspension(ctx, w.hr, w.caseID, func() SuspensionInput {
			in := w.goodSuspension()
			in.StartsOn, in.ReviewOn = w.on(-7), w.on(10)
			return in
		}())
		if err != nil {
			t.Fatalf("a review at the limit: %v", err)
		}
		if sp.StartsOn != "2026-03-03" || sp.ReviewOn != "2026-03-20" {
			t.Errorf("stored %s to %s", sp.StartsOn, sp.ReviewOn)
		}
		// One proposed or active suspension per case.
		_, err = s.ProposeSuspension(ctx, w.hr, w.caseID, w.goodSuspension())
		supWantErr(t, "a second proposal", err, ErrSuspensionExists)
	})
}

// Who may propose and who may read: the handlers, any executive (who sees
// the suspension but never the case), the non-executive reviewer (every
// suspension); the manager only that one exists; nobody else anything.
func TestSuspensionAccess(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newSupWorld(t, db)
		s := w.svc
		for name, p := range map[string]*authz.Principal{"manager": w.manager, "other HR": w.hr2, "executive": w.exec1,
			"rep": w.rep, "admin": w.admin, "employee": w.employee} {
			_, err := s.ProposeSuspension(ctx, p, w.caseID, w.goodSuspension())
			supWantErr(t, name+" proposing", err, ErrNotAllowed)
		}
		sp, err := s.ProposeSuspension(ctx, w.hr, w.caseID, w.goodSuspension())
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.ProposeSuspension(ctx, w.lead, w.otherCase, w.goodSuspension())
		if err != nil {
			t.Fatalf("the ER lead proposing on a case they do not advise on: %v", err)
		}

		// Executives see the suspension and who it is about...
		got, err := s.Suspension(ctx, w.exec3, sp.ID)
		if err != nil {
			t.Fatalf("an executive reading: %v", err)
		}
		if got.PersonName != supEmployee || got.StaffGroup != "Nursing and Midwifery Registered" || got.CaseType != Disciplinary ||
			got.CaseReference != w.ref || got.Reason != supReasonText || got.AltSupervision == "" {
			t.Errorf("an executive sees %+v", got)
		}
		// ...but never the case itself.
		for name, p := range map[string]*authz.Principal{"executive": w.exec1, "non-executive reviewer": w.ned, "admin": w.admin, "other HR": w.hr2} {
			_, err := s.accessTo(ctx, db, p, w.caseID)
			supWantErr(t, name+" reading the case", err, ErrNotAllowed)
		}
		for name, p := range map[string]*authz.Principal{"handler": w.hr, "ER lead": w.lead, "reviewer": w.ned, "executive": w.exec2} {
			if _, err := s.Suspension(ctx, p, sp.ID); err != nil {
				t.Errorf("%s reading the suspension: %v", name, err)
			}
		}
		for name, p := range map[string]*authz.Principal{"manager": w.manager, "other HR": w.hr2, "rep": w.rep, "employee": w.employee,
			"admin": w.admin, "staff": w.staff} {
			_, err := s.Suspension(ctx, p, sp.ID)
			supWantErr(t, name+" reading the suspension", err, ErrNotAllowed)
		}
		_, err = s.Suspension(ctx, w.hr, other.ID)
		supWantErr(t, "HR reading a suspension on a case they do not handle", err, ErrNotAllowed)
		if n := supCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'suspension.read'`); n != 5 {
			t.Errorf("%d suspension reads audited, want 5", n)
		}

		// The case's suspensions: in full for handlers, an outline for the
		// manager, nothing for others.
		list, err := s.CaseSuspensions(ctx, w.hr, w.caseID)
		if err != nil || len(list) != 1 || list[0].Reason != supReasonText {
			t.Errorf("handler's case suspensions = %+v, %v", list, err)
		}
		list, err = s.CaseSuspensions(ctx, w.manager, w.caseID)
		if err != nil || len(list) != 1 || list[0].Status != SuspensionProposed || list[0].Reason != "" || list[0].AltRedeployment != "" || list[0].PersonName != "" {
			t.Errorf("manager's case suspensions = %+v, %v", list, err)
		}
		for name, p := range map[string]*authz.Principal{"rep": w.rep, "executive": w.exec1, "admin": w.admin} {
			_, err := s.CaseSuspensions(ctx, p, w.caseID)
			supWantErr(t, name+" listing the case's suspensions", err, ErrNotAllowed)
		}

		refs := func(p *authz.Principal) []string {
			t.Helper()
			list, err := s.Suspensions(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, sp := range list {
				out = append(out, sp.CaseReference+":"+sp.Status)
			}
			return out
		}
		want := func(name string, got []string, want ...string) {
			t.Helper()
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s sees %v, want %v", name, got, want)
			}
		}
		both := []string{w.otherRef + ":proposed", w.ref + ":proposed"}
		want("an executive", refs(w.exec1), both...)
		want("the reviewer", refs(w.ned), both...)
		want("the handler", refs(w.hr), w.ref+":proposed")
		want("the ER lead", refs(w.lead), both...)
		want("the other case's handler", refs(w.hrExec), both...) // also an executive
		want("other HR", refs(w.hr2))
		want("the manager", refs(w.manager))
		want("the admin", refs(w.admin))
		want("the rep", refs(w.rep))

		// Once agreed, it leaves the lists of executives who did not decide
		// it; those who decided keep it; the reviewer sees every one.
		if _, err := s.DecideSuspension(ctx, w.exec1, sp.ID, DecisionApprove, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DecideSuspension(ctx, w.exec2, sp.ID, DecisionApprove, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DecideSuspension(ctx, w.exec2, other.ID, DecisionDecline, "Supervision was not tried"); err != nil {
			t.Fatal(err)
		}
		want("an executive who approved", refs(w.exec1), w.ref+":active")
		want("an executive who decided both", refs(w.exec2), w.ref+":active", w.otherRef+":declined")
		want("an executive who decided neither", refs(w.exec3))
		want("the reviewer", refs(w.ned), w.ref+":active", w.otherRef+":declined")
		if n := supCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'suspension.list'`); n < 10 {
			t.Errorf("only %d list reads audited", n)
		}

		// The case shows its current suspension.
		cur, err := s.activeSuspension(ctx, db, w.caseID)
		if err != nil || cur == nil || cur.ID != sp.ID {
			t.Errorf("activeSuspension = %+v, %v", cur, err)
		}
		cur, err = s.activeSuspension(ctx, db, w.otherCase)
		if err != nil || cur != nil {
			t.Errorf("a declined suspension shows as current: %+v, %v", cur, err)
		}

		// Only the nominated reviewer records oversight.
		for name, p := range map[string]*authz.Principal{"executive": w.exec1, "handler": w.hr, "ER lead": w.lead} {
			supWantErr(t, name+" recording oversight", s.RecordOversight(ctx, p, sp.ID, "Looked at it"), ErrNotAllowed)
		}
		supWantField(t, s.RecordOversight(ctx, w.ned, sp.ID, " "), "comments", "Enter")
		if err := s.RecordOversight(ctx, w.ned, sp.ID, "Proportionate; keep the review dates."); err != nil {
			t.Fatalf("oversight: %v", err)
		}
		got, err = s.Suspension(ctx, w.hr, sp.ID)
		if err != nil || len(got.Oversight) != 1 || got.Oversight[0].Name != "Nia Nonexec" {
			t.Errorf("oversight on the suspension = %+v, %v", got.Oversight, err)
		}
		if n := supCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'suspension.oversight'`); n != 1 {
			t.Errorf("%d oversight audits, want 1", n)
		}

		// A closed case takes no new suspension.
		supExec(t, db, `UPDATE cases SET status = 'closed' WHERE id = ?`, w.otherCase)
		_, err = s.ProposeSuspension(ctx, w.lead, w.otherCase, w.goodSuspension())
		supWantErr(t, "proposing on a closed case", err, ErrClosed)
	})
}

// Reviews: only of a suspension in place, by its handler, on a date that
// has come, with the next review within the limit; ending it stops the
// count of days.
func TestSuspensionReview(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newSupWorld(t, db) // 10 March 2026
		s := w.svc
		proposed, err := s.ProposeSuspension(ctx, w.hrExec, w.otherCase, w.goodSuspension())
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.ReviewSuspension(ctx, w.hrExec, proposed.ID, ReviewInput{HeldOn: w.today(), Decision: ReviewEnd})
		supWantErr(t, "reviewing a proposal", err, ErrNotActive)

		sp := w.agreedSuspension(t, w.caseID, w.hr) // from 10 March, review by 17 March
		w.days(6)                                   // 16 March
		if got, _ := s.loadSuspension(ctx, db, sp.ID); got.Days != 7 || got.ReviewOverdue {
			t.Errorf("on day 7: %d days, overdue %v", got.Days, got.ReviewOverdue)
		}
		for name, p := range map[string]*authz.Principal{"manager": w.manager, "executive": w.exec1, "other HR": w.hr2} {
			_, err := s.ReviewSuspension(ctx, p, sp.ID, ReviewInput{HeldOn: w.today(), Decision: ReviewEnd})
			supWantErr(t, name+" reviewing", err, ErrNotAllowed)
		}
		review := func(in ReviewInput) error {
			_, err := s.ReviewSuspension(ctx, w.hr, sp.ID, in)
			return err
		}
		supWantField(t, review(ReviewInput{HeldOn: w.on(1), Decision: ReviewContinue, NextReviewOn: w.on(5)}), "held_on", "future")
		supWantField(t, review(ReviewInput{HeldOn: w.on(-7), Decision: ReviewContinue, NextReviewOn: w.on(5)}), "held_on", "10 March 2026")
		supWantField(t, review(ReviewInput{HeldOn: w.today(), Decision: "pause"}), "decision", "continues or ends")
		supWantField(t, review(ReviewInput{HeldOn: w.today(), Decision: ReviewContinue}), "next_review_on", "14 days")
		supWantField(t, review(ReviewInput{HeldOn: w.today(), Decision: ReviewContinue, NextReviewOn: w.on(-1)}), "next_review_on", "past")
		supWantField(t, review(ReviewInput{HeldOn: w.today(), Decision: ReviewContinue, NextReviewOn: w.on(15)}), "next_review_on",
			"no more than 14 days", "30 March 2026")
		// The limit runs from the day the review was held.
		supWantField(t, review(ReviewInput{HeldOn: w.on(-2), Decision: ReviewContinue, NextReviewOn: w.on(13)}), "next_review_on",
			"14 days", "28 March 2026")

		if err := review(ReviewInput{HeldOn: w.today(), Decision: ReviewContinue, NextReviewOn: w.on(14), Notes: "Investigation still under way"}); err != nil {
			t.Fatalf("continue: %v", err)
		}
		got, _ := s.loadSuspension(ctx, db, sp.ID)
		if got.ReviewOn != "2026-03-30" || len(got.Reviews) != 1 || got.Reviews[0].NextReviewOn != "2026-03-30" || got.Reviews[0].ReviewedBy != "Hana Adviser" {
			t.Errorf("after continuing: review on %s, reviews %+v", got.ReviewOn, got.Reviews)
		}
		w.days(15) // 31 March: past the review date
		got, _ = s.loadSuspension(ctx, db, sp.ID)
		if !got.ReviewOverdue || got.Days != 22 {
			t.Errorf("on 31 March: overdue %v, %d days (want true, 22)", got.ReviewOverdue, got.Days)
		}
		if err := review(ReviewInput{HeldOn: w.on(-1), Decision: ReviewEnd, Notes: "Back to work on modified duties"}); err != nil {
			t.Fatalf("end: %v", err)
		}
		w.days(10)
		got, _ = s.loadSuspension(ctx, db, sp.ID)
		if got.Status != SuspensionEnded || got.EndedOn != "2026-03-30" || got.Days != 21 || got.ReviewOverdue || got.EndReason != "Back to work on modified duties" {
			t.Errorf("ended: %s on %s, %d days, overdue %v, %q", got.Status, got.EndedOn, got.Days, got.ReviewOverdue, got.EndReason)
		}
		supWantErr(t, "reviewing an ended suspension", review(ReviewInput{HeldOn: w.today(), Decision: ReviewEnd}), ErrNotActive)
		if cur, _ := s.activeSuspension(ctx, db, w.caseID); cur != nil {
			t.Errorf("an ended suspension is current")
		}
		if n := supCount(t, db, `SELECT count(*) FROM audit_log WHERE action = 'suspension.review'`); n != 2 {
			t.Errorf("%d review audits, want 2", n)
		}
		if n := supCount(t, db, `SELECT count(*) FROM case_entries WHERE case_id = ? AND kind = 'suspension' AND NOT visible_to_employee`, w.caseID); n != 4 {
			t.Errorf("%d suspension entries, want 4 (proposed, agreed, continued, ended)", n)
		}
		// A new suspension may now be proposed.
		if _, err := s.ProposeSuspension(ctx, w.hr, w.caseID, w.goodSuspension()); err != nil {
			t.Errorf("propose after the end: %v", err)
		}
	})
}

// Closing a case withdraws a proposal and ends a suspension in place.
func TestCloseSuspensions(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newSupWorld(t, db)
		s := w.svc
		active := w.agreedSuspension(t, w.caseID, w.hr)
		proposed, err := s.ProposeSuspension(ctx, w.hrExec, w.otherCase, w.goodSuspension())
		if err != nil {
			t.Fatal(err)
		}
		w.days(4)
		for _, id := range []int64{w.caseID, w.otherCase} {
			err := db.InTx(ctx, func(tx *store.Tx) error { return s.closeSuspensions(ctx, tx, id, w.today()) })
			if err != nil {
				t.Fatal(err)
			}
		}
		a, _ := s.loadSuspension(ctx, db, active.ID)
		p, _ := s.loadSuspension(ctx, db, proposed.ID)
		if a.Status != SuspensionEnded || a.EndedOn != w.today() || a.Days != 5 {
			t.Errorf("suspension in place: %s on %s, %d days", a.Status, a.EndedOn, a.Days)
		}
		if p.Status != SuspensionWithdrawn || p.Days != 0 {
			t.Errorf("proposal: %s, %d days", p.Status, p.Days)
		}
	})
}
