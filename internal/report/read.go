package report

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/store"
)

// teamRole is the role that handles a team's reports.
func teamRole(t Team) authz.Role {
	if t == Guardians {
		return authz.Guardian
	}
	return authz.Safety
}

// Handles reports whether p works in the team that handles t.
func Handles(p *authz.Principal, t Team) bool { return p.Has(teamRole(t)) }

// TeamsOf lists the teams whose reports p handles.
func TeamsOf(p *authz.Principal) []Team {
	var out []Team
	for _, t := range []Team{SafetyTeam, Guardians} {
		if Handles(p, t) {
			out = append(out, t)
		}
	}
	return out
}

const reportColumns = `r.id, r.reference, r.kind, r.mode, r.team, r.status, COALESCE(r.department_id, 0), COALESCE(d.name, ''), COALESCE(s.name, ''),
	COALESCE(r.occurred_on, ''), COALESCE(r.occurred_time, ''), r.description, r.immediate_actions, COALESCE(r.event_type, ''),
	COALESCE(r.physical_harm, ''), COALESCE(r.psychological_harm, ''), r.elements, r.desired_outcome, r.raised_elsewhere,
	COALESCE(r.reporter_user_id, 0), COALESCE(r.reporter_key, ''), COALESCE(r.assigned_user_id, 0), COALESCE(au.name, ''),
	COALESCE(dup.reference, ''), r.received_on, r.created_at, r.ack_due_on, r.feedback_due_on, r.acknowledged_at, r.closed_at,
	r.outcome_summary, COALESCE(r.speak_up_again, ''), COALESCE(r.detriment, ''), r.feedback_at,
	r.reported_kind, COALESCE(r.reported_event_type, ''), COALESCE(r.reported_physical_harm, ''),
	COALESCE(r.reported_psychological_harm, ''), COALESCE(r.reported_elements, '')`

const reportFrom = ` FROM reports r
	LEFT JOIN departments d ON d.id = r.department_id
	LEFT JOIN sites s ON s.id = d.site_id
	LEFT JOIN users au ON au.id = r.assigned_user_id
	LEFT JOIN reports dup ON dup.id = r.duplicate_of`

// row is a report as stored, with the fields access decisions need.
type row struct {
	Report
	reporterUserID int64
	reporterKey    string
}

func scanRow(sc interface{ Scan(...any) error }) (row, error) {
	var r row
	var elements string
	var created, acked, closed, feedback store.Time
	var was Grading
	var wasKind sql.NullString
	var wasElements string
	err := sc.Scan(&r.ID, &r.Reference, &r.Kind, &r.Mode, &r.Team, &r.Status, &r.DepartmentID, &r.DepartmentName, &r.SiteName,
		&r.OccurredOn, &r.OccurredTime, &r.Description, &r.ImmediateActions, &r.EventType,
		&r.PhysicalHarm, &r.PsychHarm, &elements, &r.DesiredOutcome, &r.RaisedElsewhere,
		&r.reporterUserID, &r.reporterKey, &r.AssignedUserID, &r.AssignedName,
		&r.DuplicateOf, &r.ReceivedOn, &created, &r.AckDueOn, &r.FeedbackDueOn, &acked, &closed,
		&r.OutcomeSummary, &r.SpeakUpAgain, &r.Detriment, &feedback,
		&wasKind, &was.EventType, &was.PhysicalHarm, &was.PsychologicalHarm, &wasElements)
	if err != nil {
		return r, err
	}
	if elements != "" {
		r.Elements = strings.Split(elements, ",")
	}
	// NULL means as raised, '' not known (changed before version 21 kept
	// it); and a report passed there and back, ungraded, is again as the
	// reporter raised it.
	was.Kind = Kind(wasKind.String)
	r.ReporterGradingUnknown = wasKind.Valid && wasKind.String == ""
	if was.Kind != "" && (was.Kind != r.Kind || was.EventType != r.EventType || was.PhysicalHarm != r.PhysicalHarm ||
		was.PsychologicalHarm != r.PsychHarm || wasElements != elements) {
		if wasElements != "" {
			was.Elements = strings.Split(wasElements, ",")
		}
		r.ReporterGrading = &was
	}
	r.CreatedAt, r.AcknowledgedAt, r.ClosedAt, r.FeedbackAt = created.Time, acked.Time, closed.Time, feedback.Time
	return r, nil
}

