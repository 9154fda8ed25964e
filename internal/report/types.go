package report

import (
	"slices"
	"strings"
	"time"
)

// Kind is what a report is about.
type Kind string

// The kinds of report.
const (
	SafetyEvent Kind = "safety_event"
	Concern     Kind = "concern"
)

// Mode is how openly the reporter raised it.
type Mode string

// The ways to speak up (National Guardian's Office definitions).
const (
	// Open: the reporter's identity may be shared with those involved.
	Open Mode = "open"
	// Confidential: the identity is known to the handler only, and not shared
	// without consent unless the law requires it.
	Confidential Mode = "confidential"
	// Anonymous: nobody knows who raised it, candour included.
	Anonymous Mode = "anonymous"
)

// Status is where a report is in its handling.
type Status string

// The statuses, in the usual order.
const (
	New              Status = "new"
	Acknowledged     Status = "acknowledged"
	InReview         Status = "in_review"
	LearningResponse Status = "learning_response"
	Closed           Status = "closed"
)

// Team is who handles a report.
type Team string

// The handling teams.
const (
	SafetyTeam Team = "safety"
	Guardians  Team = "guardian"
)

// Option is a value and its label for people.
type Option struct {
	Value, Label, Hint string
}

func label(opts []Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

func valid(opts []Option, v string) bool {
	return slices.ContainsFunc(opts, func(o Option) bool { return o.Value == v })
}

// Kinds lists the kinds of report.
func Kinds() []Option {
	return []Option{
		{string(SafetyEvent), "Patient safety event", "Something that happened, or could have happened, to a patient: an incident, a poor outcome, a risk, or care that went well."},
		{string(Concern), "Speak-up concern", "Anything that gets in the way of patient care or affects your working life, raised with the Freedom to Speak Up guardians."},
	}
}

// Modes lists the ways to raise a report, with what each means.
func Modes() []Option {
	return []Option{
		{string(Open), "Openly", "Your name goes with your report and may be shared with the people looking into it. This makes it easiest to ask you questions and tell you what changed."},
		{string(Confidential), "Confidentially", "Only the person handling your report can see who you are. They will not share your name without your agreement, unless the law requires it."},
		{string(Anonymous), "Anonymously", "candour keeps nothing about who sent it: no name, no account, no computer address. What you write or attach could still point to you, so leave out details only you would know. You do not need to sign in. You get an access code to read replies and see the outcome: keep it safe, because a lost code cannot be recovered."},
	}
}

// EventTypes lists the national LFPSE event types.
func EventTypes() []Option {
	return []Option{
		{"incident", "Patient safety incident", "Something unintended or unexpected that could have harmed, or did harm, a patient."},
		{"poor_outcome", "Poor patient outcome", "A patient's outcome was worse than expected, and it is not yet clear whether care played a part."},
		{"risk", "Risk", "Something that could lead to harm in future, before anything has happened."},
		{"good_care", "Good care", "Care that went well and that others could learn from."},
	}
}

// PhysicalHarms lists the LFPSE physical harm levels.
func PhysicalHarms() []Option {
	return []Option{
		{"none", "No physical harm", ""},
		{"low", "Low physical harm", "Minimal harm needing extra observation or minor treatment."},
		{"moderate", "Moderate physical harm", "Significant but not permanent harm, or moderate increase in treatment."},
		{"severe", "Severe physical harm", "Permanent or long-term harm."},
		{"fatal", "Fatal", "The patient died, and the incident may have contributed."},
	}
}

// PsychologicalHarms lists the LFPSE psychological harm levels.
func PsychologicalHarms() []Option {
	return []Option{
		{"none", "No psychological harm", ""},
		{"low", "Low psychological harm", "Distress lasting a short time."},
		{"moderate", "Moderate psychological harm", "Distress needing extra support or lasting weeks."},
		{"severe", "Severe psychological harm", "Long-lasting harm to mental health."},
	}
}

// Elements lists the National Guardian's Office elements of a speak-up case.
func Elements() []Option {
	return []Option{
		{"patient_safety", "Patient safety or quality", ""},
		{"worker_safety", "Worker safety or wellbeing", ""},
		{"bullying_harassment", "Bullying or harassment", ""},
		{"behaviours", "Inappropriate attitudes or behaviours", ""},
		{"other", "Something else", ""},
	}
}

// Statuses lists the statuses a handler can set.
func Statuses() []Option {
	return []Option{
		{string(New), "New", ""},
		{string(Acknowledged), "Acknowledged", ""},
		{string(InReview), "In review", ""},
		{string(LearningResponse), "Learning response", ""},
		{string(Closed), "Closed", ""},
	}
}

// PersonRoles lists how a person was involved.
func PersonRoles() []Option {
	return []Option{
		{"patient", "Patient", ""},
		{"staff", "Member of staff", ""},
		{"visitor", "Visitor or relative", ""},
		{"other", "Someone else", ""},
	}
}

// SpeakUpAgainAnswers lists the answers to "Would you speak up again?".
func SpeakUpAgainAnswers() []Option {
	return []Option{{"yes", "Yes", ""}, {"no", "No", ""}, {"maybe", "Maybe", ""}, {"dont_know", "I do not know", ""}}
}

// DetrimentAnswers lists the answers to "Have you suffered detriment?".
func DetrimentAnswers() []Option {
	return []Option{{"no", "No", ""}, {"yes", "Yes", ""}, {"prefer_not_to_say", "I prefer not to say", ""}}
}

// Label helpers for pages.

// KindLabel names a kind.
func KindLabel(k Kind) string { return label(Kinds(), string(k)) }

// ModeLabel names a mode.
func ModeLabel(m Mode) string { return label(Modes(), string(m)) }

// StatusLabel names a status.
func StatusLabel(s Status) string { return label(Statuses(), string(s)) }

// EventTypeLabel names an event type.
func EventTypeLabel(v string) string { return label(EventTypes(), v) }

// HarmLabel names a harm level on either scale.
func HarmLabel(v string, psychological bool) string {
	if psychological {
		return label(PsychologicalHarms(), v)
	}
	return label(PhysicalHarms(), v)
}

// ElementLabel names a concern element.
func ElementLabel(v string) string { return label(Elements(), v) }

// TeamFor is the team that handles a kind of report.
func TeamFor(k Kind) Team {
	if k == Concern {
		return Guardians
	}
	return SafetyTeam
}

// Involved is a person involved in an event, recorded apart from the
// narrative: by role, with a name only if the reporter chose to give one.
type Involved struct {
	Role        string
	Description string
	Name        string // sealed at rest; shown to handlers only
}

// Upload is a file sent with a report or message.
type Upload struct {
	Filename string
	Data     []byte
	// Problem, when set, is why the file could not even be received (an
	// API body whose content is not base64, say). The file is refused with
	// this message, among the submission's other problems, and nothing is
	// stored: the sender learns everything that is wrong at once.
	Problem string
	// Field is the field a refusal of this file is reported under, such as
	// the API's "attachments[1]", so that two files with one name can be
	// told apart; "attachments", the form's one file input, when empty.
	Field string
}

// Attachment describes a stored file.
type Attachment struct {
	ID          int64
	Filename    string
	ContentType string
	Size        int64
	MessageID   int64
	CreatedAt   time.Time
}

// Message is one message on a report: from the reporter, to the reporter,
// or an internal note.
type Message struct {
	ID           int64
	FromReporter bool
	Internal     bool
	AuthorName   string // the handler's name; empty for the reporter
	// Automatic marks a message candour wrote to the reporter itself
	// (that their report was passed on), not an answer from the team.
	Automatic   bool
	Body        string
	CreatedAt   time.Time
	Attachments []Attachment
}

// Report is everything about a report that its reader may see.
type Report struct {
	ID               int64
	Reference        string
	Kind             Kind
	Mode             Mode
	Team             Team
	Status           Status
	DepartmentID     int64
	DepartmentName   string
	SiteName         string
	OccurredOn       string
	OccurredTime     string
	Description      string
	ImmediateActions string
	EventType        string
	PhysicalHarm     string
	PsychHarm        string
	Elements         []string
	// ReporterGrading is what the reporter said the report was, when the
	// team has since graded it again or passed it to the other team (nil
	// while it is as raised). The reporter's own view shows it in place of
	// the team's grading (ForReporter).
	ReporterGrading *Grading
	// ReporterGradingUnknown is set when the team graded the report again
	// or passed it on before candour kept the reporter's own account
	// (migration 00021), so what the reporter said is not known. (The
	// migration goes by the audit log, so a grading merely saved unchanged
	// then counts too.)
	ReporterGradingUnknown bool
	DesiredOutcome         string
	RaisedElsewhere        string
	// (A concern's staff group is not here: the reporter is told it is
	// only counted, in the guardians' return, so no view of one report
	// shows it.)
	People []Involved
	// ReporterName and ReporterEmail are set for open reports only; a
	// confidential reporter's identity needs Reveal.
	ReporterName   string
	ReporterEmail  string
	AssignedUserID int64
	AssignedName   string
	DuplicateOf    string // reference of the original, when a duplicate
	Related        []string
	ReceivedOn     string
	CreatedAt      time.Time
	AckDueOn       string
	FeedbackDueOn  string
	AcknowledgedAt time.Time
	ClosedAt       time.Time
	OutcomeSummary string
	SpeakUpAgain   string
	Detriment      string
	FeedbackAt     time.Time
	// EarlierFeedback holds the answers given after earlier closings of a
	// report that has since been reopened, oldest first (handlers only).
	EarlierFeedback []FeedbackAnswer
	Messages        []Message
	Attachments     []Attachment
	Redactions      int
	// RedactionLog says what was redacted, by whom, when and why, oldest
	// first (handlers only).
	RedactionLog []Redaction
}

// AwaitingReply reports whether the last message the reporter can see (any
// but an internal note), leaving out those candour wrote itself, is theirs: they asked or told the team something
// and nobody has answered yet. The queue works out the same in SQL
// (lastMessageFromReporter).
func (r Report) AwaitingReply() bool {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if m := r.Messages[i]; !m.Internal && !m.Automatic {
			return m.FromReporter
		}
	}
	return false
}

