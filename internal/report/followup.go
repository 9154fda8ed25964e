package report

import (
	"cmp"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/validate"
)

// FollowUpTTL is how long a follow-up session lasts after the code is entered.
const FollowUpTTL = 30 * time.Minute

// FollowUp is a reporter's follow-up session, proved by a signed token.
type FollowUp struct {
	ReportID int64
	Expires  time.Time
}

// StartFollowUp checks an access code and returns a short-lived follow-up
// token. client identifies the caller for rate limiting only (for example
// its address); it is hashed and never stored as given. Wrong codes all get
// the same answer, however close they were.
func (s *Service) StartFollowUp(ctx context.Context, code, client string) (string, FollowUp, error) {
	attempt, err := s.beginAttempt(ctx, client)
	if err != nil {
		return "", FollowUp{}, err
	}
	reportID, found, err := s.reportForCode(ctx, code)
	if endErr := s.endAttempt(ctx, attempt, err == nil && !found); err == nil {
		err = endErr
	}
	switch {
	case err != nil:
		return "", FollowUp{}, err
	case !found:
		return "", FollowUp{}, ErrBadCode
	}
	f := FollowUp{ReportID: reportID, Expires: s.Now().Add(FollowUpTTL).UTC().Truncate(time.Second)}
	return s.signFollowUp(f), f, nil
}

// reportForCode finds the report an access code opens, if any.
func (s *Service) reportForCode(ctx context.Context, code string) (reportID int64, found bool, err error) {
	norm := NormaliseCode(code)
	if norm == "" {
		return 0, false, nil
	}
	// Under every key of the ring (codes hashed before a rotation), the
	// stored form with the locator and the bare form of codes issued
	// before locators.
	hashes := s.Keys.Hashes("access-code", norm)
	args := make([]any, 0, 2*len(hashes))
	for _, h := range hashes {
		args = append(args, codeKey(norm, h), h)
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")
	// The lookup is by keyed hash, so its timing tells nothing about how
	// close a wrong code was.
	err = s.DB.QueryRowContext(ctx, `SELECT id FROM reports WHERE access_code_hash IN (`+ph+`)`, args...).Scan(&reportID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("check access code: %w", err)
	}
	return reportID, true, nil
}

func (s *Service) signFollowUp(f FollowUp) string {
	payload := strconv.FormatInt(f.ReportID, 10) + "." + strconv.FormatInt(f.Expires.Unix(), 10)
	return "fu1." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + s.Keys.Hash("follow-up", payload)
}

// CheckFollowUp verifies a follow-up token.
func (s *Service) CheckFollowUp(token string) (FollowUp, error) {
	parts := strings.SplitN(token, ".", 3)
	if len(parts) != 3 || parts[0] != "fu1" || len(token) > 300 {
		return FollowUp{}, ErrTokenExpired
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return FollowUp{}, ErrTokenExpired
	}
	payload := string(raw)
	ok := false
	for _, h := range s.Keys.Hashes("follow-up", payload) {
		ok = ok || subtle.ConstantTimeCompare([]byte(h), []byte(parts[2])) == 1
	}
	if !ok {
		return FollowUp{}, ErrTokenExpired
	}
	a, b, _ := strings.Cut(payload, ".")
	reportID, err1 := strconv.ParseInt(a, 10, 64)
	exp, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil {
		return FollowUp{}, ErrTokenExpired
	}
	f := FollowUp{ReportID: reportID, Expires: time.Unix(exp, 0).UTC()}
	if !s.Now().Before(f.Expires) {
		return FollowUp{}, ErrTokenExpired
	}
	return f, nil
}

// ReporterView is what the person who raised a report sees: status,
// messages (never internal notes), the outcome, and whether feedback is due.
type ReporterView struct {
	Report
	CanGiveFeedback bool
	// Closing marks the closing whose outcome the reporter is reading: a
	// feedback form sends it back (FeedbackFor), so that an answer to one
	// outcome is not stored against another if the report is reopened
	// and closed again while the page is open.
	Closing string
}

// reporterAllowed checks that the caller raised the report: a signed-in
// reporter of an open or confidential report, or a follow-up session.
func (s *Service) reporterAllowed(ctx context.Context, q store.Querier, p *authz.Principal, f *FollowUp, reportID int64) (row, error) {
	r, err := s.load(ctx, q, reportID)
	if err != nil {
		return row{}, err
	}
	if f != nil && f.ReportID == reportID {
		return r, nil
	}
	if s.isReporter(p, r) {
		return r, nil
	}
	return row{}, ErrNotAllowed
}

// actorFor is the audit actor for a reporter acting on their own report.
func reporterActorFor(r row, p *authz.Principal) audit.Actor {
	if r.Mode == Open && p != nil {
		return handlerActor(p)
	}
	return reporterActor(r.Mode, nil)
}

// ForReporter returns the reporter's view of their report.
func (s *Service) ForReporter(ctx context.Context, p *authz.Principal, f *FollowUp, reportID int64) (ReporterView, error) {
	r, err := s.reporterAllowed(ctx, s.DB, p, f, reportID)
	if err != nil {
		return ReporterView{}, err
	}
	if err := s.fill(ctx, &r, false); err != nil {
		return ReporterView{}, err
	}
	// The reporter sees their own words, but not the sealed names of people
	// involved (they typed them) nor any handler's identity beyond a name.
	ready, closing, _, err := s.outcomeReady(ctx, s.DB, r)
	if err != nil {
		return ReporterView{}, err
	}
	v := ReporterView{Report: r.Report, CanGiveFeedback: ready && r.FeedbackAt.IsZero(), Closing: closing}
	// The reporter reads back what they told us: if the team has graded
	// the report again or passed it to the other team, their own account,
	// not the team's view of it.
	if g := v.ReporterGrading; g != nil {
		v.Kind, v.EventType, v.PhysicalHarm, v.PsychHarm, v.Elements = g.Kind, g.EventType, g.PhysicalHarm, g.PsychologicalHarm, g.Elements
		v.ReporterGrading = nil
	}
	v.ReporterGradingUnknown = false // the team's concern, not the reporter's
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		return recordReporter(ctx, tx, r, p, s.reporterTime(r), "report.reporter_read", "")
	})
	return v, err
}

