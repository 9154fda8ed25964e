package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"candour/internal/authz"
	"candour/internal/restore"
	"candour/internal/validate"
)

// restoreRow is one restorative record in the list.
type restoreRow struct {
	ID              int64
	Target, Started string
	Updated         string
	Needs, Goals    string
	Complete        bool
}

// restoreTarget names what a record is about, for people.
func restoreTarget(reportRef string, responseID int64, responseTitle string) string {
	if reportRef != "" {
		return "Patient safety event " + reportRef
	}
	if responseTitle != "" {
		return "Learning response " + strconv.FormatInt(responseID, 10) + ": " + responseTitle
	}
	return "Learning response " + strconv.FormatInt(responseID, 10)
}

func restoreHref(id int64) string { return "/restore/" + idString(id) }

// restoreList lists the restorative records for the patient safety team.
func (s *Server) restoreList(w http.ResponseWriter, r *http.Request) {
	list, err := s.Restore.Records(r.Context(), authz.PrincipalFrom(r.Context()))
	if err != nil {
		s.restoreFailed(w, r, err)
		return
	}
	var rows []restoreRow
	for _, sm := range list {
		rows = append(rows, restoreRow{ID: sm.ID, Target: restoreTarget(sm.ReportReference, sm.ResponseID, sm.ResponseTitle),
			Started: shortDate(sm.CreatedAt), Updated: shortDate(sm.UpdatedAt),
			Needs: strconv.Itoa(sm.NeedsMet) + " of " + strconv.Itoa(sm.NeedsTotal) + " met",
			Goals: strconv.Itoa(sm.GoalsAchieved) + " of 4", Complete: sm.GoalsAchieved == 4})
	}
	s.render(w, r, http.StatusOK, "restore_list", &Page{Title: "Restorative records", Data: rows})
}

// restoreNew shows the form that starts a record; ?report= fills in the
// event, by number or reference.
func (s *Server) restoreNew(w http.ResponseWriter, r *http.Request) {
	f := &Form{Values: map[string][]string{}}
	if ref := queryText(r.URL.Query().Get("report")); ref != "" {
		if n, err := strconv.ParseInt(ref, 10, 64); err == nil {
			if found := s.Restore.EventReference(r.Context(), authz.PrincipalFrom(r.Context()), n); found != "" {
				ref = found
			}
		}
		f.Values.Set("report", ref)
	}
	if resp := queryText(r.URL.Query().Get("response")); resp != "" {
		f.Values.Set("response_id", resp)
	}
	s.render(w, r, http.StatusOK, "restore_new", &Page{Title: "Start a restorative record", Form: f, BackLink: "/restore"})
}

// restoreCreate starts a record and opens it.
func (s *Server) restoreCreate(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("report", err.Error())
		s.render(w, r, http.StatusBadRequest, "restore_new", &Page{Title: "Start a restorative record", Form: f, BackLink: "/restore"})
		return
	}
	in := restore.RecordInput{Report: f.Get("report")}
	if v := strings.TrimSpace(f.Get("response_id")); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			f.Errors.Add("response_id", "Enter the learning response's number, like 12")
			s.render(w, r, http.StatusUnprocessableEntity, "restore_new", &Page{Title: "Start a restorative record", Form: f, BackLink: "/restore"})
			return
		}
		in.ResponseID = n
	}
	rec, err := s.Restore.CreateRecord(r.Context(), authz.PrincipalFrom(r.Context()), in)
	if errs, ok := validate.As(err); ok {
		f.Errors = errs
		s.render(w, r, http.StatusUnprocessableEntity, "restore_new", &Page{Title: "Start a restorative record", Form: f, BackLink: "/restore"})
		return
	}
	if err != nil {
		s.restoreFailed(w, r, err)
		return
	}
	s.redirect(w, r, restoreHref(rec.ID), "Restorative record started. Begin with who has been hurt")
}

