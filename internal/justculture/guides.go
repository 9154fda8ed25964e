package justculture

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"candour/internal/audit"
	"candour/internal/guide"
	"candour/internal/store"
	"candour/internal/validate"
)

// ErrNotAllowed means the caller may not see or change this assessment; it
// is also the answer for ids that do not exist.
var ErrNotAllowed = errors.New("assessment not found or not yours to see")

// ErrRetired means a guide version has been retired for new assessments.
var ErrRetired = errors.New("this guide version has been retired; choose a current one")

// Service records guides and assessments.
type Service struct {
	DB  *store.DB
	Now func() time.Time
}

// NewService returns a Service with the real clock.
func NewService(db *store.DB) *Service { return &Service{DB: db, Now: time.Now} }

// Definition is a stored guide version.
type Definition struct {
	ID        int64
	GuideID   string
	Version   int
	Title     string
	Checksum  string
	Builtin   bool
	RetiredAt time.Time
	CreatedAt time.Time
	Guide     *guide.Guide
}

// Retired reports whether the version is closed to new assessments.
func (d Definition) Retired() bool { return !d.RetiredAt.IsZero() }

// EnsureBuiltins stores the built-in guides that are not stored yet. It is
// idempotent and safe on several replicas at once.
func (s *Service) EnsureBuiltins(ctx context.Context) error {
	for _, g := range guide.Builtin() {
		_, err := s.DB.ExecContext(ctx, `INSERT INTO guide_definitions (guide_id, version, title, definition, checksum, builtin, created_at)
			VALUES (?, ?, ?, ?, ?, TRUE, ?) ON CONFLICT (guide_id, version) DO NOTHING`,
			g.ID(), g.Version(), g.Title(), string(g.Raw()), g.Checksum(), store.T(s.Now()))
		if err != nil {
			return fmt.Errorf("store built-in guide %s: %w", g, err)
		}
	}
	return nil
}

const definitionColumns = `id, guide_id, version, title, definition, checksum, builtin, retired_at, created_at`

func scanDefinition(sc interface{ Scan(...any) error }) (Definition, error) {
	var d Definition
	var raw string
	var retired, created store.Time
	if err := sc.Scan(&d.ID, &d.GuideID, &d.Version, &d.Title, &raw, &d.Checksum, &d.Builtin, &retired, &created); err != nil {
		return d, err
	}
	d.RetiredAt, d.CreatedAt = retired.Time, created.Time
	g, err := guide.Parse([]byte(raw))
	if err != nil {
		return d, fmt.Errorf("stored guide %s version %d no longer parses: %w", d.GuideID, d.Version, err)
	}
	if g.Checksum() != d.Checksum {
		return d, fmt.Errorf("stored guide %s version %d does not match its checksum", d.GuideID, d.Version)
	}
	d.Guide = g
	return d, nil
}

// Definitions lists stored guide versions, newest version first within
// each guide.
func (s *Service) Definitions(ctx context.Context, includeRetired bool) ([]Definition, error) {
	q := `SELECT ` + definitionColumns + ` FROM guide_definitions`
	if !includeRetired {
		q += ` WHERE retired_at IS NULL`
	}
	rows, err := s.DB.QueryContext(ctx, q+` ORDER BY guide_id, version DESC`)
	if err != nil {
		return nil, fmt.Errorf("list guides: %w", err)
	}
	defer rows.Close()
	var out []Definition
	for rows.Next() {
		d, err := scanDefinition(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Definition returns one stored guide version.
func (s *Service) Definition(ctx context.Context, id int64) (Definition, error) {
	d, err := scanDefinition(s.DB.QueryRowContext(ctx, `SELECT `+definitionColumns+` FROM guide_definitions WHERE id = ?`, id))
	return d, store.NotFound(err, "guide definition "+strconv.FormatInt(id, 10))
}

// Current returns the newest version of a guide that is not retired.
func (s *Service) Current(ctx context.Context, guideID string) (Definition, error) {
	d, err := scanDefinition(s.DB.QueryRowContext(ctx, `SELECT `+definitionColumns+` FROM guide_definitions
		WHERE guide_id = ? AND retired_at IS NULL ORDER BY version DESC LIMIT 1`, guideID))
	if errors.Is(err, sql.ErrNoRows) {
		var n int
		s.DB.QueryRowContext(ctx, `SELECT count(*) FROM guide_definitions WHERE guide_id = ?`, guideID).Scan(&n)
		if n > 0 {
			return Definition{}, ErrRetired
		}
	}
	return d, store.NotFound(err, "guide "+guideID)
}

// Versions returns every stored version of a guide, newest first.
func (s *Service) Versions(ctx context.Context, guideID string) ([]Definition, error) {
	all, err := s.Definitions(ctx, true)
	var out []Definition
	for _, d := range all {
		if d.GuideID == guideID {
			out = append(out, d)
		}
	}
	return out, err
}

// AddDefinition validates and stores an uploaded guide version. A version
// number already used is refused: versions never change once stored.
func (s *Service) AddDefinition(ctx context.Context, actor audit.Actor, raw []byte) (Definition, error) {
	g, err := guide.Parse(raw)
	if err != nil {
		var ves guide.ValidationErrors
		if errors.As(err, &ves) {
			var errs validate.Errors
			for i, ve := range ves {
				if i == 10 {
					errs.Add("definition", fmt.Sprintf("and %d more problems", len(ves)-10))
					break
				}
				msg := ve.Error()
				if ve.Line > 0 {
					msg = fmt.Sprintf("line %d: %s", ve.Line, msg)
				}
				errs.Add("definition", msg)
			}
			return Definition{}, errs
		}
		return Definition{}, validate.Errors{{Field: "definition", Message: err.Error()}}
	}
	var defID int64
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		var createdBy any
		if actor.UserID != 0 {
			createdBy = actor.UserID
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO guide_definitions (guide_id, version, title, definition, checksum, builtin, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, FALSE, ?, ?) RETURNING id`, g.ID(), g.Version(), g.Title(), string(g.Raw()), g.Checksum(), createdBy, store.T(s.Now())).Scan(&defID)
		if store.IsUniqueViolation(err) {
			return validate.Errors{{Field: "definition", Message: fmt.Sprintf("%s version %d already exists; stored versions never change, so give the new definition a higher version number", g.ID(), g.Version())}}
		}
		if err != nil {
			return fmt.Errorf("store guide: %w", err)
		}
		return audit.Record(ctx, tx, s.Now(), actor, "guide.add", "guide_definition", strconv.FormatInt(defID, 10), g.String()+" checksum "+g.Checksum())
	})
	if err != nil {
		return Definition{}, err
	}
	return s.Definition(ctx, defID)
}

// Retire closes a guide version to new assessments; past assessments keep
// reading it.
func (s *Service) Retire(ctx context.Context, actor audit.Actor, defID int64) error {
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE guide_definitions SET retired_at = ? WHERE id = ? AND retired_at IS NULL`, store.T(s.Now()), defID)
		if err != nil {
			return fmt.Errorf("retire guide: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("active guide definition %d: %w", defID, store.ErrNotFound)
		}
		return audit.Record(ctx, tx, s.Now(), actor, "guide.retire", "guide_definition", strconv.FormatInt(defID, 10), "")
	})
}
