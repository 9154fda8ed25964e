package learning

import (
	"crypto/rand"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/localtime"
	"candour/internal/store"
	"candour/internal/validate"
)

// Errors callers act on.
var (
	// ErrNotAllowed means the caller may not see or change this response. It
	// is also returned for responses that do not exist, so that probing ids
	// reveals nothing.
	ErrNotAllowed = errors.New("learning response not found or not yours to see")
	// ErrClosed means the response is signed off and closed, so it cannot
	// take this change.
	ErrClosed = errors.New("this learning response is signed off and closed")
)

// Method is a PSIRF learning response method.
type Method string

// The learning response methods.
const (
	PSII     Method = "psii"
	AAR      Method = "aar"
	SWARM    Method = "swarm"
	MDT      Method = "mdt"
	Thematic Method = "thematic"
)

// Status is where a response is.
type Status string

// The statuses, in order. Closed is reached only by sign-off.
const (
	Open            Status = "open"
	InProgress      Status = "in_progress"
	AwaitingSignOff Status = "awaiting_sign_off"
	Closed          Status = "closed"
)

// Option is a value with its label and a hint for people.
type Option struct {
	Value, Label, Hint string
}

func labelOf(opts []Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

func validOption(opts []Option, v string) bool {
	return slices.ContainsFunc(opts, func(o Option) bool { return o.Value == v })
}

// Methods lists the learning response methods with what each is for.
func Methods() []Option {
	return []Option{
		{string(PSII), "Patient safety incident investigation", "In depth, for one incident or a cluster where the most can be learned. Usually up to three months, with a timescale agreed with those affected."},
		{string(AAR), "After action review", "A structured conversation with the people involved around four questions: what was expected, what happened, why the difference, what we learn."},
		{string(SWARM), "SWARM huddle", "Held within hours of the event, with the staff involved, while memories are fresh."},
		{string(MDT), "Multidisciplinary team review", "Professionals from different disciplines look at the care together."},
		{string(Thematic), "Thematic review", "Looks across several events for common themes. Needs at least two events."},
	}
}

// MethodLabel names a method for people.
func MethodLabel(m Method) string { return labelOf(Methods(), string(m)) }

// ValidMethod reports whether m is a known method.
func ValidMethod(m Method) bool { return validOption(Methods(), string(m)) }

// Statuses lists the statuses with their labels.
func Statuses() []Option {
	return []Option{
		{string(Open), "Open", "Opened; the work has not started."},
		{string(InProgress), "In progress", "The record is being written."},
		{string(AwaitingSignOff), "Awaiting sign-off", "The record is complete and waits for a senior reviewer."},
		{string(Closed), "Closed", "Signed off by a senior reviewer."},
	}
}

// StatusLabel names a status for people.
func StatusLabel(s Status) string { return labelOf(Statuses(), string(s)) }

// ValidStatus reports whether s is a known status.
func ValidStatus(s Status) bool { return validOption(Statuses(), string(s)) }

// Relationships lists who an engagement was with.
func Relationships() []Option {
	return []Option{
		{"patient", "Patient", ""},
		{"family", "Family member", ""},
		{"carer", "Carer", ""},
		{"staff", "Member of staff", ""},
	}
}

// ContactMethods lists how someone was contacted.
func ContactMethods() []Option {
	return []Option{
		{"in_person", "In person", ""},
		{"phone", "By phone", ""},
		{"video", "By video call", ""},
		{"letter", "By letter", ""},
		{"email", "By email", ""},
	}
}

// ContactLabel names a contact method.
func ContactLabel(v string) string { return labelOf(ContactMethods(), v) }

// GroupLabel names a kind of person engaged with.
func GroupLabel(v string) string { return labelOf(Relationships(), v) }

// Factor is one SEIPS work-system factor.
type Factor struct {
	// Field is the factor's field name, e.g. "tools_technology".
	Field string
	Label string
	Hint  string
}

// SEIPSFactors lists the SEIPS work-system factors in order (Systems
// Engineering Initiative for Patient Safety, as used by the PSIRF toolkit).
func SEIPSFactors() []Factor {
	return []Factor{
		{"person", "Person", "The people involved as part of the system: their skills, experience, health and fatigue. Not blame."},
		{"tasks", "Tasks", "What the work asked of people: its steps, complexity, timing and interruptions."},
		{"tools_technology", "Tools and technology", "Equipment, devices and IT: how their design helped or got in the way."},
		{"organisation", "Organisation", "Staffing, rotas, policies, training, culture and how teams work together."},
		{"internal_environment", "Internal environment", "The physical place: layout, lighting, noise, space and temperature."},
		{"external_environment", "External environment", "Pressures from outside: national policy, commissioning, demand and the wider health system."},
	}
}

// Factors are a PSII's findings organised by SEIPS work-system factor.
type Factors struct {
	Person              string `json:"person,omitempty"`
	Tasks               string `json:"tasks,omitempty"`
	ToolsTechnology     string `json:"tools_technology,omitempty"`
	Organisation        string `json:"organisation,omitempty"`
	InternalEnvironment string `json:"internal_environment,omitempty"`
	ExternalEnvironment string `json:"external_environment,omitempty"`
}

// Get returns the finding for a factor's field name.
func (f Factors) Get(field string) string {
	if p := f.ptr(field); p != nil {
		return *p
	}
	return ""
}

// Set sets the finding for a factor's field name.
func (f *Factors) Set(field, v string) {
	if p := f.ptr(field); p != nil {
		*p = v
	}
}

func (f *Factors) ptr(field string) *string {
	switch field {
	case "person":
		return &f.Person
	case "tasks":
		return &f.Tasks
	case "tools_technology":
		return &f.ToolsTechnology
	case "organisation":
		return &f.Organisation
	case "internal_environment":
		return &f.InternalEnvironment
	case "external_environment":
		return &f.ExternalEnvironment
	}
	return nil
}

// empty reports whether no factor has a finding.
func (f Factors) empty() bool { return f == Factors{} }

// Participant is someone who took part in a response: an AAR's or MDT's
// participants, a SWARM's attendees, a PSII's team. When they are a candour
// user they may read the response.
type Participant struct {
	Name string `json:"name"`
	Role string `json:"role,omitempty"`
	// UserID links a candour user; zero for someone without an account.
	UserID int64  `json:"user_id,omitempty"`
	Email  string `json:"email,omitempty"`
}

// Record is a response's structured record. Which fields apply depends on
// the method:
//
//   - AAR: Expected, Actual, Difference, Learning, Participants;
//   - SWARM: HeldAt, WithinHours (computed), Participants (the attendees),
//     Findings;
//   - PSII: TermsOfReference, TimescaleAgreed, TargetDate, Factors, Report;
//   - thematic: Themes, Analysis;
//   - MDT: Participants, Findings.
//
// Fields of other methods are dropped when a record is saved.
type Record struct {
	Expected   string `json:"expected,omitempty"`
	Actual     string `json:"actual,omitempty"`
	Difference string `json:"difference,omitempty"`
	Learning   string `json:"learning,omitempty"`
	// HeldAt is when a SWARM huddle was held, "2006-01-02T15:04" in
	// the organisation's time (Europe/London).
	HeldAt string `json:"held_at,omitempty"`
	// WithinHours is how many whole hours after the event the huddle was
	// held; computed on save, nil when the event's time is not known.
	WithinHours *int   `json:"within_hours,omitempty"`
	Findings    string `json:"findings,omitempty"`
	// TermsOfReference, TimescaleAgreed, TargetDate, Factors and Report
	// belong to a PSII. TimescaleAgreed and TargetDate are kept in their own
	// columns.
	TermsOfReference string   `json:"terms_of_reference,omitempty"`
	TimescaleAgreed  string   `json:"-"`
	TargetDate       string   `json:"-"`
	Factors          Factors  `json:"factors,omitzero"`
	Report           string   `json:"report,omitempty"`
	Themes           []string `json:"themes,omitempty"`
	Analysis         string   `json:"analysis,omitempty"`
	// Participants are kept in their own table.
	Participants []Participant `json:"-"`
}

// Event is a safety event a response covers, as much of it as anyone who
// may read the response may see: never the narrative.
type Event struct {
	ID           int64
	Reference    string
	OccurredOn   string
	OccurredTime string
	Department   string
	EventType    string
}

// Engagement is one contact with a patient, family member, carer or member
// of staff.
type Engagement struct {
	ID int64
	// Group is patient, family, carer or staff.
	Group string
	// Name is their name or role.
	Name string
	// Relationship is how they relate to the event, e.g. "daughter" or
	// "nurse in charge that night".
	Relationship string
	ContactedOn  string
	// How is in_person, phone, video, letter or email.
	How            string
	Questions      string
	Told           string
	RecordedByName string
	CreatedAt      time.Time
}

// DutyOfCandour records the statutory duty of candour for a response.
type DutyOfCandour struct {
	Notifiable      bool
	NotifiedOn      string
	ApologyGiven    bool
	WrittenFollowUp string
	Notes           string
	UpdatedByName   string
	UpdatedAt       time.Time
}

// TimelineEntry is one change in a response's history.
type TimelineEntry struct {
	At     time.Time
	Actor  string
	Action string
	Detail string
}

// Response is a learning response.
type Response struct {
	ID            int64
	Reference     string
	Method        Method
	Title         string
	Status        Status
	OwnerUserID   int64
	OwnerName     string
	Record        Record
	TargetDate    string
	AlertDate     string
	SignedOffBy   int64
	SignedOffName string
	SignedOffAt   time.Time
	SignOffNote   string
	CreatedBy     int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
	ClosedAt      time.Time
	Events        []Event
	Participants  []Participant
	// Engagements, Candour and Timeline are filled by Get, not by List.
	Engagements []Engagement
	Candour     *DutyOfCandour
	Timeline    []TimelineEntry
}

// Overdue says whether an open response is past its dates on today
// ("2006-01-02"): "alert" past the alert date, "target" past the target
// date, or "" when neither or when closed.
func (r Response) Overdue(today string) string {
	if r.Status == Closed {
		return ""
	}
	switch {
	case r.AlertDate != "" && today > r.AlertDate:
		return "alert"
	case r.TargetDate != "" && today > r.TargetDate:
		return "target"
	}
	return ""
}

// FirstReference is the reference of the response's first event, for links
// to a just culture assessment.
func (r Response) FirstReference() string {
	if len(r.Events) == 0 {
		return ""
	}
	return r.Events[0].Reference
}

// Service records learning responses.
type Service struct {
	DB  *store.DB
	Now func() time.Time
}

// NewService returns a Service with the real clock.
func NewService(db *store.DB) *Service { return &Service{DB: db, Now: time.Now} }

// london is the organisation's clock for dates and times.
func london() *time.Location { return localtime.London() }

// Today is the organisation's date today, "2006-01-02".
func (s *Service) Today() string { return s.Now().In(london()).Format(store.DateLayout) }

func actorOf(p *authz.Principal) audit.Actor { return audit.Actor{UserID: p.UserID, Label: p.Email} }

func idText(n int64) string { return strconv.FormatInt(n, 10) }

func fieldError(field, msg string) error { return validate.Errors{{Field: field, Message: msg}} }

// refAlphabet avoids characters easily confused when read aloud or written.
const refAlphabet = "ACDEFGHJKMNPQRTWXY3467"

// newReference returns a reference such as LR-7KQM-4XTA: random, so that it
// reveals neither volume nor timing.
func newReference() string {
	var b strings.Builder
	b.WriteString("LR-")
	buf := make([]byte, 1)
	for i := 0; i < 8; i++ {
		if i == 4 {
			b.WriteByte('-')
		}
		for {
			rand.Read(buf)
			if int(buf[0]) < 256-256%len(refAlphabet) {
				b.WriteByte(refAlphabet[int(buf[0])%len(refAlphabet)])
				break
			}
		}
	}
	return b.String()
}

// JustCultureHref is the page that starts a just culture assessment about
// an event: the only route for a concern about an individual.
func JustCultureHref(reportRef string) string {
	if reportRef == "" {
		return "/assessments/new"
	}
	return "/assessments/new?report=" + reportRef
}
