package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
)

// suspensionRow is a suspension in a list.
type suspensionRow struct {
	ID                    int64
	Person, StaffGroup    string
	Kind, CaseRef         string
	CaseType              string
	Status, Colour        string
	Starts, ReviewBy      string
	Ended                 string
	Days                  int
	ReviewOverdue, Active bool
}

// suspensionListView is the data of the suspensions page, in the sections
// the viewer's part calls for.
type suspensionListView struct {
	Waiting, Decided, Every, Cases []suspensionRow
	Executive, Reviewer, HR        bool
	ReviewDays                     int
}

func suspensionRowOf(sp casework.Suspension) suspensionRow {
	row := suspensionRow{ID: sp.ID, Person: sp.PersonName, StaffGroup: sp.StaffGroup, Kind: casework.SuspensionKindLabel(sp.Kind),
		CaseRef: sp.CaseReference, CaseType: casework.TypeLabel(sp.CaseType), Starts: formatDate(sp.StartsOn),
		ReviewBy: formatDate(sp.ReviewOn), Ended: formatDate(sp.EndedOn), Days: sp.Days, ReviewOverdue: sp.ReviewOverdue,
		Active: sp.Status == casework.SuspensionActive}
	row.Status, row.Colour = suspensionStatusTag(sp.Status)
	return row
}

// suspensionWaitsFor reports whether sp waits for p's decision: it is
// proposed, p did not propose it, p has not decided on it yet, and p is not
// the non-executive reviewer (who oversees suspensions and never decides
// one).
func suspensionWaitsFor(sp casework.Suspension, p *authz.Principal, reviewer bool) bool {
	if p == nil || reviewer || !p.Has(authz.Exec) || sp.Status != casework.SuspensionProposed || sp.ProposedByID == p.UserID {
		return false
	}
	return !suspensionDecidedBy(sp, p)
}

// suspensionDecidedBy reports whether p has decided on sp.
func suspensionDecidedBy(sp casework.Suspension, p *authz.Principal) bool {
	for _, ap := range sp.Approvals {
		if p != nil && ap.UserID == p.UserID {
			return true
		}
	}
	return false
}

// suspensionList lists suspensions: for executives those waiting for their
// decision first, then those decided; for the non-executive reviewer every
// one; for HR those on the cases they handle.
func (s *Server) suspensionList(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	list, err := s.Cases.Suspensions(r.Context(), p)
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	v := suspensionListView{Executive: p.Has(authz.Exec), HR: p.Has(authz.HR), ReviewDays: s.suspensionReviewDays()}
	if v.Executive {
		v.Reviewer = s.cwsHolds(r, p, casework.NonExecReviewer)
	}
	for _, sp := range list {
		row := suspensionRowOf(sp)
		switch {
		case suspensionWaitsFor(sp, p, v.Reviewer):
			v.Waiting = append(v.Waiting, row)
		case v.Reviewer:
			v.Every = append(v.Every, row)
		case v.Executive && suspensionDecidedBy(sp, p):
			v.Decided = append(v.Decided, row)
		default:
			v.Cases = append(v.Cases, row)
		}
	}
	s.render(w, r, http.StatusOK, "suspensions", &Page{Title: "Suspensions and exclusions", Data: v})
}
