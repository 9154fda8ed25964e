package justculture

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/guide"
	"candour/internal/store"
	"candour/internal/validate"
)

// Status is where an assessment is.
type Status string

// The statuses of an assessment.
const (
	// Answering: questions remain on the path.
	Answering Status = "in_progress"
	// BiasCheck: an end point is reached; the bias check is still to do.
	BiasCheck Status = "awaiting_bias_check"
	// Complete: the end point and the bias check are recorded.
	Complete Status = "complete"
)

// Bias check answers to "Would we have reached the same answer for a
// colleague of a different ethnicity, staff group, grade or disability?"
func BiasAnswers() []struct{ Value, Label string } {
	return []struct{ Value, Label string }{
		{"yes", "Yes, we would have reached the same answer"},
		{"no", "No, we might not have"},
		{"unsure", "We are not sure"},
	}
}

// Participant is someone who took part in the conversation.
type Participant struct {
	UserID      int64
	Name, Email string
}

// Assessment is one run of a guide for one action or omission.
type Assessment struct {
	ID               int64
	Definition       Definition
	PersonID         int64
	PersonName       string
	EmployeeNumber   string
	StaffGroup       string
	Action           string
	ReportID         int64
	ReportReference  string
	LearningResponse int64
	CaseID           int64
	Status           Status
	Answers          map[string]guide.Answer
	Outcome          string
	Path             []string
	ConcernConfirmed bool
	BiasSame         string
	BiasReason       string
	PreviousID       int64
	RootID           int64
	Version          int
	SharedWithPerson bool
	CreatedBy        int64
	CreatedAt        time.Time
	CompletedAt      time.Time
	Participants     []Participant
	// NextQuestion is the question to answer next while Answering.
	NextQuestion *guide.Question
}

// EndPoint returns the end point reached, if any.
func (a Assessment) EndPoint() (*guide.EndPoint, bool) {
	if a.Outcome == "" || a.Definition.Guide == nil {
		return nil, false
	}
	return a.Definition.Guide.EndPoint(a.Outcome)
}

// SupportsFormalAction reports whether the completed assessment's end point
// can support formal action against the individual.
func (a Assessment) SupportsFormalAction() bool {
	ep, ok := a.EndPoint()
	return ok && a.Status == Complete && ep.SupportsFormalAction
}

// StartInput opens an assessment.
type StartInput struct {
	// DefinitionID picks a guide version; zero means the current version
	// of GuideID.
	DefinitionID int64
	GuideID      string
	// Action is the single action or omission being considered.
	Action string
	// EmployeeNumber is the staff member concerned.
	EmployeeNumber string
	// Participants are the other people in the conversation, by email; the
	// person starting it takes part too.
	Participants []string
	// ReportReference optionally links a patient safety event.
	ReportReference string
	// LearningResponseID optionally links a learning response.
	LearningResponseID int64
	// ConcernConfirmed records that there is already a specific concern
	// about this individual (the guide is not for routine use).
	ConcernConfirmed bool
}

// mayStart is who may open an assessment: line managers and the patient
// safety team (HR joins through a case).
func mayStart(p *authz.Principal) bool { return p.HasAny(authz.Manager, authz.Safety, authz.HR) }

