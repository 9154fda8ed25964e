package web

import (
	"net/http"

	"candour/internal/authz"
	"candour/internal/casework"
)

// homeLink is a task on the home page.
type homeLink struct {
	Title, Href, Description string
}

// home shows signed-out visitors what candour is and how to sign in, and
// signed-in people the tasks their roles allow.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p := authz.PrincipalFrom(r.Context())
	if p == nil {
		s.render(w, r, http.StatusOK, "welcome", &Page{Title: "Speak up, learn and restore"})
		return
	}
	links := []homeLink{
		{"Report or speak up", "/report", "Tell us about a patient safety event, or raise a concern with the Freedom to Speak Up guardians: openly, confidentially or anonymously."},
		{"My reports", "/my-reports", "Read replies, add information and see what changed because you spoke up."},
		{"Notifications", "/notifications", "Updates on your reports and reminders about work that is due."},
		{"Learning library", "/library", "Lessons from across the organisation, so that what one ward learned reaches the next. Search them, and events if you handle them."},
	}
	if p.HasAny(authz.Safety, authz.Guardian) {
		links = append(links, homeLink{"Reports to handle", "/reports", "Acknowledge, look into and close the reports your team handles, and talk with the people who raised them."})
	}
	if p.HasAny(authz.Manager, authz.Safety, authz.HR) {
		links = append(links, homeLink{"Just culture assessments", "/assessments", "Before singling anyone out, work through the just culture guide together and record how you decided."})
	}
	if p.HasAny(authz.Manager, authz.Safety, authz.HR, authz.Admin) {
		links = append(links, homeLink{"Just culture guides", "/guides", "The guides candour supports, each version kept as it was used."})
	}
	if p.HasAny(authz.HR, authz.Manager, authz.UnionRep) {
		links = append(links, homeLink{"Cases", "/cases", "Employee-relations cases you handle, manage or represent someone in: facts and alternatives first, formal action only as a last resort."})
	}
	if p.HasAny(authz.HR, authz.Exec) {
		// Only the ER lead and executives may sign off a checklist.
		signer := p.Has(authz.Exec)
		if !signer {
			lead, err := s.Cases.HasDesignation(r.Context(), p.UserID, casework.ERLead)
			if err != nil {
				s.serverError(w, r, err)
				return
			}
			signer = lead
		}
		if signer {
			links = append(links, homeLink{"Cases waiting for your sign-off", "/cases/sign-off", "Read the pre-formal checklist of an early concern and, if you agree, sign it off as the second senior person."})
		}
	}
	if p.Has(authz.Exec) {
		links = append(links, homeLink{"Learning from cases", "/cases/learning", "What the organisation learned about its processes, policies and systems from closed cases, with no names."})
	}
	if p.HasAny(authz.HR, authz.Exec) {
		links = append(links,
			homeLink{"Suspensions", "/suspensions", "Suspensions and exclusions: the alternatives considered, two executives' decisions and regular reviews."},
			homeLink{"Equality in casework", "/equality", "Whether ethnic minority and disabled staff are more likely to enter formal processes (WRES indicator 3, WDES metric 3)."},
			homeLink{"Casework oversight", "/oversight", "Cases by type and stage, time against targets, suspensions and outcomes, for the board."})
	}
	if p.Has(authz.UnionRep) {
		if ok, err := s.Equality.MaySeePartnership(r.Context(), p); err != nil {
			s.serverError(w, r, err)
			return
		} else if ok {
			links = append(links, homeLink{"Partnership view", "/partnership", "Anonymised figures on casework for the staff side, small numbers hidden."})
		}
	}
	// Only someone given access to a case about them has anything to follow.
	if mine, err := s.Cases.MyCases(r.Context(), p); err != nil {
		s.serverError(w, r, err)
		return
	} else if len(mine) > 0 {
		links = append(links, homeLink{"My cases", "/my-cases", "Employee-relations cases about you that you have been given access to follow."})
	}
	if p.HasAny(authz.Admin, authz.HR) {
		links = append(links,
			homeLink{"People", "/people", "Find, add and update the people who work here, or import an ESR staff export."},
			homeLink{"Organisation", "/organisation", "Sites, departments, wards and teams, and the national staff groups."})
	}
	if p.HasAny(authz.Admin, authz.HR, authz.Exec) {
		links = append(links, homeLink{"Headcount", "/headcount", "How many people work here on any date, by site, department, staff group, ethnicity or disability."})
	}
	if p.Has(authz.Admin) {
		links = append(links,
			homeLink{"Users and roles", "/admin/users", "Create sign-in accounts, set roles, reset passwords and unlock accounts."},
			homeLink{"Audit log", "/admin/audit", "Who did what to which record, and when. Check that nobody has altered it."},
			homeLink{"Casework roles", "/admin/casework", "Name the employee-relations lead, the non-executive reviewer of suspensions and the staff-side lead."},
			homeLink{"Settings", "/admin/settings", "The organisation's name and how small numbers are hidden in reports."})
	}
	links = append(links, homeLink{"Your account", "/account", "Change your password, manage API tokens and sign out of every device."})
	s.render(w, r, http.StatusOK, "home", &Page{Title: "Home", Data: links})
}

// accessibility shows the accessibility statement.
func (s *Server) accessibility(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "accessibility", &Page{Title: "Accessibility statement"})
}

// privacy shows how candour handles personal data.
func (s *Server) privacy(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "privacy", &Page{Title: "Privacy"})
}
