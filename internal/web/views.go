package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"candour/internal/authz"
	"candour/internal/httpx"
	"candour/internal/localtime"
	"candour/internal/report"
	"candour/internal/validate"
)

//go:embed templates
var templateFS embed.FS

// views holds one parsed template per page, each built on the layout and
// the NHS.UK component partials.
type views struct {
	pages map[string]*template.Template
}

func newViews(a *assets) (*views, error) {
	funcs := template.FuncMap{
		"asset": a.url,
		"dict":  dict,
		// sendKey is a fresh key for a message form each time it is drawn
		// (report.MessageReporterOnce): sent twice, the message is kept once.
		"sendKey": newSubmissionKey,
		"date":    formatDate,
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(london()).Format("2 January 2006 at 15:04")
		},
		"roleLabel": func(r authz.Role) string { return r.Label() },
		"roleList": func(roles []authz.Role) string {
			s := make([]string, len(roles))
			for i, r := range roles {
				s[i] = r.Label()
			}
			return strings.Join(s, ", ")
		},
		"list": func(v ...any) []any { return v },
		// fieldLabel names a part of a report mid-sentence: "the concern".
		"fieldLabel": func(k report.Kind, field string) string { return strings.ToLower(report.FieldLabel(k, field)) },
	}
	base, err := template.New("base").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	files, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, f := range files {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(templateFS, f); err != nil {
			return nil, fmt.Errorf("parse %s: %w", f, err)
		}
		v.pages[strings.TrimSuffix(path.Base(f), ".html")] = t
	}
	return v, nil
}

func dict(pairs ...any) (map[string]any, error) {
	if len(pairs)%2 != 0 {
		return nil, errors.New("dict: odd number of arguments")
	}
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		k, ok := pairs[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", pairs[i])
		}
		m[k] = pairs[i+1]
	}
	return m, nil
}

func london() *time.Location { return localtime.London() }

// formatDate turns "2026-03-04" into "4 March 2026".
func formatDate(s string) string {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return s
	}
	return t.Format("2 January 2006")
}

// NavItem is one link in the header navigation.
type NavItem struct {
	Label, Href string
	Current     bool
}

// Page is the view model every page renders with: the layout's fields, the
// form being edited, and the page's own data.
type Page struct {
	Title    string
	Nonce    string
	User     *authz.Principal
	Nav      []NavItem
	BackLink string
	Flash    string
	Errors   validate.Errors
	Form     *Form
	Data     any
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *Page) {
	t, ok := s.views.pages[name]
	if !ok {
		s.Logger.ErrorContext(r.Context(), "no such page template", "page", name)
		http.Error(w, "Sorry, there is a problem with the service.", http.StatusInternalServerError)
		return
	}
	p.Nonce = httpx.Nonce(r.Context())
	p.User = authz.PrincipalFrom(r.Context())
	p.Nav = navFor(p.User, r.URL.Path)
	if p.Form == nil {
		p.Form = &Form{}
	}
	if len(p.Errors) == 0 {
		p.Errors = p.Form.Errors
	}
	if p.Flash == "" && r.Method == http.MethodGet {
		p.Flash = s.takeFlash(w, r)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.Logger.ErrorContext(r.Context(), "render page", "page", name, "error", err)
		http.Error(w, "Sorry, there is a problem with the service.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// navFor builds the header navigation for the user's roles. People who are
// not signed in still get the way to speak up.
func navFor(p *authz.Principal, current string) []NavItem {
	if p == nil {
		return markCurrent([]NavItem{{Label: "Report or speak up", Href: "/report"}, {Label: "Follow up a report", Href: "/follow-up"}}, current)
	}
	items := []NavItem{{Label: "Home", Href: "/"}, {Label: "Report or speak up", Href: "/report"}, {Label: "My reports", Href: "/my-reports"},
		{Label: "Learning library", Href: "/library"}}
	if p.HasAny(authz.Safety, authz.Guardian) {
		items = append(items, NavItem{Label: "Reports", Href: "/reports"})
	}
	if p.HasAny(authz.Manager, authz.Safety, authz.HR) {
		items = append(items, NavItem{Label: "Assessments", Href: "/assessments"})
	}
	items = append(items, NavItem{Label: "Actions", Href: "/actions"}, NavItem{Label: "Support", Href: "/support"})
	if p.Has(authz.Safety) {
		items = append(items, NavItem{Label: "Learning responses", Href: "/learning"}, NavItem{Label: "Restorative records", Href: "/restore"})
	}
	if p.HasAny(authz.HR, authz.Manager, authz.UnionRep) {
		items = append(items, NavItem{Label: "Cases", Href: "/cases"})
	}
	if p.HasAny(authz.HR, authz.Exec) {
		items = append(items, NavItem{Label: "Suspensions", Href: "/suspensions"}, NavItem{Label: "Equality", Href: "/equality"},
			NavItem{Label: "Oversight", Href: "/oversight"})
	}
	if p.HasAny(authz.Admin, authz.HR) {
		items = append(items, NavItem{Label: "People", Href: "/people"}, NavItem{Label: "Organisation", Href: "/organisation"})
	}
	if p.HasAny(authz.Admin, authz.HR, authz.Exec) {
		items = append(items, NavItem{Label: "Headcount", Href: "/headcount"})
	}
	if p.Has(authz.Admin) {
		items = append(items, NavItem{Label: "Users", Href: "/admin/users"}, NavItem{Label: "Audit log", Href: "/admin/audit"},
			NavItem{Label: "Casework roles", Href: "/admin/casework"}, NavItem{Label: "Settings", Href: "/admin/settings"})
	}
	return markCurrent(items, current)
}

func markCurrent(items []NavItem, current string) []NavItem {
	for i := range items {
		h := items[i].Href
		items[i].Current = current == h || (h != "/" && strings.HasPrefix(current, h+"/"))
	}
	return items
}

const flashCookie = "candour_flash"

// flash stores a one-time success message shown on the next page.
func (s *Server) flash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", HttpOnly: true,
		Secure: s.Config.SecureCookies(), SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.Config.SecureCookies()})
	msg, err := url.QueryUnescape(c.Value)
	if err != nil || len(msg) > 300 {
		return ""
	}
	return msg
}

// redirect answers a successful form post with a flash message and a
// See Other, so that refreshing does not post again.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		s.flash(w, flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