func (s *Service) load(ctx context.Context, q store.Querier, reportID int64) (row, error) {
	r, err := scanRow(q.QueryRowContext(ctx, `SELECT `+reportColumns+reportFrom+` WHERE r.id = ?`, reportID))
	if errors.Is(err, sql.ErrNoRows) {
		return row{}, ErrNotAllowed
	}
	if err != nil {
		return row{}, fmt.Errorf("read report %d: %w", reportID, err)
	}
	return r, nil
}

// isReporter reports whether p raised r openly or confidentially.
func (s *Service) isReporter(p *authz.Principal, r row) bool {
	if p == nil || r.Mode == Anonymous {
		return false
	}
	if r.reporterUserID != 0 && r.reporterUserID == p.UserID {
		return true
	}
	if r.reporterKey == "" {
		return false
	}
	for _, h := range s.Keys.Hashes("reporter", id(p.UserID)) {
		if h == r.reporterKey {
			return true
		}
	}
	return false
}

// Get returns a report for a handler in its team, with messages, notes and
// attachments, and audits the read. Anyone else gets ErrNotAllowed: managers,
// union representatives, executives and administrators never read a report's
// narrative here.
func (s *Service) Get(ctx context.Context, p *authz.Principal, reportID int64) (Report, error) {
	r, err := s.load(ctx, s.DB, reportID)
	if err != nil {
		return Report{}, err
	}
	if p == nil || !Handles(p, r.Team) {
		return Report{}, ErrNotAllowed
	}
	if err := s.fill(ctx, &r, true); err != nil {
		return Report{}, err
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, s.Now(), handlerActor(p), "report.read", "report", id(r.ID), "")
	})
	return r.Report, err
}

