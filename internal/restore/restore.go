// Package learning holds restorative records and support plans. (Being written.)
package restore

import (
	"time"

	"candour/internal/store"
)

// Service records restorative work.
type Service struct {
	DB  *store.DB
	Now func() time.Time
}

// NewService returns a Service with the real clock.
func NewService(db *store.DB) *Service { return &Service{DB: db, Now: time.Now} }
