package casework

// Suspension or exclusion from work, done as NHS Improvement asked trusts to
// after the death of Amin Abdullah: only once redeployment, modified duties
// and closer supervision have each been considered and found not enough;
// agreed by two executives; reviewed by a near date; and every one listed
// for a nominated non-executive reviewer.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/notify"
	"candour/internal/store"
	"candour/internal/validate"
)

// SuspensionWithdrawn is the status of a proposal or a suspension not yet
// started when its case closed: it never took effect, so it counts no days.
const SuspensionWithdrawn = "withdrawn"

// Errors from suspensions that a person can act on; each message says what
// happened in plain words.
var (
	// ErrSuspensionExists: a case has at most one suspension proposed or
	// in place at a time.
	ErrSuspensionExists = errors.New("this case already has a suspension proposed or in place: review or end it first")
	// ErrNotWaiting: the suspension has already been agreed, declined or
	// ended, so it takes no more decisions.
	ErrNotWaiting = errors.New("this suspension is no longer waiting for a decision")
	// ErrOwnSuspension: whoever proposed a suspension cannot be one of the
	// two executives who agree it.
	ErrOwnSuspension = errors.New("you proposed this suspension, so two other executives must decide on it")
	// ErrReviewerDecides: the nominated non-executive reviewer oversees
	// suspensions independently, so is not one of the two who agree one.
	ErrReviewerDecides = errors.New("you review every suspension as the non-executive reviewer, so two other executives must decide on it")
	// ErrAlreadyDecided: each executive decides once; the second approval
	// must come from someone else.
	ErrAlreadyDecided = errors.New("you have already decided on this suspension: a different executive must give the second decision")
	// ErrNotActive: only a suspension in place can be reviewed.
	ErrNotActive = errors.New("this suspension is not in place, so it cannot be reviewed")
)

// Suspension review decisions and executive decisions.
const (
	ReviewContinue  = "continue"
	ReviewEnd       = "end"
	DecisionApprove = "approve"
	DecisionDecline = "decline"
)

// maxSuspensionText bounds the free text of a suspension, a review or a
// note: enough for careful reasons, not a document.
const maxSuspensionText = 4000

// maxStartDaysBack is how far back a suspension's start may be recorded:
// a suspension is agreed before it starts, but an urgent one may have
// begun a few days before it is written down.
const maxStartDaysBack = 7

// SuspensionKinds lists suspension and exclusion.
func SuspensionKinds() []Option {
	return []Option{
		{Value: KindSuspension, Label: "Suspension", Hint: "The person is asked not to work while the case is looked into."},
		{Value: KindExclusion, Label: "Exclusion", Hint: "The person is kept away from a place or from some duties, for example clinical work."},
	}
}

// SuspensionKindLabel is the label of a suspension kind.
func SuspensionKindLabel(kind string) string {
	for _, o := range SuspensionKinds() {
		if o.Value == kind {
			return o.Label
		}
	}
	return kind
}

// SuspensionStatusLabel is the label of a suspension status.
func SuspensionStatusLabel(status string) string {
	switch status {
	case SuspensionProposed:
		return "Waiting for two executives"
	case SuspensionActive:
		return "In place"
	case SuspensionDeclined:
		return "Declined"
	case SuspensionEnded:
		return "Ended"
	case SuspensionWithdrawn:
		return "Withdrawn"
	}
	return status
}

func (s *Service) reviewDays() int {
	if s.SuspensionReviewDays > 0 {
		return s.SuspensionReviewDays
	}
	return DefaultSuspensionReviewDays
}

