package app_test

import "candour/internal/authz"

// caseworkAPIAccess is part of the route table for employee-relations casework.
func caseworkAPIAccess() map[string][]authz.Role {
	return map[string][]authz.Role{}
}
