package authz

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strings"

	"candour/internal/httpx"
)

// Role is a responsibility a user holds; a user can hold several.
type Role string

// The roles. Later capabilities refine them with per-record rules.
const (
	Staff    Role = "staff"     // any member of staff
	Manager  Role = "manager"   // line manager
	Guardian Role = "guardian"  // Freedom to Speak Up guardian
	Safety   Role = "safety"    // patient safety team
	HR       Role = "hr"        // HR / employee relations
	UnionRep Role = "union_rep" // trade union representative
	Exec     Role = "executive" // executive or non-executive director
	Admin    Role = "admin"     // manages users and settings, never case content
)

// Roles lists every role in display order.
func Roles() []Role {
	return []Role{Staff, Manager, Guardian, Safety, HR, UnionRep, Exec, Admin}
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles(), r) }

// Label is the role's name for people.
func (r Role) Label() string {
	switch r {
	case Staff:
		return "Staff member"
	case Manager:
		return "Line manager"
	case Guardian:
		return "Freedom to Speak Up guardian"
	case Safety:
		return "Patient safety team"
	case HR:
		return "HR and employee relations"
	case UnionRep:
		return "Trade union representative"
	case Exec:
		return "Executive or non-executive director"
	case Admin:
		return "System administrator"
	}
	return string(r)
}

// Principal is the signed-in caller.
type Principal struct {
	UserID int64
	Email  string
	Name   string
	Roles  []Role
	// SessionID identifies the web session, when the caller used one.
	SessionID string
	// TokenID identifies the API token, when the caller used one.
	TokenID int64
}

// Has reports whether the principal holds role r.
func (p *Principal) Has(r Role) bool { return p != nil && slices.Contains(p.Roles, r) }

// HasAny reports whether the principal holds any of roles.
func (p *Principal) HasAny(roles ...Role) bool {
	for _, r := range roles {
		if p.Has(r) {
			return true
		}
	}
	return false
}

type ctxKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// PrincipalFrom returns the caller, or nil for someone not signed in.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}

// Policy says who may use a route.
type Policy struct {
	public bool
	roles  []Role
}

// Public lets anyone, signed in or not, use the route.
func Public() Policy { return Policy{public: true} }

// SignedIn lets any signed-in user use the route.
func SignedIn() Policy { return Policy{} }

// AnyOf lets users holding at least one of roles use the route.
func AnyOf(roles ...Role) Policy { return Policy{roles: roles} }

// Allows reports whether p may use a route with this policy.
func (pol Policy) Allows(p *Principal) bool {
	switch {
	case pol.public:
		return true
	case p == nil:
		return false
	case len(pol.roles) == 0:
		return true
	}
	return p.HasAny(pol.roles...)
}

// IsPublic reports whether the policy needs no sign-in.
func (pol Policy) IsPublic() bool { return pol.public }

// String describes the policy for documentation and test output.
func (pol Policy) String() string {
	switch {
	case pol.public:
		return "public"
	case len(pol.roles) == 0:
		return "signed in"
	}
	s := make([]string, len(pol.roles))
	for i, r := range pol.roles {
		s[i] = string(r)
	}
	return "any of " + strings.Join(s, ", ")
}

// Route is one registered route and its policy.
type Route struct {
	Pattern string
	Policy  Policy
}

// Method returns the route's HTTP method ("" when the pattern has none).
func (r Route) Method() string {
	if m, _, ok := strings.Cut(r.Pattern, " "); ok {
		return m
	}
	return ""
}

// Path returns the route's path pattern.
func (r Route) Path() string {
	if _, p, ok := strings.Cut(r.Pattern, " "); ok {
		return p
	}
	return r.Pattern
}

// Mux is an http.ServeMux whose every route carries a Policy. Denied requests
// go to Deny, which knows whether to answer with a sign-in redirect, a page or
// a problem document.
type Mux struct {
	mux    *http.ServeMux
	routes []Route
	// Deny answers a request the policy refused; p is nil when nobody is
	// signed in.
	Deny func(w http.ResponseWriter, r *http.Request, p *Principal)
}

// NewMux returns an empty Mux that answers refusals with deny.
func NewMux(deny func(w http.ResponseWriter, r *http.Request, p *Principal)) *Mux {
	return &Mux{mux: http.NewServeMux(), Deny: deny}
}

// Handle registers h for pattern under policy.
func (m *Mux) Handle(pattern string, policy Policy, h http.Handler) {
	m.routes = append(m.routes, Route{Pattern: pattern, Policy: policy})
	m.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.SetRoute(r.Context(), pattern)
		p := PrincipalFrom(r.Context())
		if !policy.Allows(p) {
			m.Deny(w, r, p)
			return
		}
		h.ServeHTTP(w, r)
	}))
}

// HandleFunc registers f for pattern under policy.
func (m *Mux) HandleFunc(pattern string, policy Policy, f http.HandlerFunc) {
	m.Handle(pattern, policy, f)
}

// ServeHTTP dispatches to the registered handlers.
func (m *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) { m.mux.ServeHTTP(w, r) }

// Handler returns the handler and pattern that would serve r.
func (m *Mux) Handler(r *http.Request) (http.Handler, string) { return m.mux.Handler(r) }

// Routes lists the registered routes, sorted by pattern.
func (m *Mux) Routes() []Route {
	out := slices.Clone(m.routes)
	sort.Slice(out, func(i, j int) bool { return out[i].Pattern < out[j].Pattern })
	return out
}