// restoreFailed answers a domain error: not allowed is not found.
func (s *Server) restoreFailed(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, restore.ErrNotAllowed):
		s.notFound(w, r)
	case errors.Is(err, restore.ErrStaffMemberOnly), errors.Is(err, restore.ErrSupporterOnly):
		s.render(w, r, http.StatusForbidden, "forbidden", &Page{Title: "You do not have access to this page"})
	default:
		s.serverError(w, r, err)
	}
}

// restoreSuggestion is what one kind of person hurt typically needs.
type restoreSuggestion struct {
	Label, Needs, Obligation string
}

// restoreGoalRow is one goal in the goals form.
type restoreGoalRow struct {
	Key, Label, Hint, Selected, Note string
	Status, Colour, SavedNote        string
}

// restoreRecordView is the data of a record's checklist page.
type restoreRecordView struct {
	R           restore.Record
	P           restore.Progress
	Target      string
	TargetHref  string
	Started     string
	Who         []orgChoice
	Suggestions []restoreSuggestion
	Goals       []restoreGoalRow
	GoalItems   []orgChoice
	Needs       []restoreNeedRow
	Explored    string
	Identified  string
}

// restoreNeedRow is one person or group hurt as the checklist shows them.
type restoreNeedRow struct {
	ID                                       int64
	WhoLabel, Description, Needs, Obligation string
	Met                                      string
}

// restoreShow shows a record's checklist.
func (s *Server) restoreShow(w http.ResponseWriter, r *http.Request) {
	rec, ok := s.loadRestoreRecord(w, r)
	if !ok {
		return
	}
	s.renderRestoreRecord(w, r, http.StatusOK, rec, &Form{}, "")
}

// loadRestoreRecord reads the record named by {id}, answering the request
// itself when ok is false.
func (s *Server) loadRestoreRecord(w http.ResponseWriter, r *http.Request) (restore.Record, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return restore.Record{}, false
	}
	rec, err := s.Restore.Record(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.restoreFailed(w, r, err)
		return rec, false
	}
	return rec, true
}

func restoreYesNo(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "yes"
	}
	return "no"
}

// renderRestoreRecord shows the checklist page; f holds the form that was
// posted (which: "need" or "goals") when it is shown again with errors.
func (s *Server) renderRestoreRecord(w http.ResponseWriter, r *http.Request, status int, rec restore.Record, f *Form, which string) {
	v := restoreRecordView{R: rec, P: rec.Progress(), Target: restoreTarget(rec.ReportReference, rec.ResponseID, rec.ResponseTitle),
		Started:   shortDate(rec.CreatedAt),
		GoalItems: []orgChoice{{Value: "yes", Label: "Achieved"}, {Value: "no", Label: "Not achieved yet"}}}
	v.Explored, v.Identified = "Still to explore for some", "Still to identify for some"
	if v.P.Explored {
		v.Explored = "Written down for everyone named"
	}
	if v.P.Identified {
		v.Identified = "Identified for every need"
	}
	if len(rec.Needs) == 0 {
		v.Explored, v.Identified = "Nobody named yet", "Nobody named yet"
	}
	for _, n := range rec.Needs {
		row := restoreNeedRow{ID: n.ID, WhoLabel: n.WhoLabel, Description: n.Description, Needs: n.Needs, Obligation: n.Obligation, Met: "Not yet"}
		if n.Met {
			row.Met = "Yes"
		}
		v.Needs = append(v.Needs, row)
	}
	if rec.ReportID != 0 {
		v.TargetHref = "/reports/" + idString(rec.ReportID)
	}
	for _, o := range restore.WhoOptions() {
		v.Who = append(v.Who, orgChoice{Value: o.Value, Label: o.Label, Hint: o.Hint})
		if sug := restore.SuggestedNeeds(restore.Who(o.Value)); len(sug) > 0 {
			v.Suggestions = append(v.Suggestions, restoreSuggestion{Label: o.Label, Needs: restoreList(sug),
				Obligation: restore.ObligationHint(restore.Who(o.Value))})
		}
	}
	hints := map[string]string{}
	for _, o := range restore.GoalOptions() {
		hints[o.Value] = o.Hint
	}
	for _, g := range rec.Goals {
		row := restoreGoalRow{Key: g.Key, Label: g.Label, Hint: hints[g.Key], Selected: restoreYesNo(g.Achieved), Note: g.Note, SavedNote: g.Note}
		row.Status, row.Colour = "Not recorded yet", "grey"
		if g.Achieved != nil && *g.Achieved {
			row.Status, row.Colour = "Achieved", "green"
		} else if g.Achieved != nil {
			row.Status, row.Colour = "Not achieved yet", "yellow"
		}
		if which == "goals" {
			row.Selected, row.Note = f.Get(g.Key), f.Get(g.Key+"_note")
		}
		v.Goals = append(v.Goals, row)
	}
	s.render(w, r, status, "restore_record", &Page{Title: "Restorative record: " + v.Target, Form: f, Data: v, BackLink: "/restore"})
}

