package casework

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"candour/internal/attach"
	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/validate"
)

// kindsFor is the entry kinds a caller with access a may add: the handler
// every kind a person adds, the manager meetings, updates and reasons for
// delay, the representative only their own notes, the employee none.
func kindsFor(a access) []Option {
	switch {
	case a.Handler:
		return EntryKinds()
	case a.Manager:
		var out []Option
		for _, o := range EntryKinds() {
			if o.Value == EntryMeeting || o.Value == EntryUpdate || o.Value == EntryDelay {
				out = append(out, o)
			}
		}
		return out
	case a.Rep:
		return []Option{{Value: EntryRepNote, Label: "Representative's note", Hint: "Seen by HR and the manager"}}
	}
	return nil
}

// EntryKindsFor lists the entry kinds p may add to the case: every kind for
// its handlers, meetings, updates and reasons for delay for its manager,
// and only notes for the representative.
func (s *Service) EntryKindsFor(ctx context.Context, p *authz.Principal, id int64) ([]Option, error) {
	a, err := s.accessTo(ctx, s.DB, p, id)
	if err != nil {
		return nil, err
	}
	return kindsFor(a), nil
}

// AddEntry adds a timeline entry. Union representatives may add only
// rep_note entries; managers meetings, updates and reasons for delay; HR
// every kind a person adds. An HR note is never shown to the employee.
// Field names: kind, occurred_on, title, body, visible_to_employee.
func (s *Service) AddEntry(ctx context.Context, p *authz.Principal, id int64, in EntryInput) (Entry, error) {
	var e Entry
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.accessTo(ctx, tx, p, id)
		if err != nil {
			return err
		}
		kinds := kindsFor(a)
		if len(kinds) == 0 {
			return ErrNotAllowed
		}
		if a.Status == Closed {
			return ErrClosed
		}
		var errs validate.Errors
		kind := strings.TrimSpace(in.Kind)
		switch {
		case validOption(kinds, kind):
		case a.Rep && !a.Handler && !a.Manager:
			errs.Add("kind", "As the representative you can add notes; HR and the manager add the other entries")
		default:
			errs.Add("kind", "Choose what kind of entry this is")
		}
		title := errs.Text("title", "The title", in.Title, false, maxShort)
		body := errs.Text("body", "What happened", in.Body, true, maxBody)
		var opened string
		if err := tx.QueryRowContext(ctx, `SELECT opened_on FROM cases WHERE id = ?`, id).Scan(&opened); err != nil {
			return fmt.Errorf("casework: read case: %w", err)
		}
		today := s.today()
		on := strings.TrimSpace(in.OccurredOn)
		d, ok := parseDate(on)
		switch {
		case on == "":
			errs.Add("occurred_on", "Enter the date it happened, for example "+dateText(today))
		case !ok:
			errs.Add("occurred_on", "Enter the date it happened as year, month and day, for example "+dateText(today))
		case d.After(today):
			errs.Add("occurred_on", "The date cannot be in the future")
		case dateText(d) < opened:
			errs.Add("occurred_on", "The date cannot be before the case was opened, on "+opened)
		}
		if kind == EntryNote && in.VisibleToEmployee {
			errs.Add("visible_to_employee", "An HR note is never shown to the employee. To share it, add it as an update given to the employee")
		}
		if len(errs) > 0 {
			return errs
		}
		now := s.Now()
		e = Entry{Kind: kind, OccurredOn: dateText(d), Title: title, Body: body, VisibleToEmployee: in.VisibleToEmployee, AuthorName: p.Name, CreatedAt: now}
		if err := tx.QueryRowContext(ctx, `INSERT INTO case_entries (case_id, kind, occurred_on, title, body, visible_to_employee, author_user_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, id, e.Kind, e.OccurredOn, e.Title, e.Body, e.VisibleToEmployee, p.UserID, store.T(now)).Scan(&e.ID); err != nil {
			return fmt.Errorf("casework: add entry: %w", err)
		}
		if err := s.tellAboutEntry(ctx, tx, p, a, e); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "case.entry.add", id, fmt.Sprintf("entry %d %s", e.ID, e.Kind))
	})
	if err != nil {
		return Entry{}, err
	}
	return e, nil
}

// tellAboutEntry lets the people who follow a case know that something was
// added for them: an entry shared with the employee reaches the employee
// (when they have access) and the representative they asked for, who
// receives the same updates; a representative's note reaches the HR
// adviser. Notices name the case reference only, never what was written.
func (s *Service) tellAboutEntry(ctx context.Context, tx *store.Tx, p *authz.Principal, a access, e Entry) error {
	link := "/cases/" + idText(a.CaseID)
	var to []int64
	text, subject := "", ""
	switch {
	case e.Kind == EntryRepNote:
		to = []int64{a.HRUserID}
		text, subject = fmt.Sprintf("Case %s: the representative added a note for HR.", a.Reference), "A note from the representative"
	case e.VisibleToEmployee:
		to = []int64{a.RepUserID}
		var userID sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT u.id FROM users u JOIN cases c ON c.person_id = u.person_id
			WHERE c.id = ? AND c.employee_access AND NOT u.disabled ORDER BY u.id LIMIT 1`, a.CaseID).Scan(&userID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("casework: find the employee's sign-in: %w", err)
		}
		to = append(to, userID.Int64)
		text, subject = fmt.Sprintf("Case %s: there is a new update on the case.", a.Reference), "A new update on a case"
	default:
		return nil
	}
	for _, uid := range distinctIDs(to...) {
		if uid == p.UserID {
			continue
		}
		if err := s.supportTellID(ctx, tx, uid, text, subject, link, true); err != nil {
			return err
		}
	}
	return nil
}

