package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/notify"
)

// noticeRow is one notice on the notifications page.
type noticeRow struct {
	ID     int64
	Body   string
	Link   string
	When   string
	Unread bool
}

// notificationsView is the data of the notifications page.
type notificationsView struct {
	Notices []noticeRow
	Unread  int
}

// notificationsList shows the signed-in user's in-app notices, newest first.
func (s *Server) notificationsList(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	ns, err := notify.Notices(r.Context(), s.DB, p.UserID, false, 200)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var v notificationsView
	for _, n := range ns {
		v.Notices = append(v.Notices, noticeRow{ID: n.ID, Body: n.Body, Link: n.Link,
			When: n.CreatedAt.In(london()).Format("2 January 2006 at 15:04"), Unread: !n.Read()})
		if !n.Read() {
			v.Unread++
		}
	}
	s.render(w, r, http.StatusOK, "notifications", &Page{Title: "Notifications", Data: v})
}
