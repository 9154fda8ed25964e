package casework

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/validate"
)

// The pre-formal checklist. Its items follow the lessons NHS Improvement
// drew in 2019 (allegations poorly framed, conflicts of interest poorly
// managed, too little attention to wellbeing, going straight to formal
// procedures) and Barts Health's pre-disciplinary checklist.

// Minimum lengths that make an answer specific enough to act on.
const (
	// minAllegations: "poor attitude" is not an allegation; "On 3 March,
	// gave a second dose of morphine without checking the chart" is.
	minAllegations = 40
	// minAlternatives: a reason, not a tick.
	minAlternatives = 20
)

// The precondition names, stable for the API.
const (
	PreFacts         = "facts_gathered"
	PreAccount       = "employee_account_heard"
	PreAllegations   = "allegations_framed"
	PreAlternatives  = "alternatives_considered"
	PreInvestigator  = "investigator_named"
	PreDecisionMaker = "decision_maker_named"
	PreConflicts     = "conflicts_declared"
	PreWellbeing     = "wellbeing_contact_named"
	PreUnionRep      = "union_rep_offered"
	PreJustCulture   = "just_culture_assessment"
	PreSignOff       = "second_signoff"
)

// storedChecklist is the checklist with who last changed it.
type storedChecklist struct {
	Checklist
	UpdatedBy int64
}

func loadChecklist(ctx context.Context, q store.Querier, caseID int64) (storedChecklist, error) {
	var c storedChecklist
	var updated, signed store.Time
	err := q.QueryRowContext(ctx, `SELECT cl.facts_gathered, cl.facts_summary, cl.employee_account_heard, COALESCE(cl.employee_account_on, ''),
		cl.allegations, cl.alternatives_considered, cl.investigator_conflicts, cl.decision_maker_conflicts, cl.conflicts_declared,
		COALESCE(cl.wellbeing_contact_user_id, 0), COALESCE(wu.name, ''), COALESCE(wu.email, ''),
		cl.union_rep_offered, COALESCE(cl.union_rep_offered_on, ''), cl.updated_at, COALESCE(cl.updated_by, 0),
		COALESCE(cl.signoff_by, 0), COALESCE(su.name, ''), cl.signoff_at, cl.signoff_note
		FROM case_checklists cl LEFT JOIN users wu ON wu.id = cl.wellbeing_contact_user_id LEFT JOIN users su ON su.id = cl.signoff_by
		WHERE cl.case_id = ?`, caseID).Scan(&c.FactsGathered, &c.FactsSummary, &c.EmployeeAccountHeard, &c.EmployeeAccountOn,
		&c.Allegations, &c.AlternativesConsidered, &c.InvestigatorConflicts, &c.DecisionMakerConflicts, &c.ConflictsDeclared,
		&c.WellbeingContactUserID, &c.WellbeingContactName, &c.WellbeingContactEmail,
		&c.UnionRepOffered, &c.UnionRepOfferedOn, &updated, &c.UpdatedBy,
		&c.SignoffBy, &c.SignoffName, &signed, &c.SignoffNote)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("casework: read checklist: %w", err)
	}
	c.UpdatedAt, c.SignoffAt = updated.Time, signed.Time
	return c, nil
}

// signerAccess is accessTo widened for the second sign-off: an executive
// may read the checklist and its preconditions of an early concern, and
// sign it off, without otherwise seeing the case.
func (s *Service) signerAccess(ctx context.Context, q store.Querier, p *authz.Principal, id int64) (access, error) {
	a, err := s.accessTo(ctx, q, p, id)
	// accessTo fills the case's fields before deciding; CaseID is zero only
	// when there is no such case.
	if errors.Is(err, ErrNotAllowed) && a.CaseID != 0 && p.Has(authz.Exec) && a.Status == EarlyConcern {
		return a, nil
	}
	if err == nil && a.Employee && !a.SeesInternal() {
		// The employee reads their timeline, not the working checklist.
		return a, ErrNotAllowed
	}
	return a, err
}

// Checklist reads the pre-formal checklist: the case's handlers, manager
// and representative, and an executive asked for the second sign-off. The
// read is audited.
func (s *Service) Checklist(ctx context.Context, p *authz.Principal, id int64) (Checklist, error) {
	var c storedChecklist
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := s.signerAccess(ctx, tx, p, id); err != nil {
			return err
		}
		var err error
		if c, err = loadChecklist(ctx, tx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "case.checklist.read", id, "")
	})
	return c.Checklist, err
}

