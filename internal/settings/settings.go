package settings

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"candour/internal/audit"
	"candour/internal/store"
	"candour/internal/validate"
)

// Defaults, used until an administrator saves the settings.
const (
	DefaultOrganisationName     = "Your organisation"
	DefaultSmallNumberThreshold = 5
)

// Bounds of the small-number threshold. Below 2 nothing would be hidden; above
// 20 most team-level figures would disappear.
const (
	MinThreshold = 2
	MaxThreshold = 20
)

// maxNameLength bounds the organisation's name, in characters.
const maxNameLength = 200

// Keys in the settings table.
const (
	keyOrganisationName     = "organisation_name"
	keySmallNumberThreshold = "small_number_threshold"
)

// Settings are the organisation-wide settings.
type Settings struct {
	// OrganisationName is shown to people using candour.
	OrganisationName string
	// SmallNumberThreshold is the smallest count an aggregate shows outside
	// the team that owns the data; smaller counts are hidden.
	SmallNumberThreshold int
}

// Defaults returns the settings in force before any are saved.
func Defaults() Settings {
	return Settings{OrganisationName: DefaultOrganisationName, SmallNumberThreshold: DefaultSmallNumberThreshold}
}

// Load reads the settings, filling in defaults for any not saved yet.
func Load(ctx context.Context, q store.Querier) (Settings, error) {
	s := Defaults()
	rows, err := q.QueryContext(ctx, `SELECT key, value FROM settings WHERE key IN (?, ?)`, keyOrganisationName, keySmallNumberThreshold)
	if err != nil {
		return s, fmt.Errorf("settings: load: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return s, fmt.Errorf("settings: load: %w", err)
		}
		switch k {
		case keyOrganisationName:
			s.OrganisationName = v
		case keySmallNumberThreshold:
			n, err := strconv.Atoi(v)
			if err != nil {
				return s, fmt.Errorf("settings: stored %s %q is not a number", k, v)
			}
			s.SmallNumberThreshold = n
		}
	}
	if err := rows.Err(); err != nil {
		return s, fmt.Errorf("settings: load: %w", err)
	}
	return s, nil
}

// Validate tidies s and reports what is wrong with it, with fields named
// organisation_name and small_number_threshold.
func (s *Settings) Validate() validate.Errors {
	var errs validate.Errors
	s.OrganisationName = errs.Text(keyOrganisationName, "Organisation name", s.OrganisationName, true, maxNameLength)
	if s.SmallNumberThreshold < MinThreshold || s.SmallNumberThreshold > MaxThreshold {
		errs.Add(keySmallNumberThreshold, ThresholdRangeMessage)
	}
	return errs
}

// ThresholdRangeMessage explains a threshold out of bounds.
const ThresholdRangeMessage = "The smallest count to show must be between 2 and 20"

// Save checks and stores s, recording the change in the audit log in the same
// transaction. Problems with the values come back as validate.Errors and
// nothing is stored.
func Save(ctx context.Context, db *store.DB, actor audit.Actor, now time.Time, s Settings) error {
	if errs := s.Validate(); len(errs) > 0 {
		return errs
	}
	return db.InTx(ctx, func(tx *store.Tx) error {
		// A stored value that cannot be read is overwritten, not an obstacle.
		old, loadErr := Load(ctx, tx)
		for _, kv := range [][2]string{
			{keyOrganisationName, s.OrganisationName},
			{keySmallNumberThreshold, strconv.Itoa(s.SmallNumberThreshold)},
		} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
				kv[0], kv[1], store.T(now)); err != nil {
				return fmt.Errorf("settings: save %s: %w", kv[0], err)
			}
		}
		detail := fmt.Sprintf("organisation name %q; small number threshold %d", s.OrganisationName, s.SmallNumberThreshold)
		if loadErr == nil {
			detail = fmt.Sprintf("organisation name %q (was %q); small number threshold %d (was %d)",
				s.OrganisationName, old.OrganisationName, s.SmallNumberThreshold, old.SmallNumberThreshold)
		}
		return audit.Record(ctx, tx, now, actor, "settings.update", "settings", "organisation", detail)
	})
}
