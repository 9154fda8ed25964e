package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
)

// caseRow is one case in a list.
type caseRow struct {
	ID                int64
	Reference, Type   string
	Person            string
	Status, Colour    string
	Stage, Target     string
	Overdue           bool
	Adviser, Opened   string
	Suspended, Lapsed bool
}

func caseRowOf(cs casework.CaseSummary) caseRow {
	row := caseRow{ID: cs.ID, Reference: cs.Reference, Type: casework.TypeLabel(cs.Type), Person: cs.PersonName,
		Stage: cs.StageName, Target: formatDate(cs.StageTargetOn), Overdue: cs.Overdue, Adviser: cs.HRName,
		Opened: formatDate(cs.OpenedOn), Suspended: cs.Suspended, Lapsed: cs.WellbeingLapse}
	row.Status, row.Colour = caseStatusTag(cs.Status)
	return row
}

// caseListView is the data of the cases page.
type caseListView struct {
	Rows     []caseRow
	Filtered bool
	// MayOpen: the viewer may open an early concern.
	MayOpen bool
	// MayLearn: the viewer may read the anonymised learning log.
	MayLearn        bool
	Statuses, Types []orgChoice
	OverdueChoice   []orgChoice
	ShowingCount    string
}

// caseList lists the cases the viewer may see, filtered by status, type
// and whether a stage is overdue. The filter is a GET form so that a
// filtered list can be bookmarked and works without JavaScript.
func (s *Server) caseList(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	q := r.URL.Query()
	f := &Form{Values: q}
	filter := casework.Filter{Overdue: q.Get("overdue") == "yes"}
	statuses := []orgChoice{}
	for _, st := range []casework.Status{casework.EarlyConcern, casework.Formal, casework.Closed} {
		statuses = append(statuses, orgChoice{Value: string(st), Label: casework.StatusLabel(st)})
		if q.Get("status") == string(st) {
			filter.Status = st
		}
	}
	types := caseChoicesPlain(casework.Types())
	for _, t := range types {
		if q.Get("type") == t.Value {
			filter.Type = casework.Type(t.Value)
		}
	}
	// Values that match no choice are dropped, so the form shows what the
	// list is actually filtered by.
	f.Values = map[string][]string{"status": {string(filter.Status)}, "type": {string(filter.Type)}}
	if filter.Overdue {
		f.Values.Set("overdue", "yes")
	}
	cases, err := s.Cases.List(r.Context(), p, filter)
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	v := caseListView{MayOpen: p.HasAny(authz.HR, authz.Manager), Statuses: statuses, Types: types,
		Filtered:      filter.Status != "" || filter.Type != "" || filter.Overdue,
		OverdueChoice: []orgChoice{{Value: "yes", Label: "Only cases with a stage past its target date"}}}
	v.MayLearn = p.Has(authz.HR)
	if !v.MayLearn && p.Has(authz.UnionRep) {
		if v.MayLearn, err = s.Cases.HasDesignation(r.Context(), p.UserID, casework.StaffSideLead); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	for _, cs := range cases {
		v.Rows = append(v.Rows, caseRowOf(cs))
	}
	v.ShowingCount = plural(len(v.Rows), "case", "cases")
	s.render(w, r, http.StatusOK, "cases_list", &Page{Title: "Employee relations cases", Form: f, Data: v})
}