// SaveChecklist saves the checklist of an early concern; a change clears
// any sign-off, because the second person signed what they read. Saving
// the same answers again changes nothing.
//
// The checklist may be saved part-done; Preconditions says what is still
// missing. Field names: facts_summary, employee_account_on, allegations,
// alternatives_considered, investigator_conflicts, decision_maker_conflicts,
// wellbeing_contact, union_rep_offered_on.
func (s *Service) SaveChecklist(ctx context.Context, p *authz.Principal, id int64, in ChecklistInput) error {
	var errs validate.Errors
	today := s.today()
	in.FactsSummary = errs.Text("facts_summary", "The summary of the facts", in.FactsSummary, false, maxLong)
	in.Allegations = errs.Text("allegations", "The allegations", in.Allegations, false, maxLong)
	in.AlternativesConsidered = errs.Text("alternatives_considered", "The alternatives considered", in.AlternativesConsidered, false, maxLong)
	in.InvestigatorConflicts = errs.Text("investigator_conflicts", "The investigator's declaration", in.InvestigatorConflicts, false, maxNote)
	in.DecisionMakerConflicts = errs.Text("decision_maker_conflicts", "The decision maker's declaration", in.DecisionMakerConflicts, false, maxNote)
	date := func(field, what, v string, needed bool) string {
		v = strings.TrimSpace(v)
		d, ok := parseDate(v)
		switch {
		case v == "" && needed:
			errs.Add(field, "Enter the date "+what+", for example "+dateText(today))
		case v == "":
		case !ok:
			errs.Add(field, "Enter the date "+what+" as year, month and day, for example "+dateText(today))
		case d.After(today):
			errs.Add(field, "The date "+what+" cannot be in the future")
		default:
			return dateText(d)
		}
		return ""
	}
	in.EmployeeAccountOn = date("employee_account_on", "you heard the employee's account", in.EmployeeAccountOn, in.EmployeeAccountHeard)
	in.UnionRepOfferedOn = date("union_rep_offered_on", "the employee was offered a trade union representative", in.UnionRepOfferedOn, in.UnionRepOffered)
	if len(errs) > 0 {
		// Dates and lengths are checked before anything is read.
		return errs
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.handle(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if a.Status != EarlyConcern {
			return ErrAlreadyFormal
		}
		var wellbeing activeUser
		if email := strings.TrimSpace(in.WellbeingContact); email != "" {
			u, found, err := userByEmail(ctx, tx, email)
			switch {
			case err != nil:
				return err
			case !found:
				errs.Add("wellbeing_contact", "No active candour user has the email address "+email)
			case u.PersonID != 0 && u.PersonID == a.PersonID:
				errs.Add("wellbeing_contact", u.Name+" is the person the case is about. Name someone who will look after them")
			default:
				wellbeing = u
			}
		}
		if len(errs) > 0 {
			return errs
		}
		old, err := loadChecklist(ctx, tx, id)
		if err != nil {
			return err
		}
		next := old.Checklist
		next.FactsGathered, next.FactsSummary = in.FactsGathered, in.FactsSummary
		next.EmployeeAccountHeard, next.EmployeeAccountOn = in.EmployeeAccountHeard, in.EmployeeAccountOn
		next.Allegations, next.AlternativesConsidered = in.Allegations, in.AlternativesConsidered
		next.InvestigatorConflicts, next.DecisionMakerConflicts = in.InvestigatorConflicts, in.DecisionMakerConflicts
		next.ConflictsDeclared, next.WellbeingContactUserID = in.ConflictsDeclared, wellbeing.ID
		next.UnionRepOffered, next.UnionRepOfferedOn = in.UnionRepOffered, in.UnionRepOfferedOn
		if sameAnswers(old.Checklist, next) && old.UpdatedBy != 0 {
			return nil
		}
		now := store.T(s.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE case_checklists SET facts_gathered = ?, facts_summary = ?, employee_account_heard = ?,
			employee_account_on = ?, allegations = ?, alternatives_considered = ?, investigator_conflicts = ?, decision_maker_conflicts = ?,
			conflicts_declared = ?, wellbeing_contact_user_id = ?, union_rep_offered = ?, union_rep_offered_on = ?, updated_by = ?, updated_at = ?,
			signoff_by = NULL, signoff_at = NULL, signoff_note = '' WHERE case_id = ?`,
			next.FactsGathered, next.FactsSummary, next.EmployeeAccountHeard, nullText(next.EmployeeAccountOn), next.Allegations,
			next.AlternativesConsidered, next.InvestigatorConflicts, next.DecisionMakerConflicts, next.ConflictsDeclared,
			nullID(next.WellbeingContactUserID), next.UnionRepOffered, nullText(next.UnionRepOfferedOn), p.UserID, now, id); err != nil {
			return fmt.Errorf("casework: save checklist: %w", err)
		}
		body, detail := "", ""
		if old.SignoffBy != 0 {
			body = "The sign-off by " + old.SignoffName + " was cleared because the checklist changed. It needs signing off again."
			detail = "sign-off cleared"
		}
		if _, err := s.addSystemEntry(ctx, tx, p, id, EntryChecklist, "Pre-formal checklist updated", body, false); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "case.checklist.save", id, detail)
	})
}

// sameAnswers reports whether two checklists hold the same answers.
func sameAnswers(a, b Checklist) bool {
	return a.FactsGathered == b.FactsGathered && a.FactsSummary == b.FactsSummary &&
		a.EmployeeAccountHeard == b.EmployeeAccountHeard && a.EmployeeAccountOn == b.EmployeeAccountOn &&
		a.Allegations == b.Allegations && a.AlternativesConsidered == b.AlternativesConsidered &&
		a.InvestigatorConflicts == b.InvestigatorConflicts && a.DecisionMakerConflicts == b.DecisionMakerConflicts &&
		a.ConflictsDeclared == b.ConflictsDeclared && a.WellbeingContactUserID == b.WellbeingContactUserID &&
		a.UnionRepOffered == b.UnionRepOffered && a.UnionRepOfferedOn == b.UnionRepOfferedOn
}

// clearSignOff clears the sign-off of an early concern when something it
// covered changes (for example who investigates), with a timeline note.
func (s *Service) clearSignOff(ctx context.Context, tx *store.Tx, p *authz.Principal, caseID int64, why string) error {
	var name string
	err := tx.QueryRowContext(ctx, `SELECT u.name FROM case_checklists cl JOIN users u ON u.id = cl.signoff_by
		JOIN cases c ON c.id = cl.case_id WHERE cl.case_id = ? AND c.status = ?`, caseID, string(EarlyConcern)).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("casework: read sign-off: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE case_checklists SET signoff_by = NULL, signoff_at = NULL, signoff_note = '' WHERE case_id = ?`, caseID); err != nil {
		return fmt.Errorf("casework: clear sign-off: %w", err)
	}
	_, err = s.addSystemEntry(ctx, tx, p, caseID, EntryChecklist, "Sign-off cleared",
		"The sign-off by "+name+" was cleared because "+why+". It needs signing off again.", false)
	return err
}

// SignOff records the second senior person's sign-off of the checklist:
// the ER lead or an executive, who is neither the case's HR adviser nor the
// person who last changed the checklist. Every other precondition must be
// met first (a *UnmetError lists what is missing), so that the sign-off is
// of a complete checklist. Field name: note.
func (s *Service) SignOff(ctx context.Context, p *authz.Principal, id int64, note string) error {
	var errs validate.Errors
	note = errs.Text("note", "Your note", note, false, maxNote)
	if len(errs) > 0 {
		return errs
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.signerAccess(ctx, tx, p, id)
		if err != nil {
			return err
		}
		lead, err := isLead(ctx, tx, p)
		if err != nil {
			return err
		}
		if !lead && !p.Has(authz.Exec) {
			return ErrNotAllowed
		}
		switch a.Status {
		case Closed:
			return ErrClosed
		case Formal:
			return ErrAlreadyFormal
		}
		cl, err := loadChecklist(ctx, tx, id)
		if err != nil {
			return err
		}
		switch {
		case cl.UpdatedBy == 0:
			errs.Add("note", "The checklist has not been filled in yet, so there is nothing to sign off")
		case p.UserID == a.HRUserID:
			errs.Add("note", "You are the HR adviser for this case. The sign-off must come from a second senior person: the employee relations lead or an executive")
		case p.UserID == cl.UpdatedBy:
			errs.Add("note", "You made the last change to the checklist. Ask another senior person to sign it off, so that two people have looked at it")
		}
		if len(errs) > 0 {
			return errs
		}
		c, err := loadCase(ctx, tx, id)
		if err != nil {
			return err
		}
		pcs, _, err := s.evaluate(ctx, tx, c, cl)
		if err != nil {
			return err
		}
		var unmet []Precondition
		for _, pc := range pcs {
			if !pc.Met && pc.Name != PreSignOff {
				unmet = append(unmet, pc)
			}
		}
		if len(unmet) > 0 {
			return &UnmetError{Unmet: unmet}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE case_checklists SET signoff_by = ?, signoff_at = ?, signoff_note = ? WHERE case_id = ?`,
			p.UserID, store.T(s.Now()), note, id); err != nil {
			return fmt.Errorf("casework: sign off: %w", err)
		}
		if _, err := s.addSystemEntry(ctx, tx, p, id, EntrySignOff, "Checklist signed off by "+p.Name, note, false); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "case.signoff", id, "")
	})
}

// Preconditions lists every precondition of the move to formal that
// applies to the case, and whether it is met. Items that make no sense for
// an appeal or an employment tribunal claim are left out: the facts were
// gathered and the alternatives weighed in the case appealed (or the claim
// is already made), and the just culture guide is about an action in a
// patient safety event, not about a hearing or a claim.
func (s *Service) Preconditions(ctx context.Context, p *authz.Principal, id int64) ([]Precondition, error) {
	var pcs []Precondition
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := s.signerAccess(ctx, tx, p, id); err != nil {
			return err
		}
		c, err := loadCase(ctx, tx, id)
		if err != nil {
			return err
		}
		cl, err := loadChecklist(ctx, tx, id)
		if err != nil {
			return err
		}
		if pcs, _, err = s.evaluate(ctx, tx, c, cl); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "case.preconditions.read", id, "")
	})
	return pcs, err
}

// preFormalOnly reports whether t needs the items of a first, pre-formal
// look (facts, alternatives, the just culture guide).
func preFormalOnly(t Type) bool { return t != Appeal && t != EmploymentTribunal }

// evaluate works out every precondition that applies to c, and the just
// culture assessment relied on (0 if none).
func (s *Service) evaluate(ctx context.Context, q store.Querier, c Case, cl storedChecklist) ([]Precondition, int64, error) {
	var out []Precondition
	add := func(name, label string, met bool, detail string) {
		if met {
			detail = ""
		}
		out = append(out, Precondition{Name: name, Label: label, Met: met, Detail: detail})
	}
	runes := func(s string) int { return utf8.RuneCountInString(strings.TrimSpace(s)) }
	if preFormalOnly(c.Type) {
		add(PreFacts, "Facts gathered", cl.FactsGathered && cl.FactsSummary != "",
			"Gather the facts first and summarise what you found, then tick that the facts have been gathered.")
	}
	add(PreAccount, "The employee's own account heard", cl.EmployeeAccountHeard && cl.EmployeeAccountOn != "",
		"Hear the employee's own account of what happened, and record the date you heard it.")
	add(PreAllegations, "Allegations framed specifically", runes(cl.Allegations) >= minAllegations,
		fmt.Sprintf("Write each allegation specifically: what happened, when and where (at least %d characters). Vague allegations were one of the failings the NHS found in 2019.", minAllegations))
	if preFormalOnly(c.Type) {
		add(PreAlternatives, "Informal, restorative and mediation routes considered", runes(cl.AlternativesConsidered) >= minAlternatives,
			fmt.Sprintf("Say which informal, restorative or mediation routes you considered and why they are not enough (at least %d characters). A formal process is the last resort.", minAlternatives))
	}

	parties, err := activeParties(ctx, q, c.ID)
	if err != nil {
		return nil, 0, err
	}
	var investigators, deciders []Party
	for _, pt := range parties {
		switch pt.Role {
		case RoleInvestigator:
			investigators = append(investigators, pt)
		case RoleDecisionMaker:
			deciders = append(deciders, pt)
		}
	}
	add(PreInvestigator, "Investigator named", len(investigators) > 0, "Name the investigator in the people involved in the case.")
	decided, detail := len(deciders) > 0, "Name the decision maker in the people involved in the case. They must not be the investigator."
	for _, d := range deciders {
		for _, i := range investigators {
			if samePerson(d, i) {
				decided, detail = false, d.Name+" is both the investigator and the decision maker. Name a different decision maker so that the decision is independent."
			}
		}
	}
	add(PreDecisionMaker, "Decision maker named, independent of the investigator", decided, detail)
	add(PreConflicts, "Conflicts of interest declared", cl.ConflictsDeclared && cl.InvestigatorConflicts != "" && cl.DecisionMakerConflicts != "",
		"Record what the investigator and the decision maker declared (write \"None\" if they have no conflict of interest), then tick that conflicts have been declared.")
	add(PreWellbeing, "Wellbeing contact named", cl.WellbeingContactUserID != 0,
		"Name a wellbeing contact who will keep in touch with the employee while the case runs.")
	add(PreUnionRep, "Trade union representative offered", cl.UnionRepOffered && cl.UnionRepOfferedOn != "",
		"Offer the employee a trade union representative and record the date you offered.")

	var assessmentID int64
	if c.ReportID != 0 && preFormalOnly(c.Type) {
		var pc Precondition
		pc, assessmentID, err = s.justCulture(ctx, q, c)
		if err != nil {
			return nil, 0, err
		}
		add(pc.Name, pc.Label, pc.Met, pc.Detail)
	}

	signed := cl.SignoffBy != 0
	detail = "A second senior person (the employee relations lead or an executive) must sign off the completed checklist."
	if signed && cl.SignoffBy == c.HRUserID {
		signed, detail = false, "The sign-off was given by the case's HR adviser. A second senior person must sign it off."
	}
	if signed && cl.SignoffBy == cl.UpdatedBy {
		signed, detail = false, "The sign-off was given by the person who last changed the checklist. A second senior person must sign it off."
	}
	add(PreSignOff, "Signed off by a second senior person", signed, detail)
	return out, assessmentID, nil
}

// justCulture checks the just culture guide assessment a report-linked
// case relies on: the case's own if set, or else the latest completed
// assessment of this person for this case or its event.
func (s *Service) justCulture(ctx context.Context, q store.Querier, c Case) (Precondition, int64, error) {
	pc := Precondition{Name: PreJustCulture, Label: "A completed just culture guide assessment supports individual action"}
	aid := c.AssessmentID
	if aid == 0 {
		err := q.QueryRowContext(ctx, `SELECT id FROM assessments WHERE person_id = ? AND (case_id = ? OR report_id = ?) AND status = 'complete'
			ORDER BY completed_at DESC, id DESC LIMIT 1`, c.PersonID, c.ID, c.ReportID).Scan(&aid)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return pc, 0, fmt.Errorf("casework: find assessment: %w", err)
		}
	}
	if aid == 0 {
		var unfinished int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM assessments WHERE person_id = ? AND (case_id = ? OR report_id = ?)`,
			c.PersonID, c.ID, c.ReportID).Scan(&unfinished); err != nil {
			return pc, 0, fmt.Errorf("casework: find assessment: %w", err)
		}
		if unfinished > 0 {
			pc.Detail = "The just culture guide assessment of " + c.PersonName + " for " + c.ReportReference +
				" is not finished. Answer every question on its path and complete the bias check."
		} else {
			pc.Detail = "This concern arose from the patient safety event " + c.ReportReference + ". Work through the just culture guide together for " +
				c.PersonName + " before deciding on formal action."
		}
		return pc, 0, nil
	}
	var person int64
	var status string
	var newer int
	err := q.QueryRowContext(ctx, `SELECT person_id, status, (SELECT count(*) FROM assessments n WHERE n.previous_id = a.id)
		FROM assessments a WHERE a.id = ?`, aid).Scan(&person, &status, &newer)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		pc.Detail = "The just culture guide assessment this case relied on no longer exists. Work through the guide again."
		return pc, 0, nil
	case err != nil:
		return pc, 0, fmt.Errorf("casework: read assessment: %w", err)
	case person != c.PersonID:
		pc.Detail = "The just culture guide assessment linked to this case is about someone else. Work through the guide for " + c.PersonName + "."
		return pc, 0, nil
	case newer > 0:
		pc.Detail = "The just culture guide assessment has been revisited. Finish the new version, including the bias check, and the case can rely on that."
		return pc, 0, nil
	case status != "complete":
		pc.Detail = "The just culture guide assessment of " + c.PersonName + " is not finished. Answer every question on its path and complete the bias check."
		return pc, 0, nil
	}
	a, ok, err := s.Culture.FormalActionCheck(ctx, c.PersonID, aid)
	if err != nil {
		return pc, 0, fmt.Errorf("casework: just culture check: %w", err)
	}
	if ok {
		pc.Met = true
		return pc, aid, nil
	}
	if ep, found := a.EndPoint(); found {
		pc.Detail = fmt.Sprintf("The just culture guide reached end point %s, %q. %s Formal action against %s is not supported by this assessment; "+
			"let the learning response find what to change in the system. If new facts come to light, revisit the assessment.",
			ep.ID, ep.Title, ep.Summary, c.PersonName)
	} else {
		pc.Detail = "The just culture guide assessment has no end point that supports formal action. Revisit it with the people who took part."
	}
	return pc, 0, nil
}

// MoveToFormal makes an early concern formal and starts its first stage,
// or returns *UnmetError listing every unmet precondition. Only the case's
// handler may.
func (s *Service) MoveToFormal(ctx context.Context, p *authz.Principal, id int64) (Case, error) {
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.handle(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if a.Status == Formal {
			return ErrAlreadyFormal
		}
		c, err := loadCase(ctx, tx, id)
		if err != nil {
			return err
		}
		cl, err := loadChecklist(ctx, tx, id)
		if err != nil {
			return err
		}
		pcs, assessmentID, err := s.evaluate(ctx, tx, c, cl)
		if err != nil {
			return err
		}
		var unmet []Precondition
		for _, pc := range pcs {
			if !pc.Met {
				unmet = append(unmet, pc)
			}
		}
		if len(unmet) > 0 {
			return &UnmetError{Unmet: unmet}
		}
		var code, name string
		var days int
		err = tx.QueryRowContext(ctx, `SELECT code, name, target_days FROM case_stage_definitions WHERE case_type = ? AND retired = FALSE
			ORDER BY position LIMIT 1`, string(c.Type)).Scan(&code, &name, &days)
		if err != nil {
			return fmt.Errorf("casework: first stage of %s: %w", c.Type, err)
		}
		today := s.today()
		target := today.AddDate(0, 0, days)
		now := store.T(s.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET status = ?, formal_on = ?, stage_code = ?, assessment_id = COALESCE(?, assessment_id), updated_at = ?
			WHERE id = ?`, string(Formal), dateText(today), code, nullID(assessmentID), now, id); err != nil {
			return fmt.Errorf("casework: move to formal: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_stages (case_id, stage_code, started_on, target_on, started_by) VALUES (?, ?, ?, ?, ?)`,
			id, code, dateText(today), dateText(target), p.UserID); err != nil {
			return fmt.Errorf("casework: first stage: %w", err)
		}
		if _, err := s.addSystemEntry(ctx, tx, p, id, EntryFormal, "The case became formal",
			"The first stage is "+name+", with a target of "+humanDate(dateText(target))+".", true); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "case.formal", id, "stage "+code)
	})
	if err != nil {
		return Case{}, err
	}
	c, err := loadCase(ctx, s.DB, id)
	if err != nil {
		return Case{}, err
	}
	return c, s.fill(ctx, s.DB, &c)
}

