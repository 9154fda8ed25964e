package report

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"candour/internal/attach"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/notify"
	"candour/internal/store"
	"candour/internal/validate"
)

func fieldError(field, msg string) error { return validate.Errors{{Field: field, Message: msg}} }

// change runs fn on a report in a transaction, after checking that p handles
// its team, and records the audit entry fn describes.
func (s *Service) change(ctx context.Context, p *authz.Principal, reportID int64, action string, fn func(tx *store.Tx, r row) (detail string, err error)) error {
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		r, err := s.load(ctx, tx, reportID)
		if err != nil {
			return err
		}
		if p == nil || !Handles(p, r.Team) {
			return ErrNotAllowed
		}
		detail, err := fn(tx, r)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET updated_at = ? WHERE id = ?`, store.T(s.Now()), reportID); err != nil {
			return fmt.Errorf("touch report: %w", err)
		}
		return audit.Record(ctx, tx, s.Now(), handlerActor(p), action, "report", id(reportID), detail)
	})
}

// mayHandle checks, without changing anything, that p handles the report:
// ErrNotAllowed otherwise, as change would answer.
func (s *Service) mayHandle(ctx context.Context, p *authz.Principal, reportID int64) error {
	r, err := s.load(ctx, s.DB, reportID)
	if err != nil {
		return err
	}
	if p == nil || !Handles(p, r.Team) {
		return ErrNotAllowed
	}
	return nil
}

// Acknowledge records that the team has seen the report and tells the
// reporter.
func (s *Service) Acknowledge(ctx context.Context, p *authz.Principal, reportID int64) error {
	return s.change(ctx, p, reportID, "report.acknowledge", func(tx *store.Tx, r row) (string, error) {
		if !r.AcknowledgedAt.IsZero() {
			return "", fieldError("status", "This report has already been acknowledged")
		}
		status := r.Status
		if status == New {
			status = Acknowledged
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET acknowledged_at = ?, status = ? WHERE id = ?`, store.T(s.Now()), string(status), r.ID); err != nil {
			return "", fmt.Errorf("acknowledge: %w", err)
		}
		return "", s.tellReporter(ctx, tx, r, "Your report "+r.Reference+" has been acknowledged and is being looked at.")
	})
}

