package learning

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/store"
)

// OpenInput opens a learning response.
type OpenInput struct {
	Method Method
	Title  string
	// ReportIDs and References name the safety events, by id or by
	// reference; both may be used.
	ReportIDs  []int64
	References []string
	// OwnerUserID is a member of the patient safety team; zero means the
	// person opening it.
	OwnerUserID int64
	// Record is an optional first version of the method's record.
	Record Record
	// Confirmed saves despite blame prompts.
	Confirmed bool
}

// Open opens a learning response on one or more safety events (a thematic
// review needs at least two). A PSII gets a target date three months ahead
// and an alert date at six months. Only the patient safety team may open
// one. It returns the blame prompts found in the text that was saved.
func (s *Service) Open(ctx context.Context, p *authz.Principal, in OpenInput) (Response, []Prompt, error) {
	if !mayChange(p) {
		return Response{}, nil, ErrNotAllowed
	}
	c := &checker{today: s.Today()}
	if !ValidMethod(in.Method) {
		c.errs.Add("method", "Choose a learning response method")
	}
	events, err := s.resolveEvents(ctx, s.DB, c, in.Method, in.ReportIDs, in.References)
	if err != nil {
		return Response{}, nil, err
	}
	if len(events) > 0 {
		c.ref = events[0].Reference
	}
	title := c.text("title", "The title", in.Title, true, maxTitle, true)
	owner := in.OwnerUserID
	if owner == 0 {
		owner = p.UserID
	}
	team, err := owners(ctx, s.DB)
	if err != nil {
		return Response{}, nil, err
	}
	if !slices.ContainsFunc(team, func(o Person) bool { return o.UserID == owner }) {
		c.errs.Add("owner", "Choose an owner from the patient safety team")
	}
	today := c.today
	var target, alert string
	if in.Method == PSII {
		d, _ := time.Parse(store.DateLayout, today)
		target, alert = d.AddDate(0, 3, 0).Format(store.DateLayout), d.AddDate(0, 6, 0).Format(store.DateLayout)
	}
	var rec Record
	if ValidMethod(in.Method) {
		rec = c.checkRecord(in.Method, in.Record, events, today, alert, func(ps []Participant) []Participant { return s.participants(ctx, c, ps) })
	}
	if rec.TargetDate != "" {
		target = rec.TargetDate
	}
	if err := c.finish(in.Confirmed); err != nil {
		return Response{}, nil, err
	}
	recJSON, err := json.Marshal(rec)
	if err != nil {
		return Response{}, nil, err
	}
	now := s.Now()
	var id int64
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		var targetArg, alertArg any
		if target != "" {
			targetArg, alertArg = target, alert
		}
		for attempt := 0; ; attempt++ {
			err := tx.QueryRowContext(ctx, `INSERT INTO learning_responses (reference, method, title, status, owner_user_id, record, target_date, alert_date,
				timescale_agreed, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				newReference(), string(in.Method), title, string(Open), owner, string(recJSON), targetArg, alertArg,
				rec.TimescaleAgreed, p.UserID, store.T(now), store.T(now)).Scan(&id)
			if err == nil {
				break
			}
			if !store.IsUniqueViolation(err) || attempt > 3 {
				return fmt.Errorf("store learning response: %w", err)
			}
		}
		refs := make([]string, len(events))
		for i, e := range events {
			refs[i] = e.Reference
			if _, err := tx.ExecContext(ctx, `INSERT INTO learning_response_reports (response_id, report_id) VALUES (?, ?)`, id, e.ID); err != nil {
				return fmt.Errorf("link events: %w", err)
			}
			// The event's own status says a learning response is under way,
			// which its reporter sees when following it up.
			if _, err := tx.ExecContext(ctx, `UPDATE reports SET status = 'learning_response', updated_at = ?,
				acknowledged_at = COALESCE(acknowledged_at, ?) WHERE id = ? AND status <> 'closed'`, store.T(now), store.T(now), e.ID); err != nil {
				return fmt.Errorf("mark events: %w", err)
			}
		}
		if err := saveParticipants(ctx, tx, id, rec.Participants); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, actorOf(p), "learning.open", "learning_response", idText(id),
			string(in.Method)+" on "+strings.Join(refs, ", "))
	})
	if err != nil {
		return Response{}, nil, err
	}
	r, err := s.load(ctx, s.DB, id)
	return r, c.prompts, err
}

// resolveEvents finds the safety events named by id or reference and
// checks there are enough for the method.
func (s *Service) resolveEvents(ctx context.Context, q store.Querier, c *checker, m Method, ids []int64, refs []string) ([]Event, error) {
	var out []Event
	seen := map[int64]bool{}
	add := func(where string, arg any, name string) error {
		var e Event
		var kind string
		var dup sql.NullString
		err := q.QueryRowContext(ctx, `SELECT r.id, r.reference, r.kind, COALESCE(r.occurred_on, ''), COALESCE(r.occurred_time, ''),
			COALESCE(d.name, ''), COALESCE(r.event_type, ''), o.reference
			FROM reports r LEFT JOIN departments d ON d.id = r.department_id LEFT JOIN reports o ON o.id = r.duplicate_of WHERE `+where, arg).
			Scan(&e.ID, &e.Reference, &kind, &e.OccurredOn, &e.OccurredTime, &e.Department, &e.EventType, &dup)
		switch {
		case errors.Is(err, sql.ErrNoRows) || (err == nil && kind != "safety_event"):
			c.errs.Add("reports", "No patient safety event has the reference "+name)
		case err != nil:
			return fmt.Errorf("find event: %w", err)
		case dup.Valid:
			c.errs.Add("reports", e.Reference+" was merged into "+dup.String+" as a duplicate; use "+dup.String+" instead")
		case !seen[e.ID]:
			seen[e.ID] = true
			out = append(out, e)
		}
		return nil
	}
	for _, id := range ids {
		if err := add(`r.id = ?`, id, fmt.Sprint(id)); err != nil {
			return nil, err
		}
	}
	for _, ref := range refs {
		ref = strings.ToUpper(strings.TrimSpace(strings.ToValidUTF8(ref, "")))
		if ref == "" {
			continue
		}
		if len(ref) > 40 {
			c.errs.Add("reports", "A reference looks like SE-004512-5")
			continue
		}
		if err := add(`r.reference = ?`, ref, ref); err != nil {
			return nil, err
		}
	}
	switch {
	case c.errs.Has("reports"):
	case len(out) > 50:
		c.errs.Add("reports", "A learning response covers at most 50 events")
	case m == Thematic && len(out) < 2:
		c.errs.Add("reports", "A thematic review looks across events: give the references of at least two patient safety events")
	case len(out) == 0:
		c.errs.Add("reports", "Give the reference of at least one patient safety event")
	}
	slices.SortStableFunc(out, func(a, b Event) int { return strings.Compare(a.OccurredOn+a.OccurredTime, b.OccurredOn+b.OccurredTime) })
	return out, nil
}

// participants checks participants, linking those with an email address to
// their candour account.
func (s *Service) participants(ctx context.Context, c *checker, in []Participant) []Participant {
	var out []Participant
	if len(in) > 100 {
		c.errs.Add("participants", "List at most 100 people")
		return nil
	}
	for _, pt := range in {
		email := strings.ToLower(strings.TrimSpace(strings.ToValidUTF8(pt.Email, "")))
		if pt.UserID != 0 || email != "" {
			var uid int64
			var name, mail string
			var disabled bool
			err := s.DB.QueryRowContext(ctx, `SELECT id, name, email, disabled FROM users WHERE id = ? OR email = ?`, pt.UserID, email).
				Scan(&uid, &name, &mail, &disabled)
			if err != nil || disabled {
				who := email
				if who == "" {
					who = "user " + idText(pt.UserID)
				}
				c.errs.Add("participants", "No active candour user is "+who+": leave the email address out for someone without an account")
				continue
			}
			pt.UserID, pt.Email = uid, mail
			if strings.TrimSpace(pt.Name) == "" {
				pt.Name = name
			}
		}
		pt.Name = c.text("participants", "Each person's name", pt.Name, true, maxShort, false)
		pt.Role = c.text("participants", "Each person's role", pt.Role, false, maxShort, false)
		if pt.Name != "" {
			out = append(out, pt)
		}
	}
	return out
}

func saveParticipants(ctx context.Context, tx *store.Tx, id int64, ps []Participant) error {
	if ps == nil {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM learning_participants WHERE response_id = ?`, id); err != nil {
		return fmt.Errorf("save participants: %w", err)
	}
	for _, pt := range ps {
		var uid any
		if pt.UserID != 0 {
			uid = pt.UserID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO learning_participants (response_id, name, role, user_id) VALUES (?, ?, ?, ?)`,
			id, pt.Name, pt.Role, uid); err != nil {
			return fmt.Errorf("save participants: %w", err)
		}
	}
	return nil
}

// change runs fn on a response in a transaction after checking that p is in
// the patient safety team and, unless afterClose, that the response is not
// closed; it touches the response and records the audit entry.
func (s *Service) change(ctx context.Context, p *authz.Principal, id int64, action string, afterClose bool, fn func(tx *store.Tx, r Response) (string, error)) error {
	if !mayChange(p) {
		return ErrNotAllowed
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		r, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.Status == Closed && !afterClose {
			return ErrClosed
		}
		detail, err := fn(tx, r)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE learning_responses SET updated_at = ? WHERE id = ?`, store.T(s.Now()), id); err != nil {
			return fmt.Errorf("touch learning response: %w", err)
		}
		return audit.Record(ctx, tx, s.Now(), actorOf(p), action, "learning_response", idText(id), detail)
	})
}