// outcomeReady reports whether r's reporter has been given the outcome: r
// is closed and, if it was closed as a duplicate, so is the report it was
// joined to (until then its outcome says only where its information went).
// closing marks that closing: when it happened and what the reporter was
// told, and for a duplicate when its original closed.
// originalClosed is when the report a duplicate was joined to closed (zero
// for a report that is not a duplicate).
func (s *Service) outcomeReady(ctx context.Context, q store.Querier, r row) (ready bool, closing string, originalClosed time.Time, err error) {
	if r.Status != Closed {
		return false, "", time.Time{}, nil
	}
	var original store.Time
	if r.DuplicateOf != "" {
		var status Status
		if err := q.QueryRowContext(ctx, `SELECT o.status, o.closed_at FROM reports d JOIN reports o ON o.id = d.duplicate_of WHERE d.id = ?`,
			r.ID).Scan(&status, &original); err != nil {
			return false, "", time.Time{}, fmt.Errorf("read original report: %w", err)
		}
		if status != Closed {
			return false, "", time.Time{}, nil
		}
	}
	// Not a secret: a short digest that changes whenever the closing does.
	sum := sha256.Sum256([]byte(r.ClosedAt.UTC().Format(time.RFC3339Nano) + "\x00" + original.Time.UTC().Format(time.RFC3339Nano) + "\x00" + r.OutcomeSummary))
	return true, hex.EncodeToString(sum[:8]), original.Time, nil
}

// recordReporter audits something a reporter did on their own report: at
// once on an open report; on an anonymous or confidential one, held back
// until its day is over (audit.Hold), so that its place in the chain cannot
// time it, nor sit it beside the reporter's sign-in.
func recordReporter(ctx context.Context, tx *store.Tx, r row, p *authz.Principal, at time.Time, action, detail string) error {
	if r.Mode != Open {
		return audit.Hold(ctx, tx, []audit.Event{{At: at, Actor: reporterActorFor(r, p), Action: action, Entity: "report", EntityID: id(r.ID), Detail: detail}})
	}
	return audit.Record(ctx, tx, at, reporterActorFor(r, p), action, "report", id(r.ID), detail)
}

// reporterTime is the time recorded for something a reporter does: the
// day only on an anonymous or confidential report, so that it cannot be
// matched to other times (a confidential reporter's sign-in, say, which
// every handler's team can see in the audit log).
func (s *Service) reporterTime(r row) time.Time {
	if r.Mode != Open {
		return s.today()
	}
	return s.Now()
}

// ReporterMessage adds a message or more information from the reporter.
func (s *Service) ReporterMessage(ctx context.Context, p *authz.Principal, f *FollowUp, reportID int64, body string, files []Upload) error {
	_, err := s.ReporterMessageOnce(ctx, p, f, reportID, "", body, files)
	return err
}

