package casework

import (
	"errors"
	"time"

	"candour/internal/justculture"
	"candour/internal/store"
)

// Errors callers act on.
var (
	// ErrNotAllowed means the caller may not see or change this case. It is
	// also returned for cases that do not exist, so that probing ids reveals
	// nothing.
	ErrNotAllowed = errors.New("not found or not yours to see")
	// ErrClosed means the case is closed and cannot take this change.
	ErrClosed = errors.New("this case is closed")
	// ErrNotFormal means the change needs a formal case (for example moving
	// between stages).
	ErrNotFormal = errors.New("this case is not formal yet")
	// ErrAlreadyFormal means the case is already formal.
	ErrAlreadyFormal = errors.New("this case is already formal")
)

// Type is a kind of employee-relations case.
type Type string

// The case types NHS employee-relations teams track.
const (
	Disciplinary          Type = "disciplinary"
	Grievance             Type = "grievance"
	BullyingHarassment    Type = "bullying_harassment"
	CapabilityPerformance Type = "capability_performance"
	CapabilityIllHealth   Type = "capability_ill_health"
	SicknessAbsence       Type = "sickness_absence"
	Appeal                Type = "appeal"
	EmploymentTribunal    Type = "employment_tribunal"
)

// Status is where a case is.
type Status string

// The statuses of a case.
const (
	// EarlyConcern: fact-finding; no formal process has started.
	EarlyConcern Status = "early_concern"
	// Formal: the checklist, the just culture gate and the sign-off are met.
	Formal Status = "formal"
	// Closed: an outcome is recorded.
	Closed Status = "closed"
)

// Outcome is how a case ended.
type Outcome string

// The outcomes of a case.
const (
	NoCaseToAnswer      Outcome = "no_case_to_answer"
	InformalResolution  Outcome = "informal_resolution"
	FirstWrittenWarning Outcome = "first_written_warning"
	FinalWrittenWarning Outcome = "final_written_warning"
	Dismissal           Outcome = "dismissal"
	OtherOutcome        Outcome = "other"
)

// Designation is a casework responsibility held by a named user on top of
// their role.
type Designation string

// The designations.
const (
	// ERLead is an HR user who sees and assigns every case and may give the
	// second sign-off before a case becomes formal.
	ERLead Designation = "er_lead"
	// NonExecReviewer is an executive (non-executive director) who sees
	// every suspension and records their review of it.
	NonExecReviewer Designation = "nonexec_reviewer"
	// StaffSideLead is a union representative who sees the partnership
	// view: anonymised aggregates of cases, small numbers suppressed.
	StaffSideLead Designation = "staff_side_lead"
)

// Party roles: the people in a case other than the employee.
const (
	RoleManager       = "manager"
	RoleInvestigator  = "investigator"
	RoleDecisionMaker = "decision_maker"
	RoleHRAdviser     = "hr_adviser"
	RoleUnionRep      = "union_rep"
	RoleWitness       = "witness"
)

// Timeline entry kinds a person adds.
const (
	EntryMeeting   = "meeting"
	EntryNote      = "note"     // HR's own note; never shown to the employee
	EntryRepNote   = "rep_note" // the representative's note, visible to HR
	EntryUpdate    = "update"   // an update given to the employee
	EntryDelay     = "delay"    // the reason a stage is running late
	EntryDecision  = "decision" // a decision with its reasons
	EntryOHReferal = "oh_referral"
)

// Timeline entry kinds the system writes.
const (
	EntryOpened     = "opened"
	EntryChecklist  = "checklist"
	EntrySignOff    = "signoff"
	EntryFormal     = "formal"
	EntryStage      = "stage"
	EntryAssigned   = "assigned"
	EntryRep        = "representative"
	EntrySuspension = "suspension"
	EntryClosed     = "closed"
	EntryDocument   = "document"
)

// Suspension statuses.
const (
	SuspensionProposed = "proposed" // waiting for two executives
	SuspensionActive   = "active"
	SuspensionDeclined = "declined" // an executive declined it
	SuspensionEnded    = "ended"
)

// Suspension kinds.
const (
	KindSuspension = "suspension"
	KindExclusion  = "exclusion"
)

// Defaults the Service starts with.
const (
	// DefaultSuspensionReviewDays is the furthest a suspension's review date
	// may be from the day it is set.
	DefaultSuspensionReviewDays = 14
	// DefaultWellbeingFrequencyDays is how often the wellbeing contact
	// should be in touch unless set otherwise.
	DefaultWellbeingFrequencyDays = 7
	// ReminderDays is how many days before a stage target, a suspension
	// review or a wellbeing contact falls due that a reminder goes out.
	ReminderDays = 2
)

// Option is a value and its label for people, with an optional hint.
type Option struct {
	Value, Label, Hint string
}

// Service runs casework.
type Service struct {
	DB *store.DB
	// Culture answers whether a just culture guide assessment supports
	// formal action.
	Culture *justculture.Service
	Now     func() time.Time
	// SuspensionReviewDays bounds how far ahead a suspension review may be.
	SuspensionReviewDays int
	// WellbeingFrequencyDays is the default contact frequency.
	WellbeingFrequencyDays int
	// BaseURL starts the links in emails; without it they carry only the
	// path.
	BaseURL string
}

