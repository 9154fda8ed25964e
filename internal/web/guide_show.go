package web

import (
	"errors"
	"net/http"

	"candour/internal/authz"
	"candour/internal/guide"
	"candour/internal/justculture"
	"candour/internal/store"
)

// guideQuestionView is a question with where each answer leads.
type guideQuestionView struct {
	guide.Question
	YesText, NoText string
}

// guideTestView is a test with its questions.
type guideTestView struct {
	Title     string
	Questions []guideQuestionView
}

// guideEndPointView is an end point as shown.
type guideEndPointView struct {
	guide.EndPoint
	IndividualActionText string
}

// guideView is the data of a guide definition's page.
type guideView struct {
	D         justculture.Definition
	G         *guide.Guide
	Start     string
	Tests     []guideTestView
	EndPoints []guideEndPointView
	Added     string
	Retired   string
	Admin     bool
	// ChecksumParts is the checksum in pieces that a line may break between.
	ChecksumParts []string
}

// guideShow shows a stored guide version in full: its tests, questions
// with help and routing, and end points with their actions.
func (s *Server) guideShow(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	d, err := s.Culture.Definition(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	g := d.Guide
	v := guideView{D: d, G: g, Start: g.Start(), Added: shortDate(d.CreatedAt), Retired: shortDate(d.RetiredAt),
		Admin: authz.PrincipalFrom(r.Context()).Has(authz.Admin)}
	for c := d.Checksum; c != ""; {
		n := min(16, len(c))
		v.ChecksumParts = append(v.ChecksumParts, c[:n])
		c = c[n:]
	}
	target := func(id string) string {
		if ep, ok := g.EndPoint(id); ok {
			return "end point " + ep.ID + ": " + ep.Title
		}
		return "question " + id
	}
	for _, t := range g.Tests() {
		tv := guideTestView{Title: t.Title}
		for _, q := range t.Questions {
			tv.Questions = append(tv.Questions, guideQuestionView{Question: q, YesText: target(q.Yes), NoText: target(q.No)})
		}
		v.Tests = append(v.Tests, tv)
	}
	for _, ep := range g.EndPoints() {
		v.EndPoints = append(v.EndPoints, guideEndPointView{EndPoint: ep, IndividualActionText: individualActionText(ep.IndividualAction)})
	}
	s.render(w, r, http.StatusOK, "guide", &Page{Title: d.Title + ", " + versionText(d.Version), Data: v, BackLink: "/guides"})
}