// ReporterMessageOnce is ReporterMessage sent with a key: sent again with
// the same key, words and files, it is stored once, and repeat says so
// (MessageReporterOnce).
func (s *Service) ReporterMessageOnce(ctx context.Context, p *authz.Principal, f *FollowUp, reportID int64, key, body string, files []Upload) (repeat bool, err error) {
	var errs validate.Errors
	body = errs.Text("message", "Your message", body, true, maxMessage)
	checkSendKey(&errs, key)
	if len(files) > 0 {
		// Files are opened, checked and cleaned, which costs far more than
		// the rest: only for the report's own reporter.
		if _, err := s.reporterAllowed(ctx, s.DB, p, f, reportID); err != nil {
			return false, err
		}
	}
	checked := s.checkFiles(&errs, files, true)
	if len(errs) > 0 {
		return false, errs
	}
	keys := s.sendKeys(reportID, "reporter", key, body, checked)
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		r, err := s.reporterAllowed(ctx, tx, p, f, reportID)
		if err != nil {
			return err
		}
		if sent, err := sentBefore(ctx, tx, r.ID, keys); err != nil || sent {
			return cmp.Or(err, errSentBefore)
		}
		at := s.reporterTime(r)
		var msgID int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO report_messages (report_id, from_reporter, internal, body, created_at, send_key)
			VALUES (?, TRUE, FALSE, ?, ?, ?) RETURNING id`, r.ID, body, store.T(at), firstKey(keys)).Scan(&msgID); err != nil {
			return fmt.Errorf("store message: %w", err)
		}
		if err := s.storeFiles(ctx, tx, r.ID, msgID, checked, at, r.Mode != Open); err != nil {
			return err
		}
		if err := s.tellHandlers(ctx, tx, r, "The person who raised "+r.Reference+" has sent a message"); err != nil {
			return err
		}
		return recordReporter(ctx, tx, r, p, at, "report.reporter_message", "")
	})
	return sendOutcome(err, keys)
}

// isClosingMark reports whether v is written as outcomeReady writes a
// closing mark: 16 lower-case hex digits.
func isClosingMark(v string) bool {
	if len(v) != 16 {
		return false
	}
	for _, c := range v {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Feedback records the reporter's answers after closure: would they speak
// up again, and have they suffered detriment for speaking up. Both feed the
// guardians' national returns. A reporter answers once for each closing: a
// report reopened and closed again asks again (Reopen).
func (s *Service) Feedback(ctx context.Context, p *authz.Principal, f *FollowUp, reportID int64, again, detriment string) error {
	return s.FeedbackFor(ctx, p, f, reportID, "", again, detriment)
}

// FeedbackFor is Feedback given to the closing marked closing (as
// ReporterView.Closing gave it to the page the reporter answered on); it
// is refused if the report has been closed again since. An empty closing
// is the latest.
func (s *Service) FeedbackFor(ctx context.Context, p *authz.Principal, f *FollowUp, reportID int64, closing, again, detriment string) error {
	var errs validate.Errors
	if closing != "" && !isClosingMark(closing) {
		// Not one this service gave: a client's slip, not a closing since.
		errs.Add("closing", "Send the closing mark the report's view gave, or none to answer its latest outcome")
	}
	if !valid(SpeakUpAgainAnswers(), again) {
		errs.Add("speak_up_again", "Choose whether you would speak up again")
	}
	if !valid(DetrimentAnswers(), detriment) {
		errs.Add("detriment", "Choose whether you have been treated worse for speaking up")
	}
	if len(errs) > 0 {
		return errs
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		r, err := s.reporterAllowed(ctx, tx, p, f, reportID)
		if err != nil {
			return err
		}
		ready, current, originalClosed, err := s.outcomeReady(ctx, tx, r)
		if err != nil {
			return err
		}
		if !ready {
			return fieldError("speak_up_again", "You can give feedback once the work on your report has finished and you have read the outcome")
		}
		if !r.FeedbackAt.IsZero() {
			return fieldError("speak_up_again", "You have already given feedback on this report. Thank you")
		}
		if closing != "" && closing != current {
			return fieldError("speak_up_again", "The outcome of your report has changed since you opened this page. Read it again, then give your feedback")
		}
		at := s.reporterTime(r)
		// The answer is stored only if the report is still as it was read:
		// closed at the same moment, unanswered, with the outcome the
		// reporter was shown, and for a duplicate its original closed at
		// the same moment. On PostgreSQL a second send of the same answer,
		// or a reopening (and closing) at the same moment, may have
		// changed it since.
		res, err := tx.ExecContext(ctx, `UPDATE reports SET speak_up_again = ?, detriment = ?, feedback_at = ?
			WHERE id = ? AND status = 'closed' AND feedback_at IS NULL AND outcome_summary = ? AND closed_at = ?
				AND (duplicate_of IS NULL OR (SELECT o.closed_at FROM reports o WHERE o.id = reports.duplicate_of) = ?)`,
			again, detriment, store.T(at), r.ID, r.OutcomeSummary, store.T(r.ClosedAt), store.T(originalClosed))
		if err != nil {
			return fmt.Errorf("store feedback: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("store feedback: %w", err)
		} else if n != 1 {
			var answered bool
			if err := tx.QueryRowContext(ctx, `SELECT feedback_at IS NOT NULL FROM reports WHERE id = ?`, r.ID).Scan(&answered); err != nil {
				return fmt.Errorf("store feedback: %w", err)
			}
			if answered {
				return fieldError("speak_up_again", "You have already given feedback on this report. Thank you")
			}
			return fieldError("speak_up_again", "The work on your report has started again since you opened this page. You will be asked for feedback when it finishes")
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_feedback (report_id, n, speak_up_again, detriment, given_at)
			SELECT ?, COALESCE(max(n), 0) + 1, ?, ?, ? FROM report_feedback WHERE report_id = ?`,
			r.ID, again, detriment, store.T(at), r.ID); err != nil {
			return fmt.Errorf("store feedback: %w", err)
		}
		if detriment == "yes" {
			if err := s.tellHandlers(ctx, tx, r, "The person who raised "+r.Reference+" says they have been treated worse for speaking up"); err != nil {
				return err
			}
			if r.Team != Guardians {
				// Detriment for speaking up is the guardians' to follow
				// up and to count, whichever team handled the report;
				// they are told without a link to a report they may not
				// read.
				hs, err := handlersOf(ctx, tx, Guardians)
				if err != nil {
					return err
				}
				for _, h := range hs {
					if err := notifyUser(ctx, tx, s.Now(), h.ID, 0, "The person who raised patient safety report "+r.Reference+
						" says they have been treated worse for speaking up. The patient safety team handles the report and can put you in touch through it.", ""); err != nil {
						return err
					}
				}
			}
		}
		return recordReporter(ctx, tx, r, p, at, "report.feedback", "")
	})
}

