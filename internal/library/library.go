// Package learning holds the shared learning library, search and similar events. (Being written.)
package library

import (
	"time"

	"candour/internal/store"
)

// Service publishes lessons and finds similar events.
type Service struct {
	DB  *store.DB
	Now func() time.Time
}

// NewService returns a Service with the real clock.
func NewService(db *store.DB) *Service { return &Service{DB: db, Now: time.Now} }
