package report

import (
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"

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
	// ErrNotClosed means the report is open, so there is nothing to reopen.
	ErrNotClosed = errors.New("this report is open already")
	// ErrDuplicate means the report was closed as a duplicate: it is the
	// report it duplicates that should be reopened.
	ErrDuplicate = errors.New("this report was closed as a duplicate of another; reopen that report instead")
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
	// Earliest is the first date an event can have happened on: the day the
	// organisation was established (configuration; the NHS's first day by
	// default).
	Earliest time.Time
	// BaseURL is used for links in notices and email.
	BaseURL string
	// EscalateTo lists, per kind, the email addresses told when a report's
	// deadline has passed, beyond its team: the executive lead for speaking
	// up, say, or the head of patient safety. They get the reference and
	// the missed date, never the narrative or anything about the reporter.
	EscalateTo map[Kind][]string
	// Logger is where the group-commit writer reports trouble with the
	// search index (slog.Default() when nil).
	Logger *slog.Logger

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

// An access code is four groups of random characters from codeAlphabet
// (about 71 bits, far beyond guessing at any rate we allow) and a fifth
// group, its locator, that spells the report's number modulo 22^4.
//
// Only a keyed hash of the whole code is stored, behind the locator:
// "LOCA.<hmac>". The locator is no secret (it is derived from the report's
// number, which the reporter is given anyway) and it is there for the
// database's sake: a unique index on random hashes puts every new report on
// a different page of the index, one page written per report at every
// commit, while codes of reports stored one after another sort next to one
// another and share their pages. It roughly doubled the rate of durable
// submissions (docs/benchmarks.md). Codes issued before the locator are five
// random groups; their hashes are stored bare and still found.
const (
	codeSecretGroups = 4
	locatorSpace     = 22 * 22 * 22 * 22
)

// newCode returns groups of four random characters from codeAlphabet.
func newCode(groups int) string {
	buf := make([]byte, 1)
	return spellCode(groups, func() byte {
		rand.Read(buf)
		return buf[0]
	})
}

// spellCode writes groups of four characters from codeAlphabet, dash
// between, drawing bytes from next. Rejection sampling keeps every
// character equally likely.
func spellCode(groups int, next func() byte) string {
	var b strings.Builder
	for i := 0; i < groups*4; i++ {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		for {
			if c := int(next()); c < 256-256%len(codeAlphabet) {
				b.WriteByte(codeAlphabet[c%len(codeAlphabet)])
				break
			}
		}
	}
	return b.String()
}

// locatorDigits are codeAlphabet's characters in byte order, so that a
// locator's text sorts as its number does.
const locatorDigits = "3467ACDEFGHJKMNPQRTWXY"

// locator spells id modulo 22^4 in locatorDigits, most significant
// character first, so that locators of consecutive reports sort in order
// (until they wrap, every 234,256 reports).
func locator(id int64) string {
	n := id % locatorSpace
	var out [4]byte
	for i := 3; i >= 0; i-- {
		out[i] = locatorDigits[n%int64(len(locatorDigits))]
		n /= int64(len(locatorDigits))
	}
	return string(out[:])
}

// accessCode completes a code's random groups with the report's locator.
func accessCode(secretGroups string, id int64) string { return secretGroups + "-" + locator(id) }

// codeKey is what reports.access_code_hash holds for a code: its locator,
// a dot, and one keyed hash of the normalised code. A code too short to
// hold a locator (only ever mistyped) gets the bare hash, which matches
// nothing stored.
func codeKey(norm, hash string) string {
	if len(norm) < 4 {
		return hash
	}
	return norm[len(norm)-4:] + "." + hash
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

// Reference is a report's reference, such as SE-004512-5: SE for patient
// safety events or SU for speak-up concerns, the report's number (at least
// six digits) and a check digit.
//
// The number is the report's id, already shown in addresses and returned
// by the API, so the reference reveals nothing new; references of reports
// stored one after another sort together, so the unique index on them
// grows at its end instead of at a random page per report. The check digit
// (Damm's algorithm) catches every mistyped digit and every swap of two
// neighbouring digits, which matters now that a slip would otherwise name
// another real report. References issued before were random (such as
// SE-7KQM-4XTA-CH3W) and stay as they were.
func Reference(k Kind, id int64) string {
	prefix := "SE"
	if k == Concern {
		prefix = "SU"
	}
	num := fmt.Sprintf("%06d", id)
	return prefix + "-" + num + "-" + string(rune('0'+dammDigit(num)))
}

// ReferenceFormat says how a reference is written, for messages about one
// that is not.
const ReferenceFormat = "Enter a reference like SE-004512-5 or SU-000123-4: SE or SU, the report's number and a check digit (older references look like SE-7KQM-4XTA-CH3W)"

// ReferenceCheckFailed is the message for a numbered reference whose check
// digit does not match its number: a digit mistyped, swapped, left out or
// added.
const ReferenceCheckFailed = "That reference does not add up: a digit may be mistyped, swapped or missing. Check it with the person who gave it to you"

// NormalReference reads a reference as people type it, in either case,
// with spaces or dashes (including the dashes word processors put in) or
// without them, and returns it as stored: se 004512 5 and SE0045125 both
// read as SE-004512-5. References issued before the
// numbered ones (such as SE-7KQM-4XTA-CH3W) are read the same way.
//
// The check digit only helps if it is really there, so the shape typed
// must hold one: the digits written as groups must end in a group of one
// digit, a single run of digits needs the number (written with its leading
// zeros) and the check digit, and the number must have the six digits (or
// more) it was issued with
// (SE-00412-5 has lost one). Without that, a reference quoted without its
// check digit would open another report one time in ten. ok is false for
// anything that cannot be a reference; checkFailed is true when it has the
// shape of a numbered reference but its check digit does not match.
func NormalReference(typed string) (ref string, ok, checkFailed bool) {
	var b strings.Builder
	for _, c := range strings.ToUpper(typed) {
		switch {
		case c == '-' || unicode.IsSpace(c) || (c >= '\u2010' && c <= '\u2015') || c == '\u2212':
			b.WriteByte('-')
		case c == '\u200b' || c == '\ufeff':
			// Zero-width characters come along with pasted text.
		case c < 0x80:
			b.WriteRune(c)
		default:
			return "", false, false
		}
	}
	t := b.String()
	var groups []string
	for _, g := range strings.Split(t, "-") {
		if g != "" {
			groups = append(groups, g)
		}
	}
	if len(groups) == 0 || len(t) > 60 {
		return "", false, false
	}
	// The prefix may be written apart from the rest or run into it.
	first := groups[0]
	if len(first) < 2 || (first[:2] != "SE" && first[:2] != "SU") {
		return "", false, false
	}
	prefix := first[:2]
	if rest := first[2:]; rest != "" {
		groups[0] = rest
	} else {
		groups = groups[1:]
	}
	digits := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	numbered := len(groups) > 0
	for _, g := range groups {
		numbered = numbered && digits(g)
	}
	compact := strings.Join(groups, "")
	if numbered {
		var num string
		var check byte
		switch {
		case len(groups) == 1 && len(compact) >= 7 && compact[0] == '0':
			// Run together, the check digit is told from the number only
			// by the number's leading zero (SE0045125): a run with none
			// (SE1234567) could be a seven-digit number without its check
			// digit, so that one must be written apart (SE-123456-7).
			num, check = compact[:len(compact)-1], compact[len(compact)-1]
		case len(groups) > 1 && len(groups[len(groups)-1]) == 1:
			num, check = strings.Join(groups[:len(groups)-1], ""), groups[len(groups)-1][0]
		default:
			num = ""
		}
		if len(num) >= 6 {
			// Leading zeros change neither the number nor its check
			// digit; stored numbers have six digits or more.
			num = strings.TrimLeft(num, "0")
			if len(num) < 6 {
				num = strings.Repeat("0", 6-len(num)) + num
			}
			if dammDigit(num) == check-'0' {
				return prefix + "-" + num + "-" + string(check), true, false
			}
			if len(compact) != 12 {
				return "", false, true
			}
		} else if len(compact) != 12 {
			return "", false, false
		}
	}
	// An older random reference: twelve letters and digits, in three
	// groups of four.
	if len(compact) == 12 && strings.Trim(compact, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") == "" {
		return prefix + "-" + compact[:4] + "-" + compact[4:8] + "-" + compact[8:], true, false
	}
	return "", false, false
}

// damm is the quasigroup of Damm's check-digit algorithm (H. Michael
// Damm, 2004): weakly totally antisymmetric, with zeros on its diagonal.
var damm = [10][10]byte{
	{0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
	{7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
	{4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
	{1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
	{6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
	{3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
	{5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
	{8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
	{9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
	{2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
}

// dammDigit is the check digit for a string of decimal digits: the one
// that brings the interim digit back to zero.
func dammDigit(digits string) byte {
	var interim byte
	for i := 0; i < len(digits); i++ {
		interim = damm[interim][digits[i]-'0']
	}
	return interim
}

func id(n int64) string { return fmt.Sprint(n) }

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}
