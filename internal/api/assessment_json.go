package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"candour/internal/guide"
	"candour/internal/justculture"
	"candour/internal/store"
	"candour/internal/validate"
)

// answerJSON is one answer in a request. Answer is a pointer so that a
// missing value is an error rather than a silent "no".
type answerJSON struct {
	Answer *bool  `json:"answer"`
	Reason string `json:"reason"`
}

// biasCheckJSON is the bias check: would we have reached the same answer for
// a colleague of a different ethnicity, staff group, grade or disability?
type biasCheckJSON struct {
	Same   string `json:"same"`
	Reason string `json:"reason"`
}

// assessmentRequest records a whole assessment at once.
type assessmentRequest struct {
	Guide              string                `json:"guide"`
	Version            int                   `json:"version"`
	Action             string                `json:"action"`
	Person             string                `json:"person"`
	Participants       []string              `json:"participants"`
	Answers            map[string]answerJSON `json:"answers"`
	Report             string                `json:"report"`
	LearningResponseID int64                 `json:"learning_response_id"`
	ConcernConfirmed   *bool                 `json:"concern_confirmed"`
	BiasCheck          *biasCheckJSON        `json:"bias_check"`
}

// revisitRequest records a new version of an assessment.
type revisitRequest struct {
	Answers   map[string]answerJSON `json:"answers"`
	BiasCheck *biasCheckJSON        `json:"bias_check"`
}

// assessmentGuideJSON names the exact guide version an assessment used.
type assessmentGuideJSON struct {
	ID           string `json:"id"`
	Version      int    `json:"version"`
	Title        string `json:"title"`
	Checksum     string `json:"checksum"`
	DefinitionID int64  `json:"definition_id"`
}

type assessmentPersonJSON struct {
	EmployeeNumber string `json:"employee_number"`
	Name           string `json:"name"`
}

type participantJSON struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// assessmentJSON is a whole assessment version.
type assessmentJSON struct {
	ID                   int64                   `json:"id"`
	Version              int                     `json:"version"`
	PreviousID           *int64                  `json:"previous_id"`
	RootID               int64                   `json:"root_id"`
	Guide                assessmentGuideJSON     `json:"guide"`
	Action               string                  `json:"action"`
	Person               assessmentPersonJSON    `json:"person"`
	Report               string                  `json:"report"`
	LearningResponseID   *int64                  `json:"learning_response_id"`
	CaseID               *int64                  `json:"case_id"`
	Status               justculture.Status      `json:"status"`
	Outcome              string                  `json:"outcome"`
	Path                 []string                `json:"path"`
	NextQuestion         string                  `json:"next_question"`
	EndPoint             *guide.EndPoint         `json:"end_point"`
	SupportsFormalAction bool                    `json:"supports_formal_action"`
	Answers              map[string]guide.Answer `json:"answers"`
	ConcernConfirmed     bool                    `json:"concern_confirmed"`
	BiasCheck            *biasCheckJSON          `json:"bias_check"`
	Participants         []participantJSON       `json:"participants"`
	SharedWithPerson     bool                    `json:"shared_with_person"`
	CreatedAt            time.Time               `json:"created_at"`
	CompletedAt          *time.Time              `json:"completed_at"`
}

// assessmentSummaryJSON is an assessment in a list.
type assessmentSummaryJSON struct {
	ID          int64              `json:"id"`
	GuideTitle  string             `json:"guide_title"`
	Version     int                `json:"version"`
	PersonName  string             `json:"person_name"`
	Action      string             `json:"action"`
	Status      justculture.Status `json:"status"`
	Outcome     string             `json:"outcome"`
	Latest      bool               `json:"latest"`
	CreatedAt   time.Time          `json:"created_at"`
	CompletedAt *time.Time         `json:"completed_at"`
}

func optID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.UTC()
	return &t
}

func toAssessmentJSON(a justculture.Assessment) assessmentJSON {
	j := assessmentJSON{ID: a.ID, Version: a.Version, PreviousID: optID(a.PreviousID), RootID: a.RootID,
		Guide: assessmentGuideJSON{ID: a.Definition.GuideID, Version: a.Definition.Version, Title: a.Definition.Title,
			Checksum: a.Definition.Checksum, DefinitionID: a.Definition.ID},
		Action: a.Action, Person: assessmentPersonJSON{EmployeeNumber: a.EmployeeNumber, Name: a.PersonName},
		Report: a.ReportReference, LearningResponseID: optID(a.LearningResponse), CaseID: optID(a.CaseID),
		Status: a.Status, Outcome: a.Outcome, Path: a.Path, SupportsFormalAction: a.SupportsFormalAction(),
		Answers: a.Answers, ConcernConfirmed: a.ConcernConfirmed, Participants: []participantJSON{},
		SharedWithPerson: a.SharedWithPerson, CreatedAt: a.CreatedAt.UTC(), CompletedAt: optTime(a.CompletedAt)}
	if j.Path == nil {
		j.Path = []string{}
	}
	if j.Answers == nil {
		j.Answers = map[string]guide.Answer{}
	}
	if a.NextQuestion != nil {
		j.NextQuestion = a.NextQuestion.ID
	}
	if ep, ok := a.EndPoint(); ok {
		j.EndPoint = ep
	}
	if a.BiasSame != "" {
		j.BiasCheck = &biasCheckJSON{Same: a.BiasSame, Reason: a.BiasReason}
	}
	for _, p := range a.Participants {
		j.Participants = append(j.Participants, participantJSON{Name: p.Name, Email: p.Email})
	}
	return j
}

