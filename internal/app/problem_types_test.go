package app_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"candour/internal/api"
)

// problemTitles finds every problem document's title in the API and the
// app: the title argument of each problem(w, r, status, title, ...) and
// WriteProblem call, and the Title of each Problem literal. A title that is
// not a constant string would make a type that is not a constant, so it
// fails the test.
func problemTitles(t *testing.T) []string {
	t.Helper()
	var titles []string
	fset := token.NewFileSet()
	for _, dir := range []string{"../api", "."} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			literal := func(e ast.Expr) {
				lit, ok := e.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Errorf("%s: a problem's title is not a constant string", fset.Position(e.Pos()))
					return
				}
				s, _ := strconv.Unquote(lit.Value)
				titles = append(titles, s)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncDecl:
					// WriteProblem passes its caller's title on; the callers
					// are scanned instead.
					return n.Name.Name != "WriteProblem"
				case *ast.CallExpr:
					// problem(w, r, status, title, detail, errs): with errors,
					// the type is validation whatever the title.
					switch name := typeName(n.Fun); {
					case name == "problem" && len(n.Args) == 6 && isNil(n.Args[5]):
						literal(n.Args[3])
					case name == "WriteProblem" && len(n.Args) == 5:
						literal(n.Args[3])
					}
				case *ast.CompositeLit:
					if typeName(n.Type) != "Problem" {
						break
					}
					var title ast.Expr
					derived := false
					for _, el := range n.Elts {
						kv, ok := el.(*ast.KeyValueExpr)
						if !ok {
							continue
						}
						switch typeName(kv.Key) {
						case "Title":
							title = kv.Value
						case "Type":
							// A type named outright (preconditions-unmet) or
							// made with errors (validation) is not the title's.
							call, ok := kv.Value.(*ast.CallExpr)
							derived = ok && typeName(call.Fun) == "ProblemType" && len(call.Args) == 2 && isNil(call.Args[1])
						}
					}
					if derived && title != nil {
						literal(title)
					}
				}
				return true
			})
		}
	}
	return titles
}

func isNil(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "nil"
}

func typeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	}
	return ""
}

// Problem types are what clients match on, so they are a contract: each
// kind has its own, each is listed in docs/api.md, and a title reworded
// (which changes its type) fails here until the list says so.
func TestProblemTypesAreListed(t *testing.T) {
	doc, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(doc)
	if i := strings.Index(section, "\n## Problem types\n"); i >= 0 {
		section = section[i+1:]
		if j := strings.Index(section[3:], "\n## "); j >= 0 {
			section = section[:j+3]
		}
	} else {
		t.Fatal(`docs/api.md has no "## Problem types" section`)
	}
	var listed []string
	for _, m := range regexp.MustCompile("(?m)^- `([a-z0-9-]+)`").FindAllStringSubmatch(section, -1) {
		listed = append(listed, m[1])
	}
	const base = "https://candour.invalid/problems/"
	made := map[string]string{"validation": "(fields invalid)", "preconditions-unmet": "(casework)"}
	for _, title := range problemTitles(t) {
		if strings.ContainsFunc(title, func(r rune) bool { return r > 0x7e }) {
			t.Errorf("title %q is not plain ASCII: its type would drop letters", title)
		}
		typ := strings.TrimPrefix(api.ProblemType(title, nil), base)
		if other, ok := made[typ]; ok && other != title {
			t.Errorf("titles %q and %q share the type %s", other, title, typ)
		}
		made[typ] = title
	}
	var want []string
	for typ := range made {
		want = append(want, typ)
	}
	slices.Sort(want)
	slices.Sort(listed)
	if !slices.Equal(want, listed) {
		for _, typ := range want {
			if !slices.Contains(listed, typ) {
				t.Errorf("docs/api.md does not list %s (%s)", typ, made[typ])
			}
		}
		for _, typ := range listed {
			if _, ok := made[typ]; !ok {
				t.Errorf("docs/api.md lists %s, which nothing answers", typ)
			}
		}
	}
}
