package web

import (
	"net/http"
	"net/url"
	"sort"
	"strings"

	"candour/internal/authz"
	"candour/internal/report"
	"candour/internal/validate"
)

// Fields of the sign-in step of a report form. They are named apart from
// the report's own fields so that neither can overwrite the other.
const (
	signInStepField     = "sign_in_step"
	signInEmailField    = "sign_in_email"
	signInPasswordField = "sign_in_password"
)

// reportSignInView is the data of the page that asks someone who is not
// signed in to sign in before a report raised openly or confidentially.
type reportSignInView struct {
	Action string
	// Mode is "openly" or "confidentially", as the page says it.
	Mode string
	// Draft is the report as typed, carried in hidden fields so that
	// nothing is kept on the server for someone not yet known.
	Draft []hiddenField
	// FilesDropped: files were chosen, and a browser cannot carry them
	// through this step.
	FilesDropped bool
}

// hiddenField is one name and value of a form carried through a page.
type hiddenField struct{ Name, Value string }

// reportSignIn handles a report sent openly or confidentially by someone
// who is not signed in. Rather than refuse it (and lose what they typed to
// the sign-in page), it asks them to sign in on a page that carries the
// draft along; once they have, the form comes back filled in, for them to
// check and send. "Go back" returns to the form without signing in, to
// raise it anonymously instead.
func (s *Server) reportSignIn(w http.ResponseWriter, r *http.Request, kind report.Kind, f *Form, mode report.Mode, filesChosen bool) {
	step := f.Get(signInStepField)
	email := strings.TrimSpace(f.Get(signInEmailField))
	password := f.Get(signInPasswordField)
	draft := &Form{Values: url.Values{}}
	for k, vs := range f.Values {
		switch k {
		case signInStepField, signInEmailField, signInPasswordField:
		default:
			draft.Values[k] = vs
		}
	}
	if step == "back" {
		draft.FilesDropped = filesChosen
		s.renderReportForm(w, r, http.StatusOK, kind, draft, reportFormExtras{})
		return
	}
	v := reportSignInView{Action: reportAction(kind), Mode: "openly", FilesDropped: filesChosen}
	if mode == report.Confidential {
		v.Mode = "confidentially"
	}
	keys := make([]string, 0, len(draft.Values))
	for k := range draft.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, val := range draft.Values[k] {
			v.Draft = append(v.Draft, hiddenField{Name: k, Value: val})
		}
	}
	page := &Page{Title: "Sign in to raise this " + v.Mode, Data: v, Form: &Form{Values: url.Values{signInEmailField: {email}}}}
	if step == "" {
		s.render(w, r, http.StatusOK, "report_sign_in", page)
		return
	}
	if email == "" {
		page.Form.Errors.Add(signInEmailField, "Enter your email address")
	}
	if password == "" {
		page.Form.Errors.Add(signInPasswordField, "Enter your password")
	}
	if len(page.Form.Errors) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "report_sign_in", page)
		return
	}
	u, err := s.Accounts.Authenticate(r.Context(), email, password)
	if msg, refused := signInRefusal(err); refused {
		page.Form.Errors = validate.Errors{{Field: signInEmailField, Message: msg}}
		s.render(w, r, http.StatusUnauthorized, "report_sign_in", page)
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	token, ok := s.startSession(w, r, u)
	if !ok {
		return
	}
	p, err := s.Accounts.Session(r.Context(), token)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	r = r.WithContext(authz.WithPrincipal(r.Context(), p))
	draft.FilesDropped = filesChosen
	s.renderReportForm(w, r, http.StatusOK, kind, draft, reportFormExtras{
		flash: "You are signed in. Your report has not been sent yet: check it, then send it."})
}

// reportAction is the path a report form of kind is sent to.
func reportAction(kind report.Kind) string {
	if kind == report.Concern {
		return "/report/concern"
	}
	return "/report/safety-event"
}
