package learning

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/store"
)

const responseColumns = `lr.id, lr.reference, lr.method, lr.title, lr.status, COALESCE(lr.owner_user_id, 0), COALESCE(ou.name, ''),
	lr.record, COALESCE(lr.target_date, ''), COALESCE(lr.alert_date, ''), lr.timescale_agreed, COALESCE(lr.signed_off_by, 0),
	COALESCE(su.name, ''), lr.signed_off_at, lr.sign_off_note, lr.created_by, lr.created_at, lr.updated_at, lr.closed_at`

const responseFrom = ` FROM learning_responses lr
	LEFT JOIN users ou ON ou.id = lr.owner_user_id
	LEFT JOIN users su ON su.id = lr.signed_off_by`

func scanResponse(sc interface{ Scan(...any) error }) (Response, error) {
	var r Response
	var rec string
	var signed, created, updated, closed store.Time
	err := sc.Scan(&r.ID, &r.Reference, &r.Method, &r.Title, &r.Status, &r.OwnerUserID, &r.OwnerName,
		&rec, &r.TargetDate, &r.AlertDate, &r.Record.TimescaleAgreed, &r.SignedOffBy,
		&r.SignedOffName, &signed, &r.SignOffNote, &r.CreatedBy, &created, &updated, &closed)
	if err != nil {
		return r, err
	}
	ta := r.Record.TimescaleAgreed
	if err := json.Unmarshal([]byte(rec), &r.Record); err != nil {
		return r, fmt.Errorf("read record of %s: %w", r.Reference, err)
	}
	r.Record.TimescaleAgreed, r.Record.TargetDate = ta, r.TargetDate
	r.SignedOffAt, r.CreatedAt, r.UpdatedAt, r.ClosedAt = signed.Time, created.Time, updated.Time, closed.Time
	return r, nil
}

