package casework

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/validate"
)

// Stage targets: at least a day, at most two years.
const (
	minTargetDays = 1
	maxTargetDays = 730
	maxStages     = 20
)

var stageCode = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// StageDefinitions lists the configured (not retired) stages of a case type
// in order.
func (s *Service) StageDefinitions(ctx context.Context, t Type) ([]StageDefinition, error) {
	return stageDefinitions(ctx, s.DB, t)
}

func stageDefinitions(ctx context.Context, q store.Querier, t Type) ([]StageDefinition, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, case_type, position, code, name, target_days, required FROM case_stage_definitions
		WHERE case_type = ? AND retired = FALSE ORDER BY position, id`, string(t))
	if err != nil {
		return nil, fmt.Errorf("casework: read stages: %w", err)
	}
	defer rows.Close()
	var out []StageDefinition
	for rows.Next() {
		var d StageDefinition
		if err := rows.Scan(&d.ID, &d.Type, &d.Position, &d.Code, &d.Name, &d.TargetDays, &d.Required); err != nil {
			return nil, fmt.Errorf("casework: read stages: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// slug makes a stage code from a name: "Disciplinary hearing" becomes
// disciplinary_hearing.
func slug(name string) string {
	var b strings.Builder
	underscore := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if b.Len() == 0 && r >= '0' && r <= '9' {
				b.WriteString("stage_")
			}
			b.WriteRune(r)
			underscore = false
		case b.Len() > 0 && !underscore:
			b.WriteByte('_')
			underscore = true
		}
	}
	out := strings.TrimSuffix(b.String(), "_")
	if len(out) > 40 {
		out = strings.TrimSuffix(out[:40], "_")
	}
	return out
}

// SaveStageDefinitions replaces a case type's stages (ER lead only): the
// rows in order, each with a unique code (made from the name when left
// empty), a name and a target of 1 to 730 days. A stage left out is
// retired rather than deleted, because case histories name it; a stage that
// an open case is in cannot be left out until the case moves on. Field
// names: stages, stages-N-code, stages-N-name, stages-N-target_days
// (N counts from 1).
func (s *Service) SaveStageDefinitions(ctx context.Context, p *authz.Principal, t Type, in []StageDefinitionInput) error {
	lead, err := isLead(ctx, s.DB, p)
	if err != nil {
		return err
	}
	if !lead {
		return ErrNotAllowed
	}
	var errs validate.Errors
	if !validType(t) {
		errs.Add("type", "Choose a case type")
		return errs
	}
	type row struct {
		code, name string
		days       int
		required   bool
	}
	var rows []row
	seen := map[string]int{}
	for i, r := range in {
		n := i + 1
		f := func(name string) string { return fmt.Sprintf("stages-%d-%s", n, name) }
		if strings.TrimSpace(r.Code) == "" && strings.TrimSpace(r.Name) == "" && strings.TrimSpace(r.TargetDays) == "" {
			continue // an empty row of the editor
		}
		name := errs.Text(f("name"), fmt.Sprintf("The name of stage %d", n), r.Name, true, maxShort)
		code := strings.ToLower(strings.TrimSpace(r.Code))
		if code == "" {
			code = slug(name)
		}
		switch {
		case code == "" && !errs.Has(f("name")):
			errs.Add(f("code"), fmt.Sprintf("Enter a short code for stage %d, for example investigation", n))
		case code != "" && !stageCode.MatchString(code):
			errs.Add(f("code"), fmt.Sprintf("The code of stage %d must start with a letter and use only lower-case letters, numbers and underscores (at most 40)", n))
		case seen[code] != 0:
			errs.Add(f("code"), fmt.Sprintf("Stage %d has the same code as stage %d (%s); each stage needs its own code", n, seen[code], code))
		}
		if code != "" && seen[code] == 0 {
			seen[code] = n
		}
		days, err := strconv.Atoi(strings.TrimSpace(r.TargetDays))
		switch {
		case strings.TrimSpace(r.TargetDays) == "":
			errs.Add(f("target_days"), fmt.Sprintf("Enter the target for stage %d in days, for example 28", n))
		case err != nil:
			errs.Add(f("target_days"), fmt.Sprintf("Enter the target for stage %d as a whole number of days, for example 28", n))
		case days < minTargetDays || days > maxTargetDays:
			errs.Add(f("target_days"), fmt.Sprintf("The target for stage %d must be between %d and %d days", n, minTargetDays, maxTargetDays))
		}
		rows = append(rows, row{code, name, days, r.Required})
	}
	switch {
	case len(rows) == 0 && len(errs) == 0:
		errs.Add("stages", "Keep at least one stage: a formal case needs somewhere to start")
	case len(rows) > maxStages:
		errs.Add("stages", fmt.Sprintf("Use at most %d stages", maxStages))
	}
	if len(errs) > 0 {
		return errs
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		current, err := stageDefinitions(ctx, tx, t)
		if err != nil {
			return err
		}
		for _, d := range current {
			if seen[d.Code] != 0 {
				continue
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM cases c JOIN case_stages st ON st.case_id = c.id AND st.ended_on IS NULL
				WHERE c.case_type = ? AND c.status <> ? AND st.stage_code = ?`, string(t), string(Closed), d.Code).Scan(&n); err != nil {
				return fmt.Errorf("casework: stage in use: %w", err)
			}
			if n > 0 {
				errs.Add("stages", fmt.Sprintf("%s cannot be removed: %d open %s in it. Keep it until they move on to another stage", d.Name, n, plural(n, "case is", "cases are")))
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE case_stage_definitions SET retired = TRUE WHERE id = ?`, d.ID); err != nil {
				return fmt.Errorf("casework: retire stage: %w", err)
			}
		}
		if len(errs) > 0 {
			return errs
		}
		for i, r := range rows {
			res, err := tx.ExecContext(ctx, `UPDATE case_stage_definitions SET position = ?, name = ?, target_days = ?, required = ?, retired = FALSE
				WHERE case_type = ? AND code = ?`, i+1, r.name, r.days, r.required, string(t), r.code)
			if err != nil {
				return fmt.Errorf("casework: save stage: %w", err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO case_stage_definitions (case_type, position, code, name, target_days, required, retired)
				VALUES (?, ?, ?, ?, ?, ?, FALSE)`, string(t), i+1, r.code, r.name, r.days, r.required); err != nil {
				return fmt.Errorf("casework: add stage: %w", err)
			}
		}
		codes := make([]string, len(rows))
		for i, r := range rows {
			codes[i] = r.code
		}
		return audit.Record(ctx, tx, s.Now(), actorOf(p), "case.stages.save", "case_type", string(t), strings.Join(codes, ","))
	})
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// stagesOf reads a case's stage history, oldest first, with timeliness.
func (s *Service) stagesOf(ctx context.Context, q store.Querier, caseID int64, t Type) ([]Stage, error) {
	rows, err := q.QueryContext(ctx, `SELECT st.id, st.stage_code, COALESCE(d.name, st.stage_code), st.started_on, st.target_on, COALESCE(st.ended_on, '')
		FROM case_stages st LEFT JOIN case_stage_definitions d ON d.case_type = ? AND d.code = st.stage_code
		WHERE st.case_id = ? ORDER BY st.started_on, st.id`, string(t), caseID)
	if err != nil {
		return nil, fmt.Errorf("casework: read stages: %w", err)
	}
	defer rows.Close()
	today := s.today()
	var out []Stage
	for rows.Next() {
		var st Stage
		if err := rows.Scan(&st.ID, &st.Code, &st.Name, &st.StartedOn, &st.TargetOn, &st.EndedOn); err != nil {
			return nil, fmt.Errorf("casework: read stages: %w", err)
		}
		if target, ok := parseDate(st.TargetOn); ok && st.EndedOn == "" && today.After(target) {
			st.Overdue, st.DaysOver = true, daysBetween(target, today)
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// Stages lists a case's stage history, oldest first, for anyone who may
// read the case (the dates hold no narrative).
func (s *Service) Stages(ctx context.Context, p *authz.Principal, id int64) ([]Stage, error) {
	a, err := s.accessTo(ctx, s.DB, p, id)
	if err != nil {
		return nil, err
	}
	return s.stagesOf(ctx, s.DB, id, a.Type)
}

// AdvanceStage ends the current stage of a formal case and starts the named
// later one on the given date. A required stage cannot be skipped, and the
// date can be neither before the current stage started nor in the future.
// Field names: stage, started_on.
func (s *Service) AdvanceStage(ctx context.Context, p *authz.Principal, id int64, stageCode, startedOn string) error {
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.handle(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if a.Status != Formal {
			return ErrNotFormal
		}
		defs, err := stageDefinitions(ctx, tx, a.Type)
		if err != nil {
			return err
		}
		var cur struct {
			id            int64
			code, started string
			position      int
		}
		err = tx.QueryRowContext(ctx, `SELECT st.id, st.stage_code, st.started_on, COALESCE(d.position, 0)
			FROM case_stages st LEFT JOIN case_stage_definitions d ON d.case_type = ? AND d.code = st.stage_code
			WHERE st.case_id = ? AND st.ended_on IS NULL ORDER BY st.id DESC LIMIT 1`, string(a.Type), id).
			Scan(&cur.id, &cur.code, &cur.started, &cur.position)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("casework: current stage: %w", err)
		}
		var errs validate.Errors
		code := strings.TrimSpace(stageCode)
		var target *StageDefinition
		for i := range defs {
			if defs[i].Code == code {
				target = &defs[i]
			}
		}
		today := s.today()
		switch {
		case code == "":
			errs.Add("stage", "Choose the stage the case is moving to")
		case target == nil:
			errs.Add("stage", "Choose one of the stages for this type of case")
		case target.Code == cur.code:
			errs.Add("stage", "The case is already at "+target.Name+"; choose a later stage")
		case target.Position < cur.position:
			errs.Add("stage", target.Name+" comes before the current stage. Stages move forward only")
		default:
			for _, d := range defs {
				if d.Position > cur.position && d.Position < target.Position && d.Required {
					errs.Add("stage", fmt.Sprintf("The case cannot skip %s: it is a required stage. Move the case to %s first", d.Name, d.Name))
					break
				}
			}
		}
		on := strings.TrimSpace(startedOn)
		d, ok := parseDate(on)
		switch {
		case on == "":
			errs.Add("started_on", "Enter the date the stage started, for example "+dateText(today))
		case !ok:
			errs.Add("started_on", "Enter the date the stage started as year, month and day, for example "+dateText(today))
		case d.After(today):
			errs.Add("started_on", "The date the stage started cannot be in the future")
		case cur.started != "" && dateText(d) < cur.started:
			errs.Add("started_on", "The stage cannot start before the current stage started, on "+cur.started)
		}
		if len(errs) > 0 {
			return errs
		}
		if cur.id != 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE case_stages SET ended_on = ? WHERE id = ?`, dateText(d), cur.id); err != nil {
				return fmt.Errorf("casework: end stage: %w", err)
			}
		}
		targetOn := d.AddDate(0, 0, target.TargetDays)
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_stages (case_id, stage_code, started_on, target_on, started_by) VALUES (?, ?, ?, ?, ?)`,
			id, target.Code, dateText(d), dateText(targetOn), p.UserID); err != nil {
			return fmt.Errorf("casework: start stage: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET stage_code = ?, updated_at = ? WHERE id = ?`, target.Code, store.T(s.Now()), id); err != nil {
			return fmt.Errorf("casework: stage: %w", err)
		}
		if _, err := s.addSystemEntry(ctx, tx, p, id, EntryStage, "Stage: "+target.Name,
			"Started on "+humanDate(dateText(d))+", with a target of "+humanDate(dateText(targetOn))+".", true); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "case.stage", id, cur.code+" to "+target.Code)
	})
}
