package web

import (
	"net/http"
	"strconv"
	"time"

	"candour/internal/casework"
)

// caseLessonSlots is how many lessons the close form offers.
const caseLessonSlots = 3

// caseCloseView is the data of the page that closes a case.
type caseCloseView struct {
	C          casework.Case
	Outcomes   []orgChoice
	Categories []orgChoice
	Slots      []caseLessonSlot
}

// caseLessonSlot is one lesson's inputs on the close form.
type caseLessonSlot struct {
	N                          int
	CategoryID, LessonID       string
	Category, Lesson           string
	CategoryError, LessonError string
}

// caseCloseFields are the close form's inputs in page order.
var caseCloseFields = func() caseFields {
	cf := caseFields{Order: []string{"outcome", "outcome_detail", "closed_on"}, Dates: map[string]bool{"closed_on": true}, Fallback: "outcome"}
	for i := 1; i <= caseLessonSlots; i++ {
		n := strconv.Itoa(i)
		cf.Order = append(cf.Order, "learning-"+n+"-category", "learning-"+n+"-lesson")
	}
	cf.Order = append(cf.Order, "no_learning_reason")
	return cf
}()

// caseCloseForm shows the form that closes a case with its outcome and what
// the organisation learned.
func (s *Server) caseCloseForm(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadCase(w, r)
	if !ok {
		return
	}
	f := &Form{Values: map[string][]string{}}
	today, _ := time.Parse("2006-01-02", s.today())
	setDateValues(f.Values, "closed_on", today.Format("2006-01-02"))
	s.renderCaseClose(w, r, http.StatusOK, c, f)
}

func (s *Server) renderCaseClose(w http.ResponseWriter, r *http.Request, status int, c casework.Case, f *Form) {
	v := caseCloseView{C: c, Outcomes: caseChoices(casework.Outcomes()), Categories: caseChoicesPlain(casework.LearningCategories())}
	for i := 1; i <= caseLessonSlots; i++ {
		n := strconv.Itoa(i)
		v.Slots = append(v.Slots, caseLessonSlot{N: i, CategoryID: "learning-" + n + "-category", LessonID: "learning-" + n + "-lesson",
			Category: f.Get("learning-" + n + "-category"), Lesson: f.Get("learning-" + n + "-lesson"),
			CategoryError: f.Err("learning-" + n + "-category"), LessonError: f.Err("learning-" + n + "-lesson")})
	}
	s.render(w, r, status, "case_close", &Page{Title: "Close the case", Form: f, Data: v, BackLink: caseHref(c.ID)})
}