// restoreNeedAdd names someone hurt on a record.
func (s *Server) restoreNeedAdd(w http.ResponseWriter, r *http.Request) {
	rec, ok := s.loadRestoreRecord(w, r)
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("who", err.Error())
		s.renderRestoreRecord(w, r, http.StatusBadRequest, rec, f, "need")
		return
	}
	_, err = s.Restore.AddNeed(r.Context(), authz.PrincipalFrom(r.Context()), rec.ID, restore.NeedInput{
		Who: f.Get("who"), Description: f.Get("description"), Needs: f.Get("needs"), Obligation: f.Get("obligation")})
	if errs, ok := validate.As(err); ok {
		f.Errors = errs
		s.renderRestoreRecord(w, r, http.StatusUnprocessableEntity, rec, f, "need")
		return
	}
	if err != nil {
		s.restoreFailed(w, r, err)
		return
	}
	s.redirect(w, r, restoreHref(rec.ID)+"#hurt", "Added to who has been hurt")
}

// restoreGoals records the four goals.
func (s *Server) restoreGoals(w http.ResponseWriter, r *http.Request) {
	rec, ok := s.loadRestoreRecord(w, r)
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add(restore.MoralEngagement, err.Error())
		s.renderRestoreRecord(w, r, http.StatusBadRequest, rec, f, "goals")
		return
	}
	answers := map[string]restore.GoalAnswer{}
	var errs validate.Errors
	for _, g := range restore.GoalOptions() {
		a := restore.GoalAnswer{Note: f.Get(g.Value + "_note")}
		switch f.Get(g.Value) {
		case "yes":
			t := true
			a.Achieved = &t
		case "no":
			no := false
			a.Achieved = &no
		case "":
			// Not answered yet: keep any earlier answer unless a note is given.
			if a.Note == "" {
				continue
			}
			for _, old := range rec.Goals {
				if old.Key == g.Value {
					a.Achieved = old.Achieved
				}
			}
		default:
			errs.Add(g.Value, "Choose whether "+strings.ToLower(g.Label)+" was achieved")
		}
		answers[g.Value] = a
	}
	if len(errs) == 0 {
		_, err = s.Restore.SetGoals(r.Context(), authz.PrincipalFrom(r.Context()), rec.ID, answers)
		errs, _ = validate.As(err)
	}
	if len(errs) > 0 {
		f.Errors = errs
		s.renderRestoreRecord(w, r, http.StatusUnprocessableEntity, rec, f, "goals")
		return
	}
	if err != nil {
		s.restoreFailed(w, r, err)
		return
	}
	s.redirect(w, r, restoreHref(rec.ID)+"#goals", "Goals saved")
}