// load reads one response with its events and participants, without
// access checks or auditing.
func (s *Service) load(ctx context.Context, q store.Querier, id int64) (Response, error) {
	r, err := scanResponse(q.QueryRowContext(ctx, `SELECT `+responseColumns+responseFrom+` WHERE lr.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Response{}, ErrNotAllowed
	}
	if err != nil {
		return Response{}, fmt.Errorf("read learning response %d: %w", id, err)
	}
	rs := []Response{r}
	if err := s.fillEvents(ctx, q, rs); err != nil {
		return Response{}, err
	}
	r = rs[0]
	rows, err := q.QueryContext(ctx, `SELECT lp.name, lp.role, COALESCE(lp.user_id, 0), COALESCE(u.email, '') FROM learning_participants lp
		LEFT JOIN users u ON u.id = lp.user_id WHERE lp.response_id = ? ORDER BY lp.name, lp.role`, id)
	if err != nil {
		return Response{}, fmt.Errorf("read participants: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pt Participant
		if err := rows.Scan(&pt.Name, &pt.Role, &pt.UserID, &pt.Email); err != nil {
			return Response{}, fmt.Errorf("read participants: %w", err)
		}
		r.Participants = append(r.Participants, pt)
	}
	r.Record.Participants = r.Participants
	return r, rows.Err()
}

// fillEvents adds each response's events, earliest first.
func (s *Service) fillEvents(ctx context.Context, q store.Querier, rs []Response) error {
	if len(rs) == 0 {
		return nil
	}
	at := map[int64]int{}
	args := make([]any, len(rs))
	for i, r := range rs {
		at[r.ID] = i
		args[i] = r.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT lrr.response_id, r.id, r.reference, COALESCE(r.occurred_on, ''), COALESCE(r.occurred_time, ''),
		COALESCE(d.name, ''), COALESCE(r.event_type, '')
		FROM learning_response_reports lrr JOIN reports r ON r.id = lrr.report_id LEFT JOIN departments d ON d.id = r.department_id
		WHERE lrr.response_id IN (`+placeholders(len(args))+`) ORDER BY r.occurred_on, r.occurred_time, r.id`, args...)
	if err != nil {
		return fmt.Errorf("read events of learning responses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var rid int64
		var e Event
		if err := rows.Scan(&rid, &e.ID, &e.Reference, &e.OccurredOn, &e.OccurredTime, &e.Department, &e.EventType); err != nil {
			return fmt.Errorf("read events of learning responses: %w", err)
		}
		rs[at[rid]].Events = append(rs[at[rid]].Events, e)
	}
	return rows.Err()
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// mayRead reports whether p may read r: the patient safety team, the owner
// and participants who are candour users.
func mayRead(p *authz.Principal, r Response) bool {
	if p == nil {
		return false
	}
	if p.Has(authz.Safety) || r.OwnerUserID == p.UserID {
		return true
	}
	return slices.ContainsFunc(r.Participants, func(pt Participant) bool { return pt.UserID != 0 && pt.UserID == p.UserID })
}

// mayChange reports whether p may change responses: the patient safety team.
func mayChange(p *authz.Principal) bool { return p != nil && p.Has(authz.Safety) }

// Get returns a response with its engagement log, duty of candour and
// timeline for someone who may read it, and audits the read.
func (s *Service) Get(ctx context.Context, p *authz.Principal, id int64) (Response, error) {
	r, err := s.load(ctx, s.DB, id)
	if err != nil {
		return Response{}, err
	}
	if !mayRead(p, r) {
		return Response{}, ErrNotAllowed
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT e.id, e.who, e.relationship, e.contacted_on, e.how, e.questions, e.told, COALESCE(u.name, ''), e.created_at
		FROM engagements e LEFT JOIN users u ON u.id = e.recorded_by WHERE e.response_id = ? ORDER BY e.contacted_on, e.id`, id)
	if err != nil {
		return Response{}, fmt.Errorf("read engagements: %w", err)
	}
	for rows.Next() {
		var e Engagement
		var who string
		var at store.Time
		if err := rows.Scan(&e.ID, &who, &e.Relationship, &e.ContactedOn, &e.How, &e.Questions, &e.Told, &e.RecordedByName, &at); err != nil {
			rows.Close()
			return Response{}, fmt.Errorf("read engagements: %w", err)
		}
		e.Group, e.Name = splitWho(who)
		e.CreatedAt = at.Time
		r.Engagements = append(r.Engagements, e)
	}
	rows.Close()
	var d DutyOfCandour
	var at store.Time
	err = s.DB.QueryRowContext(ctx, `SELECT c.notifiable, COALESCE(c.notified_on, ''), c.apology_given, COALESCE(c.written_follow_up, ''), c.notes,
		COALESCE(u.name, ''), c.updated_at FROM duty_of_candour c LEFT JOIN users u ON u.id = c.updated_by WHERE c.response_id = ?`, id).
		Scan(&d.Notifiable, &d.NotifiedOn, &d.ApologyGiven, &d.WrittenFollowUp, &d.Notes, &d.UpdatedByName, &at)
	switch {
	case err == nil:
		d.UpdatedAt = at.Time
		r.Candour = &d
	case !errors.Is(err, sql.ErrNoRows):
		return Response{}, fmt.Errorf("read duty of candour: %w", err)
	}
	entries, _, err := audit.List(ctx, s.DB, audit.Filter{Entity: "learning_response", EntityID: idText(id), Limit: 200})
	if err != nil {
		return Response{}, err
	}
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if label := actionLabel(e.Action); label != "" {
			r.Timeline = append(r.Timeline, TimelineEntry{At: e.At, Actor: e.Actor.Label, Action: label, Detail: e.Detail})
		}
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, s.Now(), actorOf(p), "learning.read", "learning_response", idText(id), "")
	})
	return r, err
}

// actionLabel describes an audited change for the timeline; reads are left
// out.
func actionLabel(action string) string {
	switch action {
	case "learning.open":
		return "Opened"
	case "learning.record":
		return "Record updated"
	case "learning.status":
		return "Status changed"
	case "learning.engagement":
		return "Engagement recorded"
	case "learning.duty_of_candour":
		return "Duty of candour updated"
	case "learning.sign_off":
		return "Signed off and closed"
	}
	return ""
}

// splitWho reads the engagements.who column: "family:Jane Doe" is a family
// member called Jane Doe.
func splitWho(who string) (group, name string) {
	if g, n, ok := strings.Cut(who, ":"); ok && validOption(Relationships(), g) {
		return g, n
	}
	return "", who
}

// Filter narrows a list of responses.
type Filter struct {
	Status Status
	Method Method
}

// List returns the responses p may read, newest first: every response for
// the patient safety team, and for anyone else the ones they own or take
// part in. The list is audited.
func (s *Service) List(ctx context.Context, p *authz.Principal, f Filter) ([]Response, error) {
	if p == nil {
		return nil, ErrNotAllowed
	}
	var where []string
	var args []any
	if !p.Has(authz.Safety) {
		where = append(where, `(lr.owner_user_id = ? OR lr.id IN (SELECT response_id FROM learning_participants WHERE user_id = ?))`)
		args = append(args, p.UserID, p.UserID)
	}
	if f.Status != "" {
		where, args = append(where, `lr.status = ?`), append(args, string(f.Status))
	}
	if f.Method != "" {
		where, args = append(where, `lr.method = ?`), append(args, string(f.Method))
	}
	q := `SELECT ` + responseColumns + responseFrom
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	rows, err := s.DB.QueryContext(ctx, q+` ORDER BY lr.created_at DESC, lr.id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("list learning responses: %w", err)
	}
	var out []Response
	for rows.Next() {
		r, err := scanResponse(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("list learning responses: %w", err)
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list learning responses: %w", err)
	}
	if err := s.fillEvents(ctx, s.DB, out); err != nil {
		return nil, err
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, s.Now(), actorOf(p), "learning.list", "learning_response", "",
			strings.TrimSpace("status="+string(f.Status)+" method="+string(f.Method)))
	})
	return out, err
}

// Person is a candour user who can own or sign off a response.
type Person struct {
	UserID      int64
	Name, Email string
}

// Owners lists the active members of the patient safety team, who may own
// and sign off responses.
func (s *Service) Owners(ctx context.Context) ([]Person, error) {
	return owners(ctx, s.DB)
}

func owners(ctx context.Context, q store.Querier) ([]Person, error) {
	rows, err := q.QueryContext(ctx, `SELECT u.id, u.name, u.email FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE ur.role = ? AND u.disabled = FALSE ORDER BY u.name, u.id`, string(authz.Safety))
	if err != nil {
		return nil, fmt.Errorf("list patient safety team: %w", err)
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		var p Person
		if err := rows.Scan(&p.UserID, &p.Name, &p.Email); err != nil {
			return nil, fmt.Errorf("list patient safety team: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
