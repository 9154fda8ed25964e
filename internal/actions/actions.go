package actions

import (
	"errors"
	"fmt"
	"time"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/localtime"
	"candour/internal/store"
	"candour/internal/validate"
)

// Errors callers act on.
var (
	// ErrNotAllowed means the caller may not see or change this action. It
	// is also returned for actions that do not exist, so that probing ids
	// reveals nothing.
	ErrNotAllowed = errors.New("action not found or not yours to see")
	// ErrSafetyOnly means the change needs the patient safety team: creating
	// an action, changing its details, cancelling or reopening it.
	ErrSafetyOnly = errors.New("only the patient safety team can make this change")
)

// Status is where an action stands.
type Status string

// The statuses.
const (
	Open       Status = "open"
	InProgress Status = "in_progress"
	Done       Status = "done"
	Cancelled  Status = "cancelled"
)

// Option is a value and its label, for select boxes and radios.
type Option struct{ Value, Label string }

// Statuses lists every status in order.
func Statuses() []Option {
	return []Option{{string(Open), "Open"}, {string(InProgress), "In progress"}, {string(Done), "Done"}, {string(Cancelled), "Cancelled"}}
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, o := range Statuses() {
		if o.Value == string(s) {
			return true
		}
	}
	return false
}

// Active reports whether the action is still to be done.
func (s Status) Active() bool { return s == Open || s == InProgress }

// Label is the status's name for people.
func (s Status) Label() string {
	for _, o := range Statuses() {
		if o.Value == string(s) {
			return o.Label
		}
	}
	return string(s)
}

// Limits on what an action holds.
const (
	MaxTitle       = 200
	MaxDescription = 5000
	MaxNote        = 5000
	// MaxYearsAhead bounds a due date: an improvement due in more than five
	// years is a plan, not an action.
	MaxYearsAhead = 5
	// ReminderDays is how long before the due date the owner is reminded.
	ReminderDays = 3
)

// Notice kinds, each fired at most once per action and due date.
const (
	NoticeDueSoon = "due_soon"
	NoticeOverdue = "overdue"
)

// Link is a safety event or learning response an action refers to.
type Link struct {
	ID        int64
	Reference string
}

// Action is one improvement action.
type Action struct {
	ID          int64
	Title       string
	Description string
	OwnerID     int64
	OwnerName   string
	OwnerEmail  string
	// DueOn is a date, YYYY-MM-DD.
	DueOn  string
	Status Status
	// Evidence of completion, for a done action (or recorded on the way).
	Evidence string
	// CancelReason is why a cancelled action was cancelled.
	CancelReason string
	Report       Link
	Response     Link
	CreatedBy    int64
	CreatorName  string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// CompletedAt is when it was done or cancelled.
	CompletedAt time.Time
}

// Overdue reports whether the action is still to be done and its due date
// is before today (YYYY-MM-DD).
func (a Action) Overdue(today string) bool { return a.Status.Active() && a.DueOn < today }

// DaysOverdue is how many days past its due date an overdue action is.
func (a Action) DaysOverdue(today string) int {
	if !a.Overdue(today) {
		return 0
	}
	d, err1 := time.Parse(store.DateLayout, a.DueOn)
	t, err2 := time.Parse(store.DateLayout, today)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(t.Sub(d).Hours() / 24)
}

// Service tracks improvement actions.
type Service struct {
	DB  *store.DB
	Now func() time.Time
	// BaseURL starts the links in reminder emails; without it they carry
	// the path alone.
	BaseURL string
}

// NewService returns a Service with the real clock.
func NewService(db *store.DB) *Service { return &Service{DB: db, Now: time.Now} }

// CanManage reports whether p is on the patient safety team, who see and
// manage every action.
func CanManage(p *authz.Principal) bool { return p.Has(authz.Safety) }

// canSee reports whether p may see a.
func canSee(p *authz.Principal, a Action) bool {
	return p != nil && (CanManage(p) || a.OwnerID == p.UserID)
}

// CanUpdate reports whether p may change a's status and evidence.
func CanUpdate(p *authz.Principal, a Action) bool { return canSee(p, a) }

// today is the date in England, as midnight UTC of that date.
func (s *Service) today() time.Time { return localtime.Today(s.Now()) }

// Today is today's date in England, YYYY-MM-DD.
func (s *Service) Today() string { return s.today().Format(store.DateLayout) }

func actor(p *authz.Principal) audit.Actor { return audit.Actor{UserID: p.UserID, Label: p.Email} }

func fieldError(field, msg string) error { return validate.Errors{{Field: field, Message: msg}} }

func id(n int64) string { return fmt.Sprint(n) }

// FormatDate turns YYYY-MM-DD into "4 March 2026".
func FormatDate(d string) string {
	t, err := time.Parse(store.DateLayout, d)
	if err != nil {
		return d
	}
	return t.Format("2 January 2006")
}