// Parties lists a case's current parties, for its handlers, manager and
// representative (not the employee, who reads their timeline). Audited.
func (s *Service) Parties(ctx context.Context, p *authz.Principal, id int64) ([]Party, error) {
	var out []Party
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.accessTo(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if !a.SeesInternal() {
			return ErrNotAllowed
		}
		if out, err = activeParties(ctx, tx, id); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "case.parties.read", id, "")
	})
	return out, err
}

func activeParties(ctx context.Context, q store.Querier, caseID int64) ([]Party, error) {
	rows, err := q.QueryContext(ctx, `SELECT cp.id, cp.role, COALESCE(cp.person_id, 0), COALESCE(cp.user_id, 0), cp.name,
		COALESCE(pe.employee_number, ''), cp.added_at FROM case_parties cp LEFT JOIN people pe ON pe.id = cp.person_id
		WHERE cp.case_id = ? AND cp.removed_at IS NULL ORDER BY cp.id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("casework: read parties: %w", err)
	}
	defer rows.Close()
	var out []Party
	for rows.Next() {
		var pt Party
		var added store.Time
		if err := rows.Scan(&pt.ID, &pt.Role, &pt.PersonID, &pt.UserID, &pt.Name, &pt.EmployeeNumber, &added); err != nil {
			return nil, fmt.Errorf("casework: read parties: %w", err)
		}
		pt.AddedAt = added.Time
		out = append(out, pt)
	}
	return out, rows.Err()
}

// samePerson reports whether two parties are the same person: by directory
// record, by candour account, or (for people known only by name) by name.
func samePerson(a, b Party) bool {
	switch {
	case a.PersonID != 0 && a.PersonID == b.PersonID, a.UserID != 0 && a.UserID == b.UserID:
		return true
	case a.PersonID == 0 && a.UserID == 0 || b.PersonID == 0 && b.UserID == 0:
		return strings.EqualFold(strings.Join(strings.Fields(a.Name), " "), strings.Join(strings.Fields(b.Name), " "))
	}
	return false
}

// AddParty adds a party: a directory person by employee number, a candour
// user by email, or just a name (for example an external witness). The
// decision maker cannot be the investigator, a union representative party
// must hold the union representative role, and nobody can be a party to a
// case about themselves. Naming or changing the investigator or decision
// maker clears the checklist sign-off, because conflicts were declared for
// the people named. Field names: role, person, user, name.
func (s *Service) AddParty(ctx context.Context, p *authz.Principal, id int64, in PartyInput) (Party, error) {
	var pt Party
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		a, err := s.handle(ctx, tx, p, id)
		if err != nil {
			return err
		}
		var errs validate.Errors
		pt = Party{Role: strings.TrimSpace(in.Role)}
		if !validOption(PartyRoles(), pt.Role) {
			errs.Add("role", "Choose the part this person plays in the case")
		}
		num, email := strings.ToValidUTF8(strings.TrimSpace(in.Person), ""), strings.TrimSpace(in.User)
		name := errs.Text("name", "Their name", in.Name, false, maxShort)
		given := 0
		for _, v := range []string{num, email, name} {
			if v != "" {
				given++
			}
		}
		var roles []authz.Role
		switch {
		case given == 0:
			errs.Add("person", "Enter an employee number, the email address of their candour account, or their name")
		case given > 1:
			errs.Add("person", "Enter just one of the employee number, the email address or the name")
		case num != "":
			var leave string
			err := tx.QueryRowContext(ctx, `SELECT id, name, COALESCE(leave_date, '') FROM people WHERE employee_number = ?`, num).Scan(&pt.PersonID, &pt.Name, &leave)
			if errors.Is(err, sql.ErrNoRows) {
				errs.Add("person", "No one in the people directory has employee number "+num)
				break
			} else if err != nil {
				return fmt.Errorf("casework: find person: %w", err)
			}
			pt.EmployeeNumber = num
			// Their candour account, if they have one, for the checks below.
			err = tx.QueryRowContext(ctx, `SELECT id FROM users WHERE person_id = ? AND NOT disabled ORDER BY id LIMIT 1`, pt.PersonID).Scan(&pt.UserID)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("casework: find user: %w", err)
			}
			if pt.UserID != 0 {
				if roles, err = userRoles(ctx, tx, pt.UserID); err != nil {
					return err
				}
			}
		case email != "":
			u, found, err := userByEmail(ctx, tx, email)
			if err != nil {
				return err
			}
			if !found {
				errs.Add("user", "No active candour user has the email address "+email)
				break
			}
			pt.UserID, pt.PersonID, pt.Name, roles = u.ID, u.PersonID, u.Name, u.Roles
		default:
			pt.Name = name
		}
		if len(errs) > 0 {
			return errs
		}
		field := "person"
		switch {
		case email != "":
			field = "user"
		case num == "":
			field = "name"
		}
		if pt.PersonID != 0 && pt.PersonID == a.PersonID {
			errs.Add(field, pt.Name+" is the person the case is about, so cannot also be "+strings.ToLower(PartyRoleLabel(pt.Role)))
		}
		if pt.Role == RoleUnionRep && !hasRole(roles, authz.UnionRep) {
			errs.Add(field, pt.Name+" is not a trade union representative in candour")
		}
		current, err := activeParties(ctx, tx, id)
		if err != nil {
			return err
		}
		for _, o := range current {
			if !samePerson(o, pt) {
				continue
			}
			switch {
			case o.Role == pt.Role:
				errs.Add(field, pt.Name+" is already named as "+strings.ToLower(PartyRoleLabel(pt.Role)))
			case pt.Role == RoleDecisionMaker && o.Role == RoleInvestigator:
				errs.Add(field, pt.Name+" is the investigator, so cannot also be the decision maker. The decision must be independent of the investigation")
			case pt.Role == RoleInvestigator && o.Role == RoleDecisionMaker:
				errs.Add(field, pt.Name+" is the decision maker, so cannot also be the investigator. The decision must be independent of the investigation")
			}
		}
		if len(errs) > 0 {
			return errs
		}
		now := s.Now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO case_parties (case_id, role, person_id, user_id, name, added_by, added_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, id, pt.Role, nullID(pt.PersonID), nullID(pt.UserID), pt.Name, p.UserID, store.T(now)).Scan(&pt.ID); err != nil {
			return fmt.Errorf("casework: add party: %w", err)
		}
		pt.AddedAt = now
		if pt.Role == RoleInvestigator || pt.Role == RoleDecisionMaker {
			if err := s.clearSignOff(ctx, tx, p, id, "the "+strings.ToLower(PartyRoleLabel(pt.Role))+" changed"); err != nil {
				return err
			}
		}
		if _, err := s.addSystemEntry(ctx, tx, p, id, EntryParty, PartyRoleLabel(pt.Role)+": "+pt.Name, "", false); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "case.party.add", id, fmt.Sprintf("party %d %s", pt.ID, pt.Role))
	})
	if err != nil {
		return Party{}, err
	}
	return pt, nil
}

// RemoveParty takes a party off the case; the row is kept, marked removed,
// so that the history still shows who took part.
func (s *Service) RemoveParty(ctx context.Context, p *authz.Principal, id, partyID int64) error {
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := s.handle(ctx, tx, p, id); err != nil {
			return err
		}
		var role, name string
		err := tx.QueryRowContext(ctx, `SELECT role, name FROM case_parties WHERE id = ? AND case_id = ? AND removed_at IS NULL`, partyID, id).Scan(&role, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotAllowed
		}
		if err != nil {
			return fmt.Errorf("casework: read party: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE case_parties SET removed_at = ? WHERE id = ?`, store.T(s.Now()), partyID); err != nil {
			return fmt.Errorf("casework: remove party: %w", err)
		}
		if role == RoleInvestigator || role == RoleDecisionMaker {
			if err := s.clearSignOff(ctx, tx, p, id, "the "+strings.ToLower(PartyRoleLabel(role))+" changed"); err != nil {
				return err
			}
		}
		if _, err := s.addSystemEntry(ctx, tx, p, id, EntryParty, name+" is no longer "+strings.ToLower(PartyRoleLabel(role)), "", false); err != nil {
			return err
		}
		return s.record(ctx, tx, p, "case.party.remove", id, fmt.Sprintf("party %d %s", partyID, role))
	})
}

