package cli

import (
	"context"
	"errors"
	"fmt"

	"candour/internal/app"
	"candour/internal/config"
	"candour/internal/demo"
	"candour/internal/store"
)

// serve runs the web application. With --demo (or --migrate) it first brings
// the schema up to date; otherwise it refuses a schema that is behind and
// says which command fixes it.
func serve(ctx context.Context, env Env, args []string) error {
	cfg := config.Defaults()
	fs := flags("serve", env, &cfg)
	if err := parse(fs, &cfg, env, args); err != nil {
		return err
	}
	logger := app.NewLogger(&cfg, env.Stderr)
	db, err := store.Open(ctx, cfg.DatabaseURL, cfg.StoreOptions())
	if err != nil {
		return err
	}
	defer db.Close()
	if cfg.Migrate || cfg.Demo {
		n, err := db.Migrate(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			logger.Info("migrated database schema", "migrations", n)
		}
	}
	if err := db.CheckSchema(ctx); err != nil {
		if errors.Is(err, store.ErrSchemaBehind) {
			return fmt.Errorf("%v\nRun `candour migrate` (with the same settings), or start with --migrate", err)
		}
		return err
	}
	a, err := app.New(&cfg, db, logger)
	if err != nil {
		return err
	}
	if cfg.Demo {
		creds, err := demo.Load(ctx, demo.Deps{DB: db, Accounts: a.Accounts, Org: a.Org, Reports: a.Reports, Culture: a.Culture, Learning: a.Learning, Restore: a.Restore, Actions: a.Actions, Library: a.Library, Cases: a.Cases, Now: a.Now})
		if err != nil {
			return fmt.Errorf("load demo organisation: %w", err)
		}
		printCredentials(env, cfg.PublicURL(), creds)
	}
	return a.Serve(ctx, func(addr string) {
		logger.Info("candour is listening", "addr", addr, "url", cfg.PublicURL(), "database", db.Location, "version", Version())
	})
}

func printCredentials(env Env, url string, creds []demo.Login) {
	fmt.Fprintf(env.Stdout, "\ncandour demo organisation is ready at %s\n", url)
	fmt.Fprintln(env.Stdout, "Sign in as any of these (passwords are new each start):")
	for _, c := range creds {
		fmt.Fprintf(env.Stdout, "  %-12s %-34s %s\n", c.Role, c.Email, c.Password)
	}
	fmt.Fprintln(env.Stdout)
}

func demoCmd(ctx context.Context, env Env, args []string) error {
	cfg := config.Defaults()
	fs := flags("demo", env, &cfg)
	if err := parse(fs, &cfg, env, args); err != nil {
		return err
	}
	a, err := openApp(ctx, &cfg, env)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	creds, err := demo.Load(ctx, demo.Deps{DB: a.DB, Accounts: a.Accounts, Org: a.Org, Reports: a.Reports, Culture: a.Culture, Learning: a.Learning, Restore: a.Restore, Actions: a.Actions, Library: a.Library, Cases: a.Cases, Now: a.Now})
	if err != nil {
		return err
	}
	printCredentials(env, cfg.PublicURL(), creds)
	return nil
}
