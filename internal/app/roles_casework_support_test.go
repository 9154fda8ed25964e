package app_test

import "candour/internal/authz"

// caseworkSupportAccess is part of the route table for employee-relations casework.
func caseworkSupportAccess() map[string][]authz.Role {
	return map[string][]authz.Role{}
}
