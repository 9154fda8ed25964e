package library

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/validate"
)

// ErrNotAllowed means the caller may not do this. Lessons that do not exist
// and drafts the caller may not see are reported with an error wrapping
// store.ErrNotFound instead, so that probing ids reveals nothing.
var ErrNotAllowed = errors.New("library: not allowed")

// Service publishes lessons and finds similar events.
type Service struct {
	DB  *store.DB
	Now func() time.Time

	// Budget bounds how many events a similar-events query may match; see
	// similar.go. Zero means DefaultBudget.
	Budget int
	// NoThesaurus turns off the expansion of similar-events queries with
	// the clinical thesaurus (thesaurus.go), to measure what it adds.
	NoThesaurus bool

	// stats caches document frequencies; copies of a Service share it.
	stats *statsCache
}

// statsCache holds document frequencies for similar events.
type statsCache struct {
	mu    sync.Mutex
	df    map[string]dfEntry
	total dfEntry
}

// NewService returns a Service with the real clock.
func NewService(db *store.DB) *Service {
	return &Service{DB: db, Now: time.Now, stats: &statsCache{}}
}

// Status is where a lesson is in its life.
type Status string

// The statuses of a lesson.
const (
	Draft     Status = "draft"
	Published Status = "published"
)

// Theme is a tag for what a lesson is about.
type Theme struct{ Code, Label string }

// Themes lists the themes a lesson can be tagged with.
func Themes() []Theme {
	return []Theme{
		{"falls", "Falls"},
		{"medication", "Medication"},
		{"pressure_ulcers", "Pressure ulcers and skin care"},
		{"identification", "Patient identification"},
		{"deterioration", "Deterioration and sepsis"},
		{"equipment", "Equipment and devices"},
		{"staffing", "Staffing and workload"},
		{"communication", "Communication and handover"},
		{"infection", "Infection prevention"},
		{"maternity", "Maternity"},
		{"diagnosis", "Diagnosis and results"},
		{"discharge", "Discharge and transfer"},
		{"mental_health", "Mental health"},
		{"nutrition", "Nutrition and hydration"},
	}
}

// ThemeLabel is the label of a theme code, or the code itself.
func ThemeLabel(code string) string {
	for _, t := range Themes() {
		if t.Code == code {
			return t.Label
		}
	}
	return code
}

func validTheme(code string) bool {
	return slices.ContainsFunc(Themes(), func(t Theme) bool { return t.Code == code })
}

// Department is a department a lesson is tagged with.
type Department struct {
	ID   int64
	Name string
}

// StaffGroup is a staff group a lesson is tagged with.
type StaffGroup struct {
	Code string
	Name string
}

// Lesson is one lesson in the library.
type Lesson struct {
	ID      int64
	Title   string
	Summary string
	Body    string
	Themes  []string
	// ResponseID is the learning response the lesson comes from, or 0.
	ResponseID        int64
	ResponseReference string
	Status            Status
	CreatedBy         string
	CreatedAt         time.Time
	UpdatedAt         time.Time
	PublishedAt       time.Time
	PublishedBy       string
	Departments       []Department
	StaffGroups       []StaffGroup
	// ReadAt is when the caller marked the lesson as read, or zero.
	ReadAt time.Time
	// SentToYou says a lead sent this lesson to the caller.
	SentToYou bool
}

// Input is what an author writes.
type Input struct {
	Title   string
	Summary string
	Body    string
	Themes  []string
	// Response is the learning response's reference or id, or "".
	Response      string
	DepartmentIDs []int64
	StaffGroups   []string
}

// Limits on a lesson's text.
const (
	MaxTitle   = 150
	MaxSummary = 600
	MaxBody    = 20000
)

// IsAuthor reports whether p writes, publishes and sends lessons.
func IsAuthor(p *authz.Principal) bool { return p.Has(authz.Safety) }

func userActor(p *authz.Principal) audit.Actor { return audit.Actor{UserID: p.UserID, Label: p.Email} }

func idText(id int64) string { return strconv.FormatInt(id, 10) }

func notFound(id int64) error { return fmt.Errorf("lesson %d: %w", id, store.ErrNotFound) }

