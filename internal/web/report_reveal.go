package web

import (
	"errors"
	"net/http"

	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/validate"
)

// reportReveal shows a confidential reporter's identity to the assigned
// handler, who must give a reason; the report package audits it. The
// identity is on this page only: it is never stored in a cookie, and a
// refresh or another visit needs another reveal.
func (s *Server) reportReveal(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		s.notFound(w, r)
		return
	}
	ctx := r.Context()
	p := authz.PrincipalFrom(ctx)
	f, err := parseForm(w, r)
	if err != nil {
		f.Errors.Add("reveal_reason", err.Error())
		s.showHandlingReport(w, r, http.StatusBadRequest, id, f, nil, "")
		return
	}
	rep, err := s.Reports.Get(ctx, p, id)
	if errors.Is(err, report.ErrNotAllowed) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	who, err := s.Reports.Reveal(ctx, p, id, f.Get("reveal_reason"))
	if errs, ok := validate.As(err); ok {
		f.Errors = handlingForm{fields: map[string]string{"reason": "reveal_reason"}, first: "reveal_reason"}.errors(errs)
		s.showHandlingReport(w, r, http.StatusUnprocessableEntity, id, f, nil, "")
		return
	}
	if errors.Is(err, report.ErrNotAllowed) || errors.Is(err, report.ErrNotAssigned) ||
		errors.Is(err, report.ErrRaisedOpenly) || errors.Is(err, report.ErrRaisedAnonymously) {
		// Not the assigned handler, not confidential, or reassigned
		// since the report above was read.
		s.revealRefused(w, r, rep)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.showHandlingReport(w, r, http.StatusOK, id, &Form{}, &who, "Who raised this is shown below. Your reason has been kept as an internal note, and the audit log records that you looked")
}

// revealRefused says that only the assigned handler can reveal who raised
// a confidential report.
func (s *Server) revealRefused(w http.ResponseWriter, r *http.Request, rep report.Report) {
	s.render(w, r, http.StatusForbidden, "report_reveal", &Page{Title: "Only the assigned handler can reveal who raised this",
		BackLink: "/reports/" + idString(rep.ID), Data: rep})
}
