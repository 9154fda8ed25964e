package report

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"candour/internal/authz"
	"candour/internal/store"
)

// Summary is a report as a queue lists it: no narrative beyond a snippet for
// handlers, and nothing about the reporter.
type Summary struct {
	ID             int64
	Reference      string
	Kind           Kind
	Mode           Mode
	Team           Team
	Status         Status
	EventType      string
	PhysicalHarm   string
	PsychHarm      string
	Elements       []string
	DepartmentName string
	SiteName       string
	ReceivedOn     string
	AckDueOn       string
	FeedbackDueOn  string
	Acknowledged   bool
	AssignedName   string
	Snippet        string
	// FeedbackWanted is set in "my reports" when the report is closed and
	// the reporter has not yet said whether they would speak up again.
	FeedbackWanted bool
	// AwaitingReply is set in a handler's queue when the last message in
	// the conversation with the person who raised the report is theirs:
	// they asked or told the team something, and nobody has answered yet.
	AwaitingReply bool
}

// Overdue reports which deadline has passed on today's date, if any.
func (s Summary) Overdue(today string) string {
	switch {
	case s.Status == Closed:
		return ""
	case !s.Acknowledged && s.AckDueOn < today:
		return "acknowledgement"
	case s.FeedbackDueOn < today:
		return "feedback"
	}
	return ""
}

// QueueQuery filters a handler's queue.
type QueueQuery struct {
	Team         Team   // empty: every team the handler works in
	Status       Status // empty: every status but closed; "all" for all
	SiteID       int64
	DepartmentID int64
	AssignedToMe bool
	// Overdue keeps only open reports past a deadline: not acknowledged
	// by its date, or no feedback by its date.
	Overdue bool
	// AwaitingReply keeps only reports whose reporter sent the last
	// message in their conversation with the team (Summary.AwaitingReply).
	AwaitingReply bool
	// Reference keeps only the report with this reference (written as
	// NormalReference accepts it).
	Reference string
	After     string // cursor
	Limit     int
}

// lastMessageFromReporter is true for a report (r) whose last message that
// the reporter can see (every message but the team's internal notes), and
// that is not one candour wrote itself (addAutomaticMessage), came from the
// reporter; Report.AwaitingReply says the same of a report read
// in full. It is worked out, not stored: the team owes a reply until one
// is sent, whoever on the team has read the message. The index on
// report_messages (report_id, id) finds it in one step.
const lastMessageFromReporter = `COALESCE((SELECT m.from_reporter FROM report_messages m
		WHERE m.report_id = r.id AND m.internal = FALSE AND (m.from_reporter = TRUE OR m.author_user_id IS NOT NULL)
		ORDER BY m.id DESC LIMIT 1), FALSE)`

