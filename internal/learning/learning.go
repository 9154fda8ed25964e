// Package learning holds PSIRF learning responses. (Being written.)
package learning

import (
	"time"

	"candour/internal/store"
)

// Service records learning responses.
type Service struct {
	DB  *store.DB
	Now func() time.Time
}

// NewService returns a Service with the real clock.
func NewService(db *store.DB) *Service { return &Service{DB: db, Now: time.Now} }