// clean checks in and returns it trimmed, with the linked response's id.
func (s *Service) clean(ctx context.Context, q store.Querier, in Input) (Input, int64, validate.Errors) {
	var errs validate.Errors
	in.Title = errs.Text("title", "Title", in.Title, true, MaxTitle)
	in.Summary = errs.Text("summary", "Summary", in.Summary, true, MaxSummary)
	in.Body = errs.Text("body", "What happened and what we learned", in.Body, true, MaxBody)
	var themes []string
	for _, t := range in.Themes {
		t = strings.TrimSpace(t)
		switch {
		case t == "":
		case !validTheme(t):
			if !errs.Has("themes") {
				errs.Add("themes", "Choose themes from the list")
			}
		case !slices.Contains(themes, t):
			themes = append(themes, t)
		}
	}
	if len(themes) == 0 && !errs.Has("themes") {
		errs.Add("themes", "Choose at least one theme, so that staff can find the lesson")
	}
	in.Themes = themes
	slices.Sort(in.DepartmentIDs)
	in.DepartmentIDs = slices.Compact(in.DepartmentIDs)
	for _, id := range in.DepartmentIDs {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM departments WHERE id = ?`, id).Scan(&n); err != nil || n == 0 {
			errs.Add("departments", "Choose departments from the list")
			break
		}
	}
	slices.Sort(in.StaffGroups)
	in.StaffGroups = slices.Compact(in.StaffGroups)
	for _, g := range in.StaffGroups {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM staff_groups WHERE code = ?`, g).Scan(&n); err != nil || n == 0 {
			errs.Add("staff_groups", "Choose staff groups from the list")
			break
		}
	}
	var responseID int64
	in.Response = strings.TrimSpace(in.Response)
	if in.Response != "" {
		id, err := findResponse(ctx, q, in.Response)
		switch {
		case errors.Is(err, store.ErrNotFound):
			errs.Add("response", "There is no learning response "+in.Response+": check the reference, or leave it blank")
		case err != nil:
			errs.Add("response", "The learning response could not be checked; try again")
		}
		responseID = id
	}
	return in, responseID, errs
}

// findResponse finds a learning response by reference or id.
func findResponse(ctx context.Context, q store.Querier, ref string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM learning_responses WHERE reference = ?`, ref).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		if n, perr := strconv.ParseInt(strings.TrimPrefix(ref, "#"), 10, 64); perr == nil && n > 0 {
			err = q.QueryRowContext(ctx, `SELECT id FROM learning_responses WHERE id = ?`, n).Scan(&id)
		}
	}
	return id, store.NotFound(err, "learning response")
}

// Create saves a new draft lesson.
func (s *Service) Create(ctx context.Context, p *authz.Principal, in Input) (Lesson, error) {
	if !IsAuthor(p) {
		return Lesson{}, ErrNotAllowed
	}
	in, responseID, errs := s.clean(ctx, s.DB, in)
	if len(errs) > 0 {
		return Lesson{}, errs
	}
	now := s.Now()
	var id int64
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO lessons (title, summary, body, themes, response_id, status, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.Title, in.Summary, in.Body, strings.Join(in.Themes, ","), nullID(responseID), string(Draft), p.UserID, store.T(now), store.T(now)).Scan(&id)
		if err != nil {
			return fmt.Errorf("save lesson: %w", err)
		}
		if err := saveTags(ctx, tx, id, in); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, userActor(p), "lesson.create", "lesson", idText(id), "")
	})
	if err != nil {
		return Lesson{}, err
	}
	return s.Get(ctx, p, id)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func saveTags(ctx context.Context, tx *store.Tx, id int64, in Input) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM lesson_departments WHERE lesson_id = ?`, id); err != nil {
		return fmt.Errorf("save lesson departments: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM lesson_staff_groups WHERE lesson_id = ?`, id); err != nil {
		return fmt.Errorf("save lesson staff groups: %w", err)
	}
	for _, d := range in.DepartmentIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO lesson_departments (lesson_id, department_id) VALUES (?, ?)`, id, d); err != nil {
			return fmt.Errorf("save lesson departments: %w", err)
		}
	}
	for _, g := range in.StaffGroups {
		if _, err := tx.ExecContext(ctx, `INSERT INTO lesson_staff_groups (lesson_id, staff_group) VALUES (?, ?)`, id, g); err != nil {
			return fmt.Errorf("save lesson staff groups: %w", err)
		}
	}
	return nil
}

// Update changes a lesson. A published lesson stays published, so the
// change is saved only if it passes the publishing check; otherwise the
// error is a *NotPublishableError and nothing changes.
func (s *Service) Update(ctx context.Context, p *authz.Principal, id int64, in Input) error {
	if !IsAuthor(p) {
		return ErrNotAllowed
	}
	cur, err := s.load(ctx, s.DB, id)
	if err != nil {
		return err
	}
	in, responseID, errs := s.clean(ctx, s.DB, in)
	if len(errs) > 0 {
		return errs
	}
	if cur.Status == Published {
		findings, err := s.check(ctx, s.DB, in, responseID)
		if err != nil {
			return err
		}
		if len(findings) > 0 {
			return &NotPublishableError{Findings: findings}
		}
	}
	now := s.Now()
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE lessons SET title = ?, summary = ?, body = ?, themes = ?, response_id = ?, updated_at = ? WHERE id = ?`,
			in.Title, in.Summary, in.Body, strings.Join(in.Themes, ","), nullID(responseID), store.T(now), id)
		if err != nil {
			return fmt.Errorf("update lesson: %w", err)
		}
		if err := saveTags(ctx, tx, id, in); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, userActor(p), "lesson.update", "lesson", idText(id), string(cur.Status))
	})
}