// requestAnswers converts the answers of a request, naming every answer
// that lacks its yes or no.
func requestAnswers(in map[string]answerJSON, errs *validate.Errors) map[string]guide.Answer {
	ids := make([]string, 0, len(in))
	for id := range in {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make(map[string]guide.Answer, len(in))
	for _, id := range ids {
		a := in[id]
		if a.Answer == nil {
			errs.Add("answers."+id, fmt.Sprintf("Answer question %q with true (yes) or false (no), and give a reason", id))
			continue
		}
		out[id] = guide.Answer{Value: *a.Answer, Reason: a.Reason}
	}
	return out
}

// checkWalk walks the answers through g without storing anything, naming
// the question at fault: off the path, without a reason, or the next one to
// answer when they stop before an end point.
func checkWalk(g *guide.Guide, answers map[string]guide.Answer, errs *validate.Errors) error {
	_, err := g.Walk(answers)
	if err == nil {
		return nil
	}
	var off *guide.ErrOffPath
	var ae guide.AnswerError
	switch {
	case errors.As(err, &off):
		for _, q := range off.Questions {
			e := *off
			e.Question, e.Questions = q, []string{q}
			errs.Add("answers."+q, e.Error())
		}
	case errors.As(err, &ae):
		errs.Add("answers."+ae.QuestionID(), err.Error())
	default:
		return err
	}
	return nil
}

// checkBias validates an optional bias check and returns its values.
func checkBias(b *biasCheckJSON, errs *validate.Errors) (same, reason string) {
	if b == nil {
		return "", ""
	}
	same = strings.TrimSpace(b.Same)
	if !slices.ContainsFunc(justculture.BiasAnswers(), func(o struct{ Value, Label string }) bool { return o.Value == same }) {
		errs.Add("bias_check.same", `Say "yes", "no" or "unsure": would you have reached the same answer for a colleague of a different ethnicity, staff group, grade or disability?`)
	}
	reason = errs.Text("bias_check.reason", "Your reason for the bias check answer", b.Reason, true, guide.MaxReasonLength)
	return same, reason
}

// requestDefinition finds the guide version a new assessment uses: the
// given version, or the current one. Problems are added to errs.
func (s *Server) requestDefinition(ctx context.Context, guideID string, version int, errs *validate.Errors) (justculture.Definition, bool, error) {
	guideID = strings.TrimSpace(guideID)
	if guideID == "" {
		errs.Add("guide", "Name the guide, for example nhs-just-culture-2018 (GET /api/v1/guides lists them)")
		return justculture.Definition{}, false, nil
	}
	if version < 0 {
		errs.Add("version", "Give the version as a whole number, 1 or more, or leave it out for the current version")
		return justculture.Definition{}, false, nil
	}
	if version == 0 {
		d, err := s.Culture.Current(ctx, guideID)
		switch {
		case errors.Is(err, justculture.ErrRetired):
			errs.Add("guide", "Every version of guide "+strconv.Quote(guideID)+" has been retired; choose a current guide")
			return d, false, nil
		case errors.Is(err, store.ErrNotFound):
			errs.Add("guide", "No guide has the id "+strconv.Quote(guideID)+"; GET /api/v1/guides lists them")
			return d, false, nil
		}
		return d, err == nil, err
	}
	versions, err := s.Culture.Versions(ctx, guideID)
	if err != nil {
		return justculture.Definition{}, false, err
	}
	if len(versions) == 0 {
		errs.Add("guide", "No guide has the id "+strconv.Quote(guideID)+"; GET /api/v1/guides lists them")
		return justculture.Definition{}, false, nil
	}
	for _, d := range versions {
		if d.Version != version {
			continue
		}
		if d.Retired() {
			errs.Add("version", fmt.Sprintf("Version %d of %s has been retired for new assessments; choose a current version", version, guideID))
			return d, false, nil
		}
		return d, true, nil
	}
	errs.Add("version", fmt.Sprintf("Guide %s has no version %d", guideID, version))
	return justculture.Definition{}, false, nil
}

// assessmentID reads the {id} path value; false means no such assessment.
func assessmentID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// assessmentError answers the errors the justculture service returns.
func (s *Server) assessmentError(w http.ResponseWriter, r *http.Request, err error) {
	if errs, ok := validate.As(err); ok {
		invalid(w, r, errs)
		return
	}
	if errors.Is(err, justculture.ErrNotAllowed) {
		notFound(w, r, "This assessment")
		return
	}
	s.internal(w, r, err)
}
