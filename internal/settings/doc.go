// Package settings holds the few organisation-wide settings an administrator
// can change: the organisation's name and the small-number threshold below
// which counts are hidden in reports, so that nobody can be identified.
package settings
