package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
)

// caseChecklistView is the data of the pre-formal checklist page.
type caseChecklistView struct {
	C casework.Case
	K casework.Checklist
	// Editable: the case is still an early concern, so the checklist can
	// change.
	Editable bool
	// SignedOff: a second senior person has signed the checklist off, and
	// saving a change will clear it.
	SignedOff             bool
	SignoffName, SignedAt string
	Updated               string
	Rows                  []caseFact
}

// caseChecklistFields are the checklist's inputs in page order.
var caseChecklistFields = caseFields{Order: []string{"facts_gathered", "facts_summary", "employee_account_heard", "employee_account_on",
	"allegations", "alternatives_considered", "investigator_conflicts", "decision_maker_conflicts", "conflicts_declared",
	"wellbeing_contact", "union_rep_offered", "union_rep_offered_on"},
	Dates: map[string]bool{"employee_account_on": true, "union_rep_offered_on": true}, Fallback: "facts_gathered"}

// caseChecklist shows the pre-formal checklist: a form while the case is an
// early concern, the record once it is formal.
func (s *Server) caseChecklist(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadCase(w, r)
	if !ok {
		return
	}
	k, err := s.Cases.Checklist(r.Context(), authz.PrincipalFrom(r.Context()), c.ID)
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	s.renderCaseChecklist(w, r, http.StatusOK, c, k, &Form{Values: caseChecklistValues(k)})
}

// caseChecklistValues fills the form from the saved checklist.
func caseChecklistValues(k casework.Checklist) map[string][]string {
	v := map[string][]string{
		"facts_summary":            {k.FactsSummary},
		"allegations":              {k.Allegations},
		"alternatives_considered":  {k.AlternativesConsidered},
		"investigator_conflicts":   {k.InvestigatorConflicts},
		"decision_maker_conflicts": {k.DecisionMakerConflicts},
		"wellbeing_contact":        {k.WellbeingContactEmail},
	}
	for name, on := range map[string]bool{"facts_gathered": k.FactsGathered, "employee_account_heard": k.EmployeeAccountHeard,
		"conflicts_declared": k.ConflictsDeclared, "union_rep_offered": k.UnionRepOffered} {
		if on {
			v[name] = []string{"yes"}
		}
	}
	setDateValues(v, "employee_account_on", k.EmployeeAccountOn)
	setDateValues(v, "union_rep_offered_on", k.UnionRepOfferedOn)
	return v
}

func (s *Server) renderCaseChecklist(w http.ResponseWriter, r *http.Request, status int, c casework.Case, k casework.Checklist, f *Form) {
	v := caseChecklistView{C: c, K: k, Editable: c.Status == casework.EarlyConcern, SignedOff: k.SignoffBy != 0,
		SignoffName: k.SignoffName, SignedAt: caseDatetime(k.SignoffAt), Updated: caseDatetime(k.UpdatedAt)}
	if !v.Editable {
		v.Rows = caseChecklistRows(k)
	}
	s.render(w, r, status, "case_checklist", &Page{Title: "Pre-formal checklist", Form: f, Data: v, BackLink: caseHref(c.ID)})
}

// caseChecklistRows is the checklist as a record, for a case past the
// point where it can change.
func caseChecklistRows(k casework.Checklist) []caseFact {
	facts := caseYesNo(k.FactsGathered)
	if k.FactsSummary != "" {
		facts += ": " + k.FactsSummary
	}
	heard := caseYesNo(k.EmployeeAccountHeard)
	if k.EmployeeAccountOn != "" {
		heard += ", on " + formatDate(k.EmployeeAccountOn)
	}
	offered := caseYesNo(k.UnionRepOffered)
	if k.UnionRepOfferedOn != "" {
		offered += ", on " + formatDate(k.UnionRepOfferedOn)
	}
	return []caseFact{
		{Key: "Facts gathered", Value: facts},
		{Key: "The employee's own account heard", Value: heard},
		{Key: "Allegations", Value: caseOr(k.Allegations, "Not written")},
		{Key: "Other routes considered", Value: caseOr(k.AlternativesConsidered, "Not recorded")},
		{Key: "Investigator's conflicts of interest", Value: caseOr(k.InvestigatorConflicts, "Not recorded")},
		{Key: "Decision maker's conflicts of interest", Value: caseOr(k.DecisionMakerConflicts, "Not recorded")},
		{Key: "Conflicts declared", Value: caseYesNo(k.ConflictsDeclared)},
		{Key: "Wellbeing contact", Value: caseOr(k.WellbeingContactName, "Not named")},
		{Key: "Trade union representative offered", Value: offered},
	}
}