// Start opens an assessment after checking the rules of use.
func (s *Service) Start(ctx context.Context, p *authz.Principal, in StartInput) (Assessment, error) {
	if p == nil || !mayStart(p) {
		return Assessment{}, ErrNotAllowed
	}
	var errs validate.Errors
	var def Definition
	var err error
	switch {
	case in.DefinitionID != 0:
		def, err = s.Definition(ctx, in.DefinitionID)
		if err == nil && def.Retired() {
			err = ErrRetired
		}
	case in.GuideID != "":
		def, err = s.Current(ctx, in.GuideID)
	default:
		err = store.ErrNotFound
	}
	switch {
	case errors.Is(err, ErrRetired):
		errs.Add("guide", "That guide version has been retired; choose a current guide")
	case errors.Is(err, store.ErrNotFound):
		errs.Add("guide", "Choose a guide")
	case err != nil:
		return Assessment{}, err
	}
	in.Action = errs.Text("action", "The action or omission", in.Action, true, 2000)
	if !errs.Has("action") && len([]rune(in.Action)) < 10 {
		errs.Add("action", "Describe the single action or omission in a sentence (at least 10 characters)")
	}
	if !in.ConcernConfirmed {
		errs.Add("concern_confirmed", "Confirm that there is already a specific concern about this person: the guide is not for routine use")
	}
	var personID int64
	var leaveDate string
	num := strings.TrimSpace(in.EmployeeNumber)
	if num == "" {
		errs.Add("person", "Enter the employee number of the staff member concerned")
	} else if err := s.DB.QueryRowContext(ctx, `SELECT id, COALESCE(leave_date, '') FROM people WHERE employee_number = ?`, strings.ToValidUTF8(num, "")).Scan(&personID, &leaveDate); errors.Is(err, sql.ErrNoRows) {
		errs.Add("person", "No one in the people directory has employee number "+num)
	} else if err != nil {
		return Assessment{}, fmt.Errorf("find person: %w", err)
	} else if leaveDate != "" && leaveDate < s.Now().Format(store.DateLayout) {
		errs.Add("person", fmt.Sprintf("%s left on %s; the guide supports decisions about people who still work here", num, leaveDate))
	}
	users := []int64{p.UserID}
	for _, email := range in.Participants {
		email = strings.ToLower(strings.TrimSpace(email))
		if email == "" {
			continue
		}
		var uid int64
		var disabled bool
		err := s.DB.QueryRowContext(ctx, `SELECT id, disabled FROM users WHERE email = ?`, strings.ToValidUTF8(email, "")).Scan(&uid, &disabled)
		switch {
		case errors.Is(err, sql.ErrNoRows) || disabled:
			errs.Add("participants", "No active candour user has the email address "+email)
			continue
		case err != nil:
			return Assessment{}, fmt.Errorf("find participant: %w", err)
		}
		if !slices.Contains(users, uid) {
			users = append(users, uid)
		}
	}
	if len(users) < 2 && !errs.Has("participants") {
		errs.Add("participants", "Add at least one other person: the guide is a conversation between at least two people")
	}
	var reportID any
	if ref := strings.ToUpper(strings.TrimSpace(in.ReportReference)); ref != "" {
		var rid int64
		var kind string
		err := s.DB.QueryRowContext(ctx, `SELECT id, kind FROM reports WHERE reference = ?`, strings.ToValidUTF8(ref, "")).Scan(&rid, &kind)
		switch {
		case errors.Is(err, sql.ErrNoRows) || (err == nil && kind != "safety_event"):
			errs.Add("report", "No patient safety event has the reference "+ref)
		case err != nil:
			return Assessment{}, fmt.Errorf("find report: %w", err)
		default:
			reportID = rid
		}
	}
	if len(errs) > 0 {
		return Assessment{}, errs
	}
	var lr any
	if in.LearningResponseID != 0 {
		lr = in.LearningResponseID
	}
	now := s.Now()
	var id int64
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO assessments (definition_id, person_id, action, report_id, learning_response_id, status,
			concern_confirmed, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?) RETURNING id`,
			def.ID, personID, in.Action, reportID, lr, string(Answering), p.UserID, store.T(now), store.T(now)).Scan(&id); err != nil {
			return fmt.Errorf("store assessment: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE assessments SET root_id = id WHERE id = ?`, id); err != nil {
			return fmt.Errorf("store assessment: %w", err)
		}
		for _, uid := range users {
			if _, err := tx.ExecContext(ctx, `INSERT INTO assessment_participants (assessment_id, user_id) VALUES (?, ?)`, id, uid); err != nil {
				return fmt.Errorf("store participants: %w", err)
			}
		}
		return audit.Record(ctx, tx, now, actorOf(p), "assessment.start", "assessment", strconv.FormatInt(id, 10), def.Guide.String())
	})
	if err != nil {
		return Assessment{}, err
	}
	return s.load(ctx, id)
}

func actorOf(p *authz.Principal) audit.Actor { return audit.Actor{UserID: p.UserID, Label: p.Email} }

