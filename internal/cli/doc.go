// Package cli implements candour's subcommands: serve, migrate, user, token,
// people, audit, config and version. Every subcommand reads the same settings
// (flags and CANDOUR_* variables), so the CLI works on the database a
// running server uses.
package cli