// restoreNeedView is the data of the page that changes one need.
type restoreNeedView struct {
	R          restore.Record
	N          restore.Need
	Target     string
	Suggested  string
	Obligation string
	MetItems   []orgChoice
}

// restoreNeedEdit shows the form for what someone needs, whose obligation
// it is and whether it has been met.
func (s *Server) restoreNeedEdit(w http.ResponseWriter, r *http.Request) {
	rec, n, ok := s.loadRestoreNeed(w, r)
	if !ok {
		return
	}
	f := &Form{Values: map[string][]string{"needs": {n.Needs}, "obligation": {n.Obligation}, "met": {restoreYesNo(&n.Met)}}}
	s.renderRestoreNeed(w, r, http.StatusOK, rec, n, f)
}

func (s *Server) loadRestoreNeed(w http.ResponseWriter, r *http.Request) (restore.Record, restore.Need, bool) {
	id, ok1 := pathID(r, "id")
	nid, ok2 := pathID(r, "nid")
	if !ok1 || !ok2 {
		s.notFound(w, r)
		return restore.Record{}, restore.Need{}, false
	}
	rec, n, err := s.Restore.Need(r.Context(), authz.PrincipalFrom(r.Context()), id, nid)
	if err != nil {
		s.restoreFailed(w, r, err)
		return rec, n, false
	}
	return rec, n, true
}

func (s *Server) renderRestoreNeed(w http.ResponseWriter, r *http.Request, status int, rec restore.Record, n restore.Need, f *Form) {
	v := restoreNeedView{R: rec, N: n, Target: restoreTarget(rec.ReportReference, rec.ResponseID, rec.ResponseTitle),
		Suggested: "Ask them.", Obligation: restore.ObligationHint(n.Who),
		MetItems: []orgChoice{{Value: "yes", Label: "Yes, it has been met"}, {Value: "no", Label: "Not yet"}}}
	if sug := restore.SuggestedNeeds(n.Who); len(sug) > 0 {
		v.Suggested = "People in their position often need " + strings.ToLower(restoreList(sug)) + "."
	}
	s.render(w, r, status, "restore_need", &Page{Title: n.WhoLabel + ": what they need", Form: f, Data: v, BackLink: restoreHref(rec.ID)})
}

// restoreNeedUpdate saves what someone needs.
func (s *Server) restoreNeedUpdate(w http.ResponseWriter, r *http.Request) {
	rec, n, ok := s.loadRestoreNeed(w, r)
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("needs", err.Error())
		s.renderRestoreNeed(w, r, http.StatusBadRequest, rec, n, f)
		return
	}
	if m := f.Get("met"); m != "yes" && m != "no" {
		f.Errors.Add("met", "Choose whether the need has been met")
		s.renderRestoreNeed(w, r, http.StatusUnprocessableEntity, rec, n, f)
		return
	}
	_, err = s.Restore.UpdateNeed(r.Context(), authz.PrincipalFrom(r.Context()), rec.ID, n.ID, restore.NeedUpdate{
		Needs: f.Get("needs"), Obligation: f.Get("obligation"), Met: f.Get("met") == "yes"})
	if errs, ok := validate.As(err); ok {
		f.Errors = errs
		s.renderRestoreNeed(w, r, http.StatusUnprocessableEntity, rec, n, f)
		return
	}
	if err != nil {
		s.restoreFailed(w, r, err)
		return
	}
	s.redirect(w, r, restoreHref(rec.ID)+"#hurt", "Saved")
}

// restoreList joins prompts as one sentence: "Information, access to the
// people involved and restitution".
func restoreList(items []string) string {
	if len(items) == 0 {
		return ""
	}
	out := make([]string, len(items))
	for i, it := range items {
		if i > 0 {
			it = strings.ToLower(it[:1]) + it[1:]
		}
		out[i] = it
	}
	if len(out) == 1 {
		return out[0]
	}
	return strings.Join(out[:len(out)-1], ", ") + " and " + out[len(out)-1]
}