// load reads an assessment without access checks or auditing.
func (s *Service) load(ctx context.Context, id int64) (Assessment, error) {
	var a Assessment
	var defID int64
	var answers, path string
	var outcome, biasSame sql.NullString
	var created, completed store.Time
	err := s.DB.QueryRowContext(ctx, `SELECT a.id, a.definition_id, a.person_id, p.name, p.employee_number, p.staff_group, a.action,
		COALESCE(a.report_id, 0), COALESCE(r.reference, ''), COALESCE(a.learning_response_id, 0), COALESCE(a.case_id, 0), a.status,
		a.answers, a.outcome, a.path, a.concern_confirmed, a.bias_same, a.bias_reason, COALESCE(a.previous_id, 0), COALESCE(a.root_id, a.id),
		a.version, a.shared_with_person, a.created_by, a.created_at, a.completed_at
		FROM assessments a JOIN people p ON p.id = a.person_id LEFT JOIN reports r ON r.id = a.report_id WHERE a.id = ?`, id).
		Scan(&a.ID, &defID, &a.PersonID, &a.PersonName, &a.EmployeeNumber, &a.StaffGroup, &a.Action, &a.ReportID, &a.ReportReference,
			&a.LearningResponse, &a.CaseID, &a.Status, &answers, &outcome, &path, &a.ConcernConfirmed, &biasSame, &a.BiasReason,
			&a.PreviousID, &a.RootID, &a.Version, &a.SharedWithPerson, &a.CreatedBy, &created, &completed)
	if errors.Is(err, sql.ErrNoRows) {
		return Assessment{}, ErrNotAllowed
	}
	if err != nil {
		return Assessment{}, fmt.Errorf("read assessment %d: %w", id, err)
	}
	a.Outcome, a.BiasSame = outcome.String, biasSame.String
	a.CreatedAt, a.CompletedAt = created.Time, completed.Time
	if path != "" {
		a.Path = strings.Split(path, ",")
	}
	if err := json.Unmarshal([]byte(answers), &a.Answers); err != nil {
		return Assessment{}, fmt.Errorf("read answers of assessment %d: %w", id, err)
	}
	if a.Definition, err = s.Definition(ctx, defID); err != nil {
		return Assessment{}, err
	}
	if a.Status == Answering {
		q, _, err := a.Definition.Guide.Next(a.Answers)
		if err == nil {
			a.NextQuestion = q
		}
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT u.id, u.name, u.email FROM assessment_participants ap JOIN users u ON u.id = ap.user_id
		WHERE ap.assessment_id = ? ORDER BY u.name`, id)
	if err != nil {
		return Assessment{}, fmt.Errorf("read participants: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pt Participant
		if err := rows.Scan(&pt.UserID, &pt.Name, &pt.Email); err != nil {
			return Assessment{}, fmt.Errorf("read participants: %w", err)
		}
		a.Participants = append(a.Participants, pt)
	}
	return a, rows.Err()
}

// mayRead: the participants, the patient safety team (the safety lead),
// HR when the assessment is linked to a case, and the staff member concerned
// once they have been given a copy.
func (s *Service) mayRead(ctx context.Context, p *authz.Principal, a Assessment) bool {
	if p == nil {
		return false
	}
	if p.Has(authz.Safety) || (a.CaseID != 0 && p.Has(authz.HR)) {
		return true
	}
	for _, pt := range a.Participants {
		if pt.UserID == p.UserID {
			return true
		}
	}
	if a.SharedWithPerson {
		var personID int64
		s.DB.QueryRowContext(ctx, `SELECT COALESCE(person_id, 0) FROM users WHERE id = ?`, p.UserID).Scan(&personID)
		return personID != 0 && personID == a.PersonID
	}
	return false
}

// mayChange: only the participants answer and complete an assessment.
func mayChange(p *authz.Principal, a Assessment) bool {
	for _, pt := range a.Participants {
		if p != nil && pt.UserID == p.UserID {
			return true
		}
	}
	return false
}

// Get returns an assessment to someone allowed to read it, and audits the read.
func (s *Service) Get(ctx context.Context, p *authz.Principal, id int64) (Assessment, error) {
	a, err := s.load(ctx, id)
	if err != nil {
		return Assessment{}, err
	}
	if !s.mayRead(ctx, p, a) {
		return Assessment{}, ErrNotAllowed
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		return audit.Record(ctx, tx, s.Now(), actorOf(p), "assessment.read", "assessment", strconv.FormatInt(id, 10), "")
	})
	return a, err
}

// Answer records the answer to a question on the path, with its reason.
// Answering a question already answered changes that answer; answers that
// the new route no longer reaches are dropped, so the record always shows one
// path. Questions off the path cannot be answered.
func (s *Service) Answer(ctx context.Context, p *authz.Principal, id int64, questionID string, ans guide.Answer) (Assessment, error) {
	a, err := s.load(ctx, id)
	if err != nil {
		return Assessment{}, err
	}
	if !mayChange(p, a) {
		return Assessment{}, ErrNotAllowed
	}
	if a.Status == Complete {
		return Assessment{}, validate.Errors{{Field: "answer", Message: "This assessment is complete; revisit it to record a new version"}}
	}
	g := a.Definition.Guide
	q, ok := g.Question(questionID)
	if !ok {
		return Assessment{}, validate.Errors{{Field: "answer", Message: "That question is not part of this guide"}}
	}
	ans.Reason = strings.TrimSpace(ans.Reason)
	var errs validate.Errors
	ans.Reason = errs.Text("reason", "Your reason", ans.Reason, true, guide.MaxReasonLength)
	if len(errs) > 0 {
		return Assessment{}, errs
	}
	// The question must lie on the path given the answers before it.
	onPath := false
	next := g.Start()
	for {
		if next == q.ID {
			onPath = true
			break
		}
		prev, ok := a.Answers[next]
		cur, isQ := g.Question(next)
		if !ok || !isQ {
			break
		}
		next = cur.Target(prev.Value)
	}
	if !onPath {
		return Assessment{}, validate.Errors{{Field: "answer", Message: "Answer the questions in order: question " + questionID + " is not the next one on this path"}}
	}
	// Keep the answers before this question, set this one, drop the rest.
	kept := map[string]guide.Answer{}
	next = g.Start()
	for next != q.ID {
		cur, _ := g.Question(next)
		kept[next] = a.Answers[next]
		next = cur.Target(a.Answers[next].Value)
	}
	kept[q.ID] = ans
	a.Answers = kept
	status, outcome, path := Answering, "", ""
	if res, err := g.Walk(kept); err == nil {
		status, outcome, path = BiasCheck, res.Outcome, strings.Join(res.Path, ",")
	} else {
		var ae guide.AnswerError
		if !errors.As(err, &ae) {
			return Assessment{}, err
		}
	}
	b, _ := json.Marshal(kept)
	now := s.Now()
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		var out any
		if outcome != "" {
			out = outcome
		}
		if _, err := tx.ExecContext(ctx, `UPDATE assessments SET answers = ?, status = ?, outcome = ?, path = ?, updated_at = ? WHERE id = ?`,
			string(b), string(status), out, path, store.T(now), id); err != nil {
			return fmt.Errorf("store answer: %w", err)
		}
		// Which question, not the answer: how a manager answered about a
		// named member of staff is case content, kept in the assessment,
		// and administrators read the audit log.
		return audit.Record(ctx, tx, now, actorOf(p), "assessment.answer", "assessment", strconv.FormatInt(id, 10),
			"question "+questionID)
	})
	if err != nil {
		return Assessment{}, err
	}
	return s.load(ctx, id)
}

// CompleteBiasCheck records the bias check and completes the assessment.
func (s *Service) CompleteBiasCheck(ctx context.Context, p *authz.Principal, id int64, same, reason string) (Assessment, error) {
	a, err := s.load(ctx, id)
	if err != nil {
		return Assessment{}, err
	}
	if !mayChange(p, a) {
		return Assessment{}, ErrNotAllowed
	}
	var errs validate.Errors
	if a.Status != BiasCheck {
		errs.Add("bias_same", "Answer every question on the path first")
	}
	if !slices.ContainsFunc(BiasAnswers(), func(o struct{ Value, Label string }) bool { return o.Value == same }) {
		errs.Add("bias_same", "Say whether you would have reached the same answer for a colleague of a different ethnicity, staff group, grade or disability")
	}
	reason = errs.Text("bias_reason", "Your reason", reason, true, guide.MaxReasonLength)
	if len(errs) > 0 {
		return Assessment{}, errs
	}
	now := s.Now()
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE assessments SET bias_same = ?, bias_reason = ?, status = ?, completed_at = ?, updated_at = ? WHERE id = ?`,
			same, reason, string(Complete), store.T(now), store.T(now), id); err != nil {
			return fmt.Errorf("complete assessment: %w", err)
		}
		return audit.Record(ctx, tx, now, actorOf(p), "assessment.complete", "assessment", strconv.FormatInt(id, 10), "completed; the end point is kept in the assessment")
	})
	if err != nil {
		return Assessment{}, err
	}
	return s.load(ctx, id)
}

