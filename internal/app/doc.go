// Package app wires candour together: it opens the store, checks or
// migrates the schema, builds the domain services, the page and API servers
// and the operations endpoints, and runs them with graceful shutdown.
package app