// ProposeSuspension proposes a suspension or exclusion with the
// alternatives considered; it waits for two executives.
func (s *Service) ProposeSuspension(ctx context.Context, p *authz.Principal, id int64, in SuspensionInput) (Suspension, error) {
	var out Suspension
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.accessTo(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if !a.CanManage() {
			return ErrNotAllowed
		}
		if a.Status == Closed {
			return ErrClosed
		}
		in, starts, review, err := s.checkSuspension(in)
		if err != nil {
			return err
		}
		// Lock the case so that two proposals made at once cannot both pass
		// the one-at-a-time check below.
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET updated_at = updated_at WHERE id = ?`, id); err != nil {
			return fmt.Errorf("casework: lock case: %w", err)
		}
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM case_suspensions WHERE case_id = ? AND status IN (?, ?)`,
			id, SuspensionProposed, SuspensionActive).Scan(&open); err != nil {
			return fmt.Errorf("casework: count suspensions: %w", err)
		}
		if open > 0 {
			return ErrSuspensionExists
		}
		now := s.Now()
		var sid int64
		err = tx.QueryRowContext(ctx, `INSERT INTO case_suspensions (case_id, kind, reason, alt_redeployment, alt_modified_duties, alt_supervision,
			alt_other, status, starts_on, review_on, proposed_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			id, in.Kind, in.Reason, in.AltRedeployment, in.AltModifiedDuties, in.AltSupervision, in.AltOther, SuspensionProposed,
			dateText(starts), dateText(review), p.UserID, store.T(now), store.T(now)).Scan(&sid)
		if err != nil {
			return fmt.Errorf("casework: add suspension: %w", err)
		}
		label := SuspensionKindLabel(in.Kind)
		if err := s.supportEntry(ctx, tx, id, EntrySuspension, dateText(s.today()), label+" proposed",
			fmt.Sprintf("Proposed to start on %s, with a first review by %s. Two executives must agree before it takes effect.",
				humanDate(dateText(starts)), humanDate(dateText(review))), p.UserID); err != nil {
			return err
		}
		// Executives are told only that a decision is waiting and where:
		// the reasons are read in candour, where the read is audited.
		execs, err := supportUsersWithRole(ctx, tx, authz.Exec)
		if err != nil {
			return err
		}
		reviewers, err := supportHolders(ctx, tx, NonExecReviewer)
		if err != nil {
			return err
		}
		reviewer := map[int64]bool{}
		for _, u := range reviewers {
			reviewer[u.ID] = true
		}
		text := fmt.Sprintf("Case %s: %s is waiting for your decision.", a.Reference, aKind(kindWord(in.Kind)))
		for _, u := range execs {
			if u.ID == p.UserID || reviewer[u.ID] {
				continue
			}
			if err := s.supportTell(ctx, tx, u, text, "A suspension is waiting for your decision", suspensionHref(sid), true); err != nil {
				return err
			}
		}
		// The non-executive reviewer does not decide, but sees every
		// suspension from the start.
		noted := fmt.Sprintf("Case %s: %s has been proposed; you review every one.", a.Reference, aKind(kindWord(in.Kind)))
		for _, u := range reviewers {
			if err := s.supportTell(ctx, tx, u, noted, "A suspension has been proposed", suspensionHref(sid), true); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, tx, now, actorOf(p), "suspension.propose", "case", idText(id),
			fmt.Sprintf("suspension %d: %s from %s, review by %s", sid, in.Kind, dateText(starts), dateText(review))); err != nil {
			return err
		}
		out, err = s.loadSuspension(ctx, tx, sid)
		return err
	})
	return out, err
}

// checkSuspension checks a proposal as typed and returns it trimmed, with
// its dates.
func (s *Service) checkSuspension(in SuspensionInput) (SuspensionInput, time.Time, time.Time, error) {
	var errs validate.Errors
	today := s.today()
	in.Kind = strings.TrimSpace(in.Kind)
	if in.Kind != KindSuspension && in.Kind != KindExclusion {
		errs.Add("kind", "Choose whether this is a suspension or an exclusion")
	}
	in.Reason = errs.Text("reason", "Why the person cannot stay at work", in.Reason, true, maxSuspensionText)
	// Each named alternative needs its own answer, so that none is passed
	// over in silence.
	alts := []struct {
		field, what string
		v           *string
	}{
		{"alt_redeployment", "redeployment is", &in.AltRedeployment},
		{"alt_modified_duties", "modified duties are", &in.AltModifiedDuties},
		{"alt_supervision", "closer supervision is", &in.AltSupervision},
	}
	for _, alt := range alts {
		v := strings.TrimSpace(*alt.v)
		if v == "" {
			errs.Add(alt.field, "Say why "+alt.what+" not enough, or what was tried")
			continue
		}
		*alt.v = errs.Text(alt.field, "What you say about this alternative", v, true, maxSuspensionText)
	}
	in.AltOther = errs.Text("alt_other", "Other alternatives", in.AltOther, false, maxSuspensionText)

	limit := s.reviewDays()
	example := dateText(today)
	starts, startOK := parseDate(in.StartsOn)
	switch {
	case strings.TrimSpace(in.StartsOn) == "":
		errs.Add("starts_on", "Enter the date the "+kindWord(in.Kind)+" starts, for example "+example)
		startOK = false
	case !startOK:
		errs.Add("starts_on", "Enter the start date as a real date, for example "+example)
	case starts.Before(today.AddDate(0, 0, -maxStartDaysBack)):
		errs.Add("starts_on", fmt.Sprintf("The start date can be no more than %d days ago: enter %s or later",
			maxStartDaysBack, humanDate(dateText(today.AddDate(0, 0, -maxStartDaysBack)))))
		startOK = false
	}
	review, reviewOK := parseDate(in.ReviewOn)
	from := today
	if startOK && starts.After(today) {
		from = starts
	}
	latest := from.AddDate(0, 0, limit)
	switch {
	case strings.TrimSpace(in.ReviewOn) == "":
		errs.Add("review_on", fmt.Sprintf("Enter the date of the first review, no more than %d days away, for example %s", limit, dateText(latest)))
	case !reviewOK:
		errs.Add("review_on", "Enter the review date as a real date, for example "+dateText(latest))
	case review.Before(today):
		errs.Add("review_on", fmt.Sprintf("The review date cannot be in the past: enter a date from today up to %s (no more than %d days away)",
			humanDate(dateText(latest)), limit))
	case startOK && !review.After(starts):
		errs.Add("review_on", "The review date must be after the start date, "+humanDate(dateText(starts)))
	case review.After(latest):
		errs.Add("review_on", fmt.Sprintf("The first review must be no more than %d days away: enter %s or earlier", limit, humanDate(dateText(latest))))
	}
	return in, starts, review, errs.Err()
}

// aKind puts the article before a kind word: "a suspension", "an
// exclusion".
func aKind(word string) string {
	if strings.HasPrefix(word, "e") {
		return "an " + word
	}
	return "a " + word
}

func kindWord(kind string) string {
	if kind == KindExclusion {
		return "exclusion"
	}
	return "suspension"
}

// DecideSuspension records an executive's approval or decline; the second
// approval by a different executive makes the suspension active.
func (s *Service) DecideSuspension(ctx context.Context, p *authz.Principal, suspensionID int64, decision, reason string) (Suspension, error) {
	var out Suspension
	if !p.Has(authz.Exec) {
		return out, ErrNotAllowed
	}
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		now := s.Now()
		// Lock the suspension first, so that two executives approving at
		// the same moment are counted one after the other.
		res, err := tx.ExecContext(ctx, `UPDATE case_suspensions SET updated_at = ? WHERE id = ?`, store.T(now), suspensionID)
		if err != nil {
			return fmt.Errorf("casework: lock suspension: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotAllowed
		}
		sp, err := s.loadSuspension(ctx, tx, suspensionID)
		if err != nil {
			return err
		}
		if sp.Status != SuspensionProposed {
			return ErrNotWaiting
		}
		var caseStatus Status
		var hrUser sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT status, hr_user_id FROM cases WHERE id = ?`, sp.CaseID).Scan(&caseStatus, &hrUser); err != nil {
			return fmt.Errorf("casework: read case: %w", err)
		}
		if caseStatus == Closed {
			return ErrClosed
		}
		if sp.ProposedByID == p.UserID {
			return ErrOwnSuspension
		}
		// The non-executive reviewer looks at every suspension afterwards;
		// deciding one as well would leave them reviewing their own call.
		if reviewer, err := hasDesignation(ctx, tx, p.UserID, NonExecReviewer); err != nil {
			return err
		} else if reviewer {
			return ErrReviewerDecides
		}
		for _, ap := range sp.Approvals {
			if ap.UserID == p.UserID {
				return ErrAlreadyDecided
			}
		}
		var errs validate.Errors
		decision = strings.TrimSpace(decision)
		if decision != DecisionApprove && decision != DecisionDecline {
			errs.Add("decision", "Choose whether you agree to the "+kindWord(sp.Kind)+" or decline it")
		}
		reason = errs.Text("reason", "Your reason", reason, decision == DecisionDecline, maxSuspensionText)
		if decision == DecisionDecline && errs.Has("reason") && strings.TrimSpace(reason) == "" {
			errs = replaceField(errs, "reason", "Say why you are declining the "+kindWord(sp.Kind))
		}
		if err := errs.Err(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO suspension_approvals (suspension_id, user_id, decision, reason, decided_at) VALUES (?, ?, ?, ?, ?)`,
			suspensionID, p.UserID, decision, reason, store.T(now)); err != nil {
			if store.IsUniqueViolation(err) {
				return ErrAlreadyDecided
			}
			return fmt.Errorf("casework: record decision: %w", err)
		}
		status := SuspensionProposed
		if decision == DecisionDecline {
			status = SuspensionDeclined
		} else {
			var approvals int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM suspension_approvals WHERE suspension_id = ? AND decision = ?`,
				suspensionID, DecisionApprove).Scan(&approvals); err != nil {
				return fmt.Errorf("casework: count approvals: %w", err)
			}
			if approvals >= 2 {
				status = SuspensionActive
			}
		}
		if status != SuspensionProposed {
			if _, err := tx.ExecContext(ctx, `UPDATE case_suspensions SET status = ?, updated_at = ? WHERE id = ?`,
				status, store.T(now), suspensionID); err != nil {
				return fmt.Errorf("casework: update suspension: %w", err)
			}
			label := SuspensionKindLabel(sp.Kind)
			title, body, tell := label+" agreed by two executives",
				fmt.Sprintf("It starts on %s. The first review is due by %s.", humanDate(sp.StartsOn), humanDate(sp.ReviewOn)),
				fmt.Sprintf("Case %s: two executives have agreed the %s.", sp.CaseReference, kindWord(sp.Kind))
			if status == SuspensionDeclined {
				title, body, tell = label+" declined by an executive", "It will not take effect. Consider the alternatives again.",
					fmt.Sprintf("Case %s: an executive has declined the %s.", sp.CaseReference, kindWord(sp.Kind))
			}
			if err := s.supportEntry(ctx, tx, sp.CaseID, EntrySuspension, dateText(s.today()), title, body, p.UserID); err != nil {
				return err
			}
			for _, uid := range distinctIDs(hrUser.Int64, sp.ProposedByID) {
				if err := s.supportTellID(ctx, tx, uid, tell, "", suspensionHref(sp.ID), false); err != nil {
					return err
				}
			}
		}
		if err := audit.Record(ctx, tx, now, actorOf(p), "suspension."+decision, "case", idText(sp.CaseID),
			fmt.Sprintf("suspension %d: %s", sp.ID, status)); err != nil {
			return err
		}
		out, err = s.loadSuspension(ctx, tx, suspensionID)
		return err
	})
	return out, err
}