// RecordInput changes a response's record.
type RecordInput struct {
	// Record holds the method's fields. Participants nil keeps those
	// recorded; an empty list removes them.
	Record    Record
	Confirmed bool
}

// SaveRecord replaces the method's record. Saving the record of an open
// response moves it to in progress. It returns the blame prompts in the text
// that was saved.
func (s *Service) SaveRecord(ctx context.Context, p *authz.Principal, id int64, in RecordInput) ([]Prompt, error) {
	var prompts []Prompt
	err := s.change(ctx, p, id, "learning.record", false, func(tx *store.Tx, r Response) (string, error) {
		c := &checker{today: s.Today(), ref: r.FirstReference()}
		opened := r.CreatedAt.In(london()).Format(store.DateLayout)
		rec := c.checkRecord(r.Method, in.Record, r.Events, opened, r.AlertDate, func(ps []Participant) []Participant { return s.participants(ctx, c, ps) })
		if err := c.finish(in.Confirmed); err != nil {
			return "", err
		}
		prompts = c.prompts
		target := r.TargetDate
		if rec.TargetDate != "" {
			target = rec.TargetDate
		}
		var targetArg any
		if target != "" {
			targetArg = target
		}
		b, err := json.Marshal(rec)
		if err != nil {
			return "", err
		}
		status := r.Status
		if status == Open {
			status = InProgress
		}
		if _, err := tx.ExecContext(ctx, `UPDATE learning_responses SET record = ?, timescale_agreed = ?, target_date = ?, status = ? WHERE id = ?`,
			string(b), rec.TimescaleAgreed, targetArg, string(status), id); err != nil {
			return "", fmt.Errorf("save record: %w", err)
		}
		if err := saveParticipants(ctx, tx, id, rec.Participants); err != nil {
			return "", err
		}
		detail := ""
		if len(prompts) > 0 {
			detail = fmt.Sprintf("saved with %d blame prompts", len(prompts))
		}
		return detail, nil
	})
	return prompts, err
}

