package app_test

import "candour/internal/authz"

// equalityAccess is the route table for the equality measures, the board's
// oversight view and the partnership view.
func equalityAccess() map[string][]authz.Role {
	return map[string][]authz.Role{}
}