// Assign gives the report to a handler in its team.
func (s *Service) Assign(ctx context.Context, p *authz.Principal, reportID, userID int64) error {
	return s.change(ctx, p, reportID, "report.assign", func(tx *store.Tx, r row) (string, error) {
		hs, err := handlersOf(ctx, tx, r.Team)
		if err != nil {
			return "", err
		}
		var to *handler
		for i := range hs {
			if hs[i].ID == userID {
				to = &hs[i]
			}
		}
		if to == nil {
			return "", fieldError("assignee", "Choose someone from the team that handles this report")
		}
		// Only the assignee may reveal a confidential reporter, so taking
		// the report over would be a way round that: while its handler is
		// still in the team, only they can pass it on.
		if r.Mode == Confidential && r.AssignedUserID != 0 && r.AssignedUserID != p.UserID && r.AssignedUserID != userID {
			for _, h := range hs {
				if h.ID == r.AssignedUserID {
					return "", fieldError("assignee", "Only "+h.Name+", who handles this confidential report, can pass it on to someone else")
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET assigned_user_id = ? WHERE id = ?`, userID, r.ID); err != nil {
			return "", fmt.Errorf("assign: %w", err)
		}
		if userID != p.UserID {
			if err := notify.Notify(ctx, tx, s.Now(), notify.Notice{UserID: userID, ReportID: r.ID,
				Body: "You have been assigned report " + r.Reference, Link: "/reports/" + id(r.ID)}); err != nil {
				return "", err
			}
		}
		return "assigned to user " + id(userID), nil
	})
}

// SetStatus moves a report between the open statuses; closing needs Close.
func (s *Service) SetStatus(ctx context.Context, p *authz.Principal, reportID int64, status Status) error {
	if status == Closed {
		return fieldError("status", "To close a report, use Close and write the outcome for the reporter")
	}
	if !valid(Statuses(), string(status)) {
		return fieldError("status", "Choose a status from the list")
	}
	return s.change(ctx, p, reportID, "report.status", func(tx *store.Tx, r row) (string, error) {
		if r.Status == Closed {
			return "", ErrClosed
		}
		if status == New && !r.AcknowledgedAt.IsZero() {
			// The reporter has been told it is acknowledged; "new" again
			// would contradict that, and the acknowledgement date.
			return "", fieldError("status", "This report has been acknowledged, so it cannot go back to New")
		}
		set := `status = ?`
		args := []any{string(status)}
		if status != New && r.AcknowledgedAt.IsZero() {
			// Moving a report on is acknowledging it.
			set += `, acknowledged_at = ?`
			args = append(args, store.T(s.Now()))
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET `+set+` WHERE id = ?`, append(args, r.ID)...); err != nil {
			return "", fmt.Errorf("set status: %w", err)
		}
		return string(r.Status) + " -> " + string(status), nil
	})
}

// otherReport finds a report by reference for linking, within teams p handles.
func (s *Service) otherReport(ctx context.Context, tx *store.Tx, p *authz.Principal, reference string) (row, error) {
	// Written as people write it, as the queue's search takes it.
	ref, ok, checkFailed := NormalReference(reference)
	switch {
	case strings.TrimSpace(reference) == "":
		return row{}, fieldError("related", "Enter the reference of the other report, like SE-004512-5")
	case checkFailed:
		return row{}, fieldError("related", ReferenceCheckFailed)
	case !ok:
		return row{}, fieldError("related", ReferenceFormat)
	}
	var otherID int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM reports WHERE reference = ?`, ref).Scan(&otherID)
	if err != nil {
		return row{}, fieldError("related", "No report you can see has the reference "+ref)
	}
	o, err := s.load(ctx, tx, otherID)
	if err != nil || !Handles(p, o.Team) {
		return row{}, fieldError("related", "No report you can see has the reference "+ref)
	}
	return o, nil
}

// Link records that two reports are related, both ways.
func (s *Service) Link(ctx context.Context, p *authz.Principal, reportID int64, otherRef string) error {
	return s.change(ctx, p, reportID, "report.link", func(tx *store.Tx, r row) (string, error) {
		o, err := s.otherReport(ctx, tx, p, otherRef)
		if err != nil {
			return "", err
		}
		if o.ID == r.ID {
			return "", fieldError("related", "A report cannot be linked to itself")
		}
		for _, pair := range [][2]int64{{r.ID, o.ID}, {o.ID, r.ID}} {
			var n int
			tx.QueryRowContext(ctx, `SELECT count(*) FROM report_links WHERE report_id = ? AND related_id = ?`, pair[0], pair[1]).Scan(&n)
			if n == 0 {
				if _, err := tx.ExecContext(ctx, `INSERT INTO report_links (report_id, related_id) VALUES (?, ?)`, pair[0], pair[1]); err != nil {
					return "", fmt.Errorf("link: %w", err)
				}
			}
		}
		return "linked to " + o.Reference, nil
	})
}

// MarkDuplicate closes a report as a duplicate of another, telling the
// reporter where their information went.
func (s *Service) MarkDuplicate(ctx context.Context, p *authz.Principal, reportID int64, originalRef string) error {
	return s.change(ctx, p, reportID, "report.duplicate", func(tx *store.Tx, r row) (string, error) {
		if r.Status == Closed {
			// Its reporter has already read an outcome; replacing it
			// with the duplicate notice would take that away.
			return "", fieldError("related", "This report is already closed, so it cannot be marked as a duplicate. Link it to the other report instead")
		}
		o, err := s.otherReport(ctx, tx, p, originalRef)
		if err != nil {
			return "", err
		}
		if o.ID == r.ID {
			return "", fieldError("related", "A report cannot be a duplicate of itself")
		}
		if o.DuplicateOf != "" {
			return "", fieldError("related", o.Reference+" is itself a duplicate of "+o.DuplicateOf+"; use that one")
		}
		// Reports joined to this one hear its outcome; were it joined to
		// another in turn, they would wait for an outcome that never came.
		var joined int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM reports WHERE duplicate_of = ?`, r.ID).Scan(&joined); err != nil {
			return "", fmt.Errorf("mark duplicate: %w", err)
		}
		if joined > 0 {
			return "", fieldError("related", "Other reports have been joined to this one as duplicates, so it cannot become a duplicate itself. Link it to "+o.Reference+" instead")
		}
		summary := duplicateWaiting
		if o.Status == Closed {
			summary = sharedOutcome(o.OutcomeSummary)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET duplicate_of = ?, status = 'closed', closed_at = ?, outcome_summary = ?,
			acknowledged_at = COALESCE(acknowledged_at, ?) WHERE id = ?`,
			o.ID, store.T(s.Now()), summary, store.T(s.Now()), r.ID); err != nil {
			return "", fmt.Errorf("mark duplicate: %w", err)
		}
		return "duplicate of " + o.Reference, s.tellReporter(ctx, tx, r, "Your report "+r.Reference+" is being looked at together with a related report.")
	})
}

// Reroute hands a report to the other team: a concern that is really a
// safety event, or the other way round. The reporter's identity protection
// travels with it unchanged.
func (s *Service) Reroute(ctx context.Context, p *authz.Principal, reportID int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 1000 {
		return fieldError("reason", "Say why this report belongs with the other team (up to 1000 characters)")
	}
	return s.change(ctx, p, reportID, "report.reroute", func(tx *store.Tx, r row) (string, error) {
		if r.Status == Closed {
			return "", ErrClosed
		}
		to, kind := Guardians, Concern
		if r.Team == Guardians {
			to, kind = SafetyTeam, SafetyEvent
		}
		// Deadlines are set per kind, so they are worked out again from the
		// day the report arrived, and reminders and escalations fire
		// afresh for the team that now has it.
		received, err := time.Parse(store.DateLayout, r.ReceivedOn)
		if err != nil {
			return "", fmt.Errorf("reroute: read received date %q: %w", r.ReceivedOn, err)
		}
		ackDue := received.AddDate(0, 0, s.Deadlines.AckDays[kind]).Format(store.DateLayout)
		feedbackDue := received.AddDate(0, 0, s.Deadlines.FeedbackDays[kind]).Format(store.DateLayout)
		if err := keepReporterGrading(ctx, tx, r.ID); err != nil {
			return "", err
		}
		// A staff group is given for the guardians' return of concerns;
		// a report that stops being a concern stops being counted there.
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET team = ?, kind = ?, assigned_user_id = NULL, ack_due_on = ?, feedback_due_on = ?,
			staff_group = NULL WHERE id = ?`, string(to), string(kind), ackDue, feedbackDue, r.ID); err != nil {
			return "", fmt.Errorf("reroute: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM deadline_notices WHERE report_id = ? AND kind <> ?`, r.ID, NoticeReceived); err != nil {
			return "", fmt.Errorf("reroute: reset reminders: %w", err)
		}
		// The reporter reads it on their own page, whichever way they raised
		// it: a notice reaches only those who signed in. The reason stays in
		// the team's note, as it may say more than the reporter should read.
		if err := addAutomaticMessage(ctx, tx, r.ID, reroutedMessage(to, r.Mode), s.Now()); err != nil {
			return "", fmt.Errorf("reroute: %w", err)
		}
		noteID, err := addNote(ctx, tx, r.ID, p.UserID, to, "Passed to the "+teamName(to)+" by the "+teamName(r.Team)+": "+reason, s.Now())
		if err != nil {
			return "", fmt.Errorf("reroute: %w", err)
		}
		hs, err := handlersOf(ctx, tx, to)
		if err != nil {
			return "", err
		}
		for _, h := range hs {
			if err := notify.Notify(ctx, tx, s.Now(), notify.Notice{UserID: h.ID, ReportID: r.ID,
				Body: "Report " + r.Reference + " has been passed to your team", Link: "/reports/" + id(r.ID)}); err != nil {
				return "", err
			}
		}
		if err := s.tellReporter(ctx, tx, r, "Your report "+r.Reference+" has been passed to the "+teamName(to)+", who are better placed to look into it."); err != nil {
			return "", err
		}
		return "to " + string(to) + "; " + s.reasonKept("internal note", noteID, reason), nil
	})
}