// NewService returns a Service with the real clock and default settings.
func NewService(db *store.DB, culture *justculture.Service) *Service {
	return &Service{DB: db, Culture: culture, Now: time.Now,
		SuspensionReviewDays: DefaultSuspensionReviewDays, WellbeingFrequencyDays: DefaultWellbeingFrequencyDays}
}

// CaseRef names a case briefly.
type CaseRef struct {
	ID        int64
	Reference string
	Type      Type
	Status    Status
}

// Case is one employee-relations case as its handlers see it.
type Case struct {
	ID             int64
	Reference      string // ER-2026-0042
	Type           Type
	PersonID       int64
	PersonName     string
	EmployeeNumber string
	StaffGroup     string
	DepartmentName string
	Summary        string
	// ReportID links a concern that arose from a patient safety event.
	ReportID        int64
	ReportReference string
	// AssessmentID is the just culture guide assessment relied on.
	AssessmentID int64
	// AppealOf is the case this appeal is about; Appeals are appeals of this.
	AppealOf CaseRef
	Appeals  []CaseRef
	Status   Status
	// Stage is the current stage of a formal case (nil otherwise).
	Stage          *Stage
	HRUserID       int64
	HRName         string
	ManagerUserID  int64
	ManagerName    string
	RepUserID      int64
	RepName        string
	RepRequestedOn string
	EmployeeAccess bool
	OpenedOn       string
	FormalOn       string
	ClosedOn       string
	Outcome        Outcome
	OutcomeDetail  string
	CreatedAt      time.Time
	// Active suspension, if any (nil otherwise).
	Suspension *Suspension
}

// CaseSummary is a row in a list of cases.
type CaseSummary struct {
	ID             int64
	Reference      string
	Type           Type
	PersonName     string
	Status         Status
	StageName      string
	StageTargetOn  string
	Overdue        bool
	HRName         string
	OpenedOn       string
	Suspended      bool
	WellbeingLapse bool
}

// Filter narrows a list of cases.
type Filter struct {
	Status  Status // "" for any
	Type    Type   // "" for any
	Overdue bool   // only cases with a stage past its target
}

// Stage is one stage in a case's history.
type Stage struct {
	ID        int64
	Code      string
	Name      string
	StartedOn string
	TargetOn  string
	EndedOn   string
	// Overdue is true for an open stage past its target date; DaysOver
	// says by how many days.
	Overdue  bool
	DaysOver int
}

// StageDefinition is one configured stage of a case type.
type StageDefinition struct {
	ID         int64
	Type       Type
	Position   int
	Code       string
	Name       string
	TargetDays int
	Required   bool
}

// StageDefinitionInput is one row of the stage editor, as typed.
type StageDefinitionInput struct {
	Code, Name, TargetDays string
	Required               bool
}

// OpenInput opens an early concern, as typed.
type OpenInput struct {
	Type    string
	Person  string // employee number
	Summary string
	// Report is the reference of the patient safety event the concern arose
	// from, if any.
	Report string
	// AppealOf is the reference of the closed case being appealed (type
	// appeal only).
	AppealOf  string
	Manager   string // email of the manager's candour account, optional
	HRAdviser string // email of the HR adviser, optional (defaults to the opener when HR)
}

// AssignInput changes who handles and manages a case.
type AssignInput struct {
	HRAdviser string // email
	Manager   string // email, or "" for none
}

// Checklist is the pre-formal checklist as stored.
type Checklist struct {
	FactsGathered          bool
	FactsSummary           string
	EmployeeAccountHeard   bool
	EmployeeAccountOn      string
	Allegations            string
	AlternativesConsidered string
	InvestigatorConflicts  string
	DecisionMakerConflicts string
	ConflictsDeclared      bool
	WellbeingContactUserID int64
	WellbeingContactName   string
	WellbeingContactEmail  string
	UnionRepOffered        bool
	UnionRepOfferedOn      string
	UpdatedAt              time.Time
	SignoffBy              int64
	SignoffName            string
	SignoffAt              time.Time
	SignoffNote            string
}

// ChecklistInput is the checklist as typed.
type ChecklistInput struct {
	FactsGathered          bool
	FactsSummary           string
	EmployeeAccountHeard   bool
	EmployeeAccountOn      string // YYYY-MM-DD
	Allegations            string
	AlternativesConsidered string
	InvestigatorConflicts  string
	DecisionMakerConflicts string
	ConflictsDeclared      bool
	WellbeingContact       string // email of a candour user
	UnionRepOffered        bool
	UnionRepOfferedOn      string // YYYY-MM-DD
}

// Precondition names one thing that must be true before a case becomes
// formal.
type Precondition struct {
	// Name is stable and machine-readable (facts_gathered,
	// employee_account_heard, allegations_framed, alternatives_considered,
	// conflicts_declared, investigator_named, decision_maker_named,
	// wellbeing_contact_named, union_rep_offered, just_culture_assessment,
	// second_signoff).
	Name   string
	Label  string
	Met    bool
	Detail string // why it is not met, in plain English
}