// MyReports lists the open and confidential reports p raised, the most
// recently received first.
func (s *Service) MyReports(ctx context.Context, p *authz.Principal) ([]Summary, error) {
	hashes := s.Keys.Hashes("reporter", id(p.UserID))
	ph := strings.TrimSuffix(strings.Repeat("?,", len(hashes)), ",")
	args := []any{p.UserID}
	for _, h := range hashes {
		args = append(args, h)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT r.id, r.reference, COALESCE(NULLIF(r.reported_kind, ''), r.kind), r.mode, r.status, r.received_on, r.feedback_due_on,
		r.closed_at IS NOT NULL AND r.feedback_at IS NULL AND (r.duplicate_of IS NULL
			OR EXISTS (SELECT 1 FROM reports o WHERE o.id = r.duplicate_of AND o.status = 'closed'))
		FROM reports r WHERE r.mode <> 'anonymous' AND (r.reporter_user_id = ? OR r.reporter_key IN (`+ph+`))
		ORDER BY r.received_on DESC, r.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("my reports: %w", err)
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		var sm Summary
		if err := rows.Scan(&sm.ID, &sm.Reference, &sm.Kind, &sm.Mode, &sm.Status, &sm.ReceivedOn, &sm.FeedbackDueOn, &sm.FeedbackWanted); err != nil {
			return nil, fmt.Errorf("my reports: %w", err)
		}
		out = append(out, sm)
	}
	return out, rows.Err()
}

// tellHandlers notifies the assigned handler, or the whole team when nobody
// is assigned.
func (s *Service) tellHandlers(ctx context.Context, tx *store.Tx, r row, text string) error {
	var ids []int64
	if r.AssignedUserID != 0 {
		ids = []int64{r.AssignedUserID}
	} else {
		hs, err := handlersOf(ctx, tx, r.Team)
		if err != nil {
			return err
		}
		for _, h := range hs {
			ids = append(ids, h.ID)
		}
	}
	for _, uid := range ids {
		if err := notifyUser(ctx, tx, s.Now(), uid, r.ID, text, "/reports/"+id(r.ID)); err != nil {
			return err
		}
	}
	return nil
}