// Queue lists the reports in the handler's teams, oldest first within each
// status so that nothing waits at the bottom.
func (s *Service) Queue(ctx context.Context, p *authz.Principal, q QueueQuery) ([]Summary, string, error) {
	teams := TeamsOf(p)
	if q.Team != "" {
		if !Handles(p, q.Team) {
			return nil, "", ErrNotAllowed
		}
		teams = []Team{q.Team}
	}
	if len(teams) == 0 {
		return nil, "", ErrNotAllowed
	}
	var where []string
	var args []any
	ph := make([]string, len(teams))
	for i, t := range teams {
		ph[i] = "?"
		args = append(args, string(t))
	}
	where = append(where, "r.team IN ("+strings.Join(ph, ",")+")")
	switch q.Status {
	case "":
		where = append(where, "r.status <> 'closed'")
	case "all":
	default:
		where, args = append(where, "r.status = ?"), append(args, string(q.Status))
	}
	if q.DepartmentID != 0 {
		where, args = append(where, "r.department_id = ?"), append(args, q.DepartmentID)
	}
	if q.SiteID != 0 {
		where, args = append(where, "d.site_id = ?"), append(args, q.SiteID)
	}
	if q.AssignedToMe {
		where, args = append(where, "r.assigned_user_id = ?"), append(args, p.UserID)
	}
	if q.Overdue {
		today := s.Today()
		where = append(where, "r.status <> 'closed' AND ((r.acknowledged_at IS NULL AND r.ack_due_on < ?) OR r.feedback_due_on < ?)")
		args = append(args, today, today)
	}
	if q.AwaitingReply {
		where = append(where, lastMessageFromReporter+" = TRUE")
	}
	if q.Reference != "" {
		ref, ok, checkFailed := NormalReference(q.Reference)
		switch {
		case checkFailed:
			return nil, "", fieldError("reference", ReferenceCheckFailed)
		case !ok:
			return nil, "", fieldError("reference", ReferenceFormat)
		}
		where, args = append(where, "r.reference = ?"), append(args, ref)
	}
	if q.After != "" {
		n, err := strconv.ParseInt(strings.TrimPrefix(q.After, "r"), 10, 64)
		if err != nil || !strings.HasPrefix(q.After, "r") {
			return nil, "", fieldError("after", "The page link is not valid; start from the first page")
		}
		where, args = append(where, "r.id > ?"), append(args, n)
	}
	limit := q.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT r.id, r.reference, r.kind, r.mode, r.team, r.status, COALESCE(r.event_type, ''),
		COALESCE(r.physical_harm, ''), COALESCE(r.psychological_harm, ''), r.elements, COALESCE(d.name, ''), COALESCE(s.name, ''),
		r.received_on, r.ack_due_on, r.feedback_due_on, r.acknowledged_at IS NOT NULL, COALESCE(au.name, ''), substr(r.description, 1, 140),
		`+lastMessageFromReporter+`
		FROM reports r LEFT JOIN departments d ON d.id = r.department_id LEFT JOIN sites s ON s.id = d.site_id
		LEFT JOIN users au ON au.id = r.assigned_user_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY r.id LIMIT ?`, append(args, limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("queue: %w", err)
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		var sm Summary
		var elements string
		if err := rows.Scan(&sm.ID, &sm.Reference, &sm.Kind, &sm.Mode, &sm.Team, &sm.Status, &sm.EventType, &sm.PhysicalHarm, &sm.PsychHarm,
			&elements, &sm.DepartmentName, &sm.SiteName, &sm.ReceivedOn, &sm.AckDueOn, &sm.FeedbackDueOn, &sm.Acknowledged, &sm.AssignedName, &sm.Snippet, &sm.AwaitingReply); err != nil {
			return nil, "", fmt.Errorf("queue: %w", err)
		}
		if elements != "" {
			sm.Elements = strings.Split(elements, ",")
		}
		out = append(out, sm)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("queue: %w", err)
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = "r" + strconv.FormatInt(out[limit-1].ID, 10)
	}
	return out, next, nil
}

// Today is the organisation's date today, as YYYY-MM-DD.
func (s *Service) Today() string { return s.today().Format(store.DateLayout) }

// handlersOf lists the active users who handle a team's reports.
func handlersOf(ctx context.Context, q store.Querier, t Team) ([]handler, error) {
	rows, err := q.QueryContext(ctx, `SELECT u.id, u.name, u.email FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE ur.role = ? AND u.disabled = FALSE ORDER BY u.id`, string(teamRole(t)))
	if err != nil {
		return nil, fmt.Errorf("list handlers: %w", err)
	}
	defer rows.Close()
	var out []handler
	for rows.Next() {
		var h handler
		if err := rows.Scan(&h.ID, &h.Name, &h.Email); err != nil {
			return nil, fmt.Errorf("list handlers: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

type handler struct {
	ID          int64
	Name, Email string
}

// Handler is someone a report can be assigned to.
type Handler struct {
	ID   int64
	Name string
}

// Assignees lists who report reportID can be assigned to (the active
// members of the team that has it), for one of that team: ErrNotAllowed
// for anyone else, as for the report itself.
func (s *Service) Assignees(ctx context.Context, p *authz.Principal, reportID int64) ([]Handler, error) {
	r, err := s.load(ctx, s.DB, reportID)
	if err != nil {
		return nil, err
	}
	if p == nil || !Handles(p, r.Team) {
		return nil, ErrNotAllowed
	}
	return s.Handlers(ctx, r.Team)
}

// Handlers lists who can be assigned a team's reports.
func (s *Service) Handlers(ctx context.Context, t Team) ([]Handler, error) {
	hs, err := handlersOf(ctx, s.DB, t)
	out := make([]Handler, len(hs))
	for i, h := range hs {
		out[i] = Handler{h.ID, h.Name}
	}
	return out, err
}

func dateText(t time.Time) string { return t.Format(store.DateLayout) }
