package equality

import (
	"time"

	"candour/internal/store"
)

// Service computes equality measures and oversight figures.
type Service struct {
	DB  *store.DB
	Now func() time.Time
}

// NewService returns a Service with the real clock.
func NewService(db *store.DB) *Service { return &Service{DB: db, Now: time.Now} }