// SetStatus moves a response between open, in progress and awaiting
// sign-off. Awaiting sign-off needs a complete record (see Missing); closing
// needs SignOff.
func (s *Service) SetStatus(ctx context.Context, p *authz.Principal, id int64, st Status) error {
	switch {
	case st == Closed:
		return fieldError("status", "A learning response closes when a senior reviewer signs it off")
	case !ValidStatus(st):
		return fieldError("status", "Choose a status from the list")
	}
	return s.change(ctx, p, id, "learning.status", false, func(tx *store.Tx, r Response) (string, error) {
		if st == AwaitingSignOff {
			if errs := Missing(r.Method, r.Record); len(errs) > 0 {
				return "", errs
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE learning_responses SET status = ? WHERE id = ?`, string(st), id); err != nil {
			return "", fmt.Errorf("set status: %w", err)
		}
		return string(r.Status) + " -> " + string(st), nil
	})
}

// SignOff records a senior reviewer's sign-off with a note, which closes the
// response. The reviewer is a member of the patient safety team other than
// the owner, and the response must be awaiting sign-off.
func (s *Service) SignOff(ctx context.Context, p *authz.Principal, id int64, note string, confirmed bool) ([]Prompt, error) {
	var prompts []Prompt
	err := s.change(ctx, p, id, "learning.sign_off", false, func(tx *store.Tx, r Response) (string, error) {
		c := &checker{today: s.Today(), ref: r.FirstReference()}
		switch {
		case r.OwnerUserID == p.UserID:
			return "", fieldError("note", "You own this response, so you cannot sign it off: ask another senior reviewer in the patient safety team")
		case r.Status != AwaitingSignOff:
			return "", fieldError("note", "Mark the record as ready for sign-off before signing it off")
		}
		note = c.text("note", "The sign-off note", note, true, 5000, true)
		if err := c.finish(confirmed); err != nil {
			return "", err
		}
		prompts = c.prompts
		now := s.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE learning_responses SET status = ?, signed_off_by = ?, signed_off_at = ?, sign_off_note = ?, closed_at = ? WHERE id = ?`,
			string(Closed), p.UserID, store.T(now), note, store.T(now), id); err != nil {
			return "", fmt.Errorf("sign off: %w", err)
		}
		return "", nil
	})
	return prompts, err
}

// EngagementInput records one contact with someone affected.
type EngagementInput struct {
	// Group is patient, family, carer or staff.
	Group string
	// Name is the person's name or role.
	Name         string
	Relationship string
	// ContactedOn is "2006-01-02".
	ContactedOn string
	// How is in_person, phone, video, letter or email.
	How string
	// Questions are what they asked, in their words; never flagged.
	Questions string
	// Told is what they were told.
	Told      string
	Confirmed bool
}

// AddEngagement adds an entry to the engagement and involvement log. The log
// stays open after sign-off, since sharing the findings with those affected
// often comes last. It returns the new entry's id and the blame prompts in
// what they were told.
func (s *Service) AddEngagement(ctx context.Context, p *authz.Principal, id int64, in EngagementInput) (int64, []Prompt, error) {
	var prompts []Prompt
	var eid int64
	err := s.change(ctx, p, id, "learning.engagement", true, func(tx *store.Tx, r Response) (string, error) {
		c := &checker{today: s.Today(), ref: r.FirstReference()}
		if !validOption(Relationships(), in.Group) {
			c.errs.Add("who", "Choose whether they are the patient, a family member, a carer or a member of staff")
		}
		name := c.text("name", "Their name or role", in.Name, true, maxShort, false)
		rel := c.text("relationship", "Their relationship to the event", in.Relationship, false, maxShort, false)
		on, _ := earliest(r.Events)
		date := c.date("contacted_on", "The date they were contacted", in.ContactedOn, true, on, "the day of the event")
		if !validOption(ContactMethods(), in.How) {
			c.errs.Add("how", "Choose how they were contacted")
		}
		questions := c.errs.Text("questions", "What they asked", in.Questions, false, maxText)
		told := c.text("told", "What they were told", in.Told, false, maxText, true)
		if err := c.finish(in.Confirmed); err != nil {
			return "", err
		}
		prompts = c.prompts
		if err := tx.QueryRowContext(ctx, `INSERT INTO engagements (response_id, who, relationship, contacted_on, how, questions, told, recorded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, id, in.Group+":"+name, rel, date, in.How, questions, told, p.UserID, store.T(s.Now())).Scan(&eid); err != nil {
			return "", fmt.Errorf("store engagement: %w", err)
		}
		return in.Group + " by " + in.How + " on " + date, nil
	})
	return eid, prompts, err
}

// CandourInput records the duty of candour.
type CandourInput struct {
	// Notifiable is required: nil means the question was not answered.
	Notifiable   *bool
	NotifiedOn   string
	ApologyGiven bool
	// WrittenFollowUp is the date of the written follow-up.
	WrittenFollowUp string
	Notes           string
}

// SetDutyOfCandour records whether the incident is notifiable and, if so,
// when the patient or family were told, whether an apology was given and
// when the written follow-up went. Dates cannot be in the future, the
// notification cannot be before the event, nor the follow-up before the
// notification. It stays open after sign-off.
func (s *Service) SetDutyOfCandour(ctx context.Context, p *authz.Principal, id int64, in CandourInput) error {
	return s.change(ctx, p, id, "learning.duty_of_candour", true, func(tx *store.Tx, r Response) (string, error) {
		c := &checker{today: s.Today(), ref: r.FirstReference()}
		if in.Notifiable == nil {
			c.errs.Add("notifiable", "Say whether this is a notifiable safety incident")
		}
		notifiable := in.Notifiable != nil && *in.Notifiable
		on, _ := earliest(r.Events)
		notified := c.date("notified_on", "The date of notification", in.NotifiedOn, false, on, "the day of the event")
		after, what := on, "the day of the event"
		if notified != "" && !c.errs.Has("notified_on") {
			after, what = notified, "the date of notification"
		}
		followUp := c.date("written_follow_up", "The date of the written follow-up", in.WrittenFollowUp, false, after, what)
		if in.Notifiable != nil && !notifiable {
			if notified != "" {
				c.errs.Add("notified_on", "Leave the date of notification empty: the incident is not notifiable")
			}
			if followUp != "" {
				c.errs.Add("written_follow_up", "Leave the date of the written follow-up empty: the incident is not notifiable")
			}
		}
		if followUp != "" && notified == "" && notifiable && !c.errs.Has("notified_on") {
			c.errs.Add("notified_on", "Enter the date of notification: the written follow-up comes after it")
		}
		notes := c.text("candour_notes", "The notes", in.Notes, false, 5000, false)
		if err := c.finish(true); err != nil {
			return "", err
		}
		var nOn, fu any
		if notified != "" {
			nOn = notified
		}
		if followUp != "" {
			fu = followUp
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO duty_of_candour (response_id, notifiable, notified_on, apology_given, written_follow_up, notes, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (response_id) DO UPDATE SET notifiable = excluded.notifiable, notified_on = excluded.notified_on,
			apology_given = excluded.apology_given, written_follow_up = excluded.written_follow_up, notes = excluded.notes,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			id, notifiable, nOn, in.ApologyGiven, fu, notes, p.UserID, store.T(s.Now())); err != nil {
			return "", fmt.Errorf("store duty of candour: %w", err)
		}
		return fmt.Sprintf("notifiable=%t apology=%t", notifiable, in.ApologyGiven), nil
	})
}
