package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"candour/internal/config"
	"candour/internal/guide"
	"candour/internal/justculture"
)

// guideCmd is for the people who maintain just culture guide definitions:
// check a definition file before uploading it, and read stored guides.
func guideCmd(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: try `candour guide validate FILE`, `candour guide show ID [--version N]` or `candour guide list`", errUsage)
	}
	switch args[0] {
	case "validate":
		return guideValidate(env, args[1:])
	case "show":
		return guideShow(ctx, env, args[1:])
	case "list":
		return guideList(ctx, env, args[1:])
	}
	return fmt.Errorf("%w: unknown guide command %q; try validate, show or list", errUsage, args[0])
}

// guideValidate parses a definition file without touching any database and
// reports every problem with its line and place.
func guideValidate(env Env, args []string) error {
	fs := flag.NewFlagSet("candour guide validate", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: candour guide validate FILE\n\nChecks a guide definition (JSON) without touching any database.")
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: name one definition file", errUsage)
	}
	name := fs.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	// Read one byte past the limit so that Parse can say the file is too big.
	data, err := io.ReadAll(io.LimitReader(f, guide.MaxDefinitionBytes+1))
	if err != nil {
		return err
	}
	g, err := guide.Parse(data)
	if err != nil {
		var ves guide.ValidationErrors
		if !errors.As(err, &ves) {
			return fmt.Errorf("%s: %w", name, err)
		}
		for _, ve := range ves {
			fmt.Fprintf(env.Stderr, "%s: %s\n", name, problemText(ve))
		}
		n := "1 problem"
		if len(ves) != 1 {
			n = fmt.Sprintf("%d problems", len(ves))
		}
		return fmt.Errorf("%s: %s; the definition is not valid", name, n)
	}
	fmt.Fprintf(env.Stdout, "valid: %s version %d, %d tests, %d questions, %d end points, checksum %s\n",
		g.ID(), g.Version(), len(g.Tests()), len(g.Questions()), len(g.EndPoints()), g.Checksum())
	return nil
}

// problemText is "line N: place: problem", or "place: problem" when the
// line is not known.
func problemText(ve guide.ValidationError) string {
	if ve.Line > 0 && !strings.HasPrefix(ve.Where, "line ") {
		return fmt.Sprintf("line %d: %s", ve.Line, ve.Error())
	}
	return ve.Error()
}

// guideShow prints a stored guide version readably.
func guideShow(ctx context.Context, env Env, args []string) error {
	cfg := config.Defaults()
	fs := flags("guide show", env, &cfg)
	version := fs.Int("version", 0, "the version to show (default: the current one)")
	// Allow the id before the flags as well as after them.
	var id string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		id, args = args[0], args[1:]
	}
	if err := parse(fs, &cfg, env, args); err != nil {
		return err
	}
	if id == "" && fs.NArg() > 0 {
		id = fs.Arg(0)
	} else if fs.NArg() > 0 {
		return fmt.Errorf("%w: name one guide id", errUsage)
	}
	if id == "" {
		return fmt.Errorf("%w: name a guide id (see `candour guide list`)", errUsage)
	}
	a, err := openApp(ctx, &cfg, env)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	versions, err := a.Culture.Versions(ctx, id)
	if err != nil {
		return err
	}
	if len(versions) == 0 {
		return fmt.Errorf("no guide has the id %q (see `candour guide list`)", id)
	}
	var def *justculture.Definition
	for i, d := range versions {
		if (*version == 0 && !d.Retired()) || (*version != 0 && d.Version == *version) {
			def = &versions[i]
			break
		}
	}
	if def == nil && *version == 0 {
		def = &versions[0] // every version is retired: show the newest
	}
	if def == nil {
		return fmt.Errorf("guide %s has no version %d (see `candour guide list`)", id, *version)
	}
	printGuide(env.Stdout, *def, def.ID == currentID(versions))
	return nil
}

// currentID is the definition id of the newest version not retired, or 0.
func currentID(versions []justculture.Definition) int64 {
	for _, d := range versions {
		if !d.Retired() {
			return d.ID
		}
	}
	return 0
}

