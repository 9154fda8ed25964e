package web

import (
	"errors"
	"net/http"
	"net/url"

	"candour/internal/account"
	"candour/internal/authz"
	"candour/internal/org"
	"candour/internal/store"
)

// userEditView is the data of a user's page. It holds account data only:
// administrators manage accounts, never case content.
type userEditView struct {
	User   account.User
	Status statusTag
	Locked bool
	Roles  []checkItem
	// Person is the linked entry in the people directory, if any.
	Person *org.Person
	// Self is true when administrators look at their own account.
	Self bool
	// NewPassword is shown once, straight after it was made.
	NewPassword string
}

// userEdit shows a user's account: its details and roles to change, how
// sign-in stands, and buttons to reset the password, unlock and sign out.
func (s *Server) userEdit(w http.ResponseWriter, r *http.Request) {
	u, ok := s.loadUser(w, r)
	if !ok {
		return
	}
	s.renderUserEdit(w, r, http.StatusOK, u, nil, "", "")
}

// loadUser reads the user named by the {id} path value, answering with the
// not-found or error page when it cannot.
func (s *Server) loadUser(w http.ResponseWriter, r *http.Request) (account.User, bool) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return account.User{}, false
	}
	u, err := s.Accounts.Get(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return account.User{}, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return account.User{}, false
	}
	return u, true
}

// userFormValues fills the edit form from the stored account.
func userFormValues(u account.User) url.Values {
	v := url.Values{"name": {u.Name}}
	for _, r := range u.Roles {
		v.Add("roles", string(r))
	}
	if u.Disabled {
		v.Set("disabled", "yes")
	}
	return v
}

// renderUserEdit shows u's page. f is the form as typed, or nil for the
// stored values; newPassword is shown once when not empty; flash is a
// success message for a page shown straight after a post.
func (s *Server) renderUserEdit(w http.ResponseWriter, r *http.Request, status int, u account.User, f *Form, newPassword, flash string) {
	if f == nil {
		f = &Form{Values: userFormValues(u)}
	}
	now := s.Now()
	v := userEditView{User: u, Status: userStatus(u, now), Locked: u.Locked(now), Roles: roleItems(), NewPassword: newPassword}
	if p := authz.PrincipalFrom(r.Context()); p != nil {
		v.Self = p.UserID == u.ID
	}
	if u.PersonID != 0 && s.Org != nil {
		p, err := s.Org.Person(r.Context(), u.PersonID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			s.serverError(w, r, err)
			return
		}
		if err == nil {
			v.Person = &p
		}
	}
	s.render(w, r, status, "user_edit", &Page{Title: u.Name, Form: f, Data: v, BackLink: "/admin/users", Flash: flash})
}
