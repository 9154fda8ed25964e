package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// ErrSchemaBehind is returned by CheckSchema when migrations are pending.
var ErrSchemaBehind = errors.New("database schema is behind this version of candour: run `candour migrate` first")

func (db *DB) provider() (*goose.Provider, error) {
	dir := "migrations/sqlite"
	dialect := goose.DialectSQLite3
	var opts []goose.ProviderOption
	if db.Engine == Postgres {
		dir = "migrations/postgres"
		dialect = goose.DialectPostgres
		// A session-level advisory lock: replicas started together queue
		// here and all but the first find nothing left to do.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	sub, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(dialect, db.write, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// Migrate brings the schema up to date and returns how many migrations ran.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	return db.MigrateTo(ctx, math.MaxInt64)
}

// MigrateTo brings the schema up to version and no further (Migrate goes
// all the way), for tests of what an upgrade does to data stored under an
// older schema. It returns how many migrations ran.
func (db *DB) MigrateTo(ctx context.Context, version int64) (int, error) {
	p, err := db.provider()
	if err != nil {
		return 0, err
	}
	res, err := p.UpTo(ctx, version)
	if err != nil {
		return len(res), fmt.Errorf("migrate: %w", err)
	}
	return len(res), nil
}

// SchemaVersion reports the schema's current version and the version this
// binary expects.
func (db *DB) SchemaVersion(ctx context.Context) (current, want int64, err error) {
	p, err := db.provider()
	if err != nil {
		return 0, 0, err
	}
	current, err = p.GetDBVersion(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("read schema version: %w", err)
	}
	srcs := p.ListSources()
	if len(srcs) > 0 {
		want = srcs[len(srcs)-1].Version
	}
	return current, want, nil
}

// CheckSchema returns ErrSchemaBehind (wrapped with the versions) when the
// database needs migrating, and an error when it is newer than this binary.
func (db *DB) CheckSchema(ctx context.Context) error {
	current, want, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case current < want:
		return fmt.Errorf("schema version %d, this candour needs %d: %w", current, want, ErrSchemaBehind)
	case current > want:
		return fmt.Errorf("schema version %d is newer than this candour (%d): upgrade the binary", current, want)
	}
	return nil
}

// MigrationCount is how many migrations this binary carries.
func (db *DB) MigrationCount() (int, error) {
	p, err := db.provider()
	if err != nil {
		return 0, err
	}
	return len(p.ListSources()), nil
}
