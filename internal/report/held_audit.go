package report

import (
	"context"

	"candour/internal/audit"
	"candour/internal/store"
)

// ReleaseHeldAudit adds to the audit chain what anonymous reporters did on
// days now over (audit.Hold, audit.ReleasePending), and returns how many
// entries it added. The day ends at midnight in England, as the days
// anonymous reports keep do. Run it from a background job; it is safe on
// several replicas at once.
func (s *Service) ReleaseHeldAudit(ctx context.Context) (int, error) {
	return audit.ReleasePending(ctx, s.DB, s.today().Format(store.DateLayout))
}
