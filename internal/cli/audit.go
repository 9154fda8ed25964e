package cli

import (
	"context"
	"errors"
	"fmt"

	"candour/internal/audit"
	"candour/internal/config"
)

// auditCmd verifies the hash chain and names the first broken link.
func auditCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return fmt.Errorf("%w: try `candour audit verify`", errUsage)
	}
	cfg := config.Defaults()
	fs := flags("audit verify", env, &cfg)
	if err := parse(fs, &cfg, env, args[1:]); err != nil {
		return err
	}
	db, err := open(ctx, &cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := audit.Verify(ctx, db)
	if err != nil {
		return err
	}
	if !res.OK() {
		return errors.New("audit log is broken: " + res.Problem + fmt.Sprintf(" (first broken link: entry %d)", res.BrokenAt))
	}
	fmt.Fprintf(env.Stdout, "audit log verified: %d entries, chain unbroken\n", res.Entries)
	return nil
}
