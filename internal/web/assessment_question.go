package web

import (
	"net/http"
	"net/url"
	"slices"

	"candour/internal/authz"
	"candour/internal/guide"
	"candour/internal/justculture"
)

// questionView is the data of the page that asks one question.
type questionView struct {
	A        justculture.Assessment
	Question guide.Question
	Test     string
	// Previous is what was answered last time, when revisiting.
	Previous     *guide.Answer
	PreviousText string
	// Changing is set when the question was answered before and is being
	// answered again; Later counts the answers after it that will need
	// answering again.
	Changing bool
	Later    int
	Answers  []assessmentStep
}

// assessmentQuestion asks the next question on the path, or with ?q= a
// question already answered, to change its answer. Only the participants
// answer; anyone else who may read the assessment is shown its record.
func (s *Server) assessmentQuestion(w http.ResponseWriter, r *http.Request) {
	a, ok := s.loadAssessment(w, r)
	if !ok {
		return
	}
	if !isParticipant(authz.PrincipalFrom(r.Context()), a) || a.Status == justculture.Complete {
		http.Redirect(w, r, assessmentHref(a.ID), http.StatusSeeOther)
		return
	}
	f := &Form{Values: url.Values{}}
	q := a.NextQuestion
	if id := r.URL.Query().Get("q"); id != "" {
		path := answeredPath(a.Definition.Guide, a.Answers)
		if !slices.Contains(path, id) && (q == nil || q.ID != id) {
			s.notFound(w, r)
			return
		}
		q, _ = a.Definition.Guide.Question(id)
		if ans, ok := a.Answers[id]; ok {
			f.Values.Set("answer", yesNoValue(ans.Value))
			f.Values.Set("reason", ans.Reason)
		}
	}
	if q == nil {
		// Every question on the path is answered.
		http.Redirect(w, r, assessmentHref(a.ID), http.StatusSeeOther)
		return
	}
	s.renderQuestion(w, r, http.StatusOK, a, q, f)
}

func yesNoValue(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// renderQuestion shows question q of assessment a with the form f.
func (s *Server) renderQuestion(w http.ResponseWriter, r *http.Request, status int, a justculture.Assessment, q *guide.Question, f *Form) {
	g := a.Definition.Guide
	v := questionView{A: a, Question: *q, Answers: assessmentSteps(a, true)}
	if t, ok := g.TestOf(q.ID); ok {
		v.Test = t.Title
	}
	if prev, ok := s.Culture.PreviousAnswers(r.Context(), a)[q.ID]; ok {
		v.Previous = &prev
		v.PreviousText = yesNoLabel(prev.Value)
	}
	if _, answered := a.Answers[q.ID]; answered {
		v.Changing = true
		path := answeredPath(g, a.Answers)
		if i := slices.Index(path, q.ID); i >= 0 {
			v.Later = len(path) - i - 1
		}
	}
	s.render(w, r, status, "assessment_question", &Page{Title: q.Text, Form: f, Data: v, BackLink: assessmentHref(a.ID)})
}
