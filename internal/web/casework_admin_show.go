package web

import (
	"net/http"

	"candour/internal/casework"
)

// caseworkAdminGroup is one designation with who holds it.
type caseworkAdminGroup struct {
	Value, Label, Explain string
	Holders               []casework.DesignationHolder
}

// caseworkAdminView is the data of the casework designations page.
type caseworkAdminView struct {
	Groups  []caseworkAdminGroup
	Choices []orgChoice
}

// caseworkDesignationExplained says in a sentence what each designation
// lets its holder do.
var caseworkDesignationExplained = map[casework.Designation]string{
	casework.ERLead: "An HR colleague who sees and assigns every case, gives the second sign-off before a case becomes formal, " +
		"and sets the stages each type of case goes through.",
	casework.NonExecReviewer: "An executive, usually a non-executive director, who sees every suspension and exclusion " +
		"and records their own review of each one.",
	casework.StaffSideLead: "A trade union representative who sees the partnership view: figures about casework with " +
		"no names, and small numbers hidden.",
}

// caseworkAdminShow lists who holds each casework designation, with the
// forms that give and remove them. Administrators see no case content here:
// only names and responsibilities.
func (s *Server) caseworkAdminShow(w http.ResponseWriter, r *http.Request) {
	s.renderCaseworkAdmin(w, r, http.StatusOK, &Form{})
}

func (s *Server) renderCaseworkAdmin(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	holders, err := s.Cases.Designations(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var v caseworkAdminView
	for _, o := range casework.DesignationOptions() {
		d := casework.Designation(o.Value)
		g := caseworkAdminGroup{Value: o.Value, Label: o.Label, Explain: caseworkDesignationExplained[d]}
		for _, h := range holders {
			if h.Designation == d {
				g.Holders = append(g.Holders, h)
			}
		}
		v.Groups = append(v.Groups, g)
		v.Choices = append(v.Choices, orgChoice{Value: o.Value, Label: o.Label, Hint: o.Hint})
	}
	s.render(w, r, status, "casework_admin", &Page{Title: "Casework roles", Form: f, Data: v})
}

// caseworkHolder finds a holder of designation d matching match, for the
// message that says who changed; not finding one only makes the message
// plainer.
func (s *Server) caseworkHolder(r *http.Request, d casework.Designation, match func(casework.DesignationHolder) bool) (casework.DesignationHolder, bool) {
	holders, err := s.Cases.Designations(r.Context())
	if err != nil {
		return casework.DesignationHolder{}, false
	}
	for _, h := range holders {
		if h.Designation == d && match(h) {
			return h, true
		}
	}
	return casework.DesignationHolder{}, false
}