// addMessage adds a message from the team, by userID, to the conversation
// with the person who raised report reportID.
func addMessage(ctx context.Context, tx *store.Tx, reportID, userID int64, body string, at time.Time) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO report_messages (report_id, from_reporter, internal, author_user_id, body, created_at, team)
		VALUES (?, FALSE, FALSE, ?, ?, ?, NULL)`, reportID, userID, body, store.T(at)); err != nil {
		return fmt.Errorf("add message: %w", err)
	}
	return nil
}

// addAutomaticMessage adds a message candour writes to the person who
// raised report reportID, about something that happened to it (it was
// passed on). It has no author, which tells it from the team's answers:
// it does not answer anything the reporter asked (Report.AwaitingReply).
func addAutomaticMessage(ctx context.Context, tx *store.Tx, reportID int64, body string, at time.Time) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO report_messages (report_id, from_reporter, internal, author_user_id, body, created_at, team)
		VALUES (?, FALSE, FALSE, NULL, ?, ?, NULL)`, reportID, body, store.T(at)); err != nil {
		return fmt.Errorf("add message: %w", err)
	}
	return nil
}

// addNote adds an internal note to report reportID for team, by userID,
// and returns its id.
func addNote(ctx context.Context, tx *store.Tx, reportID, userID int64, team Team, body string, at time.Time) (int64, error) {
	var noteID int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO report_messages (report_id, from_reporter, internal, author_user_id, body, created_at, team)
		VALUES (?, FALSE, TRUE, ?, ?, ?, ?) RETURNING id`, reportID, userID, body, store.T(at), string(team)).Scan(&noteID); err != nil {
		return 0, fmt.Errorf("add note: %w", err)
	}
	return noteID, nil
}

// reasonKept is what the audit log says of a reason a handler gave (for
// revealing who raised a report, reopening it, passing it on, redacting
// it). The reason is written about the case, and the audit log is read by
// administrators, who never read case content, so it is kept with the
// report, where the team handling it can read it, and the log names the
// place and holds a keyed hash of the text and the place. The hash chain
// then vouches for the reason without showing it: anyone holding the key
// ring can tell whether the text kept with the report is still the text
// given.
func (s *Service) reasonKept(where string, id int64, reason string) string {
	return "reason " + s.keptIn(where, id, reason)
}

// keptIn names where text written about a case is kept, with a keyed hash
// of it, for an audit entry's detail (reasonKept).
func (s *Service) keptIn(where string, id int64, text string) string {
	return fmt.Sprintf("kept in %s %d, keyed hash %s", where, id, s.Keys.Hash("audit-reason", ReasonHashInput(where, id, text)))
}

// ReasonHashInput is what the keyed hash in an audit entry's detail covers
// (reasonKept): the place the reason is kept as well as its text, so that
// the same words given twice do not show as the same hash, and a hash
// vouches for one place only.
func ReasonHashInput(where string, id int64, reason string) string {
	return fmt.Sprintf("%s %d\x00%s", where, id, reason)
}

// reroutedMessage is what the person who raised a report reads when it is
// passed to team to: who has it now, and that how they raised it has not
// changed.
func reroutedMessage(to Team, mode Mode) string {
	text := "We have passed your report to the " + teamName(to) + ", who are better placed to look into it. " +
		"They can read what you told us and this conversation, and you can keep writing to them here."
	switch mode {
	case Confidential:
		text += " You raised it in confidence, and it stays that way: only the person handling it can see who you are."
	case Anonymous:
		text += " It is still anonymous: nobody, including them, knows who raised it."
	}
	return text
}

func teamName(t Team) string {
	if t == Guardians {
		return "Freedom to Speak Up guardians"
	}
	return "patient safety team"
}

// maxMessage bounds a message or note.
const maxMessage = 10000

// MessageReporter sends a message to the reporter (internal=false) or adds
// an internal note that the reporter never sees (internal=true).
func (s *Service) MessageReporter(ctx context.Context, p *authz.Principal, reportID int64, body string, internal bool, files []Upload) error {
	_, err := s.MessageReporterOnce(ctx, p, reportID, "", body, internal, files)
	return err
}

// MessageReporterOnce is MessageReporter for a message sent with a key (a
// form's send key, a request's Idempotency-Key): sent again with the same
// key and the same words and files, it is stored once, and repeat says the
// second changed nothing. An empty key is never a repeat.
func (s *Service) MessageReporterOnce(ctx context.Context, p *authz.Principal, reportID int64, key, body string, internal bool, files []Upload) (repeat bool, err error) {
	var errs validate.Errors
	field, label := "message", "Your message"
	if internal {
		field, label = "note", "Your note"
	}
	body = errs.Text(field, label, body, true, maxMessage)
	checkSendKey(&errs, key)
	if len(files) > 0 {
		// Files are opened, checked and cleaned, which costs far more than
		// the rest: only for a report the caller handles.
		if err := s.mayHandle(ctx, p, reportID); err != nil {
			return false, err
		}
	}
	checked := s.checkFiles(&errs, files, false)
	if len(errs) > 0 {
		return false, errs
	}
	action := "report.message"
	if internal {
		action = "report.note"
	}
	// A key is its sender's, for this kind of message: the same key for a
	// note and then a message, or from two handlers, is two messages.
	from := "team-message:"
	if internal {
		from = "team-note:"
	}
	var userID int64
	if p != nil {
		userID = p.UserID
	}
	keys := s.sendKeys(reportID, from+strconv.FormatInt(userID, 10), key, body, checked)
	err = s.change(ctx, p, reportID, action, func(tx *store.Tx, r row) (string, error) {
		if sent, err := sentBefore(ctx, tx, r.ID, keys); err != nil || sent {
			return "", cmp.Or(err, errSentBefore)
		}
		var msgID int64
		var team any
		if internal {
			team = string(r.Team)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO report_messages (report_id, from_reporter, internal, author_user_id, body, created_at, team, send_key)
			VALUES (?, FALSE, ?, ?, ?, ?, ?, ?) RETURNING id`, r.ID, internal, p.UserID, body, store.T(s.Now()), team, firstKey(keys)).Scan(&msgID); err != nil {
			return "", fmt.Errorf("store message: %w", err)
		}
		if err := s.storeFiles(ctx, tx, r.ID, msgID, checked, s.Now(), false); err != nil {
			return "", err
		}
		if internal {
			return "", nil
		}
		return "", s.tellReporter(ctx, tx, r, "There is a new message about your report "+r.Reference+".")
	})
	return sendOutcome(err, keys)
}