// replaceField swaps the message on field for a kinder, more specific one.
func replaceField(errs validate.Errors, field, message string) validate.Errors {
	for i := range errs {
		if errs[i].Field == field {
			errs[i].Message = message
		}
	}
	return errs
}

// ReviewSuspension records a review: continue (with the next review date,
// within the limit) or end.
func (s *Service) ReviewSuspension(ctx context.Context, p *authz.Principal, suspensionID int64, in ReviewInput) (Suspension, error) {
	var out Suspension
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		caseID, err := suspensionCase(ctx, tx, suspensionID)
		if err != nil {
			return err
		}
		a, err := s.accessTo(ctx, tx, p, caseID)
		if err != nil {
			return err
		}
		if !a.CanManage() {
			return ErrNotAllowed
		}
		now := s.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE case_suspensions SET updated_at = ? WHERE id = ?`, store.T(now), suspensionID); err != nil {
			return fmt.Errorf("casework: lock suspension: %w", err)
		}
		sp, err := s.loadSuspension(ctx, tx, suspensionID)
		if err != nil {
			return err
		}
		if sp.Status != SuspensionActive {
			return ErrNotActive
		}
		today := s.today()
		limit := s.reviewDays()
		var errs validate.Errors
		held, heldOK := parseDate(in.HeldOn)
		starts, _ := parseDate(sp.StartsOn)
		switch {
		case strings.TrimSpace(in.HeldOn) == "":
			errs.Add("held_on", "Enter the date of the review, for example "+dateText(today))
		case !heldOK:
			errs.Add("held_on", "Enter the review date as a real date, for example "+dateText(today))
		case held.After(today):
			errs.Add("held_on", "The review date cannot be in the future: record the review once it has happened")
			heldOK = false
		case held.Before(starts):
			errs.Add("held_on", "The review cannot be before the "+kindWord(sp.Kind)+" started on "+humanDate(sp.StartsOn))
			heldOK = false
		}
		decision := strings.TrimSpace(in.Decision)
		if decision != ReviewContinue && decision != ReviewEnd {
			errs.Add("decision", "Choose whether the "+kindWord(sp.Kind)+" continues or ends")
		}
		// Ending a suspension is always possible; continuing one needs an
		// open case.
		if a.Status == Closed && decision != ReviewEnd {
			return ErrClosed
		}
		notes := errs.Text("notes", "Notes", in.Notes, false, maxSuspensionText)
		var next time.Time
		if decision == ReviewContinue {
			var nextOK bool
			next, nextOK = parseDate(in.NextReviewOn)
			base := today
			if heldOK {
				base = held
			}
			latest := base.AddDate(0, 0, limit)
			switch {
			case strings.TrimSpace(in.NextReviewOn) == "":
				errs.Add("next_review_on", fmt.Sprintf("Enter the date of the next review, no more than %d days after this one, for example %s", limit, dateText(latest)))
			case !nextOK:
				errs.Add("next_review_on", "Enter the next review date as a real date, for example "+dateText(latest))
			case next.Before(today):
				errs.Add("next_review_on", fmt.Sprintf("The next review date cannot be in the past: enter a date from today up to %s", humanDate(dateText(latest))))
			case heldOK && !next.After(held):
				errs.Add("next_review_on", "The next review must be after this review, held on "+humanDate(dateText(held)))
			case next.After(latest):
				errs.Add("next_review_on", fmt.Sprintf("The next review must be no more than %d days after this one: enter %s or earlier", limit, humanDate(dateText(latest))))
			}
		}
		if err := errs.Err(); err != nil {
			return err
		}
		var nextText any
		if decision == ReviewContinue {
			nextText = dateText(next)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO suspension_reviews (suspension_id, held_on, decision, notes, next_review_on, reviewed_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, suspensionID, dateText(held), decision, notes, nextText, p.UserID, store.T(now)); err != nil {
			return fmt.Errorf("casework: add review: %w", err)
		}
		label := SuspensionKindLabel(sp.Kind)
		var title, body string
		if decision == ReviewContinue {
			_, err = tx.ExecContext(ctx, `UPDATE case_suspensions SET review_on = ?, updated_at = ? WHERE id = ?`, dateText(next), store.T(now), suspensionID)
			title, body = label+" reviewed: it continues", "The next review is due by "+humanDate(dateText(next))+"."
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE case_suspensions SET status = ?, ended_on = ?, end_reason = ?, updated_at = ? WHERE id = ?`,
				SuspensionEnded, dateText(held), notes, store.T(now), suspensionID)
			title, body = label+" ended", "Ended on "+humanDate(dateText(held))+" after a review."
		}
		if err != nil {
			return fmt.Errorf("casework: update suspension: %w", err)
		}
		if err := s.supportEntry(ctx, tx, caseID, EntrySuspension, dateText(held), title, body, p.UserID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, actorOf(p), "suspension.review", "case", idText(caseID),
			fmt.Sprintf("suspension %d: %s", suspensionID, decision)); err != nil {
			return err
		}
		out, err = s.loadSuspension(ctx, tx, suspensionID)
		return err
	})
	return out, err
}