// Revisit starts a new version of a completed assessment as more becomes
// known: same guide version, person and action, linked to the previous
// version, whose answers pages show beside each question (PreviousAnswers).
// A staff member given a copy of the earlier version can read the new one
// too. Nothing is overwritten.
func (s *Service) Revisit(ctx context.Context, p *authz.Principal, id int64) (Assessment, error) {
	a, err := s.load(ctx, id)
	if err != nil {
		return Assessment{}, err
	}
	if !mayChange(p, a) {
		return Assessment{}, ErrNotAllowed
	}
	if a.Status != Complete {
		return Assessment{}, validate.Errors{{Field: "revisit", Message: "Finish this version before revisiting it"}}
	}
	var newer int
	s.DB.QueryRowContext(ctx, `SELECT count(*) FROM assessments WHERE previous_id = ?`, id).Scan(&newer)
	if newer > 0 {
		return Assessment{}, validate.Errors{{Field: "revisit", Message: "A newer version of this assessment exists; revisit that one"}}
	}
	// The participants walk the path again, confirming or changing each
	// answer in the light of what is now known.
	b, _ := json.Marshal(map[string]guide.Answer{})
	now := s.Now()
	var nid int64
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		var rid, lr, cid any
		if a.ReportID != 0 {
			rid = a.ReportID
		}
		if a.LearningResponse != 0 {
			lr = a.LearningResponse
		}
		if a.CaseID != 0 {
			cid = a.CaseID
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO assessments (definition_id, person_id, action, report_id, learning_response_id, case_id, status,
			answers, concern_confirmed, previous_id, root_id, version, shared_with_person, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.Definition.ID, a.PersonID, a.Action, rid, lr, cid, string(Answering), string(b), a.ID, a.RootID, a.Version+1,
			a.SharedWithPerson, p.UserID, store.T(now), store.T(now)).Scan(&nid); err != nil {
			return fmt.Errorf("store revisit: %w", err)
		}
		for _, pt := range a.Participants {
			if _, err := tx.ExecContext(ctx, `INSERT INTO assessment_participants (assessment_id, user_id) VALUES (?, ?)`, nid, pt.UserID); err != nil {
				return fmt.Errorf("store participants: %w", err)
			}
		}
		return audit.Record(ctx, tx, now, actorOf(p), "assessment.revisit", "assessment", strconv.FormatInt(nid, 10), "revisits "+strconv.FormatInt(a.ID, 10))
	})
	if err != nil {
		return Assessment{}, err
	}
	return s.load(ctx, nid)
}

