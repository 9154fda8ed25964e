package cli

import (
	"context"
	"fmt"
	"strconv"

	"candour/internal/config"
)

func token(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: try `candour token create|list|revoke`", errUsage)
	}
	cfg := config.Defaults()
	fs := flags("token "+args[0], env, &cfg)
	email := fs.String("email", "", "the user's email address")
	name := fs.String("name", "API token", "a name for the token (create)")
	id := fs.Int64("id", 0, "token id (revoke)")
	if err := parse(fs, &cfg, env, args[1:]); err != nil {
		return err
	}
	switch args[0] {
	case "create", "list", "revoke":
	default:
		return fmt.Errorf("%w: unknown token command %q; try create, list or revoke", errUsage, args[0])
	}
	if args[0] == "create" && *email == "" {
		return fmt.Errorf("%w: --email is required", errUsage)
	}
	if args[0] == "revoke" && *id <= 0 {
		return fmt.Errorf("%w: --id is required (see `candour token list`)", errUsage)
	}
	a, err := openApp(ctx, &cfg, env)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	switch args[0] {
	case "create":
		u, err := a.Accounts.ByEmail(ctx, *email)
		if err != nil {
			return err
		}
		_, secret, err := a.Accounts.CreateToken(ctx, cliActor(), u.ID, *name)
		if err != nil {
			return err
		}
		// The token alone on standard output, so scripts can capture it.
		fmt.Fprintln(env.Stdout, secret)
	case "list":
		var userID int64
		if *email != "" {
			u, err := a.Accounts.ByEmail(ctx, *email)
			if err != nil {
				return err
			}
			userID = u.ID
		}
		tokens, err := a.Accounts.Tokens(ctx, userID)
		if err != nil {
			return err
		}
		for _, t := range tokens {
			state := "active"
			if !t.RevokedAt.IsZero() {
				state = "revoked"
			}
			fmt.Fprintf(env.Stdout, "%d\t%s\t%s…\t%s\t%s\tcreated %s\n", t.ID, t.Email, t.Prefix, t.Name, state, t.CreatedAt.Format("2006-01-02"))
		}
	case "revoke":
		if err := a.Accounts.RevokeToken(ctx, cliActor(), *id, 0); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "revoked token "+strconv.FormatInt(*id, 10))
	}
	return nil
}