// RecordOversight records the non-executive reviewer's review.
func (s *Service) RecordOversight(ctx context.Context, p *authz.Principal, suspensionID int64, comments string) error {
	if !p.Has(authz.Exec) {
		return ErrNotAllowed
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		ok, err := hasDesignation(ctx, tx, p.UserID, NonExecReviewer)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotAllowed
		}
		sp, err := s.loadSuspension(ctx, tx, suspensionID)
		if err != nil {
			return err
		}
		var errs validate.Errors
		comments = errs.Text("comments", "Your comments on this "+kindWord(sp.Kind), comments, true, maxSuspensionText)
		if err := errs.Err(); err != nil {
			return err
		}
		now := s.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO suspension_oversight (suspension_id, user_id, comments, reviewed_at) VALUES (?, ?, ?, ?)`,
			suspensionID, p.UserID, comments, store.T(now)); err != nil {
			return fmt.Errorf("casework: add oversight: %w", err)
		}
		var hrUser sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT hr_user_id FROM cases WHERE id = ?`, sp.CaseID).Scan(&hrUser); err != nil {
			return fmt.Errorf("casework: read case: %w", err)
		}
		if hrUser.Valid {
			if err := s.supportTellID(ctx, tx, hrUser.Int64, fmt.Sprintf("Case %s: the non-executive reviewer has commented on the %s.",
				sp.CaseReference, kindWord(sp.Kind)), "", suspensionHref(sp.ID), false); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, actorOf(p), "suspension.oversight", "case", idText(sp.CaseID), fmt.Sprintf("suspension %d", sp.ID))
	})
}