// fill adds people, messages, attachments, links and, for open reports, the
// reporter's name. Internal notes are included only for handlers.
func (s *Service) fill(ctx context.Context, r *row, handler bool) error {
	if handler {
		if r.Mode == Open && r.reporterUserID != 0 {
			s.DB.QueryRowContext(ctx, `SELECT name, email FROM users WHERE id = ?`, r.reporterUserID).Scan(&r.ReporterName, &r.ReporterEmail)
		}
		rows, err := s.DB.QueryContext(ctx, `SELECT role, description, COALESCE(name_sealed, '') FROM report_people WHERE report_id = ? ORDER BY id`, r.ID)
		if err != nil {
			return fmt.Errorf("read people involved: %w", err)
		}
		for rows.Next() {
			var in Involved
			var sealed string
			if err := rows.Scan(&in.Role, &in.Description, &sealed); err != nil {
				rows.Close()
				return fmt.Errorf("read people involved: %w", err)
			}
			if sealed != "" {
				if b, err := s.Keys.Open(sealed, []byte("report:"+r.Reference+":person")); err == nil {
					in.Name = string(b)
				}
			}
			r.People = append(r.People, in)
		}
		rows.Close()
		lrows, err := s.DB.QueryContext(ctx, `SELECT o.reference FROM report_links l JOIN reports o ON o.id = l.related_id WHERE l.report_id = ? ORDER BY o.reference`, r.ID)
		if err != nil {
			return fmt.Errorf("read links: %w", err)
		}
		for lrows.Next() {
			var ref string
			lrows.Scan(&ref)
			r.Related = append(r.Related, ref)
		}
		lrows.Close()
		if err := s.fillEarlierFeedback(ctx, r); err != nil {
			return err
		}
	}
	q := `SELECT m.id, m.from_reporter, m.internal, COALESCE(u.name, ''), m.body, m.created_at,
		m.from_reporter = FALSE AND m.author_user_id IS NULL
		FROM report_messages m LEFT JOIN users u ON u.id = m.author_user_id WHERE m.report_id = ?`
	args := []any{r.ID}
	if handler {
		// Notes another team wrote before the report was passed on stay
		// with that team.
		q += ` AND (m.internal = FALSE OR m.team IS NULL OR m.team = ?)`
		args = append(args, string(r.Team))
	} else {
		q += ` AND m.internal = FALSE`
	}
	rows, err := s.DB.QueryContext(ctx, q+` ORDER BY m.id`, args...)
	if err != nil {
		return fmt.Errorf("read messages: %w", err)
	}
	byID := map[int64]int{}
	for rows.Next() {
		var m Message
		var at store.Time
		if err := rows.Scan(&m.ID, &m.FromReporter, &m.Internal, &m.AuthorName, &m.Body, &at, &m.Automatic); err != nil {
			rows.Close()
			return fmt.Errorf("read messages: %w", err)
		}
		m.CreatedAt = at.Time
		byID[m.ID] = len(r.Messages)
		r.Messages = append(r.Messages, m)
	}
	rows.Close()
	if handler {
		if err := s.fillRedactions(ctx, r, byID); err != nil {
			return err
		}
	}
	arows, err := s.DB.QueryContext(ctx, `SELECT id, filename, content_type, size, COALESCE(message_id, 0), created_at FROM attachments WHERE report_id = ? ORDER BY id`, r.ID)
	if err != nil {
		return fmt.Errorf("read attachments: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var a Attachment
		var at store.Time
		if err := arows.Scan(&a.ID, &a.Filename, &a.ContentType, &a.Size, &a.MessageID, &at); err != nil {
			return fmt.Errorf("read attachments: %w", err)
		}
		a.CreatedAt = at.Time
		if a.MessageID == 0 {
			r.Attachments = append(r.Attachments, a)
		} else if i, ok := byID[a.MessageID]; ok {
			r.Messages[i].Attachments = append(r.Messages[i].Attachments, a)
		}
	}
	return arows.Err()
}

// AttachmentData returns a file on a report to one of the report's
// handlers, and to nobody else: the team's pages and endpoints ask for a
// file through it. The read is audited.
func (s *Service) AttachmentData(ctx context.Context, p *authz.Principal, reportID, attachmentID int64) (Attachment, []byte, error) {
	return s.attachmentData(ctx, p, nil, reportID, attachmentID, false)
}

// ReporterAttachment returns a file on a report to the person who raised
// it (signed in as p, or holding the follow-up session f), and to nobody
// else: the reporter's own pages and endpoints ask for a file through it,
// so that a handler who opens one of them is neither given the files on
// internal notes there nor recorded as the reporter. A reporter sees the
// files on their report except those on internal notes.
func (s *Service) ReporterAttachment(ctx context.Context, p *authz.Principal, f *FollowUp, reportID, attachmentID int64) (Attachment, []byte, error) {
	return s.attachmentData(ctx, p, f, reportID, attachmentID, true)
}

// attachmentData serves AttachmentData (asReporter false: handlers only)
// and ReporterAttachment (asReporter true: the reporter only).
func (s *Service) attachmentData(ctx context.Context, p *authz.Principal, followUp *FollowUp, reportID, attachmentID int64, asReporter bool) (Attachment, []byte, error) {
	r, err := s.load(ctx, s.DB, reportID)
	if err != nil {
		return Attachment{}, nil, err
	}
	handler := !asReporter && p != nil && Handles(p, r.Team)
	reporter := asReporter && (s.isReporter(p, r) || (followUp != nil && followUp.ReportID == reportID))
	if !handler && !reporter {
		return Attachment{}, nil, ErrNotAllowed
	}
	var a Attachment
	var data []byte
	var internal sql.NullBool
	var noteTeam sql.NullString
	err = s.DB.QueryRowContext(ctx, `SELECT a.id, a.filename, a.content_type, a.size, a.data, m.internal, m.team FROM attachments a
		LEFT JOIN report_messages m ON m.id = a.message_id WHERE a.id = ? AND a.report_id = ?`, attachmentID, reportID).
		Scan(&a.ID, &a.Filename, &a.ContentType, &a.Size, &data, &internal, &noteTeam)
	otherTeams := internal.Bool && noteTeam.Valid && noteTeam.String != string(r.Team)
	if errors.Is(err, sql.ErrNoRows) || (!handler && internal.Bool) || (handler && otherTeams) {
		return Attachment{}, nil, ErrNotAllowed
	}
	if err != nil {
		return Attachment{}, nil, fmt.Errorf("read attachment: %w", err)
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		if handler {
			return audit.Record(ctx, tx, s.Now(), handlerActor(p), "report.attachment_read", "report", id(reportID), id(attachmentID))
		}
		return recordReporter(ctx, tx, r, p, s.reporterTime(r), "report.attachment_read", id(attachmentID))
	})
	return a, data, err
}