// userRoles reads a user's roles.
func userRoles(ctx context.Context, q store.Querier, userID int64) ([]authz.Role, error) {
	rows, err := q.QueryContext(ctx, `SELECT role FROM user_roles WHERE user_id = ?`, userID)
	if err != nil {
		return nil, fmt.Errorf("casework: read roles: %w", err)
	}
	defer rows.Close()
	var out []authz.Role
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, fmt.Errorf("casework: read roles: %w", err)
		}
		out = append(out, authz.Role(r))
	}
	return out, rows.Err()
}

func hasRole(roles []authz.Role, r authz.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

// nullText stores an empty string as NULL.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// AwaitingSignOff lists the early concerns whose checklist has been filled
// in but not signed off, for the people who may sign: the ER lead and
// executives. Cases the caller advises on, or whose checklist they last
// changed, are left out, since they cannot sign those. The list is audited.
func (s *Service) AwaitingSignOff(ctx context.Context, p *authz.Principal) ([]CaseSummary, error) {
	if p == nil || p.UserID == 0 {
		return nil, ErrNotAllowed
	}
	lead, err := isLead(ctx, s.DB, p)
	if err != nil {
		return nil, err
	}
	if !lead && !p.Has(authz.Exec) {
		return nil, ErrNotAllowed
	}
	out, err := s.summaries(ctx, `c.status = 'early_concern' AND (c.hr_user_id IS NULL OR c.hr_user_id <> ?) AND EXISTS (SELECT 1 FROM case_checklists cl
		WHERE cl.case_id = c.id AND cl.updated_by IS NOT NULL AND cl.updated_by <> ? AND cl.signoff_by IS NULL)`, []any{p.UserID, p.UserID}, Filter{})
	if err != nil {
		return nil, err
	}
	return out, s.DB.InTx(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, s.Now(), actorOf(p), "case.signoff.list", "case", "", fmt.Sprintf("%d cases awaiting sign-off", len(out)))
	})
}