// Suspension reads a suspension: the case's handlers, any executive (to
// decide) and the non-executive reviewer may; the read is audited.
// Executives see the suspension and who it is about, never the case's
// summary or timeline.
func (s *Service) Suspension(ctx context.Context, p *authz.Principal, suspensionID int64) (Suspension, error) {
	var out Suspension
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		caseID, err := suspensionCase(ctx, tx, suspensionID)
		if err != nil {
			return err
		}
		if !p.Has(authz.Exec) {
			a, err := s.accessTo(ctx, tx, p, caseID)
			if err != nil {
				return err
			}
			if !a.CanManage() {
				return ErrNotAllowed
			}
		}
		out, err = s.loadSuspension(ctx, tx, suspensionID)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, s.Now(), actorOf(p), "suspension.read", "case", idText(caseID), fmt.Sprintf("suspension %d", suspensionID))
	})
	return out, err
}

// CaseSuspensions lists a case's suspensions, newest first. The case's
// handlers see them in full; its manager sees only that there is one, its
// dates and where it stands, because the manager must plan the work around
// it but does not decide it.
func (s *Service) CaseSuspensions(ctx context.Context, p *authz.Principal, id int64) ([]Suspension, error) {
	var out []Suspension
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.accessTo(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if !a.CanManage() && !a.Manager {
			return ErrNotAllowed
		}
		out, err = s.querySuspensions(ctx, tx, `sp.case_id = ?`, []any{id}, `sp.id DESC`)
		if err != nil {
			return err
		}
		if !a.CanManage() {
			for i := range out {
				out[i] = outlineSuspension(out[i])
			}
		}
		return audit.Record(ctx, tx, s.Now(), actorOf(p), "suspension.read", "case", idText(id), fmt.Sprintf("%d suspensions listed", len(out)))
	})
	return out, err
}

