package cli

import (
	"context"
	"fmt"

	"candour/internal/config"
	"candour/internal/store"
)

// migrate brings the schema up to date. On PostgreSQL it holds an advisory
// lock, so replicas started together migrate once.
func migrate(ctx context.Context, env Env, args []string) error {
	cfg := config.Defaults()
	fs := flags("migrate", env, &cfg)
	if err := parse(fs, &cfg, env, args); err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DatabaseURL, cfg.StoreOptions())
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	cur, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "applied %d migrations; schema version %d (%s)\n", n, cur, db.Location)
	return nil
}
