// Package learning holds improvement actions. (Being written.)
package actions

import (
	"time"

	"candour/internal/store"
)

// Service tracks improvement actions.
type Service struct {
	DB  *store.DB
	Now func() time.Time
}

// NewService returns a Service with the real clock.
func NewService(db *store.DB) *Service { return &Service{DB: db, Now: time.Now} }
