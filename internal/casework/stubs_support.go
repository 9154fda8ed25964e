package casework

// This file lists the Service's methods as a contract for the web and API
// layers. Each method's body moves to the file that owns it (suspension.go,
// wellbeing.go, reminders.go) as it is built; this file is then deleted.

import (
	"context"

	"candour/internal/authz"
	"candour/internal/store"
)

// ContactMethods lists how a wellbeing contact was made.
func ContactMethods() []Option { return nil }

// SuspensionKinds lists suspension and exclusion.
func SuspensionKinds() []Option { return nil }

// Wellbeing lists the case's wellbeing contacts with their logs.
func (s *Service) Wellbeing(ctx context.Context, p *authz.Principal, id int64) ([]Wellbeing, error) {
	return nil, errNotBuilt
}

// AddWellbeing names a wellbeing contact for the employee or a witness.
func (s *Service) AddWellbeing(ctx context.Context, p *authz.Principal, id int64, in WellbeingInput) (Wellbeing, error) {
	return Wellbeing{}, errNotBuilt
}

// LogContact logs a wellbeing contact.
func (s *Service) LogContact(ctx context.Context, p *authz.Principal, id, wellbeingID int64, in ContactInput) error {
	return errNotBuilt
}

// ProposeSuspension proposes a suspension or exclusion with the
// alternatives considered; it waits for two executives.
func (s *Service) ProposeSuspension(ctx context.Context, p *authz.Principal, id int64, in SuspensionInput) (Suspension, error) {
	return Suspension{}, errNotBuilt
}

// Suspension reads a suspension: the case's handlers, any executive (to
// decide) and the non-executive reviewer may; the read is audited.
func (s *Service) Suspension(ctx context.Context, p *authz.Principal, suspensionID int64) (Suspension, error) {
	return Suspension{}, errNotBuilt
}

// CaseSuspensions lists a case's suspensions, newest first.
func (s *Service) CaseSuspensions(ctx context.Context, p *authz.Principal, id int64) ([]Suspension, error) {
	return nil, errNotBuilt
}

// Suspensions lists suspensions: for an executive those waiting for their
// decision and those they decided; for the non-executive reviewer every
// one; for HR the ones on cases they handle.
func (s *Service) Suspensions(ctx context.Context, p *authz.Principal) ([]Suspension, error) {
	return nil, errNotBuilt
}

// DecideSuspension records an executive's approval or decline; the second
// approval by a different executive makes the suspension active.
func (s *Service) DecideSuspension(ctx context.Context, p *authz.Principal, suspensionID int64, decision, reason string) (Suspension, error) {
	return Suspension{}, errNotBuilt
}

// ReviewSuspension records a review: continue (with the next review date,
// within the limit) or end.
func (s *Service) ReviewSuspension(ctx context.Context, p *authz.Principal, suspensionID int64, in ReviewInput) (Suspension, error) {
	return Suspension{}, errNotBuilt
}

// RecordOversight records the non-executive reviewer's review.
func (s *Service) RecordOversight(ctx context.Context, p *authz.Principal, suspensionID int64, comments string) error {
	return errNotBuilt
}

// RunReminders fires, exactly once across replicas, reminders and
// escalations: stages due soon and overdue, suspension reviews due soon and
// overdue, wellbeing contacts lapsed. It returns how many fired.
func (s *Service) RunReminders(ctx context.Context) (int, error) {
	return 0, errNotBuilt
}

// activeSuspension is the case's proposed or active suspension, if any; Get
// shows it on the case.
func (s *Service) activeSuspension(ctx context.Context, q store.Querier, caseID int64) (*Suspension, error) {
	return nil, nil
}
