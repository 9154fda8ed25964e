package app_test

import "candour/internal/authz"

// learningAccess says who may reach each learning route.
func learningAccess() map[string][]authz.Role { return map[string][]authz.Role{} }
