// Package demo loads a fictional NHS trust, Northfield and Vale NHS Foundation
// Trust, so that candour can be tried on a fresh machine with one command:
// three sites, wards and teams, a few hundred people across the national
// staff groups, and one sign-in per role. Everything is generated from a fixed
// seed, so every demo looks the same; passwords are new at every start and
// printed, never fixed in the code.
package demo
