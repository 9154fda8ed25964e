package app_test

import "candour/internal/authz"

// restoreAccess says who may reach each restore route.
func restoreAccess() map[string][]authz.Role { return map[string][]authz.Role{} }
