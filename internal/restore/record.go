package restore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/validate"
)

// Who is someone hurt by an event, in the first part of the checklist.
type Who string

// The people and groups a restorative record names.
const (
	Patient      Who = "patient"
	FamilyCarer  Who = "family_carer"
	StaffMember  Who = "staff"
	Organisation Who = "organisation"
	Community    Who = "community"
	OtherPerson  Who = "other"
)

// WhoOptions lists who may have been hurt, with what they typically need as
// the hint: a prompt for the conversation, never a form to fill in.
func WhoOptions() []Option {
	return []Option{
		{string(Patient), "The patient", "First victim. Often needs: to know what happened, to be able to ask the people involved, for things to be put right, and to be assured it will not happen to someone else."},
		{string(FamilyCarer), "Family or carer", "First victim. Often needs the same as the patient: honest information, someone to ask, repair, and assurance for the future."},
		{string(StaffMember), "Staff involved (second victim)", "Carers hurt by what happened. Often need: psychological first aid, compassion rather than blame, and a supported way back to their work."},
		{string(Organisation), "The organisation", "Often needs: to understand what happened, the leverage to change how work is done, and to repair trust."},
		{string(Community), "Witnesses and the community", "Other patients, visitors, colleagues who saw it. Often need: information and reassurance."},
		{string(OtherPerson), "Someone else", "Anyone else affected. Ask them what they need."},
	}
}

// WhoLabel is the label for people of a Who value.
func WhoLabel(w Who) string { return optionLabel(WhoOptions(), string(w)) }

// SuggestedNeeds lists what people of kind w typically need, as prompts.
func SuggestedNeeds(w Who) []string {
	switch w {
	case Patient, FamilyCarer:
		return []string{"Information", "Access to the people involved", "Restitution", "Assurance it will not happen again"}
	case StaffMember:
		return []string{"Psychological first aid", "Compassion", "Reintegration"}
	case Organisation:
		return []string{"Information", "Leverage for change", "Repair"}
	case Community:
		return []string{"Information", "Reassurance"}
	}
	return nil
}

// ObligationHint says who usually carries the obligation to meet the needs
// of people of kind w.
func ObligationHint(w Who) string {
	switch w {
	case Patient, FamilyCarer:
		return "Usually the organisation, through the people who explain and put things right. The patient and family may choose to tell their story."
	case StaffMember:
		return "The organisation and colleagues, who offer support. The staff involved may choose to give their account and help others learn."
	case Organisation:
		return "Leaders, who take part, offer help and look for fixes in the system rather than in people."
	case Community:
		return "Those who can explain what happened and what changes. The community may choose to take part."
	}
	return ""
}

// Need is one person or group hurt, what they need and whose job it is.
type Need struct {
	ID          int64  `json:"id"`
	Who         Who    `json:"who"`
	WhoLabel    string `json:"who_label"`
	Description string `json:"description"`
	Needs       string `json:"needs"`
	Obligation  string `json:"obligation"`
	Met         bool   `json:"met"`
}

// The four goals of the checklist's last part.
const (
	MoralEngagement        = "moral_engagement"
	EmotionalHealing       = "emotional_healing"
	Reintegration          = "reintegration"
	OrganisationalLearning = "organisational_learning"
)

// GoalOptions lists the goals in order, with what reaching each looks like.
func GoalOptions() []Option {
	return []Option{
		{MoralEngagement, "Moral engagement", "Those involved, the organisation and the people affected have talked honestly about what happened and the harm it did."},
		{EmotionalHealing, "Emotional healing", "People who were hurt, patients and families and staff alike, feel heard and are recovering."},
		{Reintegration, "Reintegration of the practitioner", "The staff involved are back at their work, or on a supported way back, and trusted by their team."},
		{OrganisationalLearning, "Organisational learning", "The organisation understands what made the event possible and has changed something because of it."},
	}
}

// Goal is whether one goal was achieved. Achieved is nil until answered.
type Goal struct {
	Key      string `json:"key"`
	Label    string `json:"label"`
	Achieved *bool  `json:"achieved"`
	Note     string `json:"note"`
}

// GoalAnswer is an answer for one goal: Achieved is nil for "not yet".
type GoalAnswer struct {
	Achieved *bool
	Note     string
}

type storedGoal struct {
	Achieved *bool  `json:"achieved"`
	Note     string `json:"note"`
}