// Publish makes a draft lesson visible to all staff, after the publishing
// check. Findings come back as a *NotPublishableError and the lesson stays a
// draft. Publishing a published lesson does nothing.
func (s *Service) Publish(ctx context.Context, p *authz.Principal, id int64) error {
	if !IsAuthor(p) {
		return ErrNotAllowed
	}
	l, err := s.load(ctx, s.DB, id)
	if err != nil {
		return err
	}
	if l.Status == Published {
		return nil
	}
	findings, err := s.CheckPublishable(ctx, l)
	if err != nil {
		return err
	}
	if len(findings) > 0 {
		return &NotPublishableError{Findings: findings}
	}
	now := s.Now()
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE lessons SET status = ?, published_at = ?, published_by = ?, updated_at = ? WHERE id = ? AND status = ?`,
			string(Published), store.T(now), p.UserID, store.T(now), id, string(Draft))
		if err != nil {
			return fmt.Errorf("publish lesson: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Record(ctx, tx, now, userActor(p), "lesson.publish", "lesson", idText(id), "")
	})
}

const lessonColumns = `l.id, l.title, l.summary, l.body, l.themes, COALESCE(l.response_id, 0), COALESCE(lr.reference, ''), l.status,
	COALESCE(cu.name, ''), l.created_at, l.updated_at, l.published_at, COALESCE(pu.name, '')`

const lessonFrom = ` FROM lessons l
	LEFT JOIN learning_responses lr ON lr.id = l.response_id
	LEFT JOIN users cu ON cu.id = l.created_by
	LEFT JOIN users pu ON pu.id = l.published_by`

func scanLesson(sc interface{ Scan(...any) error }) (Lesson, error) {
	var l Lesson
	var themes, status string
	var created, updated, published store.Time
	err := sc.Scan(&l.ID, &l.Title, &l.Summary, &l.Body, &themes, &l.ResponseID, &l.ResponseReference, &status,
		&l.CreatedBy, &created, &updated, &published, &l.PublishedBy)
	l.Themes = splitThemes(themes)
	l.Status = Status(status)
	l.CreatedAt, l.UpdatedAt, l.PublishedAt = created.Time, updated.Time, published.Time
	return l, err
}

func splitThemes(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// load reads a lesson with its tags, whoever asks.
func (s *Service) load(ctx context.Context, q store.Querier, id int64) (Lesson, error) {
	l, err := scanLesson(q.QueryRowContext(ctx, `SELECT `+lessonColumns+lessonFrom+` WHERE l.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Lesson{}, notFound(id)
	}
	if err != nil {
		return Lesson{}, fmt.Errorf("read lesson %d: %w", id, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT d.id, d.name FROM lesson_departments ld JOIN departments d ON d.id = ld.department_id
		WHERE ld.lesson_id = ? ORDER BY d.name, d.id`, id)
	if err != nil {
		return Lesson{}, fmt.Errorf("read lesson departments: %w", err)
	}
	for rows.Next() {
		var d Department
		if err := rows.Scan(&d.ID, &d.Name); err != nil {
			rows.Close()
			return Lesson{}, fmt.Errorf("read lesson departments: %w", err)
		}
		l.Departments = append(l.Departments, d)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT g.code, g.name FROM lesson_staff_groups lg JOIN staff_groups g ON g.code = lg.staff_group
		WHERE lg.lesson_id = ? ORDER BY g.sort`, id)
	if err != nil {
		return Lesson{}, fmt.Errorf("read lesson staff groups: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g StaffGroup
		if err := rows.Scan(&g.Code, &g.Name); err != nil {
			return Lesson{}, fmt.Errorf("read lesson staff groups: %w", err)
		}
		l.StaffGroups = append(l.StaffGroups, g)
	}
	return l, rows.Err()
}

// Get returns a lesson for p: published lessons for everyone signed in,
// drafts for authors only.
func (s *Service) Get(ctx context.Context, p *authz.Principal, id int64) (Lesson, error) {
	if p == nil {
		return Lesson{}, ErrNotAllowed
	}
	l, err := s.load(ctx, s.DB, id)
	if err != nil {
		return Lesson{}, err
	}
	if l.Status != Published && !IsAuthor(p) {
		return Lesson{}, notFound(id)
	}
	var read store.Time
	err = s.DB.QueryRowContext(ctx, `SELECT read_at FROM lesson_reads WHERE lesson_id = ? AND user_id = ?`, id, p.UserID).Scan(&read)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Lesson{}, fmt.Errorf("read lesson receipt: %w", err)
	}
	l.ReadAt = read.Time
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM lesson_recipients WHERE lesson_id = ? AND user_id = ?`, id, p.UserID).Scan(&n); err != nil {
		return Lesson{}, fmt.Errorf("read lesson recipients: %w", err)
	}
	l.SentToYou = n > 0
	return l, nil
}

// Summary is a lesson in a list.
type Summary struct {
	ID          int64
	Title       string
	Summary     string
	Themes      []string
	Status      Status
	PublishedAt time.Time
	UpdatedAt   time.Time
	Read        bool
	SentToYou   bool
	// Score is the search relevance when the list was searched, else 0.
	Score float64
}

// ListQuery filters the library.
type ListQuery struct {
	// Theme keeps lessons tagged with this theme.
	Theme string
	// Drafts lists the drafts instead of published lessons (authors only).
	Drafts bool
	// Unread keeps the lessons sent to the caller that they have not read.
	Unread bool
	Limit  int
}

// List returns lessons, newest first.
func (s *Service) List(ctx context.Context, p *authz.Principal, q ListQuery) ([]Summary, error) {
	if p == nil {
		return nil, ErrNotAllowed
	}
	if q.Drafts && !IsAuthor(p) {
		return nil, ErrNotAllowed
	}
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 100
	}
	status := Published
	order := `l.published_at DESC, l.id DESC`
	if q.Drafts {
		status, order = Draft, `l.updated_at DESC, l.id DESC`
	}
	where := []string{"l.status = ?"}
	args := []any{p.UserID, p.UserID, string(status)}
	if q.Theme != "" {
		where = append(where, `(',' || l.themes || ',') LIKE ? ESCAPE '\'`)
		args = append(args, "%,"+audit.LikeEscape(q.Theme)+",%")
	}
	if q.Unread {
		where = append(where, "rc.user_id IS NOT NULL AND rd.user_id IS NULL")
	}
	args = append(args, q.Limit)
	rows, err := s.DB.QueryContext(ctx, `SELECT l.id, l.title, l.summary, l.themes, l.status, l.published_at, l.updated_at,
		rd.user_id IS NOT NULL, rc.user_id IS NOT NULL
		FROM lessons l
		LEFT JOIN lesson_reads rd ON rd.lesson_id = l.id AND rd.user_id = ?
		LEFT JOIN lesson_recipients rc ON rc.lesson_id = l.id AND rc.user_id = ?
		WHERE `+strings.Join(where, " AND ")+` ORDER BY `+order+` LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("list lessons: %w", err)
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		var sm Summary
		var themes, st string
		var pub, upd store.Time
		if err := rows.Scan(&sm.ID, &sm.Title, &sm.Summary, &themes, &st, &pub, &upd, &sm.Read, &sm.SentToYou); err != nil {
			return nil, fmt.Errorf("list lessons: %w", err)
		}
		sm.Themes, sm.Status, sm.PublishedAt, sm.UpdatedAt = splitThemes(themes), Status(st), pub.Time, upd.Time
		out = append(out, sm)
	}
	return out, rows.Err()
}