// PreviousAnswers returns the answers of the version an assessment
// revisits, so that pages can show what was said last time.
func (s *Service) PreviousAnswers(ctx context.Context, a Assessment) map[string]guide.Answer {
	if a.PreviousID == 0 {
		return nil
	}
	var answers string
	if err := s.DB.QueryRowContext(ctx, `SELECT answers FROM assessments WHERE id = ?`, a.PreviousID).Scan(&answers); err != nil {
		return nil
	}
	var m map[string]guide.Answer
	json.Unmarshal([]byte(answers), &m)
	return m
}

// Share gives the staff member concerned a copy they can read.
func (s *Service) Share(ctx context.Context, p *authz.Principal, id int64) error {
	a, err := s.load(ctx, id)
	if err != nil {
		return err
	}
	if !mayChange(p, a) {
		return ErrNotAllowed
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE assessments SET shared_with_person = TRUE WHERE id = ?`, id); err != nil {
			return fmt.Errorf("share assessment: %w", err)
		}
		return audit.Record(ctx, tx, s.Now(), actorOf(p), "assessment.share", "assessment", strconv.FormatInt(id, 10), "copy given to the staff member concerned")
	})
}

// Record stores a whole assessment at once (the API): it starts one, walks
// every answer in path order and, when a bias check is given, completes it.
// Answers to questions the path never reaches, or a path that stops before an
// end point, are refused naming the question, and nothing is stored.
func (s *Service) Record(ctx context.Context, p *authz.Principal, in StartInput, answers map[string]guide.Answer, biasSame, biasReason string) (Assessment, error) {
	var def Definition
	var err error
	if in.DefinitionID != 0 {
		def, err = s.Definition(ctx, in.DefinitionID)
	} else {
		def, err = s.Current(ctx, in.GuideID)
	}
	if err == nil {
		if _, werr := def.Guide.Walk(answers); werr != nil {
			var ae guide.AnswerError
			if errors.As(werr, &ae) {
				return Assessment{}, validate.Errors{{Field: "answers." + ae.QuestionID(), Message: werr.Error()}}
			}
			return Assessment{}, werr
		}
	}
	a, err := s.Start(ctx, p, in)
	if err != nil {
		return Assessment{}, err
	}
	res, _ := a.Definition.Guide.Walk(answers)
	for _, q := range res.Path {
		if a, err = s.Answer(ctx, p, a.ID, q, answers[q]); err != nil {
			return Assessment{}, err
		}
	}
	if biasSame != "" || biasReason != "" {
		return s.CompleteBiasCheck(ctx, p, a.ID, biasSame, biasReason)
	}
	return a, nil
}