// Record is a restorative record.
type Record struct {
	ID              int64     `json:"id"`
	ReportID        int64     `json:"report_id,omitempty"`
	ReportReference string    `json:"report,omitempty"`
	ResponseID      int64     `json:"response_id,omitempty"`
	ResponseTitle   string    `json:"response_title,omitempty"`
	Needs           []Need    `json:"needs"`
	Goals           []Goal    `json:"goals"`
	CreatedByName   string    `json:"created_by"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// Progress is how far a record has come through the checklist.
type Progress struct {
	// Acknowledged: at least one person or group hurt is named.
	Acknowledged bool `json:"acknowledged"`
	// Explored: every one of them has what they need written down.
	Explored bool `json:"explored"`
	// Identified: every need has someone whose obligation it is.
	Identified bool `json:"identified"`
	// Achieved: all four goals were reached.
	Achieved      bool `json:"achieved"`
	NeedsMet      int  `json:"needs_met"`
	NeedsTotal    int  `json:"needs_total"`
	GoalsAchieved int  `json:"goals_achieved"`
}

// Progress works out the record's progress through the checklist.
func (r Record) Progress() Progress {
	pr := Progress{NeedsTotal: len(r.Needs), Acknowledged: len(r.Needs) > 0, Explored: len(r.Needs) > 0, Identified: len(r.Needs) > 0}
	for _, n := range r.Needs {
		if n.Met {
			pr.NeedsMet++
		}
		if n.Needs == "" {
			pr.Explored = false
		}
		if n.Obligation == "" {
			pr.Identified = false
		}
	}
	for _, g := range r.Goals {
		if g.Achieved != nil && *g.Achieved {
			pr.GoalsAchieved++
		}
	}
	pr.Achieved = pr.GoalsAchieved == len(GoalOptions())
	return pr
}

// Summary is a record in a list.
type Summary struct {
	ID              int64     `json:"id"`
	ReportID        int64     `json:"report_id,omitempty"`
	ReportReference string    `json:"report,omitempty"`
	ResponseID      int64     `json:"response_id,omitempty"`
	ResponseTitle   string    `json:"response_title,omitempty"`
	NeedsTotal      int       `json:"needs_total"`
	NeedsMet        int       `json:"needs_met"`
	GoalsAchieved   int       `json:"goals_achieved"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// RecordInput starts a record: for a patient safety event (Report, its
// reference or number) or a learning response (ResponseID), one of them.
type RecordInput struct {
	Report     string
	ResponseID int64
}

// CreateRecord starts a restorative record. Only the patient safety team
// may; each event and each learning response has at most one record.
func (s *Service) CreateRecord(ctx context.Context, p *authz.Principal, in RecordInput) (Record, error) {
	if !isSafety(p) {
		return Record{}, ErrNotAllowed
	}
	var newID int64
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		var errs validate.Errors
		if strings.TrimSpace(in.Report) == "" && in.ResponseID == 0 {
			errs.Add("report", "Enter the reference of the patient safety event, or the number of a learning response")
			return errs
		}
		if strings.TrimSpace(in.Report) != "" && in.ResponseID != 0 {
			errs.Add("report", "Start the record for the event or for the learning response, not both")
			return errs
		}
		t, err := resolveTarget(ctx, tx, in.Report, in.ResponseID, &errs)
		if err != nil {
			return err
		}
		if len(errs) > 0 {
			return errs
		}
		var existing int64
		if t.ReportID != 0 {
			err = tx.QueryRowContext(ctx, `SELECT id FROM restorative_records WHERE report_id = ? ORDER BY id LIMIT 1`, t.ReportID).Scan(&existing)
		} else {
			err = tx.QueryRowContext(ctx, `SELECT id FROM restorative_records WHERE response_id = ? ORDER BY id LIMIT 1`, t.ResponseID).Scan(&existing)
		}
		switch {
		case err == nil:
			if t.ReportID != 0 {
				errs.Add("report", t.ReportReference+" already has a restorative record, number "+id(existing)+"; carry on with that one")
			} else {
				errs.Add("response_id", "Learning response "+id(t.ResponseID)+" already has a restorative record, number "+id(existing)+"; carry on with that one")
			}
			return errs
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("check for a record: %w", err)
		}
		now := store.T(s.Now())
		if err := tx.QueryRowContext(ctx, `INSERT INTO restorative_records (report_id, response_id, goals, created_by, created_at, updated_at)
			VALUES (?, ?, '{}', ?, ?, ?) RETURNING id`, nullID(t.ReportID), nullID(t.ResponseID), p.UserID, now, now).Scan(&newID); err != nil {
			return fmt.Errorf("create restorative record: %w", err)
		}
		detail := "event " + t.ReportReference
		if t.ResponseID != 0 {
			detail = "learning response " + id(t.ResponseID)
		}
		return audit.Record(ctx, tx, s.Now(), actorOf(p), "restore.create", "restorative_record", id(newID), detail)
	})
	if err != nil {
		return Record{}, err
	}
	return s.load(ctx, s.DB, newID)
}

