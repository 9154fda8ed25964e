package app_test

import "candour/internal/authz"

// caseworkAccess is the route table for employee-relations casework: which
// roles get past each route's policy. The casework package then decides case
// by case (tested in internal/casework).
func caseworkAccess() map[string][]authz.Role {
	return map[string][]authz.Role{}
}
