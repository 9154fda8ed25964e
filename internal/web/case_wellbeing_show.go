package web

import (
	"net/http"
	"sort"
	"strconv"

	"candour/internal/authz"
	"candour/internal/casework"
)

// caseWellbeingContactRow is one logged contact as the page shows it.
type caseWellbeingContactRow struct {
	On, Method, Notes, RecordedBy string
	OHReferral                    bool
}

// caseWellbeingRow is one named wellbeing contact as the page shows it.
type caseWellbeingRow struct {
	ID                         int64
	For, Contact               string
	Frequency                  int
	Started, Ended, Last, Next string
	Lapsed                     bool
	Contacts                   []caseWellbeingContactRow
	// Prefix starts the ids and names of this contact's log form, so that
	// each form on the page has its own.
	Prefix string
	MayLog bool
}

// caseWellbeingView is the data of a case's wellbeing page.
type caseWellbeingView struct {
	Case             casework.Case
	Current, Earlier []caseWellbeingRow
	People           []orgChoice
	Methods          []orgChoice
	OHReferral       []orgChoice
	MayAdd           bool
	Closed           bool
	Today            string
	DefaultFrequency int
	MaxFrequency     int
}

// caseWellbeingPrefix starts the inputs of the log form for wellbeing
// contact wid.
func caseWellbeingPrefix(wid int64) string { return "w" + idString(wid) + "-" }

// caseWellbeingShow lists the wellbeing contacts for the employee and the
// witnesses, with their logs and what is due.
func (s *Server) caseWellbeingShow(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadWellbeingCase(w, r)
	if !ok {
		return
	}
	f := &Form{Values: map[string][]string{"party": {"employee"}, "frequency_days": {strconv.Itoa(s.wellbeingFrequency())}}}
	s.renderCaseWellbeing(w, r, http.StatusOK, c, f)
}

// wellbeingFrequency is how often contact is expected unless set otherwise.
func (s *Server) wellbeingFrequency() int {
	if s.Cases.WellbeingFrequencyDays > 0 {
		return s.Cases.WellbeingFrequencyDays
	}
	return casework.DefaultWellbeingFrequencyDays
}

// loadWellbeingCase reads the case named by {id} (the read is audited),
// answering the request itself when ok is false.
func (s *Server) loadWellbeingCase(w http.ResponseWriter, r *http.Request) (casework.Case, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return casework.Case{}, false
	}
	c, err := s.Cases.Get(r.Context(), authz.PrincipalFrom(r.Context()), id)
	if err != nil {
		s.caseFailed(w, r, err)
		return c, false
	}
	return c, true
}

func (s *Server) renderCaseWellbeing(w http.ResponseWriter, r *http.Request, status int, c casework.Case, f *Form) {
	ctx, p := r.Context(), authz.PrincipalFrom(r.Context())
	list, err := s.Cases.Wellbeing(ctx, p, c.ID)
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	handler, err := s.Cases.CanManage(ctx, p, c.ID)
	if err != nil {
		s.caseFailed(w, r, err)
		return
	}
	manager := c.ManagerUserID != 0 && p != nil && c.ManagerUserID == p.UserID
	v := caseWellbeingView{Case: c, Methods: caseChoices(casework.ContactMethods()), Closed: c.Status == casework.Closed,
		OHReferral: []orgChoice{{Value: "yes", Label: "An occupational health referral was made",
			Hint: "The case timeline will say that a referral was made, not who it was for"}},
		Today: s.cwsToday(), DefaultFrequency: s.wellbeingFrequency(), MaxFrequency: casework.MaxWellbeingFrequencyDays}
	v.MayAdd = handler && !v.Closed
	// The employee's contact comes first, then the witnesses'.
	sort.SliceStable(list, func(i, j int) bool { return list[i].PartyID == 0 && list[j].PartyID != 0 })
	for _, wb := range list {
		row := caseWellbeingRow{ID: wb.ID, For: wb.ForName, Contact: wb.ContactName, Frequency: wb.FrequencyDays,
			Started: formatDate(wb.StartedOn), Ended: formatDate(wb.EndedOn), Last: formatDate(wb.LastContactOn),
			Next: formatDate(wb.NextDueOn), Lapsed: wb.Lapsed && wb.EndedOn == "", Prefix: caseWellbeingPrefix(wb.ID)}
		if wb.PartyID == 0 {
			row.For = wb.ForName + " (the employee)"
		} else {
			row.For = wb.ForName + " (witness)"
		}
		row.MayLog = !v.Closed && wb.EndedOn == "" && (handler || manager || (p != nil && wb.ContactUserID == p.UserID))
		for _, ct := range wb.Contacts {
			row.Contacts = append(row.Contacts, caseWellbeingContactRow{On: formatDate(ct.ContactedOn),
				Method: casework.ContactMethodLabel(ct.Method), Notes: ct.Notes, RecordedBy: ct.RecordedBy, OHReferral: ct.OHReferral})
		}
		if wb.EndedOn == "" {
			v.Current = append(v.Current, row)
		} else {
			v.Earlier = append(v.Earlier, row)
		}
	}
	if v.MayAdd {
		parties, err := s.Cases.Parties(ctx, p, c.ID)
		if err != nil {
			s.caseFailed(w, r, err)
			return
		}
		v.People = []orgChoice{{Value: "employee", Label: c.PersonName, Hint: "The employee the case is about"}}
		for _, pa := range parties {
			if pa.Role == casework.RoleWitness {
				v.People = append(v.People, orgChoice{Value: idString(pa.ID), Label: pa.Name, Hint: "Witness"})
			}
		}
	}
	s.render(w, r, status, "case_wellbeing", &Page{Title: "Wellbeing contacts", Form: f, Data: v, BackLink: caseHref(c.ID)})
}