// Records lists every restorative record, newest first, for the patient
// safety team. The list is audited.
func (s *Service) Records(ctx context.Context, p *authz.Principal) ([]Summary, error) {
	if !isSafety(p) {
		return nil, ErrNotAllowed
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT rr.id, COALESCE(rr.report_id, 0), COALESCE(r.reference, ''), COALESCE(rr.response_id, 0), COALESCE(lr.title, ''),
		(SELECT count(*) FROM restorative_needs n WHERE n.record_id = rr.id),
		(SELECT count(*) FROM restorative_needs n WHERE n.record_id = rr.id AND n.met = TRUE),
		rr.goals, rr.created_at, rr.updated_at
		FROM restorative_records rr LEFT JOIN reports r ON r.id = rr.report_id LEFT JOIN learning_responses lr ON lr.id = rr.response_id
		ORDER BY rr.updated_at DESC, rr.id DESC LIMIT 500`)
	if err != nil {
		return nil, fmt.Errorf("list restorative records: %w", err)
	}
	var out []Summary
	for rows.Next() {
		var sm Summary
		var goals string
		var created, updated store.Time
		if err := rows.Scan(&sm.ID, &sm.ReportID, &sm.ReportReference, &sm.ResponseID, &sm.ResponseTitle, &sm.NeedsTotal, &sm.NeedsMet, &goals, &created, &updated); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list restorative records: %w", err)
		}
		sm.CreatedAt, sm.UpdatedAt = created.Time, updated.Time
		for _, g := range decodeGoals(goals) {
			if g.Achieved != nil && *g.Achieved {
				sm.GoalsAchieved++
			}
		}
		out = append(out, sm)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list restorative records: %w", err)
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, s.Now(), actorOf(p), "restore.list", "restorative_record", "", "")
	})
	return out, err
}

// Record returns one restorative record for the patient safety team, and
// audits the read.
func (s *Service) Record(ctx context.Context, p *authz.Principal, recordID int64) (Record, error) {
	if !isSafety(p) {
		return Record{}, ErrNotAllowed
	}
	r, err := s.load(ctx, s.DB, recordID)
	if err != nil {
		return Record{}, err
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, s.Now(), actorOf(p), "restore.read", "restorative_record", id(recordID), "")
	})
	return r, err
}

func decodeGoals(text string) []Goal {
	stored := map[string]storedGoal{}
	json.Unmarshal([]byte(text), &stored)
	var out []Goal
	for _, o := range GoalOptions() {
		g := stored[o.Value]
		out = append(out, Goal{Key: o.Value, Label: o.Label, Achieved: g.Achieved, Note: g.Note})
	}
	return out
}

func (s *Service) load(ctx context.Context, q store.Querier, recordID int64) (Record, error) {
	var r Record
	var goals string
	var created, updated store.Time
	err := q.QueryRowContext(ctx, `SELECT rr.id, COALESCE(rr.report_id, 0), COALESCE(r.reference, ''), COALESCE(rr.response_id, 0), COALESCE(lr.title, ''),
		rr.goals, COALESCE(u.name, ''), rr.created_at, rr.updated_at
		FROM restorative_records rr LEFT JOIN reports r ON r.id = rr.report_id LEFT JOIN learning_responses lr ON lr.id = rr.response_id
		LEFT JOIN users u ON u.id = rr.created_by WHERE rr.id = ?`, recordID).
		Scan(&r.ID, &r.ReportID, &r.ReportReference, &r.ResponseID, &r.ResponseTitle, &goals, &r.CreatedByName, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return Record{}, ErrNotAllowed
	}
	if err != nil {
		return Record{}, fmt.Errorf("read restorative record %d: %w", recordID, err)
	}
	r.CreatedAt, r.UpdatedAt = created.Time, updated.Time
	r.Goals = decodeGoals(goals)
	rows, err := q.QueryContext(ctx, `SELECT id, who, description, needs, obligation, met FROM restorative_needs WHERE record_id = ? ORDER BY id`, recordID)
	if err != nil {
		return Record{}, fmt.Errorf("read needs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n Need
		if err := rows.Scan(&n.ID, &n.Who, &n.Description, &n.Needs, &n.Obligation, &n.Met); err != nil {
			return Record{}, fmt.Errorf("read needs: %w", err)
		}
		n.WhoLabel = WhoLabel(n.Who)
		r.Needs = append(r.Needs, n)
	}
	return r, rows.Err()
}

// NeedInput is a person or group hurt and, when known, what they need and
// whose obligation it is to meet it.
type NeedInput struct {
	Who         string
	Description string
	Needs       string
	Obligation  string
	Met         bool
}

// Limits on the record's free text.
const (
	maxDescription = 300
	maxNeeds       = 2000
	maxObligation  = 1000
	maxGoalNote    = 2000
)

func checkNeed(in NeedInput, withWho bool) (NeedInput, validate.Errors) {
	var errs validate.Errors
	if withWho && !validOption(WhoOptions(), in.Who) {
		errs.Add("who", "Choose who has been hurt")
	}
	in.Description = errs.Text("description", "A description of who they are", in.Description, withWho, maxDescription)
	in.Needs = errs.Text("needs", "What they need", in.Needs, false, maxNeeds)
	in.Obligation = errs.Text("obligation", "Whose obligation it is", in.Obligation, false, maxObligation)
	if in.Met && in.Needs == "" && !errs.Has("needs") {
		errs.Add("needs", "Write down what they need before marking it as met")
	}
	if in.Met && in.Obligation == "" && !errs.Has("obligation") {
		errs.Add("obligation", "Say whose obligation it was before marking the need as met")
	}
	return in, errs
}

// change runs fn on a record in a transaction for the patient safety team,
// touches it and records the audit entry.
func (s *Service) change(ctx context.Context, p *authz.Principal, recordID int64, action string, fn func(tx *store.Tx, r Record) (string, error)) error {
	if !isSafety(p) {
		return ErrNotAllowed
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		r, err := s.load(ctx, tx, recordID)
		if err != nil {
			return err
		}
		detail, err := fn(tx, r)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE restorative_records SET updated_at = ? WHERE id = ?`, store.T(s.Now()), recordID); err != nil {
			return fmt.Errorf("touch restorative record: %w", err)
		}
		return audit.Record(ctx, tx, s.Now(), actorOf(p), action, "restorative_record", id(recordID), detail)
	})
}

