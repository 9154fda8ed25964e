package casework

// This file lists the Service's methods as a contract for the web and API
// layers. Each method's body moves to the file that owns it (cases.go,
// checklist.go, stages.go, timeline.go, suspension.go, wellbeing.go,
// reminders.go, designations.go) as it is built; this file is then deleted.

import (
	"context"
	"errors"
	"time"

	"candour/internal/authz"
)

var errNotBuilt = errors.New("casework: not built yet")

// Types lists the case types with labels.
func Types() []Option { return nil }

// TypeLabel is the label of a case type.
func TypeLabel(t Type) string { return string(t) }

// StatusLabel is the label of a case status.
func StatusLabel(s Status) string { return string(s) }

// Outcomes lists the outcomes with labels.
func Outcomes() []Option { return nil }

// OutcomeLabel is the label of an outcome.
func OutcomeLabel(o Outcome) string { return string(o) }

// PartyRoles lists the roles a party may hold.
func PartyRoles() []Option { return nil }

// EntryKinds lists the timeline entry kinds a handler may add.
func EntryKinds() []Option { return nil }

// EntryKindLabel is the label of any entry kind, including system ones.
func EntryKindLabel(kind string) string { return kind }

// LearningCategories lists process, policy and system.
func LearningCategories() []Option { return nil }

// Open opens an early concern about a person. HR (and managers, for a case
// they will manage) may open one.
func (s *Service) Open(ctx context.Context, p *authz.Principal, in OpenInput) (Case, error) {
	return Case{}, errNotBuilt
}

// Get reads a case the caller may see; the read is audited.
func (s *Service) Get(ctx context.Context, p *authz.Principal, id int64) (Case, error) {
	return Case{}, errNotBuilt
}

// CanManage reports whether p handles the case (its HR adviser or the ER
// lead) and so may change it.
func (s *Service) CanManage(ctx context.Context, p *authz.Principal, id int64) (bool, error) {
	return false, errNotBuilt
}

// List lists the cases the caller may see, newest first.
func (s *Service) List(ctx context.Context, p *authz.Principal, f Filter) ([]CaseSummary, error) {
	return nil, errNotBuilt
}

// MyCases lists the cases about the caller's own person record that they
// have been given access to.
func (s *Service) MyCases(ctx context.Context, p *authz.Principal) ([]CaseSummary, error) {
	return nil, errNotBuilt
}

// Assign changes the HR adviser and manager (ER lead or the current adviser).
func (s *Service) Assign(ctx context.Context, p *authz.Principal, id int64, in AssignInput) error {
	return errNotBuilt
}

// SetEmployeeAccess gives or withdraws the employee's read access to their
// own case timeline.
func (s *Service) SetEmployeeAccess(ctx context.Context, p *authz.Principal, id int64, allow bool) error {
	return errNotBuilt
}

// RequestRepresentative records that the employee asked for the named
// union representative (email of a union_rep user), who then sees the case.
// An empty email removes the representative.
func (s *Service) RequestRepresentative(ctx context.Context, p *authz.Principal, id int64, repEmail, requestedOn string) error {
	return errNotBuilt
}

// Checklist reads the pre-formal checklist.
func (s *Service) Checklist(ctx context.Context, p *authz.Principal, id int64) (Checklist, error) {
	return Checklist{}, errNotBuilt
}

// SaveChecklist saves the checklist; a change clears any sign-off.
func (s *Service) SaveChecklist(ctx context.Context, p *authz.Principal, id int64, in ChecklistInput) error {
	return errNotBuilt
}

// SignOff records the second senior person's sign-off of the checklist.
func (s *Service) SignOff(ctx context.Context, p *authz.Principal, id int64, note string) error {
	return errNotBuilt
}

// Preconditions lists every precondition of the move to formal and whether
// it is met.
func (s *Service) Preconditions(ctx context.Context, p *authz.Principal, id int64) ([]Precondition, error) {
	return nil, errNotBuilt
}

