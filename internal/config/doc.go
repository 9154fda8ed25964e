// Package config builds candour's one Config from command-line flags and
// CANDOUR_* environment variables (flags win; a *_FILE variable reads a
// secret from a file). The Config is passed down explicitly; nothing reads the
// environment anywhere else.
package config
