package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"candour/internal/account"
	"candour/internal/authz"
	"candour/internal/store"
	"candour/internal/validate"
)

// userCreate adds a sign-in account. Without a password typed in, it makes
// one and shows it once, for the administrator to hand over.
func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("email", err.Error())
		s.renderUserNew(w, r, http.StatusBadRequest, f)
		return
	}
	pw := f.Get("password")
	f.Values.Del("password") // never shown again
	var errs validate.Errors
	email := strings.TrimSpace(f.Get("email"))
	if _, err := account.NormaliseEmail(email); err != nil {
		errs.Add("email", sentence(err.Error()))
	}
	name := errs.Text("name", "Full name", f.Get("name"), true, 200)
	roles := formRoles(f, &errs)
	if pw != "" {
		if err := account.CheckPasswordPolicy(pw); err != nil {
			errs.Add("password", sentence(passwordHint(err))+" in the password, or leave it blank for candour to make one")
		}
	}
	var personID int64
	if number := strings.TrimSpace(f.Get("employee_number")); number != "" {
		p, err := s.Org.PersonByEmployeeNumber(r.Context(), number)
		switch {
		case errors.Is(err, store.ErrNotFound):
			errs.Add("employee_number", "There is nobody with employee number "+number+" in the people directory. Check the number, or leave it blank")
		case err != nil:
			s.serverError(w, r, err)
			return
		default:
			personID = p.ID
		}
	}
	if len(errs) > 0 {
		f.Errors = errs
		s.renderUserNew(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	generated := pw == ""
	if generated {
		pw = account.GeneratePassword()
	}
	u, err := s.Accounts.Create(r.Context(), actor(r), account.NewUser{Email: email, Name: name, Roles: roles, Password: pw, PersonID: personID})
	if err != nil {
		if errors.Is(err, account.ErrEmailTaken) {
			f.Errors.Add("email", "An account with this email address already exists")
		} else if field, ok := accountErrorField(err); ok {
			f.Errors.Add(field, sentence(err.Error()))
		} else {
			s.serverError(w, r, err)
			return
		}
		s.renderUserNew(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if generated {
		s.renderUserEdit(w, r, http.StatusCreated, u, nil, pw, "The account for "+u.Name+" has been created")
		return
	}
	s.redirect(w, r, "/admin/users/"+strconv.FormatInt(u.ID, 10), "The account for "+u.Name+" has been created")
}

// formRoles reads the roles checkboxes.
func formRoles(f *Form, errs *validate.Errors) []authz.Role {
	var roles []authz.Role
	for _, v := range f.Values["roles"] {
		r := authz.Role(v)
		if !r.Valid() {
			errs.Add("roles", "Choose roles from the list")
			return nil
		}
		roles = append(roles, r)
	}
	if len(roles) == 0 {
		errs.Add("roles", "Choose at least one role")
	}
	return roles
}

// accountErrorField says which input an account package validation message
// is about. The web layer checks every input before calling the account
// package, so this only catches rules that differ at the edges (a name
// within 200 characters but over 200 bytes, say).
func accountErrorField(err error) (string, bool) {
	if errors.Is(err, account.ErrPasswordPolicy) {
		return "password", true
	}
	msg := err.Error()
	for _, k := range []struct{ word, field string }{{"email", "email"}, {"name", "name"}, {"role", "roles"}} {
		if strings.Contains(msg, k.word) {
			return k.field, true
		}
	}
	return "", false
}

// sentence starts a message with a capital letter.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
