package web

import (
	"net/http"
	"strings"
	"time"

	"candour/internal/account"
)

// statusTag is how an account's state is shown: a word and a tag colour.
type statusTag struct {
	Text, Colour string
}

// userStatus says whether an account can be used at now: turned off, locked
// after failed sign-ins, without a password yet, or active.
func userStatus(u account.User, now time.Time) statusTag {
	switch {
	case u.Disabled:
		return statusTag{"Disabled", "grey"}
	case u.Locked(now):
		return statusTag{"Locked", "red"}
	case !u.HasPassword:
		return statusTag{"No password", "yellow"}
	}
	return statusTag{"Active", "green"}
}

// userRow is one line of the users table.
type userRow struct {
	account.User
	Status statusTag
}

// usersView is the data of the users page.
type usersView struct {
	Query string
	Users []userRow
	// Truncated is true when there are more matches than one page shows.
	Truncated bool
}

// usersLimit is how many users account.List returns at most.
const usersLimit = 1000

// usersList shows every sign-in account, or those whose name or email
// address contains the search text.
func (s *Server) usersList(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > 200 {
		q = q[:200]
	}
	users, err := s.Accounts.List(r.Context(), q)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	now := s.Now()
	v := usersView{Query: q, Truncated: len(users) >= usersLimit}
	for _, u := range users {
		v.Users = append(v.Users, userRow{User: u, Status: userStatus(u, now)})
	}
	f := &Form{Values: map[string][]string{"q": {q}}}
	s.render(w, r, http.StatusOK, "users", &Page{Title: "Users", Form: f, Data: v})
}
