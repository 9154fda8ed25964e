package web

import (
	"net/http"

	"candour/internal/authz"
)

// checkItem is one checkbox or radio in a list.
type checkItem struct {
	Value, Label, Hint string
}

// roleHints says in one line what each role can do, for the people choosing
// roles.
var roleHints = map[authz.Role]string{
	authz.Staff:    "Can speak up, report safety events and follow what they have reported.",
	authz.Manager:  "Can respond to concerns and events passed to them about their teams.",
	authz.Guardian: "Receives speak-up concerns, including confidential ones, and supports the people who raise them.",
	authz.Safety:   "Reviews patient safety events and leads the learning from them.",
	authz.HR:       "Looks after the people directory and employee relations cases.",
	authz.UnionRep: "Sees a case only when the employee has asked for their support.",
	authz.Exec:     "Sees overall figures and the suspensions they must oversee, not the details of cases.",
	authz.Admin:    "Manages user accounts, the audit log and settings. Cannot read the content of cases.",
}

// roleItems lists every role as a checkbox.
func roleItems() []checkItem {
	roles := authz.Roles()
	items := make([]checkItem, len(roles))
	for i, r := range roles {
		items[i] = checkItem{Value: string(r), Label: r.Label(), Hint: roleHints[r]}
	}
	return items
}

// userNewView is the data of the add-a-user page.
type userNewView struct {
	Roles []checkItem
}

// userNew shows the form for a new sign-in account.
func (s *Server) userNew(w http.ResponseWriter, r *http.Request) {
	s.renderUserNew(w, r, http.StatusOK, &Form{})
}

func (s *Server) renderUserNew(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	s.render(w, r, status, "user_new", &Page{Title: "Add a user", Form: f, Data: userNewView{Roles: roleItems()}, BackLink: "/admin/users"})
}
