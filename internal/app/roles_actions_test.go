package app_test

import "candour/internal/authz"

// actionsAccess says who may reach each actions route.
func actionsAccess() map[string][]authz.Role { return map[string][]authz.Role{} }
