package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"candour/internal/account"
	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/validate"
)

// userUpdate saves a user's name, roles and whether the account is turned
// off. The account package refuses to leave nobody able to administer
// candour, and an administrator turning off their own account.
func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) {
	u, ok := s.loadUser(w, r)
	if !ok {
		return
	}
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("name", err.Error())
		s.renderUserEdit(w, r, http.StatusBadRequest, u, f, "", "")
		return
	}
	var errs validate.Errors
	name := errs.Text("name", "Full name", f.Get("name"), true, 200)
	roles := formRoles(f, &errs)
	disabled := f.Get("disabled") == "yes"
	if len(errs) == 0 {
		err := s.Accounts.Update(r.Context(), actor(r), u.ID, name, roles, disabled)
		switch {
		case err == nil:
		case errors.Is(err, store.ErrNotFound):
			s.notFound(w, r)
			return
		case errors.Is(err, account.ErrDisableSelf):
			errs.Add("disabled", "You cannot turn off your own account. Ask another system administrator if it needs to be turned off")
		case errors.Is(err, account.ErrLastAdmin) && !slices.Contains(roles, authz.Admin):
			errs.Add("roles", "You cannot take the System administrator role away from the last active administrator. Give it to someone else first")
		case errors.Is(err, account.ErrLastAdmin):
			errs.Add("disabled", "You cannot turn off the last active system administrator. Give the role to someone else first")
		default:
			field, ok := accountErrorField(err)
			if !ok {
				s.serverError(w, r, err)
				return
			}
			errs.Add(field, sentence(err.Error()))
		}
	}
	if len(errs) > 0 {
		f.Errors = errs
		s.renderUserEdit(w, r, http.StatusUnprocessableEntity, u, f, "", "")
		return
	}
	msg := "The account for " + name + " has been updated"
	if p := authz.PrincipalFrom(r.Context()); p.UserID == u.ID && !slices.Contains(roles, authz.Admin) {
		// They have just given up administering candour: this page is no longer theirs.
		s.redirect(w, r, "/", msg)
		return
	}
	s.redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10), msg)
}