// maxNeedsPerRecord bounds how many people and groups one record names.
const maxNeedsPerRecord = 50

// AddNeed names someone hurt on a record: who they are and, when known, what
// they need and whose obligation it is.
func (s *Service) AddNeed(ctx context.Context, p *authz.Principal, recordID int64, in NeedInput) (Need, error) {
	in, errs := checkNeed(in, true)
	if len(errs) > 0 && isSafety(p) {
		return Need{}, errs
	}
	var n Need
	err := s.change(ctx, p, recordID, "restore.need.add", func(tx *store.Tx, r Record) (string, error) {
		if len(r.Needs) >= maxNeedsPerRecord {
			return "", validate.Errors{{Field: "who", Message: "A record can name at most 50 people or groups; group similar ones together"}}
		}
		n = Need{Who: Who(in.Who), WhoLabel: WhoLabel(Who(in.Who)), Description: in.Description, Needs: in.Needs, Obligation: in.Obligation, Met: in.Met}
		if err := tx.QueryRowContext(ctx, `INSERT INTO restorative_needs (record_id, who, description, needs, obligation, met) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			recordID, in.Who, in.Description, in.Needs, in.Obligation, in.Met).Scan(&n.ID); err != nil {
			return "", fmt.Errorf("add need: %w", err)
		}
		return "need " + id(n.ID) + " (" + in.Who + ")", nil
	})
	return n, err
}

// NeedUpdate is what can change about a need once named.
type NeedUpdate struct {
	Needs      string
	Obligation string
	Met        bool
}

// UpdateNeed records what someone needs, whose obligation it is and
// whether it has been met.
func (s *Service) UpdateNeed(ctx context.Context, p *authz.Principal, recordID, needID int64, up NeedUpdate) (Need, error) {
	in, errs := checkNeed(NeedInput{Needs: up.Needs, Obligation: up.Obligation, Met: up.Met}, false)
	if len(errs) > 0 && isSafety(p) {
		return Need{}, errs
	}
	var n Need
	err := s.change(ctx, p, recordID, "restore.need.update", func(tx *store.Tx, r Record) (string, error) {
		found := false
		for _, x := range r.Needs {
			if x.ID == needID {
				n, found = x, true
			}
		}
		if !found {
			return "", ErrNotAllowed
		}
		n.Needs, n.Obligation, n.Met = in.Needs, in.Obligation, in.Met
		if _, err := tx.ExecContext(ctx, `UPDATE restorative_needs SET needs = ?, obligation = ?, met = ? WHERE id = ? AND record_id = ?`,
			n.Needs, n.Obligation, n.Met, needID, recordID); err != nil {
			return "", fmt.Errorf("update need: %w", err)
		}
		detail := "need " + id(needID)
		if n.Met {
			detail += " met"
		}
		return detail, nil
	})
	return n, err
}

// Need returns one need of a record, for its edit page.
func (s *Service) Need(ctx context.Context, p *authz.Principal, recordID, needID int64) (Record, Need, error) {
	r, err := s.Record(ctx, p, recordID)
	if err != nil {
		return r, Need{}, err
	}
	for _, n := range r.Needs {
		if n.ID == needID {
			return r, n, nil
		}
	}
	return r, Need{}, ErrNotAllowed
}

// SetGoals records, for each of the four goals, whether it was achieved and
// a note. A goal left out of answers stays as it was. Saying a goal was
// achieved needs a note saying how.
func (s *Service) SetGoals(ctx context.Context, p *authz.Principal, recordID int64, answers map[string]GoalAnswer) (Record, error) {
	var errs validate.Errors
	for k := range answers {
		if !validOption(GoalOptions(), k) {
			errs.Add(k, "There is no goal called "+k+"; the goals are moral_engagement, emotional_healing, reintegration and organisational_learning")
		}
	}
	clean := map[string]GoalAnswer{}
	for _, o := range GoalOptions() {
		a, ok := answers[o.Value]
		if !ok {
			continue
		}
		a.Note = errs.Text(o.Value+"_note", "The note on "+strings.ToLower(o.Label), a.Note, false, maxGoalNote)
		if a.Achieved != nil && *a.Achieved && a.Note == "" && !errs.Has(o.Value+"_note") {
			errs.Add(o.Value+"_note", "Say how "+strings.ToLower(o.Label)+" was achieved")
		}
		clean[o.Value] = a
	}
	if len(errs) > 0 && isSafety(p) {
		return Record{}, errs
	}
	err := s.change(ctx, p, recordID, "restore.goals", func(tx *store.Tx, r Record) (string, error) {
		stored := map[string]storedGoal{}
		var achieved []string
		for _, g := range r.Goals {
			sg := storedGoal{Achieved: g.Achieved, Note: g.Note}
			if a, ok := clean[g.Key]; ok {
				sg = storedGoal{Achieved: a.Achieved, Note: a.Note}
			}
			stored[g.Key] = sg
			if sg.Achieved != nil && *sg.Achieved {
				achieved = append(achieved, g.Key)
			}
		}
		b, err := json.Marshal(stored)
		if err != nil {
			return "", err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE restorative_records SET goals = ? WHERE id = ?`, string(b), recordID); err != nil {
			return "", fmt.Errorf("set goals: %w", err)
		}
		return "achieved: " + strings.Join(achieved, ","), nil
	})
	if err != nil {
		return Record{}, err
	}
	return s.load(ctx, s.DB, recordID)
}

// EventReference returns the reference of the patient safety event numbered
// reportID, for the patient safety team, or "" when there is none.
func (s *Service) EventReference(ctx context.Context, p *authz.Principal, reportID int64) string {
	if !isSafety(p) {
		return ""
	}
	var ref string
	s.DB.QueryRowContext(ctx, `SELECT reference FROM reports WHERE id = ? AND kind = 'safety_event'`, reportID).Scan(&ref)
	return ref
}
