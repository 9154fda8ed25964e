package cli

import (
	"context"
	"fmt"
	"os"

	"candour/internal/config"
	"candour/internal/org"
)

// people imports an ESR staff export. A file with errors imports nothing
// unless --skip-bad-rows is given; every error names its line.
func people(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		return fmt.Errorf("%w: try `candour people import [--skip-bad-rows] FILE`", errUsage)
	}
	cfg := config.Defaults()
	fs := flags("people import", env, &cfg)
	skip := fs.Bool("skip-bad-rows", false, "import the good rows even when some rows have errors")
	if err := parse(fs, &cfg, env, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: name one CSV file", errUsage)
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	a, err := openApp(ctx, &cfg, env)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	res, err := a.Org.Import(ctx, cliActor(), f, org.ImportOptions{SkipBadRows: *skip})
	if err != nil {
		return err
	}
	for _, e := range res.Errors {
		col := ""
		if e.Column != "" {
			col = " (" + e.Column + ")"
		}
		fmt.Fprintf(env.Stderr, "line %d%s: %s\n", e.Line, col, e.Message)
	}
	if !res.Applied {
		return fmt.Errorf("%d rows have errors; nothing was imported (fix them, or use --skip-bad-rows)", len(res.Errors))
	}
	fmt.Fprintf(env.Stdout, "imported %d rows: %d created, %d updated, %d unchanged, %d skipped\n",
		res.Rows, res.Created, res.Updated, res.Unchanged, res.Skipped)
	return nil
}