func printGuide(w io.Writer, d justculture.Definition, current bool) {
	g := d.Guide
	state := "older version"
	switch {
	case d.Retired():
		state = "retired " + d.RetiredAt.Format("2006-01-02")
	case current:
		state = "current"
	}
	origin := "uploaded"
	if d.Builtin {
		origin = "built in"
	}
	fmt.Fprintf(w, "%s\n%s\n", g.Title(), strings.Repeat("=", len([]rune(g.Title()))))
	fmt.Fprintf(w, "%s (%s, %s)\nchecksum %s\n", g, state, origin, g.Checksum())
	if g.Source() != "" {
		fmt.Fprintf(w, "\nSource: %s\n", indent(g.Source(), "  "))
	}
	if g.Summary() != "" {
		fmt.Fprintf(w, "\n%s\n", g.Summary())
	}
	if c := g.Cautions(); len(c) > 0 {
		fmt.Fprintln(w, "\nBefore you start:")
		for _, s := range c {
			fmt.Fprintf(w, "  - %s\n", indent(s, "    "))
		}
	}
	fmt.Fprintf(w, "\nStart at question %s.\n", g.Start())
	target := func(id string) string {
		if ep, ok := g.EndPoint(id); ok {
			return fmt.Sprintf("%s (end point: %s)", id, ep.Title)
		}
		return id
	}
	for _, t := range g.Tests() {
		fmt.Fprintf(w, "\n%s\n%s\n", t.Title, strings.Repeat("-", len([]rune(t.Title))))
		for _, q := range t.Questions {
			fmt.Fprintf(w, "  %s  %s\n", q.ID, indent(q.Text, "      "))
			if q.Help != "" {
				fmt.Fprintf(w, "      Help: %s\n", indent(q.Help, "      "))
			}
			fmt.Fprintf(w, "      Yes → %s, No → %s\n", target(q.Yes), target(q.No))
		}
	}
	fmt.Fprintln(w, "\nEnd points\n----------")
	labels := map[string]string{
		guide.IndividualActionLikely:              "action directed at the individual is likely to be appropriate",
		guide.IndividualActionMayNotBeAppropriate: "action directed at the individual may not be appropriate",
		guide.IndividualActionUnlikely:            "action singling out the individual is unlikely to be appropriate",
	}
	for _, ep := range g.EndPoints() {
		formal := "does not support formal action"
		if ep.SupportsFormalAction {
			formal = "can support formal action"
		}
		fmt.Fprintf(w, "  %s  %s\n", ep.ID, ep.Title)
		fmt.Fprintf(w, "      %s; %s\n", labels[ep.IndividualAction], formal)
		if ep.Summary != "" {
			fmt.Fprintf(w, "      %s\n", indent(ep.Summary, "      "))
		}
		if len(ep.Actions) > 0 {
			fmt.Fprintln(w, "      Recommended actions:")
			for i, a := range ep.Actions {
				fmt.Fprintf(w, "        %d. %s\n", i+1, indent(a, "           "))
			}
		}
		if ep.SystemLearning != "" {
			fmt.Fprintf(w, "      System learning: %s\n", indent(ep.SystemLearning, "      "))
		}
	}
}

// indent puts prefix before every line of s after the first.
func indent(s, prefix string) string {
	return strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n"+prefix)
}

// guideList prints every stored guide version with its state.
func guideList(ctx context.Context, env Env, args []string) error {
	cfg := config.Defaults()
	fs := flags("guide list", env, &cfg)
	if err := parse(fs, &cfg, env, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: guide list takes no arguments", errUsage)
	}
	a, err := openApp(ctx, &cfg, env)
	if err != nil {
		return err
	}
	defer a.DB.Close()
	defs, err := a.Culture.Definitions(ctx, true)
	if err != nil {
		return err
	}
	current := map[string]bool{}
	for _, d := range defs {
		state := "older"
		switch {
		case d.Retired():
			state = "retired " + d.RetiredAt.Format("2006-01-02")
		case !current[d.GuideID]:
			current[d.GuideID], state = true, "current"
		}
		origin := "uploaded"
		if d.Builtin {
			origin = "built in"
		}
		fmt.Fprintf(env.Stdout, "%s\tversion %d\t%s\t%s\t%s\tchecksum %s\n", d.GuideID, d.Version, state, origin, d.Title, d.Checksum[:12])
	}
	return nil
}