// MoveToFormal makes an early concern formal and starts its first stage,
// or returns *UnmetError listing every unmet precondition.
func (s *Service) MoveToFormal(ctx context.Context, p *authz.Principal, id int64) (Case, error) {
	return Case{}, errNotBuilt
}

// StageDefinitions lists the configured stages of a case type in order.
func (s *Service) StageDefinitions(ctx context.Context, t Type) ([]StageDefinition, error) {
	return nil, errNotBuilt
}

// SaveStageDefinitions replaces a case type's stages (ER lead only).
func (s *Service) SaveStageDefinitions(ctx context.Context, p *authz.Principal, t Type, in []StageDefinitionInput) error {
	return errNotBuilt
}

// Stages lists a case's stage history, oldest first.
func (s *Service) Stages(ctx context.Context, p *authz.Principal, id int64) ([]Stage, error) {
	return nil, errNotBuilt
}

// AdvanceStage ends the current stage and starts the named one on the given
// date; a required stage cannot be skipped and dates cannot go backwards.
func (s *Service) AdvanceStage(ctx context.Context, p *authz.Principal, id int64, stageCode, startedOn string) error {
	return errNotBuilt
}

// Parties lists a case's parties.
func (s *Service) Parties(ctx context.Context, p *authz.Principal, id int64) ([]Party, error) {
	return nil, errNotBuilt
}

// AddParty adds a party; an investigator cannot also be the decision maker.
func (s *Service) AddParty(ctx context.Context, p *authz.Principal, id int64, in PartyInput) (Party, error) {
	return Party{}, errNotBuilt
}

// RemoveParty removes a party (kept in the history).
func (s *Service) RemoveParty(ctx context.Context, p *authz.Principal, id, partyID int64) error {
	return errNotBuilt
}

// Timeline lists a case's entries as the caller may see them, newest first
// (the employee sees only entries marked visible to them).
func (s *Service) Timeline(ctx context.Context, p *authz.Principal, id int64) ([]Entry, error) {
	return nil, errNotBuilt
}

// AddEntry adds a timeline entry. Union representatives may add only
// rep_note entries; HR may add every kind a person adds.
func (s *Service) AddEntry(ctx context.Context, p *authz.Principal, id int64, in EntryInput) (Entry, error) {
	return Entry{}, errNotBuilt
}

// AddDocument keeps a file with a case, checked and cleaned by attach.
func (s *Service) AddDocument(ctx context.Context, p *authz.Principal, id int64, filename string, data []byte, maxBytes int64) (Document, error) {
	return Document{}, errNotBuilt
}

// Document reads a document the caller may see; the read is audited.
func (s *Service) Document(ctx context.Context, p *authz.Principal, id, docID int64) (Document, []byte, error) {
	return Document{}, nil, errNotBuilt
}

// Close closes a case with an outcome and what was learned.
func (s *Service) Close(ctx context.Context, p *authz.Principal, id int64, in CloseInput) error {
	return errNotBuilt
}

// LearningLog lists the anonymised lessons from cases closed in [from, to].
func (s *Service) LearningLog(ctx context.Context, p *authz.Principal, from, to time.Time) ([]Learning, error) {
	return nil, errNotBuilt
}

// Designations lists who holds each designation.
func (s *Service) Designations(ctx context.Context) ([]DesignationHolder, error) {
	return nil, errNotBuilt
}

// Designate gives a designation to the user with the email (admin only);
// the user must hold the matching role.
func (s *Service) Designate(ctx context.Context, p *authz.Principal, email string, d Designation) error {
	return errNotBuilt
}

// Undesignate removes a designation.
func (s *Service) Undesignate(ctx context.Context, p *authz.Principal, userID int64, d Designation) error {
	return errNotBuilt
}

// HasDesignation reports whether the user holds the designation.
func (s *Service) HasDesignation(ctx context.Context, userID int64, d Designation) (bool, error) {
	return false, errNotBuilt
}
