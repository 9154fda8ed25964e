package report

import (
	"context"
	"fmt"
	"strings"

	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/validate"
)

// Classification is how a handler grades a report during triage: for a
// safety event its type and harm, for a concern the national elements it
// is about. A reporter's first grading is often revised once the facts are
// known, and a report passed from the other team arrives without one.
type Classification struct {
	// EventType, PhysicalHarm and PsychologicalHarm apply to safety events.
	EventType, PhysicalHarm, PsychologicalHarm string
	// Elements applies to concerns.
	Elements []string
}

// Classify sets a report's classification. It is refused on a closed
// report, whose figures have already been counted.
func (s *Service) Classify(ctx context.Context, p *authz.Principal, reportID int64, c Classification) error {
	return s.change(ctx, p, reportID, "report.classify", func(tx *store.Tx, r row) (string, error) {
		if r.Status == Closed {
			return "", ErrClosed
		}
		var errs validate.Errors
		// Each kind sets its own columns, described in words before and
		// after for the team's note (regraded).
		var update string
		var args []any
		var now, was string
		switch r.Kind {
		case SafetyEvent:
			if !valid(EventTypes(), c.EventType) {
				errs.Add("event_type", "Choose what kind of event this is")
			}
			if c.EventType == "good_care" || c.EventType == "risk" {
				if c.PhysicalHarm == "" {
					c.PhysicalHarm = "none"
				}
				if c.PsychologicalHarm == "" {
					c.PsychologicalHarm = "none"
				}
			}
			if !valid(PhysicalHarms(), c.PhysicalHarm) {
				errs.Add("physical_harm", "Choose the level of physical harm, or no physical harm")
			}
			if !valid(PsychologicalHarms(), c.PsychologicalHarm) {
				errs.Add("psychological_harm", "Choose the level of psychological harm, or no psychological harm")
			}
			if c.EventType == "good_care" && !errs.Has("physical_harm") && !errs.Has("psychological_harm") &&
				(c.PhysicalHarm != "none" || c.PsychologicalHarm != "none") {
				errs.Add("event_type", "Good care cannot have caused harm. If someone was harmed, choose patient safety incident or poor patient outcome instead")
			}
			if len(c.Elements) > 0 {
				errs.Add("elements", "Elements apply to speak-up concerns only")
			}
			if len(errs) > 0 {
				return "", errs
			}
			update = `UPDATE reports SET event_type = ?, physical_harm = ?, psychological_harm = ? WHERE id = ?`
			args = []any{c.EventType, c.PhysicalHarm, c.PsychologicalHarm, r.ID}
			grade := func(eventType, physical, psych string) string {
				if eventType == "" {
					return "not graded"
				}
				return EventTypeLabel(eventType) + ", " + strings.ToLower(HarmLabel(physical, false)) + ", " + strings.ToLower(HarmLabel(psych, true))
			}
			now, was = grade(c.EventType, c.PhysicalHarm, c.PsychologicalHarm), grade(r.EventType, r.PhysicalHarm, r.PsychHarm)
		default:
			seen := map[string]bool{}
			for _, e := range c.Elements {
				if !valid(Elements(), e) {
					errs.Add("elements", fmt.Sprintf("%q is not one of the choices", e))
					break
				}
				seen[e] = true
			}
			if len(c.Elements) == 0 {
				errs.Add("elements", "Choose at least one thing the concern is about")
			}
			if c.EventType != "" || c.PhysicalHarm != "" || c.PsychologicalHarm != "" {
				errs.Add("event_type", "Event type and harm apply to patient safety events only")
			}
			if len(errs) > 0 {
				return "", errs
			}
			var elements []string
			for _, o := range Elements() {
				if seen[o.Value] {
					elements = append(elements, o.Value)
				}
			}
			update, args = `UPDATE reports SET elements = ? WHERE id = ?`, []any{strings.Join(elements, ","), r.ID}
			about := func(elements []string) string {
				var labels []string
				for _, e := range elements {
					labels = append(labels, ElementLabel(e))
				}
				if len(labels) == 0 {
					return "no elements"
				}
				return strings.Join(labels, "; ")
			}
			now, was = about(elements), about(r.Elements)
		}
		// The same words mean the same grading: saved unchanged, there is
		// nothing of the reporter's to keep and no change to note.
		if now != was {
			if err := keepReporterGrading(ctx, tx, r.ID); err != nil {
				return "", err
			}
		}
		if _, err := tx.ExecContext(ctx, update, args...); err != nil {
			return "", fmt.Errorf("classify: %w", err)
		}
		return s.regraded(ctx, tx, p, r, now, was)
	})
}

// Unclassified reports whether r lacks the classification its kind needs:
// a report passed from the other team arrives without one.
func (r Report) Unclassified() bool {
	if r.Kind == SafetyEvent {
		return r.EventType == "" || r.PhysicalHarm == "" || r.PsychHarm == ""
	}
	return len(r.Elements) == 0
}

// regraded keeps a change of classification as an internal note for the
// team (what it is now, what it was) and returns the audit detail, which
// says where the change is kept rather than what it is: what a speak-up
// concern is about, or how badly a patient was harmed, is case content,
// and administrators read the audit log. A grading lowered without good
// reason is the kind of change the team should be able to see.
func (s *Service) regraded(ctx context.Context, tx *store.Tx, p *authz.Principal, r row, now, was string) (string, error) {
	if now == was {
		return "classification confirmed, unchanged", nil
	}
	body := "Classification changed to: " + now + ". Before: " + was + "."
	noteID, err := addNote(ctx, tx, r.ID, p.UserID, r.Team, body, s.Now())
	if err != nil {
		return "", fmt.Errorf("classify: %w", err)
	}
	return "classification changed; " + s.keptIn("internal note", noteID, body), nil
}

// keepReporterGrading keeps what the reporter said report id was (its kind,
// event type and harm, or elements) before the team first changes any of
// it. Once kept it is never overwritten: a report graded twice, or passed
// on and then graded, keeps the reporter's own account. A team a report is
// passed to sees it too (it is the reporter's account of the event, not who
// they are), so it can tell that the first team graded it differently.
func keepReporterGrading(ctx context.Context, tx *store.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE reports SET reported_kind = kind, reported_event_type = COALESCE(event_type, ''),
		reported_physical_harm = COALESCE(physical_harm, ''), reported_psychological_harm = COALESCE(psychological_harm, ''),
		reported_elements = elements WHERE id = ? AND reported_kind IS NULL`, id); err != nil {
		return fmt.Errorf("keep the reporter's grading: %w", err)
	}
	return nil
}
