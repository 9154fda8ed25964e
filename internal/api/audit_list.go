package api

import (
	"net/http"
	"strconv"
	"time"

	"candour/internal/audit"
	"candour/internal/validate"
)

// auditJSON is one audit entry.
type auditJSON struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	ActorID  int64     `json:"actor_id,omitempty"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Entity   string    `json:"entity"`
	EntityID string    `json:"entity_id"`
	Detail   string    `json:"detail"`
	Hash     string    `json:"hash"`
}

// auditList pages through the audit log, newest first, for administrators.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var errs validate.Errors
	f := audit.Filter{Actor: q.Get("actor"), Action: q.Get("action"), Entity: q.Get("entity"), EntityID: q.Get("entity_id")}
	for _, p := range []struct {
		name string
		dst  *time.Time
		add  int
	}{{"from", &f.From, 0}, {"to", &f.To, 1}} {
		if v := q.Get(p.name); v != "" {
			d, err := time.Parse("2006-01-02", v)
			if err != nil {
				errs.Add(p.name, "must be a date as YYYY-MM-DD")
				continue
			}
			*p.dst = d.AddDate(0, 0, p.add)
		}
	}
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			errs.Add("after", "must be the next value of a previous page")
		}
		f.Before = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			errs.Add("limit", "must be a whole number from 1 to 500")
		}
		f.Limit = n
	}
	if len(errs) > 0 {
		invalid(w, r, errs)
		return
	}
	entries, next, err := audit.List(r.Context(), s.DB, f)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	out := List[auditJSON]{Items: []auditJSON{}}
	if next > 0 {
		out.Next = strconv.FormatInt(next, 10)
	}
	for _, e := range entries {
		out.Items = append(out.Items, auditJSON{e.Seq, e.At, e.Actor.UserID, e.Actor.Label, e.Action, e.Entity, e.EntityID, e.Detail, e.Hash})
	}
	writeJSON(w, http.StatusOK, out)
}