// Grading is what kind of report something is and how it is graded: for a
// safety event its type and harm, for a concern the elements it is about.
type Grading struct {
	Kind                                       Kind
	EventType, PhysicalHarm, PsychologicalHarm string
	Elements                                   []string
}

// Describe says in words what g is, as "Patient safety event: patient
// safety incident, moderate physical harm, no psychological harm" or
// "Speak-up concern: bullying or harassment; something else".
func (g Grading) Describe() string {
	if g.Kind == SafetyEvent {
		if g.EventType == "" {
			return KindLabel(g.Kind) + " (no event type or harm given)"
		}
		out := KindLabel(g.Kind) + ": " + lowerFirst(EventTypeLabel(g.EventType))
		switch g.PhysicalHarm {
		case "":
		case "fatal":
			out += ", fatal harm"
		default:
			out += ", " + strings.ToLower(HarmLabel(g.PhysicalHarm, false))
		}
		if g.PsychologicalHarm != "" {
			out += ", " + strings.ToLower(HarmLabel(g.PsychologicalHarm, true))
		}
		return out
	}
	if len(g.Elements) == 0 {
		return KindLabel(g.Kind) + " (nothing chosen that it is about)"
	}
	labels := make([]string, len(g.Elements))
	for i, e := range g.Elements {
		labels[i] = lowerFirst(ElementLabel(e))
	}
	return KindLabel(g.Kind) + ": " + strings.Join(labels, "; ")
}

