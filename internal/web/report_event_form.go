package web

import (
	"net/http"
	"net/url"

	"candour/internal/attach"
	"candour/internal/authz"
	"candour/internal/org"
	"candour/internal/report"
)

// reportFormView is the data of the report forms.
type reportFormView struct {
	Event      bool
	Action     string
	Modes      []report.Option
	SignedIn   bool
	EventTypes []report.Option
	Physical   []report.Option
	Psych      []report.Option
	Elements   []report.Option
	Roles      []report.Option
	Sites      []reportSite
	// StaffGroups are the national staff groups, asked of concerns.
	StaffGroups []org.Option
	People      []int
	// Privacy describes what looks like a name or number in the text,
	// when the reporter has to confirm before sending.
	Privacy string
	// FilesDropped says files were chosen, something was wrong with them,
	// and all must be chosen again (the hint says so beside the error).
	FilesDropped     bool
	Accept, Allowed  string
	MaxSize          string
	MaxFiles         int
	AttachmentsError string
}

// reportSite is a site and its departments, an option group of the
// department select.
type reportSite struct {
	Name        string
	Departments []org.Option
}

// reportEventForm shows the form to report a patient safety event.
func (s *Server) reportEventForm(w http.ResponseWriter, r *http.Request) {
	s.renderReportForm(w, r, http.StatusOK, report.SafetyEvent, newReportForm(), reportFormExtras{})
}

// newReportForm is an empty report form with a fresh submission key.
func newReportForm() *Form {
	return &Form{Values: url.Values{"submission_key": {newSubmissionKey()}}}
}

// reportFormExtras is what a report form may show besides what was typed.
type reportFormExtras struct {
	// privacy describes what looks like a name or number in the text.
	privacy string
	// flash is a success message at the top of the page.
	flash string
}

// renderReportForm shows a report form of kind with what was typed.
func (s *Server) renderReportForm(w http.ResponseWriter, r *http.Request, status int, kind report.Kind, f *Form, x reportFormExtras) {
	ds, err := s.Org.Departments(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var sites []reportSite
	for _, d := range ds {
		if len(sites) == 0 || sites[len(sites)-1].Name != d.SiteName {
			sites = append(sites, reportSite{Name: d.SiteName})
		}
		last := &sites[len(sites)-1]
		last.Departments = append(last.Departments, org.Option{Value: idString(d.ID), Label: d.Name})
	}
	var groups []org.Option
	if kind == report.Concern {
		gs, err := s.Org.StaffGroups(r.Context())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		for _, g := range gs {
			groups = append(groups, org.Option{Value: g.Code, Label: g.Name})
		}
	}
	signedIn := authz.PrincipalFrom(r.Context()) != nil
	action, title := reportAction(kind), "Report a patient safety event"
	if kind == report.Concern {
		title = "Speak up about a concern"
	}
	modes := report.Modes()
	for i := range modes {
		switch {
		case !signedIn && modes[i].Value != string(report.Anonymous):
			modes[i].Hint += " You will need to sign in."
		case signedIn && modes[i].Value == string(report.Anonymous):
			modes[i].Hint += " Although you are signed in, it will not be linked to you."
		}
	}
	v := reportFormView{
		Event:       kind == report.SafetyEvent,
		Action:      action,
		Modes:       modes,
		SignedIn:    signedIn,
		EventTypes:  report.EventTypes(),
		Physical:    report.PhysicalHarms(),
		Psych:       report.PsychologicalHarms(),
		Elements:    report.Elements(),
		Roles:       report.PersonRoles(),
		Sites:       sites,
		StaffGroups: groups,
		Privacy:     x.privacy,
		Accept:      attach.Accept,
		Allowed:     attach.Allowed,
		MaxSize:     sizeText(s.Config.MaxUploadBytes),
		MaxFiles:    s.Config.MaxAttachments,
		// Files are never kept between tries: they must be chosen again.
		FilesDropped:     f.FilesDropped,
		AttachmentsError: fieldMessages(f.Errors, "attachments"),
	}
	for i := 1; i <= reporterPeopleRows; i++ {
		v.People = append(v.People, i)
	}
	if f.Get("submission_key") == "" {
		f.Values.Set("submission_key", newSubmissionKey())
	}
	s.render(w, r, status, "report_form", &Page{Title: title, Form: f, Data: v, BackLink: "/report", Flash: x.flash})
}
