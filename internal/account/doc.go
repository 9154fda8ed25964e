// Package account holds sign-in accounts: users and their roles, argon2id
// passwords with lockout after repeated failures, web sessions kept in the
// shared database (so that every replica honours them and "sign out
// everywhere" works), and personal API tokens stored only as hashes.
package account