// lowerFirst puts a label's first letter in lower case, for use mid-sentence.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// Redaction is one passage redacted from a report: from its description,
// or from the message MessageID. OtherTeam is set for one made by the team
// that handled the report before it was passed on: By and Reason are then
// empty, as that team's notes are not shown.
type Redaction struct {
	// Field is where the passage was: one of RedactableFields, or
	// "message" (MessageID says which).
	Field     string
	MessageID int64
	By        string
	At        time.Time
	Reason    string
	OtherTeam bool
}

// FeedbackAnswer is one answer a reporter gave once the report was closed.
type FeedbackAnswer struct {
	SpeakUpAgain, Detriment string
	GivenAt                 time.Time
}

// IsOpen reports whether the report is still being handled.
func (r Report) IsOpen() bool { return r.Status != Closed }

// FieldLabel names one of a report's RedactableFields, or "message", as the
// team reads it on a report of kind k.
func FieldLabel(k Kind, field string) string {
	switch field {
	case "description":
		if k == Concern {
			return "The concern"
		}
		return "What happened"
	case "immediate_actions":
		return "Actions taken straight away"
	case "desired_outcome":
		return "What they would like to happen"
	case "raised_elsewhere":
		return "Raised elsewhere"
	case "message":
		return "A message"
	}
	return field
}

// Text is one of the report's RedactableFields as it reads now, or "".
func (r Report) Text(field string) string {
	switch field {
	case "description":
		return r.Description
	case "immediate_actions":
		return r.ImmediateActions
	case "desired_outcome":
		return r.DesiredOutcome
	case "raised_elsewhere":
		return r.RaisedElsewhere
	}
	return ""
}
