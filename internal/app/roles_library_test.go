package app_test

import "candour/internal/authz"

// libraryAccess says who may reach each library route.
func libraryAccess() map[string][]authz.Role { return map[string][]authz.Role{} }
