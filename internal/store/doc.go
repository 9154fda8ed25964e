// Package store opens candour's database, on embedded SQLite by default or on
// PostgreSQL, runs its migrations and offers the few helpers that let every
// domain package write one portable SQL statement for both engines: `?`
// placeholders rebound to `$n`, a transaction helper, a time type with one text
// form on both engines, and ErrNotFound.
package store