// Identity is a confidential reporter's identity.
type Identity struct {
	UserID      int64
	Name, Email string
}

// MinRevealReason is the fewest characters a reason for revealing a
// confidential reporter may have: enough for a sentence, so that the note
// the team reads says why, not just that someone typed something.
const MinRevealReason = 20

// MaxRevealReason is the most characters a reason for revealing may have.
const MaxRevealReason = 1000

// Why a reveal is refused to a handler who can see the report (anyone else
// gets ErrNotAllowed).
var (
	// ErrRaisedOpenly means the report was raised openly: it names who
	// raised it already, so there is nothing to reveal.
	ErrRaisedOpenly = errors.New("this report was raised openly, so it already names who raised it")
	// ErrRaisedAnonymously means nothing about who raised the report is
	// stored, so there is nobody to reveal.
	ErrRaisedAnonymously = errors.New("this report was raised anonymously: nothing about who raised it is stored")
	// ErrNotAssigned means the caller is not the handler the confidential
	// report is assigned to, the only one who may reveal who raised it.
	ErrNotAssigned = errors.New("only the handler this report is assigned to can reveal who raised it")
)

// Reveal opens a confidential reporter's identity for the assigned handler
// only, with a reason of MinRevealReason to MaxRevealReason characters,
// kept as an internal note; the reveal is audited. The checks, the note and
// the audit entry share one transaction (on PostgreSQL the report's row is
// locked), so a report reassigned meanwhile is never revealed to the handler
// it has left. Refusals, in the order checked: ErrNotAllowed (not the
// caller's team's, or no such report), ErrRaisedOpenly or
// ErrRaisedAnonymously, ErrNotAssigned, then a field error for the reason.
func (s *Service) Reveal(ctx context.Context, p *authz.Principal, reportID int64, reason string) (Identity, error) {
	reason = strings.TrimSpace(reason)
	var who Identity
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		q := `SELECT mode, team, reference, COALESCE(assigned_user_id, 0), reporter_sealed FROM reports WHERE id = ?`
		if tx.Dialect() == store.Postgres {
			q += ` FOR UPDATE`
		}
		var mode Mode
		var team Team
		var ref string
		var assigned int64
		var sealed sql.NullString
		err := tx.QueryRowContext(ctx, q, reportID).Scan(&mode, &team, &ref, &assigned, &sealed)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotAllowed
		}
		if err != nil {
			return fmt.Errorf("read report: %w", err)
		}
		switch {
		case p == nil || !Handles(p, team):
			return ErrNotAllowed
		case mode == Open:
			return ErrRaisedOpenly
		case mode == Anonymous:
			return ErrRaisedAnonymously
		case assigned != p.UserID:
			return ErrNotAssigned
		case !sealed.Valid:
			return fmt.Errorf("confidential report %d holds no sealed identity", reportID)
		}
		if n := utf8.RuneCountInString(reason); n < MinRevealReason || n > MaxRevealReason {
			return fieldError("reason", fmt.Sprintf("Give the reason you need to know who raised this, in %d to %d characters", MinRevealReason, MaxRevealReason))
		}
		b, err := s.Keys.Open(sealed.String, []byte("report:"+ref+":reporter"))
		if err != nil {
			return fmt.Errorf("open reporter identity: %w", err)
		}
		var sr sealedReporter
		if err := json.Unmarshal(b, &sr); err != nil {
			return fmt.Errorf("read reporter identity: %w", err)
		}
		// The reason is kept as an internal note, where the team handling
		// the report can see who looked and why (reasonKept).
		noteID, err := addNote(ctx, tx, reportID, p.UserID, team, "Revealed who raised this report. Reason: "+reason, s.Now())
		if err != nil {
			return fmt.Errorf("reveal: %w", err)
		}
		who = Identity{UserID: sr.UserID, Name: sr.Name, Email: sr.Email}
		return audit.Record(ctx, tx, s.Now(), handlerActor(p), "report.reveal_identity", "report", id(reportID), s.reasonKept("internal note", noteID, reason))
	})
	if err != nil {
		return Identity{}, err
	}
	return who, nil
}

