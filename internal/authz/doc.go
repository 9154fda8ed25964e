// Package authz declares who may do what. Every route states its Policy where
// it is registered, and Mux checks it once per request, so there is one place
// to read and test the rules instead of checks scattered through handlers.
package authz