// UnmetError lists every precondition not met when moving to formal.
type UnmetError struct {
	Unmet []Precondition
}

func (e *UnmetError) Error() string {
	return "the case cannot become formal yet: preconditions are not met"
}

// Party is someone in a case other than the employee.
type Party struct {
	ID             int64
	Role           string
	PersonID       int64
	UserID         int64
	Name           string
	EmployeeNumber string
	AddedAt        time.Time
}

// PartyInput adds a party, as typed: a directory person by employee number,
// a candour user by email, or just a name (for example an external witness).
type PartyInput struct {
	Role   string
	Person string
	User   string
	Name   string
}

// Entry is one item on a case's timeline.
type Entry struct {
	ID                int64
	Kind              string
	OccurredOn        string
	Title             string
	Body              string
	VisibleToEmployee bool
	AuthorName        string
	CreatedAt         time.Time
	Documents         []Document
}

// EntryInput adds a timeline entry, as typed.
type EntryInput struct {
	Kind              string
	OccurredOn        string
	Title             string
	Body              string
	VisibleToEmployee bool
}

// Document is a file kept with a case.
type Document struct {
	ID          int64
	EntryID     int64
	Filename    string
	ContentType string
	Size        int64
	UploadedBy  string
	CreatedAt   time.Time
}

// CloseInput closes a case, as typed.
type CloseInput struct {
	Outcome       string
	OutcomeDetail string
	ClosedOn      string
	// Learning is what the organisation learned; at least one lesson, or an
	// explicit statement in NoLearningReason.
	Learning         []LearningInput
	NoLearningReason string
}

// LearningInput is one lesson from a closed case.
type LearningInput struct {
	Category string // process, policy or system
	Lesson   string
}

// Learning is one entry in the anonymised learning log.
type Learning struct {
	ID          int64
	Type        Type
	Category    string
	Lesson      string
	ClosedMonth string // YYYY-MM
}

// Wellbeing is a named wellbeing contact for the employee or a witness.
type Wellbeing struct {
	ID            int64
	PartyID       int64 // 0 for the employee
	ForName       string
	ContactUserID int64
	ContactName   string
	FrequencyDays int
	StartedOn     string
	EndedOn       string
	LastContactOn string
	NextDueOn     string
	// Lapsed is true when the next contact is past due.
	Lapsed   bool
	Contacts []Contact
}

// WellbeingInput names a wellbeing contact, as typed.
type WellbeingInput struct {
	Party         string // "" for the employee, or a witness party's id
	Contact       string // email of a candour user
	FrequencyDays string
}

// Contact is one logged wellbeing contact.
type Contact struct {
	ID          int64
	ContactedOn string
	Method      string
	Notes       string
	OHReferral  bool
	RecordedBy  string
}

// ContactInput logs a wellbeing contact, as typed.
type ContactInput struct {
	ContactedOn string
	Method      string // phone, video, in_person, email, letter
	Notes       string
	OHReferral  bool
}

// Suspension is a suspension or exclusion from work.
type Suspension struct {
	ID            int64
	CaseID        int64
	CaseReference string
	// CaseType, PersonName and StaffGroup (its label) are what an executive
	// deciding on the suspension is told about the case: never its summary
	// or timeline.
	CaseType          Type
	PersonName        string
	StaffGroup        string
	Kind              string
	Reason            string
	AltRedeployment   string
	AltModifiedDuties string
	AltSupervision    string
	AltOther          string
	Status            string
	StartsOn          string
	ReviewOn          string
	EndedOn           string
	EndReason         string
	// Days is the total days suspended so far (to today while active).
	Days int
	// ReviewOverdue is true for an active suspension past its review date.
	ReviewOverdue bool
	ProposedBy    string
	ProposedByID  int64
	CreatedAt     time.Time
	Approvals     []Approval
	Reviews       []Review
	Oversight     []OversightNote
}

// SuspensionInput proposes a suspension, as typed.
type SuspensionInput struct {
	Kind              string
	Reason            string
	AltRedeployment   string
	AltModifiedDuties string
	AltSupervision    string
	AltOther          string
	StartsOn          string
	ReviewOn          string
}

// Approval is one executive's decision on a proposed suspension.
type Approval struct {
	UserID    int64
	Name      string
	Decision  string // approve or decline
	Reason    string
	DecidedAt time.Time
}

// Review is a review of an active suspension.
type Review struct {
	ID           int64
	HeldOn       string
	Decision     string // continue or end
	Notes        string
	NextReviewOn string
	ReviewedBy   string
}

// ReviewInput records a suspension review, as typed.
type ReviewInput struct {
	HeldOn       string
	Decision     string
	Notes        string
	NextReviewOn string
}

// OversightNote is the non-executive reviewer's note on a suspension.
type OversightNote struct {
	ID         int64
	Name       string
	Comments   string
	ReviewedAt time.Time
}

// DesignationHolder is a user holding a designation.
type DesignationHolder struct {
	UserID      int64
	Name, Email string
	Designation Designation
}
