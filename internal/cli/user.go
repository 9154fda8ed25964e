package cli

import (
	"context"
	"fmt"
	"strings"

	"candour/internal/account"
	"candour/internal/audit"
	"candour/internal/authz"
	"candour/internal/config"
)

// cliActor is how CLI changes appear in the audit log.
func cliActor() audit.Actor { return audit.Actor{Label: "cli"} }

// roleFlags collects repeated --role flags.
type roleFlags []authz.Role

func (r *roleFlags) String() string { return fmt.Sprint(*r) }
func (r *roleFlags) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		role := authz.Role(strings.TrimSpace(part))
		if !role.Valid() {
			names := make([]string, 0, len(authz.Roles()))
			for _, x := range authz.Roles() {
				names = append(names, string(x))
			}
			return fmt.Errorf("unknown role %q; roles are %s", role, strings.Join(names, ", "))
		}
		*r = append(*r, role)
	}
	return nil
}

func user(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: try `candour user create|reset-password|list`", errUsage)
	}
	switch args[0] {
	case "create":
		return userCreate(ctx, env, args[1:])
	case "reset-password":
		return userResetPassword(ctx, env, args[1:])
	case "list":
		return userList(ctx, env, args[1:])
	}
	return fmt.Errorf("%w: unknown user command %q; try create, reset-password or list", errUsage, args[0])
}

func userCreate(ctx context.Context, env Env, args []string) error {
	cfg := config.Defaults()
	fs := flags("user create", env, &cfg)
	email := fs.String("email", "", "email address (required)")
	name := fs.String("name", "", "full name (required)")
	var roles roleFlags
	fs.Var(&roles, "role", "role to grant; repeat for several")
	stdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := parse(fs, &cfg, env, args); err != nil {
		return err
	}
	if *email == "" || *name == "" || len(roles) == 0 {
		return fmt.Errorf("%w: --email, --name and at least one --role are required", errUsage)
	}
	var pw string
	if *stdin {
		var err error
		if pw, err = readLine(env.Stdin); err != nil {
			return fmt.Errorf("read password: %w", err)
		}
	}
	a, err := openApp(ctx, &cfg, env)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	u, err := a.Accounts.Create(ctx, cliActor(), account.NewUser{Email: *email, Name: *name, Roles: roles, Password: pw})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created user %d %s with roles %v\n", u.ID, u.Email, u.Roles)
	if pw == "" {
		fmt.Fprintln(env.Stdout, "no password set: run `candour user reset-password --email "+u.Email+" --password-stdin` before they sign in")
	}
	return nil
}

func userResetPassword(ctx context.Context, env Env, args []string) error {
	cfg := config.Defaults()
	fs := flags("user reset-password", env, &cfg)
	email := fs.String("email", "", "email address (required)")
	stdin := fs.Bool("password-stdin", false, "read the new password from standard input (otherwise one is generated and printed)")
	if err := parse(fs, &cfg, env, args); err != nil {
		return err
	}
	if *email == "" {
		return fmt.Errorf("%w: --email is required", errUsage)
	}
	pw := ""
	if *stdin {
		var err error
		if pw, err = readLine(env.Stdin); err != nil {
			return fmt.Errorf("read password: %w", err)
		}
	} else {
		pw = account.GeneratePassword()
	}
	a, err := openApp(ctx, &cfg, env)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	u, err := a.Accounts.ByEmail(ctx, *email)
	if err != nil {
		return err
	}
	if err := a.Accounts.SetPassword(ctx, cliActor(), u.ID, pw); err != nil {
		return err
	}
	if *stdin {
		fmt.Fprintf(env.Stdout, "password reset for %s; their sessions have ended\n", u.Email)
	} else {
		fmt.Fprintf(env.Stdout, "new password for %s: %s\n", u.Email, pw)
	}
	return nil
}

func userList(ctx context.Context, env Env, args []string) error {
	cfg := config.Defaults()
	fs := flags("user list", env, &cfg)
	if err := parse(fs, &cfg, env, args); err != nil {
		return err
	}
	a, err := openApp(ctx, &cfg, env)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	users, err := a.Accounts.List(ctx, "")
	if err != nil {
		return err
	}
	for _, u := range users {
		state := ""
		if u.Disabled {
			state = " (disabled)"
		} else if u.Locked(a.Now()) {
			state = " (locked)"
		}
		fmt.Fprintf(env.Stdout, "%d\t%s\t%s\t%v%s\n", u.ID, u.Email, u.Name, u.Roles, state)
	}
	return nil
}
