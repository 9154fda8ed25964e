package cli

import (
	"context"
	"fmt"
	"time"

	"candour/internal/config"
	"candour/internal/secret"
	"candour/internal/store"
)

// configCmd validates the configuration, prints it with secrets redacted,
// and reports whether the database answers and its schema is current.
func configCmd(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 && args[0] == "genkey" {
		// A new key for CANDOUR_SECRET_KEYS; to rotate, put it first and
		// keep the old ones after it.
		fmt.Fprintln(env.Stdout, secret.NewKeySpec(fmt.Sprintf("k%d", time.Now().Unix())))
		return nil
	}
	if len(args) == 0 || args[0] != "check" {
		return fmt.Errorf("%w: try `candour config check` or `candour config genkey`", errUsage)
	}
	cfg := config.Defaults()
	fs := flags("config check", env, &cfg)
	if err := parse(fs, &cfg, env, args[1:]); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "Configuration is valid:")
	for _, line := range cfg.Redacted() {
		fmt.Fprintln(env.Stdout, "  "+line)
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	db, err := store.Open(cctx, cfg.DatabaseURL, cfg.StoreOptions())
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	defer db.Close()
	cur, want, err := db.SchemaVersion(cctx)
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	status := "current"
	if cur < want {
		status = "behind: run `candour migrate`"
	}
	fmt.Fprintf(env.Stdout, "Database %s answers; schema version %d of %d (%s)\n", db.Location, cur, want, status)
	return nil
}
