package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"candour/internal/authz"
	"candour/internal/guide"
	"candour/internal/justculture"
)

// assessmentStep is one answered question on an assessment's path.
type assessmentStep struct {
	ID, Test, Text string
	Answer         string // "Yes" or "No"
	Reason         string
	Href           string // where to change it, or ""
}

// assessmentView is the data of an assessment's record page.
type assessmentView struct {
	A                justculture.Assessment
	Guide            *guide.Guide
	DefinitionID     int64
	GuideVersion     int
	ShortChecksum    string
	Checksum         string
	Status           string
	StatusColour     string
	Started          string
	Completed        string
	Steps            []assessmentStep
	EndPoint         *guide.EndPoint
	IndividualAction string
	// NoFormalAction is set when the end point does not support formal
	// action against the individual (D and E in the 2018 guide).
	NoFormalAction bool
	// Participant is set when the signed-in user took part, and so may
	// answer, complete, revisit and share.
	Participant  bool
	BiasOptions  []orgChoice
	BiasLabel    string
	NextVersion  int64
	PrevNumber   int
	NextNumber   int
	Latest       bool
	ContinueHref string
}

// assessmentShow shows an assessment: what was considered, every answer on
// its path with the reason, and where it ended.
func (s *Server) assessmentShow(w http.ResponseWriter, r *http.Request) {
	a, ok := s.loadAssessment(w, r)
	if !ok {
		return
	}
	s.renderAssessment(w, r, http.StatusOK, a, &Form{})
}

// loadAssessment reads the assessment named by the {id} path value for the
// signed-in user (the read is audited). It answers the request itself,
// with the not-found page for anyone not allowed to see it, when ok is false.
func (s *Server) loadAssessment(w http.ResponseWriter, r *http.Request) (justculture.Assessment, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return justculture.Assessment{}, false
	}
	a, err := s.Culture.Get(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if errors.Is(err, justculture.ErrNotAllowed) {
		s.notFound(w, r)
		return a, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return a, false
	}
	return a, true
}

// assessmentFailed answers a domain error: not allowed is not found.
func (s *Server) assessmentFailed(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, justculture.ErrNotAllowed) {
		s.notFound(w, r)
		return
	}
	s.serverError(w, r, err)
}

// isParticipant reports whether p took part in a, and so may change it.
func isParticipant(p *authz.Principal, a justculture.Assessment) bool {
	return p != nil && slices.ContainsFunc(a.Participants, func(pt justculture.Participant) bool { return pt.UserID == p.UserID })
}

// assessmentHref is the address of an assessment's record page.
func assessmentHref(id int64) string { return "/assessments/" + idString(id) }

// answeredPath is the questions answered so far along the path, in the
// order they were asked.
func answeredPath(g *guide.Guide, answers map[string]guide.Answer) []string {
	var path []string
	next := g.Start()
	for range len(g.Questions()) + 1 {
		q, isQ := g.Question(next)
		ans, answered := answers[next]
		if !isQ || !answered {
			break
		}
		path = append(path, q.ID)
		next = q.Target(ans.Value)
	}
	return path
}

// assessmentSteps lists the answered questions of a, with change links when
// change is set.
func assessmentSteps(a justculture.Assessment, change bool) []assessmentStep {
	g := a.Definition.Guide
	var steps []assessmentStep
	for _, id := range answeredPath(g, a.Answers) {
		q, _ := g.Question(id)
		st := assessmentStep{ID: id, Text: q.Text, Answer: yesNoLabel(a.Answers[id].Value), Reason: a.Answers[id].Reason}
		if t, ok := g.TestOf(id); ok {
			st.Test = t.Title
		}
		if change {
			st.Href = assessmentHref(a.ID) + "/question?q=" + urlQueryEscape(id)
		}
		steps = append(steps, st)
	}
	return steps
}

func yesNoLabel(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// assessmentStatus is the label and tag colour of a status.
func assessmentStatus(st justculture.Status) (string, string) {
	switch st {
	case justculture.Answering:
		return "In progress", "blue"
	case justculture.BiasCheck:
		return "Bias check to do", "yellow"
	case justculture.Complete:
		return "Complete", "green"
	}
	return string(st), "grey"
}

// individualActionText says what an end point means for the individual.
func individualActionText(v string) string {
	switch v {
	case guide.IndividualActionLikely:
		return "Action directed at the individual is likely to be appropriate"
	case guide.IndividualActionMayNotBeAppropriate:
		return "Action directed at the individual may not be appropriate: weigh the mitigation with senior HR advice"
	case guide.IndividualActionUnlikely:
		return "Action singling out the individual is unlikely to be appropriate"
	}
	return v
}

// shortDate is a time as "4 March 2026" in the UK, or "".
func shortDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(london()).Format("2 January 2006")
}

// renderAssessment shows an assessment's record page; f holds the bias
// check form when it is shown again with errors.
func (s *Server) renderAssessment(w http.ResponseWriter, r *http.Request, status int, a justculture.Assessment, f *Form) {
	p := authz.PrincipalFrom(r.Context())
	v := assessmentView{
		A:            a,
		Guide:        a.Definition.Guide,
		DefinitionID: a.Definition.ID,
		GuideVersion: a.Definition.Version,
		Checksum:     a.Definition.Checksum,
		Started:      shortDate(a.CreatedAt),
		Completed:    shortDate(a.CompletedAt),
		Participant:  isParticipant(p, a),
	}
	v.ShortChecksum = v.Checksum
	if len(v.ShortChecksum) > 12 {
		v.ShortChecksum = v.ShortChecksum[:12]
	}
	v.Status, v.StatusColour = assessmentStatus(a.Status)
	v.Steps = assessmentSteps(a, v.Participant && a.Status != justculture.Complete)
	if ep, ok := a.EndPoint(); ok {
		v.EndPoint = ep
		v.IndividualAction = individualActionText(ep.IndividualAction)
		v.NoFormalAction = !ep.SupportsFormalAction
	}
	for _, o := range justculture.BiasAnswers() {
		v.BiasOptions = append(v.BiasOptions, orgChoice{Value: o.Value, Label: o.Label})
		if o.Value == a.BiasSame {
			v.BiasLabel = o.Label
		}
	}
	if a.Status == justculture.Answering && v.Participant {
		v.ContinueHref = assessmentHref(a.ID) + "/question"
	}
	// The newer version, if this one has been revisited.
	if err := s.DB.QueryRowContext(r.Context(), `SELECT COALESCE(MAX(id), 0) FROM assessments WHERE previous_id = ?`, a.ID).Scan(&v.NextVersion); err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Latest = v.NextVersion == 0
	v.PrevNumber, v.NextNumber = a.Version-1, a.Version+1
	title := "Just culture assessment: " + a.PersonName
	if a.Version > 1 {
		title += ", version " + strconv.Itoa(a.Version)
	}
	s.render(w, r, status, "assessment", &Page{Title: title, Form: f, Data: v, BackLink: "/assessments"})
}