// outlineSuspension keeps only that a suspension exists, where it stands
// and its dates: what a case reader who does not decide it may see.
func outlineSuspension(sp Suspension) Suspension {
	return Suspension{ID: sp.ID, CaseID: sp.CaseID, CaseReference: sp.CaseReference, CaseType: sp.CaseType, Kind: sp.Kind,
		Status: sp.Status, StartsOn: sp.StartsOn, ReviewOn: sp.ReviewOn, EndedOn: sp.EndedOn, Days: sp.Days, ReviewOverdue: sp.ReviewOverdue,
		CreatedAt: sp.CreatedAt}
}

// Suspensions lists suspensions: for an executive those waiting for their
// decision and those they decided; for the non-executive reviewer every
// one; for HR the ones on cases they handle (the employee-relations lead
// every one). Others see none. Suspensions waiting for a decision come
// first, then those in place.
func (s *Service) Suspensions(ctx context.Context, p *authz.Principal) ([]Suspension, error) {
	if p == nil || p.UserID == 0 {
		return nil, nil
	}
	var out []Suspension
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		var where []string
		var args []any
		all := false
		if p.Has(authz.Exec) {
			reviewer, err := hasDesignation(ctx, tx, p.UserID, NonExecReviewer)
			if err != nil {
				return err
			}
			all = all || reviewer
			where = append(where, `(sp.status = ? AND sp.proposed_by <> ? AND c.status <> ?
				AND NOT EXISTS (SELECT 1 FROM suspension_approvals x WHERE x.suspension_id = sp.id AND x.user_id = ?))`,
				`EXISTS (SELECT 1 FROM suspension_approvals x WHERE x.suspension_id = sp.id AND x.user_id = ?)`)
			args = append(args, SuspensionProposed, p.UserID, string(Closed), p.UserID, p.UserID)
		}
		if p.Has(authz.HR) {
			lead, err := hasDesignation(ctx, tx, p.UserID, ERLead)
			if err != nil {
				return err
			}
			all = all || lead
			where = append(where, `c.hr_user_id = ?`)
			args = append(args, p.UserID)
		}
		if all {
			where, args = []string{"1 = 1"}, nil
		}
		if len(where) == 0 {
			return nil
		}
		var err error
		out, err = s.querySuspensions(ctx, tx, "("+strings.Join(where, " OR ")+")", args,
			`CASE sp.status WHEN 'proposed' THEN 0 WHEN 'active' THEN 1 ELSE 2 END, sp.starts_on DESC, sp.id DESC`)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, s.Now(), actorOf(p), "suspension.list", "suspension", "", fmt.Sprintf("%d suspensions listed", len(out)))
	})
	return out, err
}

