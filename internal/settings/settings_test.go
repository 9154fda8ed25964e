package settings_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"candour/internal/audit"
	"candour/internal/settings"
	"candour/internal/store"
	"candour/internal/store/storetest"
	"candour/internal/validate"
)

var admin = audit.Actor{UserID: 1, Label: "admin@example.nhs.uk"}

func TestLoadAndSave(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		got, err := settings.Load(ctx, db)
		if err != nil || got != (settings.Settings{OrganisationName: "Your organisation", SmallNumberThreshold: 5}) {
			t.Fatalf("defaults: %+v, %v", got, err)
		}

		now := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
		want := settings.Settings{OrganisationName: "Northgate NHS Foundation Trust", SmallNumberThreshold: 10}
		if err := settings.Save(ctx, db, admin, now, settings.Settings{OrganisationName: "  Northgate NHS Foundation Trust ", SmallNumberThreshold: 10}); err != nil {
			t.Fatal(err)
		}
		if got, err := settings.Load(ctx, db); err != nil || got != want {
			t.Fatalf("after save: %+v, %v; want %+v", got, err, want)
		}
		// Saving again updates the rows in place.
		want.SmallNumberThreshold = 2
		if err := settings.Save(ctx, db, admin, now.Add(time.Hour), want); err != nil {
			t.Fatal(err)
		}
		if got, err := settings.Load(ctx, db); err != nil || got != want {
			t.Fatalf("after second save: %+v, %v; want %+v", got, err, want)
		}
		var rows int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM settings`).Scan(&rows); err != nil || rows != 2 {
			t.Errorf("settings rows = %d (%v), want 2", rows, err)
		}

		entries, _, err := audit.List(ctx, db, audit.Filter{Action: "settings.update"})
		if err != nil || len(entries) != 2 {
			t.Fatalf("audit entries = %d (%v), want 2", len(entries), err)
		}
		if e := entries[0]; e.Actor != admin || !strings.Contains(e.Detail, "small number threshold 2 (was 10)") {
			t.Errorf("newest audit entry = %+v", e)
		}
	})
}

func TestSaveRefusesBadValues(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tests := []struct {
			name  string
			s     settings.Settings
			field string
			msg   string
		}{
			{"no name", settings.Settings{OrganisationName: "  ", SmallNumberThreshold: 5}, "organisation_name", "Enter organisation name"},
			{"long name", settings.Settings{OrganisationName: strings.Repeat("a", 201), SmallNumberThreshold: 5}, "organisation_name", "200 characters or fewer"},
			{"control character", settings.Settings{OrganisationName: "Bad\x07Trust", SmallNumberThreshold: 5}, "organisation_name", "control characters"},
			{"threshold 1", settings.Settings{OrganisationName: "Trust", SmallNumberThreshold: 1}, "small_number_threshold", "between 2 and 20"},
			{"threshold 21", settings.Settings{OrganisationName: "Trust", SmallNumberThreshold: 21}, "small_number_threshold", "between 2 and 20"},
			{"threshold 0", settings.Settings{OrganisationName: "Trust"}, "small_number_threshold", "between 2 and 20"},
		}
		for _, tt := range tests {
			err := settings.Save(ctx, db, admin, time.Now(), tt.s)
			fe, ok := validate.As(err)
			if !ok {
				t.Errorf("%s: error %v, want validation errors", tt.name, err)
				continue
			}
			found := false
			for _, e := range fe {
				found = found || (e.Field == tt.field && strings.Contains(e.Message, tt.msg))
			}
			if !found {
				t.Errorf("%s: errors %v, want %s: %q", tt.name, fe, tt.field, tt.msg)
			}
		}
		// The edge values are accepted.
		for _, n := range []int{settings.MinThreshold, settings.MaxThreshold} {
			if err := settings.Save(ctx, db, admin, time.Now(), settings.Settings{OrganisationName: strings.Repeat("é", 200), SmallNumberThreshold: n}); err != nil {
				t.Errorf("threshold %d, 200-character name: %v", n, err)
			}
		}
	})
}

func TestNothingStoredWhenInvalid(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := settings.Save(ctx, db, admin, time.Now(), settings.Settings{OrganisationName: "Trust", SmallNumberThreshold: 50}); err == nil {
			t.Fatal("threshold 50 accepted")
		}
		var rows int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM settings`).Scan(&rows); err != nil || rows != 0 {
			t.Errorf("settings rows = %d (%v), want 0", rows, err)
		}
		if entries, _, _ := audit.List(ctx, db, audit.Filter{Action: "settings."}); len(entries) != 0 {
			t.Errorf("refused save was audited: %+v", entries)
		}
	})
}
