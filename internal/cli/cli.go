package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"candour/internal/app"
	"candour/internal/config"
	"candour/internal/store"
)

// Env is the outside world a command sees; tests supply their own.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

// exit codes
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// errUsage marks a mistake in how a command was called.
var errUsage = errors.New("usage")

type command struct {
	name, summary string
	run           func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web application and API", serve},
		{"migrate", "bring the database schema up to date", migrate},
		{"user", "create users, reset passwords, list users (user help)", user},
		{"token", "create, list and revoke API tokens (token help)", token},
		{"people", "import people from an ESR staff export CSV (people import FILE)", people},
		{"audit", "verify the audit log's hash chain (audit verify)", auditCmd},
		{"guide", "check guide definition files and read stored guides (guide validate FILE, guide show ID, guide list)", guideCmd},
		{"demo", "load the demo organisation without serving", demoCmd},
		{"config", "check the configuration and print it with secrets redacted (config check)", configCmd},
		{"version", "print the version", versionCmd},
	}
}

// Run runs the subcommand named by args[0] and returns the exit code.
func Run(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, env, args[1:])
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.Is(err, errUsage):
			fmt.Fprintf(env.Stderr, "candour %s: %v\n", c.name, err)
			return exitUsage
		default:
			fmt.Fprintf(env.Stderr, "candour %s: %v\n", c.name, err)
			return exitError
		}
	}
	fmt.Fprintf(env.Stderr, "candour: unknown command %q\n\n", args[0])
	usage(env.Stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "candour: speak up, learn and restore: software for a restorative just and learning culture")
	fmt.Fprintln(w, "\nUsage: candour COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEvery command reads the same settings; run `candour config check` to see them.")
}

// flags returns a flag set with every configuration setting registered.
func flags(name string, env Env, cfg *config.Config) *flag.FlagSet {
	fs := flag.NewFlagSet("candour "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	cfg.Register(fs)
	return fs
}

// parse parses args and loads the configuration from the environment.
func parse(fs *flag.FlagSet, cfg *config.Config, env Env, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if err := cfg.Load(fs, env.Getenv); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	return nil
}

// open opens the configured database and checks its schema is current.
func open(ctx context.Context, cfg *config.Config) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.DatabaseURL, cfg.StoreOptions())
	if err != nil {
		return nil, err
	}
	if err := db.CheckSchema(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openApp opens the database and builds the application around it.
func openApp(ctx context.Context, cfg *config.Config, env Env) (*app.App, error) {
	db, err := open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	a, err := app.New(cfg, db, app.NewLogger(cfg, env.Stderr))
	if err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

// readLine reads one line (for --password-stdin), without its newline.
func readLine(r io.Reader) (string, error) {
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 4096), 4096)
	if !s.Scan() {
		if err := s.Err(); err != nil {
			return "", err
		}
		return "", errors.New("nothing on standard input")
	}
	return strings.TrimRight(s.Text(), "\r"), nil
}

// Version reports the build's version: the module version, or the VCS
// revision for a development build.
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if (v == "" || v == "(devel)") && rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		return "devel-" + rev + dirty
	}
	if v == "" {
		v = "(devel)"
	}
	return v
}

func versionCmd(ctx context.Context, env Env, args []string) error {
	fmt.Fprintf(env.Stdout, "candour %s\n", Version())
	return nil
}