// checkFiles inspects uploaded files, adding their problems to errs. A
// reporter's files also lose what a document says about who made it
// (attach.StripDocumentMetadata); a handler's are kept as they are, since
// their dates and authors can matter.
func (s *Service) checkFiles(errs *validate.Errors, files []Upload, fromReporter bool) []attach.File {
	if len(files) > s.MaxAttachments {
		errs.Add("attachments", fmt.Sprintf("Attach at most %d files", s.MaxAttachments))
		return nil
	}
	var out []attach.File
	for _, u := range files {
		field := u.Field
		if field == "" {
			field = "attachments"
		}
		if u.Problem != "" {
			errs.Add(field, u.Problem)
			continue
		}
		f, err := attach.Inspect(u.Filename, u.Data, s.MaxAttachmentBytes)
		if err != nil {
			errs.Add(field, err.Error())
			continue
		}
		if fromReporter {
			if f, err = attach.StripDocumentMetadata(f); err != nil {
				errs.Add(field, s.unclean(err, u.Filename))
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

// unclean is the message for a reporter's file whose authors' names could
// not be removed (attach.StripDocumentMetadata): the file is not kept,
// names and all. An *attach.Error says why; any other error is a file
// that passed inspection but could not be opened again, which should not
// happen, so it is logged: without the error's text, which holds the
// file's name and the names of its parts, either of which could say who
// sent it.
func (s *Service) unclean(err error, filename string) string {
	if e, ok := errors.AsType[*attach.Error](err); ok {
		return e.Message
	}
	s.logger().Warn("a reporter's file passed inspection but could not be opened again to remove its authors' names")
	shown := attach.CleanFilename(filename)
	if shown == "" {
		shown = "this file"
	}
	return fmt.Sprintf("We could not remove the authors' names from %s. Save a fresh copy and attach that instead.", shown)
}

// Close ends the handling with an outcome written for the reporter: what
// was found and what changed. The reporter is then asked for feedback.
func (s *Service) Close(ctx context.Context, p *authz.Principal, reportID int64, outcome string) error {
	var errs validate.Errors
	outcome = errs.Text("outcome", "What you found and what changed", outcome, true, maxMessage)
	if !errs.Has("outcome") && len([]rune(outcome)) < 20 {
		errs.Add("outcome", "Write a little more for the person who raised this: what you found and what changed (at least 20 characters)")
	}
	if len(errs) > 0 {
		return errs
	}
	return s.change(ctx, p, reportID, "report.close", func(tx *store.Tx, r row) (string, error) {
		if r.Status == Closed {
			return "", ErrClosed
		}
		now := store.T(s.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET status = 'closed', closed_at = ?, outcome_summary = ?,
			acknowledged_at = COALESCE(acknowledged_at, ?) WHERE id = ?`, now, outcome, now, r.ID); err != nil {
			return "", fmt.Errorf("close: %w", err)
		}
		if err := s.shareOutcome(ctx, tx, p, r, outcome); err != nil {
			return "", err
		}
		return "", s.tellReporter(ctx, tx, r, "Your report "+r.Reference+" has been closed. Read what was found and what changed, and tell us whether you would speak up again.")
	})
}

// MinReopenReason is the shortest reason accepted for reopening a report:
// a sentence, not a word.
const MinReopenReason = 20

// Reopen takes a closed report back into review, when something new comes
// to light after it was closed: a reporter's later message, detriment, a
// finding elsewhere. Nothing written before is lost: the outcome the
// reporter was given stays in their conversation, with a message that the
// report has been reopened, and the reason, which may hold what the
// reporter need not read, becomes an internal note for the team. The
// feedback deadline is worked out afresh from today (unless the old one is
// later still), and its reminders fire again. Feedback the reporter gave
// after the earlier closing stays in the report's feedback history and in
// its quarter's return, and they are asked again when the report closes
// again; so are the reporters of its duplicates. A report closed as a
// duplicate is not reopened: the report it duplicates is.
func (s *Service) Reopen(ctx context.Context, p *authz.Principal, reportID int64, reason string) error {
	var errs validate.Errors
	reason = errs.Text("reason", "Why you are reopening the report", reason, true, 1000)
	if !errs.Has("reason") && len([]rune(reason)) < MinReopenReason {
		errs.Add("reason", fmt.Sprintf("Say why the report is being reopened, in a sentence (at least %d characters)", MinReopenReason))
	}
	if len(errs) > 0 {
		return errs
	}
	return s.change(ctx, p, reportID, "report.reopen", func(tx *store.Tx, r row) (string, error) {
		switch {
		case r.Status != Closed:
			return "", ErrNotClosed
		case r.DuplicateOf != "":
			return "", ErrDuplicate
		}
		now := s.Now()
		due := s.today().AddDate(0, 0, s.Deadlines.FeedbackDays[r.Kind]).Format(store.DateLayout)
		if r.FeedbackDueOn > due {
			due = r.FeedbackDueOn
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET status = ?, closed_at = NULL, outcome_summary = '', feedback_due_on = ?, updated_at = ?,
			speak_up_again = NULL, detriment = NULL, feedback_at = NULL WHERE id = ?`, string(InReview), due, store.T(now), r.ID); err != nil {
			return "", fmt.Errorf("reopen: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM deadline_notices WHERE report_id = ? AND kind IN (?, ?)`,
			r.ID, NoticeFeedbackReminder, NoticeFeedbackOverdue); err != nil {
			return "", fmt.Errorf("reopen: reset reminders: %w", err)
		}
		closedOn := r.ClosedAt.In(london()).Format("2 January 2006")
		told := "We have reopened this report to look into it further, and will tell you what we find."
		if r.OutcomeSummary != "" {
			told += " What we told you when we closed it on " + closedOn + ": " + r.OutcomeSummary
		}
		if err := addMessage(ctx, tx, r.ID, p.UserID, told, now); err != nil {
			return "", fmt.Errorf("reopen: %w", err)
		}
		noteID, err := addNote(ctx, tx, r.ID, p.UserID, r.Team, "Reopened: "+reason, now)
		if err != nil {
			return "", fmt.Errorf("reopen: %w", err)
		}
		if err := s.tellReporter(ctx, tx, r, "Your report "+r.Reference+" has been reopened to look into it further."); err != nil {
			return "", err
		}
		if err := s.withdrawSharedOutcome(ctx, tx, p, r); err != nil {
			return "", err
		}
		return "closed on " + closedOn + "; feedback now due " + due + "; " + s.reasonKept("internal note", noteID, reason), nil
	})
}

// duplicatesOf lists the reports closed as duplicates of reportID.
func duplicatesOf(ctx context.Context, tx *store.Tx, reportID int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM reports WHERE duplicate_of = ? ORDER BY id`, reportID)
	if err != nil {
		return nil, fmt.Errorf("find duplicates: %w", err)
	}
	defer rows.Close()
	var dups []int64
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("find duplicates: %w", err)
		}
		dups = append(dups, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find duplicates: %w", err)
	}
	return dups, nil
}

// withdrawSharedOutcome tells the reporters of r's duplicates, who were
// given r's outcome, that the work has started again: what they read moves
// into their conversation, and they wait for the new outcome (shareOutcome
// gives it when r closes again) before being asked for feedback, again if
// they had already answered (their answer stays in the history).
func (s *Service) withdrawSharedOutcome(ctx context.Context, tx *store.Tx, p *authz.Principal, r row) error {
	dups, err := duplicatesOf(ctx, tx, r.ID)
	if err != nil {
		return err
	}
	now := s.Now()
	for _, d := range dups {
		dr, err := s.load(ctx, tx, d)
		if err != nil {
			return err
		}
		if dr.OutcomeSummary == duplicateWaiting {
			continue // the original had not been closed since this was joined to it
		}
		told := "The report yours was joined to has been reopened, so the work is not finished after all. You will hear what is found and what changed."
		if dr.OutcomeSummary != "" {
			told += " What we told you before: " + dr.OutcomeSummary
		}
		if err := addMessage(ctx, tx, d, p.UserID, told, now); err != nil {
			return fmt.Errorf("withdraw shared outcome: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET outcome_summary = ?, updated_at = ?,
			speak_up_again = NULL, detriment = NULL, feedback_at = NULL WHERE id = ?`, duplicateWaiting, store.T(now), d); err != nil {
			return fmt.Errorf("withdraw shared outcome: %w", err)
		}
		if err := s.tellReporter(ctx, tx, dr, "The work on your report "+dr.Reference+" has started again."); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, handlerActor(p), "report.outcome_withdrawn", "report", id(d), r.Reference+" reopened"); err != nil {
			return err
		}
	}
	return nil
}

// duplicateWaiting is what a duplicate's reporter reads until the report
// theirs was joined to is closed.
const duplicateWaiting = "Thank you. What you told us is being looked at together with another report about the same thing, so this copy has been closed. Nothing you wrote has been lost. You will hear what was found and what changed when that work has finished."

// sharedOutcome is the outcome a duplicate's reporter reads once the
// report theirs was joined to has closed.
func sharedOutcome(outcome string) string {
	return "Your report was looked at together with another report about the same thing, and that work has now finished. What was found and what changed: " + outcome
}

// shareOutcome gives the reports closed as duplicates of r the outcome
// written for r, and tells their reporters, who can then say whether they
// would speak up again. Normally each is waiting (withdrawSharedOutcome
// has run since any earlier outcome); a duplicate that still holds an
// earlier outcome, and perhaps an answer to it, as earlier versions left
// them, keeps that outcome in its conversation and is asked afresh.
func (s *Service) shareOutcome(ctx context.Context, tx *store.Tx, p *authz.Principal, r row, outcome string) error {
	dups, err := duplicatesOf(ctx, tx, r.ID)
	if err != nil {
		return err
	}
	now := s.Now()
	for _, d := range dups {
		dr, err := s.load(ctx, tx, d)
		if err != nil {
			return err
		}
		if dr.OutcomeSummary != duplicateWaiting && dr.OutcomeSummary != "" {
			if err := addMessage(ctx, tx, d, p.UserID, "What we told you before: "+dr.OutcomeSummary, now); err != nil {
				return fmt.Errorf("share outcome: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reports SET outcome_summary = ?, updated_at = ?,
			speak_up_again = NULL, detriment = NULL, feedback_at = NULL WHERE id = ?`,
			sharedOutcome(outcome), store.T(now), d); err != nil {
			return fmt.Errorf("share outcome: %w", err)
		}
		if err := s.tellReporter(ctx, tx, dr, "The work on your report "+dr.Reference+" has finished. Read what was found and what changed, and tell us whether you would speak up again."); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, s.Now(), handlerActor(p), "report.outcome_shared", "report", id(d), "outcome of "+r.Reference); err != nil {
			return err
		}
	}
	return nil
}

// RedactableFields are the parts of a report itself a passage may be
// redacted from (Redact), besides its messages: every free text the
// reporter writes, since any of them may name someone.
func RedactableFields() []string {
	return []string{"description", "immediate_actions", "desired_outcome", "raised_elsewhere"}
}

// Redact replaces a passage of one of the report's RedactableFields or of
// a message, keeping the original sealed and the reason beside it for the
// team; the audit log records the redaction (reasonKept).
func (s *Service) Redact(ctx context.Context, p *authz.Principal, reportID int64, field string, messageID int64, passage, reason string) error {
	var errs validate.Errors
	if strings.TrimSpace(passage) == "" {
		errs.Add("passage", "Enter the exact words to redact")
	} else if utf8.RuneCountInString(strings.TrimSpace(passage)) < minRedaction {
		errs.Add("passage", fmt.Sprintf("Enter at least %d characters to redact, so that nothing else is removed with them", minRedaction))
	}
	reason = errs.Text("reason", "The reason", reason, true, 1000)
	if len(errs) > 0 {
		return errs
	}
	return s.change(ctx, p, reportID, "report.redact", func(tx *store.Tx, r row) (string, error) {
		var current, column string
		if field == "message" {
			if err := tx.QueryRowContext(ctx, `SELECT body FROM report_messages WHERE id = ? AND report_id = ?
				AND (internal = FALSE OR team IS NULL OR team = ?)`, messageID, r.ID, string(r.Team)).Scan(&current); err != nil {
				return "", fieldError("field", "That message is not on this report, or is not one your team can read")
			}
		} else {
			if !slices.Contains(RedactableFields(), field) {
				return "", fieldError("field", "Choose the part of the report or the message to redact from")
			}
			// Each of RedactableFields is a column of its own name.
			column, current = field, r.Text(field)
		}
		redacted, n := redactWhole(current, passage)
		if n == 0 && strings.Contains(current, passage) {
			return "", fieldError("passage", "Those words appear only inside longer words, and only whole words are redacted. Copy the whole words from the text")
		}
		if n == 0 {
			return "", fieldError("passage", "Those exact words are not in the text; copy them from it")
		}
		where := field
		if field == "message" {
			where = "message:" + id(messageID)
		}
		sealed := s.Keys.Seal([]byte(current), []byte("report:"+r.Reference+":redaction:"+where))
		var redactionID int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO report_redactions (report_id, field, original_sealed, reason, user_id, created_at, team)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.ID, where, sealed, reason, p.UserID, store.T(s.Now()), string(r.Team)).Scan(&redactionID); err != nil {
			return "", fmt.Errorf("store redaction: %w", err)
		}
		var err error
		if field == "message" {
			_, err = tx.ExecContext(ctx, `UPDATE report_messages SET body = ? WHERE id = ?`, redacted, messageID)
		} else {
			// column is one of RedactableFields, never other text.
			_, err = tx.ExecContext(ctx, `UPDATE reports SET `+column+` = ? WHERE id = ?`, redacted, r.ID)
		}
		if err != nil {
			return "", fmt.Errorf("redact: %w", err)
		}
		places := "1 place"
		if n != 1 {
			places = fmt.Sprintf("%d places", n)
		}
		return fmt.Sprintf("%s, %s; %s", where, places, s.reasonKept("redaction", redactionID, reason)), nil
	})
}

// minRedaction is the shortest passage that may be redacted: one or two
// letters would remove far more than the handler meant.
const minRedaction = 2

// redactWhole replaces each occurrence of passage in text that stands as
// whole words, and says how many it replaced. Where passage begins (or
// ends) with a letter or digit, an occurrence counts only if the text has
// no letter or digit just before (or after) it: redacting the name "Jo"
// leaves "Joan" and "journey" alone.
func redactWhole(text, passage string) (string, int) {
	var b strings.Builder
	n, from := 0, 0
	for {
		i := strings.Index(text[from:], passage)
		if i < 0 {
			break
		}
		start, end := from+i, from+i+len(passage)
		first, _ := utf8.DecodeRuneInString(passage)
		last, _ := utf8.DecodeLastRuneInString(passage)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if (wordRune(first) && start > 0 && wordRune(before)) || (wordRune(last) && end < len(text) && wordRune(after)) {
			_, size := utf8.DecodeRuneInString(text[start:])
			b.WriteString(text[from : start+size])
			from = start + size
			continue
		}
		b.WriteString(text[from:start])
		b.WriteString("[redacted]")
		from = end
		n++
	}
	b.WriteString(text[from:])
	return b.String(), n
}

// wordRune reports whether r is part of a word.
func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// tellReporter lets a signed-in reporter know something changed: an in-app
// notice and an email. An anonymous reporter is never contacted; they see
// the change when they next use their access code.
func (s *Service) tellReporter(ctx context.Context, tx *store.Tx, r row, text string) error {
	var userID int64
	var email string
	switch r.Mode {
	case Open:
		userID = r.reporterUserID
		tx.QueryRowContext(ctx, `SELECT email FROM users WHERE id = ?`, userID).Scan(&email)
	case Confidential:
		var sealed string
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(reporter_sealed, '') FROM reports WHERE id = ?`, r.ID).Scan(&sealed); err != nil || sealed == "" {
			return nil
		}
		b, err := s.Keys.Open(sealed, []byte("report:"+r.Reference+":reporter"))
		if err != nil {
			return fmt.Errorf("open reporter identity to notify them: %w", err)
		}
		var sr sealedReporter
		if err := json.Unmarshal(b, &sr); err != nil {
			return fmt.Errorf("read reporter identity: %w", err)
		}
		userID, email = sr.UserID, sr.Email
	default:
		return nil
	}
	if userID == 0 {
		return nil
	}
	link, subject, reportID := "/my-reports/"+id(r.ID), "Update on your report "+r.Reference, r.ID
	if r.Mode == Confidential {
		// A notice or email that named the report would store, in plain
		// text, the very link between person and report that sealing
		// their identity protects: say only that something changed.
		text = ConfidentialUpdate
		link, subject, reportID = "/my-reports", "An update on a report you raised in confidence", 0
	}
	if err := notify.Notify(ctx, tx, s.Now(), notify.Notice{UserID: userID, ReportID: reportID, Body: text, Link: link}); err != nil {
		return err
	}
	if email == "" {
		return nil
	}
	return notify.Enqueue(ctx, tx, s.Now(), notify.Message{To: email, Subject: subject,
		Body: text + "\n\nRead it in candour: " + s.BaseURL + link + "\n"})
}

// ConfidentialUpdate is all a confidential reporter's notices and emails
// say: which report changed, and how, is for them to read in candour.
const ConfidentialUpdate = "There is an update on a report you raised in confidence. Read it under My reports."