// entryFilter is the SQL condition on case_entries e for what a caller with
// access a sees: the employee only entries shared with them; the manager
// and the representative everything except HR's own notes; handlers all.
func entryFilter(a access) string {
	switch {
	case a.Handler:
		return "1 = 1"
	case a.Manager || a.Rep:
		return "e.kind <> '" + EntryNote + "'"
	}
	return "e.visible_to_employee = TRUE"
}

// Timeline lists a case's entries as the caller may see them, newest first
// (the employee sees only entries marked visible to them; the manager and
// the representative see all but HR's notes). The read is audited.
func (s *Service) Timeline(ctx context.Context, p *authz.Principal, id int64) ([]Entry, error) {
	var out []Entry
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.accessTo(ctx, tx, p, id)
		if err != nil {
			return err
		}
		filter := entryFilter(a)
		rows, err := tx.QueryContext(ctx, `SELECT e.id, e.kind, e.occurred_on, e.title, e.body, e.visible_to_employee, COALESCE(u.name, ''), e.created_at
			FROM case_entries e LEFT JOIN users u ON u.id = e.author_user_id
			WHERE e.case_id = ? AND `+filter+` ORDER BY e.occurred_on DESC, e.id DESC`, id)
		if err != nil {
			return fmt.Errorf("casework: read timeline: %w", err)
		}
		index := map[int64]int{}
		for rows.Next() {
			var e Entry
			var created store.Time
			if err := rows.Scan(&e.ID, &e.Kind, &e.OccurredOn, &e.Title, &e.Body, &e.VisibleToEmployee, &e.AuthorName, &created); err != nil {
				rows.Close()
				return fmt.Errorf("casework: read timeline: %w", err)
			}
			e.CreatedAt = created.Time
			index[e.ID] = len(out)
			out = append(out, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("casework: read timeline: %w", err)
		}
		docs, err := tx.QueryContext(ctx, `SELECT d.id, d.entry_id, d.filename, d.content_type, d.size, COALESCE(u.name, ''), d.created_at
			FROM case_documents d JOIN case_entries e ON e.id = d.entry_id LEFT JOIN users u ON u.id = d.uploaded_by
			WHERE d.case_id = ? AND `+filter+` ORDER BY d.id`, id)
		if err != nil {
			return fmt.Errorf("casework: read documents: %w", err)
		}
		defer docs.Close()
		for docs.Next() {
			var d Document
			var created store.Time
			if err := docs.Scan(&d.ID, &d.EntryID, &d.Filename, &d.ContentType, &d.Size, &d.UploadedBy, &created); err != nil {
				return fmt.Errorf("casework: read documents: %w", err)
			}
			d.CreatedAt = created.Time
			if i, ok := index[d.EntryID]; ok {
				out[i].Documents = append(out[i].Documents, d)
			}
		}
		if err := docs.Err(); err != nil {
			return fmt.Errorf("casework: read documents: %w", err)
		}
		return s.record(ctx, tx, p, "case.timeline.read", id, "")
	})
	return out, err
}

