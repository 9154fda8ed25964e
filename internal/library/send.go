package library

import (
	"context"
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

// MarkRead records that p has read a published lesson. Marking it again
// keeps the first time.
func (s *Service) MarkRead(ctx context.Context, p *authz.Principal, id int64) error {
	if p == nil {
		return ErrNotAllowed
	}
	l, err := s.load(ctx, s.DB, id)
	if err != nil {
		return err
	}
	if l.Status != Published {
		if IsAuthor(p) {
			return validate.Errors{{Field: "lesson", Message: "This lesson is a draft: publish it before anyone marks it as read"}}
		}
		return notFound(id)
	}
	_, err = s.DB.ExecContext(ctx, `INSERT INTO lesson_reads (lesson_id, user_id, read_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		id, p.UserID, store.T(s.Now()))
	if err != nil {
		return fmt.Errorf("mark lesson read: %w", err)
	}
	return nil
}

// SendInput chooses who a lesson goes to.
type SendInput struct {
	DepartmentIDs []int64
	StaffGroups   []string
}

// SendResult says how many people a lesson was sent to.
type SendResult struct {
	// Added is how many people it was sent to now.
	Added int
	// Already is how many of those chosen had been sent it before.
	Already int
}

// Send sends a published lesson to everyone with an account whose person in
// the directory works in one of the departments or is in one of the staff
// groups, and has not left. Each new recipient gets a notice. People who
// were sent it before are not sent it again.
func (s *Service) Send(ctx context.Context, p *authz.Principal, id int64, in SendInput) (SendResult, error) {
	if !IsAuthor(p) {
		return SendResult{}, ErrNotAllowed
	}
	l, err := s.load(ctx, s.DB, id)
	if err != nil {
		return SendResult{}, err
	}
	var errs validate.Errors
	if l.Status != Published {
		errs.Add("departments", "Publish the lesson before you send it")
		return SendResult{}, errs
	}
	if len(in.DepartmentIDs) == 0 && len(in.StaffGroups) == 0 {
		errs.Add("departments", "Choose at least one department or staff group to send the lesson to")
		return SendResult{}, errs
	}
	tags := Input{DepartmentIDs: in.DepartmentIDs, StaffGroups: in.StaffGroups}
	_, _, terrs := s.clean(ctx, s.DB, tags)
	for _, e := range terrs {
		if e.Field == "departments" || e.Field == "staff_groups" {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return SendResult{}, errs
	}
	now := s.Now()
	today := now.Format(store.DateLayout)
	var where []string
	args := []any{today}
	if len(in.DepartmentIDs) > 0 {
		where = append(where, "pe.department_id IN ("+placeholders(len(in.DepartmentIDs))+")")
		for _, d := range in.DepartmentIDs {
			args = append(args, d)
		}
	}
	if len(in.StaffGroups) > 0 {
		where = append(where, "pe.staff_group IN ("+placeholders(len(in.StaffGroups))+")")
		for _, g := range in.StaffGroups {
			args = append(args, g)
		}
	}
	var res SendResult
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT u.id FROM users u JOIN people pe ON pe.id = u.person_id
			WHERE u.disabled = FALSE AND (pe.leave_date IS NULL OR pe.leave_date > ?) AND (`+strings.Join(where, " OR ")+`)
			ORDER BY u.id`, args...)
		if err != nil {
			return fmt.Errorf("find lesson recipients: %w", err)
		}
		var users []int64
		for rows.Next() {
			var u int64
			if err := rows.Scan(&u); err != nil {
				rows.Close()
				return fmt.Errorf("find lesson recipients: %w", err)
			}
			users = append(users, u)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("find lesson recipients: %w", err)
		}
		if len(users) == 0 {
			return validate.Errors{{Field: "departments",
				Message: "Nobody with a candour account works in those departments or staff groups: choose others, or link people's accounts to the directory first"}}
		}
		for _, u := range users {
			r, err := tx.ExecContext(ctx, `INSERT INTO lesson_recipients (lesson_id, user_id, sent_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
				id, u, store.T(now))
			if err != nil {
				return fmt.Errorf("send lesson: %w", err)
			}
			if n, _ := r.RowsAffected(); n == 0 {
				res.Already++
				continue
			}
			res.Added++
			err = notify.Notify(ctx, tx, now, notify.Notice{UserID: u, Link: "/library/" + idText(id),
				Body: noticeText(l.Title)})
			if err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, userActor(p), "lesson.send", "lesson", idText(id),
			fmt.Sprintf("sent to %d people (%d already had it)", res.Added, res.Already))
	})
	return res, err
}

func noticeText(title string) string {
	const max = 200
	if r := []rune(title); len(r) > max {
		title = string(r[:max-1]) + "…"
	}
	return "A lesson has been shared with you: " + title + ". Read it and mark it as read."
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// Reader is one person a lesson was sent to, or who read it unasked.
type Reader struct {
	UserID     int64
	Name       string
	Email      string
	Department string
	SentAt     time.Time
	ReadAt     time.Time
}

// Read reports whether they have read it.
func (r Reader) Read() bool { return !r.ReadAt.IsZero() }

// Reads is who a lesson was sent to and who has read it.
type Reads struct {
	Lesson Lesson
	// Sent is how many people it was sent to; SentRead how many of them
	// have read it.
	Sent, SentRead int
	// Readers is how many people read it in all, sent it or not.
	Readers int
	// People are the recipients (unread first) then the other readers.
	People []Reader
}

// Reads returns who a lesson was sent to and who has read it, for authors.
func (s *Service) Reads(ctx context.Context, p *authz.Principal, id int64) (Reads, error) {
	if !IsAuthor(p) {
		return Reads{}, ErrNotAllowed
	}
	l, err := s.load(ctx, s.DB, id)
	if err != nil {
		return Reads{}, err
	}
	out := Reads{Lesson: l}
	rows, err := s.DB.QueryContext(ctx, `SELECT u.id, u.name, u.email, COALESCE(d.name, ''), rc.sent_at, rd.read_at
		FROM users u
		LEFT JOIN lesson_recipients rc ON rc.user_id = u.id AND rc.lesson_id = ?
		LEFT JOIN lesson_reads rd ON rd.user_id = u.id AND rd.lesson_id = ?
		LEFT JOIN people pe ON pe.id = u.person_id
		LEFT JOIN departments d ON d.id = pe.department_id
		WHERE rc.user_id IS NOT NULL OR rd.user_id IS NOT NULL
		ORDER BY CASE WHEN rc.user_id IS NULL THEN 2 WHEN rd.user_id IS NULL THEN 0 ELSE 1 END, u.name, u.id`, id, id)
	if err != nil {
		return Reads{}, fmt.Errorf("read lesson receipts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Reader
		var sent, read store.Time
		if err := rows.Scan(&r.UserID, &r.Name, &r.Email, &r.Department, &sent, &read); err != nil {
			return Reads{}, fmt.Errorf("read lesson receipts: %w", err)
		}
		r.SentAt, r.ReadAt = sent.Time, read.Time
		if !r.SentAt.IsZero() {
			out.Sent++
			if r.Read() {
				out.SentRead++
			}
		}
		if r.Read() {
			out.Readers++
		}
		out.People = append(out.People, r)
	}
	if err := rows.Err(); err != nil {
		return Reads{}, fmt.Errorf("read lesson receipts: %w", err)
	}
	return out, nil
}

// IsNotFound reports whether err means the lesson does not exist or may not
// be seen.
func IsNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