// fillEarlierFeedback reads the answers r's reporter gave after earlier
// closings: every answer in the history but the one to the latest closing,
// which the report row holds.
func (s *Service) fillEarlierFeedback(ctx context.Context, r *row) error {
	rows, err := s.DB.QueryContext(ctx, `SELECT speak_up_again, detriment, given_at FROM report_feedback WHERE report_id = ? ORDER BY n`, r.ID)
	if err != nil {
		return fmt.Errorf("read feedback: %w", err)
	}
	defer rows.Close()
	var all []FeedbackAnswer
	for rows.Next() {
		var a FeedbackAnswer
		var at store.Time
		if err := rows.Scan(&a.SpeakUpAgain, &a.Detriment, &at); err != nil {
			return fmt.Errorf("read feedback: %w", err)
		}
		a.GivenAt = at.Time
		all = append(all, a)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read feedback: %w", err)
	}
	if !r.FeedbackAt.IsZero() && len(all) > 0 {
		all = all[:len(all)-1]
	}
	r.EarlierFeedback = all
	return nil
}

// fillRedactions reads what has been redacted from r, by whom, when and
// why, leaving out redactions in notes the viewer's team cannot read
// (visible maps the ids of the messages they can). Who redacted and why
// stay with the team that did it, as its notes do, when the report has
// been passed on since.
func (s *Service) fillRedactions(ctx context.Context, r *row, visible map[int64]int) error {
	rows, err := s.DB.QueryContext(ctx, `SELECT x.field, u.name, x.created_at, x.reason, COALESCE(x.team, '')
		FROM report_redactions x JOIN users u ON u.id = x.user_id WHERE x.report_id = ? ORDER BY x.id`, r.ID)
	if err != nil {
		return fmt.Errorf("read redactions: %w", err)
	}
	defer rows.Close()
	r.RedactionLog = nil
	for rows.Next() {
		var x Redaction
		var field, team string
		var at store.Time
		if err := rows.Scan(&field, &x.By, &at, &x.Reason, &team); err != nil {
			return fmt.Errorf("read redactions: %w", err)
		}
		x.At = at.Time
		if team != "" && Team(team) != r.Team {
			x.By, x.Reason, x.OtherTeam = "", "", true
		}
		x.Field = field
		if m, ok := strings.CutPrefix(field, "message:"); ok {
			x.Field = "message"
			x.MessageID, _ = strconv.ParseInt(m, 10, 64)
			if _, seen := visible[x.MessageID]; !seen {
				continue
			}
		}
		r.RedactionLog = append(r.RedactionLog, x)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read redactions: %w", err)
	}
	r.Redactions = len(r.RedactionLog)
	return nil
}