// activeSuspension is the case's proposed or active suspension, if any; Get
// shows it on the case. It is returned in full: Get shows it through
// outlineSuspension to readers who do not handle the case.
func (s *Service) activeSuspension(ctx context.Context, q store.Querier, caseID int64) (*Suspension, error) {
	list, err := s.querySuspensions(ctx, q, `sp.case_id = ? AND sp.status IN ('proposed', 'active')`, []any{caseID}, `sp.id DESC`)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

// closeSuspensions ends what a closing case leaves behind: a suspension in
// place ends on the day the case closes, and a proposal, or a suspension
// that had not started, is withdrawn. Close calls it in its transaction.
func (s *Service) closeSuspensions(ctx context.Context, tx *store.Tx, caseID int64, closedOn string) error {
	now := store.T(s.Now())
	if _, err := tx.ExecContext(ctx, `UPDATE case_suspensions SET status = ?, end_reason = ?, updated_at = ?
		WHERE case_id = ? AND (status = ? OR (status = ? AND starts_on > ?))`,
		SuspensionWithdrawn, "The case closed before it took effect.", now, caseID, SuspensionProposed, SuspensionActive, closedOn); err != nil {
		return fmt.Errorf("casework: withdraw suspensions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE case_suspensions SET status = ?, ended_on = ?, end_reason = ?, updated_at = ?
		WHERE case_id = ? AND status = ?`,
		SuspensionEnded, closedOn, "The case closed.", now, caseID, SuspensionActive); err != nil {
		return fmt.Errorf("casework: end suspensions: %w", err)
	}
	return nil
}

// suspensionCase is the case a suspension belongs to; a suspension that
// does not exist gives ErrNotAllowed, like a case.
func suspensionCase(ctx context.Context, q store.Querier, suspensionID int64) (int64, error) {
	var caseID int64
	err := q.QueryRowContext(ctx, `SELECT case_id FROM case_suspensions WHERE id = ?`, suspensionID).Scan(&caseID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotAllowed
	}
	if err != nil {
		return 0, fmt.Errorf("casework: read suspension: %w", err)
	}
	return caseID, nil
}

// loadSuspension reads one suspension with its decisions, reviews and
// oversight notes. A missing one gives ErrNotAllowed.
func (s *Service) loadSuspension(ctx context.Context, q store.Querier, id int64) (Suspension, error) {
	list, err := s.querySuspensions(ctx, q, `sp.id = ?`, []any{id}, `sp.id`)
	if err != nil {
		return Suspension{}, err
	}
	if len(list) == 0 {
		return Suspension{}, ErrNotAllowed
	}
	return list[0], nil
}

// querySuspensions reads suspensions matching where, each with its
// decisions, reviews and oversight notes.
func (s *Service) querySuspensions(ctx context.Context, q store.Querier, where string, args []any, order string) ([]Suspension, error) {
	rows, err := q.QueryContext(ctx, `SELECT sp.id, sp.case_id, c.reference, c.case_type, pe.name, COALESCE(sg.name, pe.staff_group),
		sp.kind, sp.reason, sp.alt_redeployment, sp.alt_modified_duties, sp.alt_supervision, sp.alt_other, sp.status,
		sp.starts_on, sp.review_on, sp.ended_on, sp.end_reason, sp.proposed_by, u.name, sp.created_at
		FROM case_suspensions sp
		JOIN cases c ON c.id = sp.case_id
		JOIN people pe ON pe.id = c.person_id
		LEFT JOIN staff_groups sg ON sg.code = pe.staff_group
		JOIN users u ON u.id = sp.proposed_by
		WHERE `+where+` ORDER BY `+order, args...)
	if err != nil {
		return nil, fmt.Errorf("casework: list suspensions: %w", err)
	}
	var out []Suspension
	for rows.Next() {
		var sp Suspension
		var ended sql.NullString
		var created store.Time
		if err := rows.Scan(&sp.ID, &sp.CaseID, &sp.CaseReference, &sp.CaseType, &sp.PersonName, &sp.StaffGroup,
			&sp.Kind, &sp.Reason, &sp.AltRedeployment, &sp.AltModifiedDuties, &sp.AltSupervision, &sp.AltOther, &sp.Status,
			&sp.StartsOn, &sp.ReviewOn, &ended, &sp.EndReason, &sp.ProposedByID, &sp.ProposedBy, &created); err != nil {
			rows.Close()
			return nil, fmt.Errorf("casework: read suspension: %w", err)
		}
		sp.EndedOn, sp.CreatedAt = ended.String, created.Time
		s.countDays(&sp)
		out = append(out, sp)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("casework: list suspensions: %w", err)
	}
	for i := range out {
		if err := loadSuspensionDetail(ctx, q, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// countDays works out the days suspended, counting the first and last day,
// and whether the review is overdue.
func (s *Service) countDays(sp *Suspension) {
	today := s.today()
	start, ok := parseDate(sp.StartsOn)
	if !ok {
		return
	}
	var end time.Time
	switch sp.Status {
	case SuspensionActive:
		end = today
		if r, ok := parseDate(sp.ReviewOn); ok && r.Before(today) {
			sp.ReviewOverdue = true
		}
	case SuspensionEnded:
		if end, ok = parseDate(sp.EndedOn); !ok {
			return
		}
	default:
		return
	}
	if end.Before(start) {
		return
	}
	sp.Days = int(end.Sub(start).Hours()/24) + 1
}

func loadSuspensionDetail(ctx context.Context, q store.Querier, sp *Suspension) error {
	rows, err := q.QueryContext(ctx, `SELECT a.user_id, u.name, a.decision, a.reason, a.decided_at FROM suspension_approvals a
		JOIN users u ON u.id = a.user_id WHERE a.suspension_id = ? ORDER BY a.decided_at, a.user_id`, sp.ID)
	if err != nil {
		return fmt.Errorf("casework: read decisions: %w", err)
	}
	for rows.Next() {
		var ap Approval
		var at store.Time
		if err := rows.Scan(&ap.UserID, &ap.Name, &ap.Decision, &ap.Reason, &at); err != nil {
			rows.Close()
			return fmt.Errorf("casework: read decisions: %w", err)
		}
		ap.DecidedAt = at.Time
		sp.Approvals = append(sp.Approvals, ap)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("casework: read decisions: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT r.id, r.held_on, r.decision, r.notes, r.next_review_on, u.name FROM suspension_reviews r
		JOIN users u ON u.id = r.reviewed_by WHERE r.suspension_id = ? ORDER BY r.held_on DESC, r.id DESC`, sp.ID)
	if err != nil {
		return fmt.Errorf("casework: read reviews: %w", err)
	}
	for rows.Next() {
		var r Review
		var next sql.NullString
		if err := rows.Scan(&r.ID, &r.HeldOn, &r.Decision, &r.Notes, &next, &r.ReviewedBy); err != nil {
			rows.Close()
			return fmt.Errorf("casework: read reviews: %w", err)
		}
		r.NextReviewOn = next.String
		sp.Reviews = append(sp.Reviews, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("casework: read reviews: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT o.id, u.name, o.comments, o.reviewed_at FROM suspension_oversight o
		JOIN users u ON u.id = o.user_id WHERE o.suspension_id = ? ORDER BY o.reviewed_at DESC, o.id DESC`, sp.ID)
	if err != nil {
		return fmt.Errorf("casework: read oversight: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var o OversightNote
		var at store.Time
		if err := rows.Scan(&o.ID, &o.Name, &o.Comments, &at); err != nil {
			return fmt.Errorf("casework: read oversight: %w", err)
		}
		o.ReviewedAt = at.Time
		sp.Oversight = append(sp.Oversight, o)
	}
	return rows.Err()
}

// Helpers shared by suspensions, wellbeing and reminders.

func suspensionHref(id int64) string { return "/suspensions/" + idText(id) }

func supportCaseHref(id int64) string { return "/cases/" + idText(id) }

// humanDate shows a stored date the way people read it: 3 December 2026.
func humanDate(d string) string {
	t, ok := parseDate(d)
	if !ok {
		return d
	}
	return t.Format("2 January 2006")
}

// supportEntry writes a timeline entry the system makes; it is never shown
// to the employee, who hears of it from their HR adviser.
func (s *Service) supportEntry(ctx context.Context, tx *store.Tx, caseID int64, kind, occurredOn, title, body string, authorID int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO case_entries (case_id, kind, occurred_on, title, body, visible_to_employee, author_user_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, caseID, kind, occurredOn, title, body, false, authorID, store.T(s.Now())); err != nil {
		return fmt.Errorf("casework: add %s entry: %w", kind, err)
	}
	return nil
}

// supportUser is someone a notice goes to.
type supportUser struct {
	ID    int64
	Email string
}

// supportUsersWithRole lists the enabled users holding role.
func supportUsersWithRole(ctx context.Context, q store.Querier, role authz.Role) ([]supportUser, error) {
	return supportUsers(ctx, q, `SELECT u.id, u.email FROM users u JOIN user_roles r ON r.user_id = u.id
		WHERE r.role = ? AND NOT u.disabled ORDER BY u.id`, string(role))
}

// supportHolders lists the enabled users holding designation d.
func supportHolders(ctx context.Context, q store.Querier, d Designation) ([]supportUser, error) {
	return supportUsers(ctx, q, `SELECT u.id, u.email FROM users u JOIN casework_designations d ON d.user_id = u.id
		WHERE d.designation = ? AND NOT u.disabled ORDER BY u.id`, string(d))
}

func supportUsers(ctx context.Context, q store.Querier, query string, args ...any) ([]supportUser, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("casework: list users: %w", err)
	}
	defer rows.Close()
	var out []supportUser
	for rows.Next() {
		var u supportUser
		if err := rows.Scan(&u.ID, &u.Email); err != nil {
			return nil, fmt.Errorf("casework: list users: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// supportUserByID finds an enabled user; found is false for none or a
// disabled one, who is told nothing.
func supportUserByID(ctx context.Context, q store.Querier, id int64) (supportUser, bool, error) {
	list, err := supportUsers(ctx, q, `SELECT id, email FROM users WHERE id = ? AND NOT disabled`, id)
	if err != nil || len(list) == 0 {
		return supportUser{}, false, err
	}
	return list[0], true, nil
}

// supportTell writes an in-app notice and, when email is true, an email
// with the same text and a link. Callers keep the text to the case
// reference and what is due: a notice may be read on a shared screen and an
// email leaves the organisation's systems.
func (s *Service) supportTell(ctx context.Context, tx *store.Tx, u supportUser, text, subject, link string, email bool) error {
	now := s.Now()
	if err := notify.Notify(ctx, tx, now, notify.Notice{UserID: u.ID, Body: text, Link: link}); err != nil {
		return err
	}
	if !email || u.Email == "" {
		return nil
	}
	return notify.Enqueue(ctx, tx, now, notify.Message{To: u.Email, Subject: subject,
		Body: text + "\n\nOpen it in candour: " + strings.TrimRight(s.BaseURL, "/") + link + "\n"})
}

// supportTellID is supportTell for a user known by id; a disabled user is
// skipped.
func (s *Service) supportTellID(ctx context.Context, tx *store.Tx, userID int64, text, subject, link string, email bool) error {
	u, ok, err := supportUserByID(ctx, tx, userID)
	if err != nil || !ok {
		return err
	}
	return s.supportTell(ctx, tx, u, text, subject, link, email)
}

// distinctIDs drops zeros and repeats, keeping order.
func distinctIDs(ids ...int64) []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
