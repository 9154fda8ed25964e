package report

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/localtime"
	"candour/internal/secret"
	"candour/internal/store"
)

// Errors callers act on.
var (
	// ErrNotAllowed means the caller may not see or change this report. It
	// is also returned for reports that do not exist, so that probing ids
	// reveals nothing.
	ErrNotAllowed = errors.New("report not found or not yours to see")
	// ErrBadCode means an access code matched no report. The message never
	// says which part was wrong.
	ErrBadCode = errors.New("that access code does not match a report")
	// ErrRateLimited means too many wrong access codes.
	ErrRateLimited = errors.New("too many attempts; wait a few minutes and try again")
	// ErrTokenExpired means a follow-up token is no longer valid.
	ErrTokenExpired = errors.New("your follow-up session has ended; enter your access code again")
	// ErrClosed means the report is closed and cannot take this change.
	ErrClosed = errors.New("this report is closed")
)

// Deadlines are the days allowed to acknowledge and to give feedback, per kind.
type Deadlines struct {
	AckDays      map[Kind]int
	FeedbackDays map[Kind]int
}

// DefaultDeadlines: acknowledge within 7 days, feed back within 3 months
// (EU whistleblowing directive practice, widely adopted in NHS policies).
func DefaultDeadlines() Deadlines {
	return Deadlines{
		AckDays:      map[Kind]int{SafetyEvent: 7, Concern: 7},
		FeedbackDays: map[Kind]int{SafetyEvent: 90, Concern: 90},
	}
}

// Service handles reports.
type Service struct {
	DB        *store.DB
	Keys      *secret.Ring
	Now       func() time.Time
	Deadlines Deadlines
	// MaxAttachmentBytes bounds each file; MaxAttachments bounds the count.
	MaxAttachmentBytes int64
	MaxAttachments     int
	// Earliest is the first date an event can have happened on.
	Earliest time.Time
	// BaseURL is used for links in notices and email.
	BaseURL string

	// batch is the group-commit writer and its caches (batch.go).
	batch *svcState
}

// NewService returns a Service with default deadlines and limits.
func NewService(db *store.DB, keys *secret.Ring) *Service {
	return &Service{DB: db, Keys: keys, Now: time.Now, Deadlines: DefaultDeadlines(),
		MaxAttachmentBytes: 10 << 20, MaxAttachments: 5,
		Earliest: time.Date(1948, 7, 5, 0, 0, 0, 0, time.UTC), batch: &svcState{}}
}

// london is the organisation's clock for dates: "today" for a ward in England.
func london() *time.Location { return localtime.London() }

func (s *Service) today() time.Time {
	n := s.Now().In(london())
	return time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
}

// handlerActor is the audit actor for a signed-in user.
func handlerActor(p *authz.Principal) audit.Actor {
	return audit.Actor{UserID: p.UserID, Label: p.Email}
}

// anonymousActor is how reporters without identity appear in the audit log.
func anonymousActor() audit.Actor { return audit.Actor{Label: "reporter (anonymous)"} }

// reporterActor names the reporter in the audit log only as openly as they
// chose: open reporters by account, others not at all.
func reporterActor(mode Mode, p *authz.Principal) audit.Actor {
	switch {
	case mode == Open && p != nil:
		return handlerActor(p)
	case mode == Confidential:
		return audit.Actor{Label: "reporter (confidential)"}
	}
	return anonymousActor()
}

// codeAlphabet avoids letters and digits that are easily confused when
// written down (0/O, 1/I/L, 5/S, 8/B, 2/Z, U/V).
const codeAlphabet = "ACDEFGHJKMNPQRTWXY3467"

// newCode returns groups of four characters from codeAlphabet; 5 groups is
// about 89 bits, far beyond guessing at any rate we allow.
func newCode(groups int) string {
	var b strings.Builder
	buf := make([]byte, 1)
	for i := 0; i < groups*4; i++ {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		for {
			rand.Read(buf)
			// Rejection sampling keeps every character equally likely.
			if int(buf[0]) < 256-256%len(codeAlphabet) {
				b.WriteByte(codeAlphabet[int(buf[0])%len(codeAlphabet)])
				break
			}
		}
	}
	return b.String()
}

// NormaliseCode accepts a code as people type it: any case, with or without
// spaces and dashes, with O for 0 and I or L for 1 mistaken.
func NormaliseCode(s string) string {
	s = strings.ToUpper(s)
	var raw []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '-' || c == '\t':
			continue
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			raw = append(raw, c)
		default:
			return ""
		}
	}
	var b strings.Builder
	for i, c := range raw {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// newReference returns a reference such as SE-7KQM-4XTA-CH3W: random, so
// that it reveals neither volume nor timing, and from a space (about 10^16)
// large enough that millions of reports never collide in practice.
func newReference(k Kind) string {
	prefix := "SE"
	if k == Concern {
		prefix = "SU"
	}
	return prefix + "-" + newCode(3)
}

func id(n int64) string { return fmt.Sprint(n) }