// AddDocument keeps a file with a case, checked and cleaned by attach
// (images lose their metadata; programs and unknown kinds are refused). It
// adds a "document" entry to the timeline, not shared with the employee.
// The case's handlers, manager and representative may add documents. Field
// name: document.
func (s *Service) AddDocument(ctx context.Context, p *authz.Principal, id int64, filename string, data []byte, maxBytes int64) (Document, error) {
	var d Document
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.accessTo(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if !a.SeesInternal() {
			return ErrNotAllowed
		}
		if a.Status == Closed {
			return ErrClosed
		}
		f, err := attach.Inspect(filename, data, maxBytes)
		if err != nil {
			if _, ok := errors.AsType[*attach.Error](err); ok {
				return validate.Errors{{Field: "document", Message: err.Error()}}
			}
			return fmt.Errorf("casework: inspect document: %w", err)
		}
		entryID, err := s.addSystemEntry(ctx, tx, p, id, EntryDocument, f.Filename, "", false)
		if err != nil {
			return err
		}
		now := s.Now()
		d = Document{EntryID: entryID, Filename: f.Filename, ContentType: f.ContentType, Size: int64(len(f.Data)), UploadedBy: p.Name, CreatedAt: now}
		if err := tx.QueryRowContext(ctx, `INSERT INTO case_documents (case_id, entry_id, filename, content_type, size, sha256, data, uploaded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, id, entryID, f.Filename, f.ContentType, d.Size, f.SHA256, f.Data, p.UserID, store.T(now)).Scan(&d.ID); err != nil {
			return fmt.Errorf("casework: store document: %w", err)
		}
		return s.record(ctx, tx, p, "case.document.add", id, fmt.Sprintf("document %d %s", d.ID, f.SHA256))
	})
	if err != nil {
		return Document{}, err
	}
	return d, nil
}

// Document reads a document the caller may see, with the same visibility
// as the timeline entry it belongs to; the read is audited.
func (s *Service) Document(ctx context.Context, p *authz.Principal, id, docID int64) (Document, []byte, error) {
	var d Document
	var data []byte
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.accessTo(ctx, tx, p, id)
		if err != nil {
			return err
		}
		var created store.Time
		err = tx.QueryRowContext(ctx, `SELECT d.id, COALESCE(d.entry_id, 0), d.filename, d.content_type, d.size, COALESCE(u.name, ''), d.created_at, d.data
			FROM case_documents d LEFT JOIN case_entries e ON e.id = d.entry_id LEFT JOIN users u ON u.id = d.uploaded_by
			WHERE d.id = ? AND d.case_id = ? AND `+entryFilter(a), docID, id).
			Scan(&d.ID, &d.EntryID, &d.Filename, &d.ContentType, &d.Size, &d.UploadedBy, &created, &data)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotAllowed
		}
		if err != nil {
			return fmt.Errorf("casework: read document: %w", err)
		}
		d.CreatedAt = created.Time
		return s.record(ctx, tx, p, "case.document.read", id, fmt.Sprintf("document %d", docID))
	})
	if err != nil {
		return Document{}, nil, err
	}
	return d, data, nil
}
