package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// british matches the common British spellings that US English writes otherwise
// (organization, authorize, license, center, color, behavior, favor, honor, labor,
// defense, catalog, program, analyze, recognize, minimize, prioritize, sanitize,
// finalize). safeguard's users are US covered entities and their auditors.
var british = regexp.MustCompile(`(?i)\b(un)?(organis|authoris|licence|centre|colour|behaviour|favour|honour|labour|defence|catalogue|programme|recognis|minimis|prioritis|sanitis|finalis|neutralis|normalis|summaris)\w*|\banalys(e|ed|ing)\b`)

// spellingAllowed are the exact texts that may keep a British form: `finalise`, the first
// versions' name of the finalize command, kept as an alias so scripts keep working.
var spellingAllowed = map[string]bool{"finalise": true, "`finalise`": true}

// TestUSSpelling fails on British spellings in what users read: the string literals of the
// Go code (go/ast, so identifiers and comments do not count), the README and docs, and the
// catalog's data files. Each area is its own sub-test, so one that fails names its owner.
func TestUSSpelling(t *testing.T) {
	t.Parallel()
	t.Run("go", func(t *testing.T) { checkGoLiterals(t, ".", "ui") })
	// ui/ is reworded with its split into packages (the ui branch).
	t.Run("ui", func(t *testing.T) { checkGoLiterals(t, "ui", "") })
	t.Run("docs", func(t *testing.T) {
		files, _ := filepath.Glob("docs/*.md")
		for _, f := range append([]string{"README.md", "BENCHMARKS.md"}, files...) {
			checkText(t, f)
		}
	})
	// The catalog's questions, help and threat library; reworded on the catalog branch.
	t.Run("controls-data", func(t *testing.T) {
		files, _ := filepath.Glob("controls/data/*.yaml")
		questions, _ := filepath.Glob("controls/data/questions/*.yaml")
		files = append(files, questions...)
		if len(files) == 0 {
			t.Fatal("no catalog data files found")
		}
		for _, f := range files {
			checkText(t, f)
		}
	})
}

// checkGoLiterals checks every string literal of the non-test Go files under root,
// leaving out the folder skip.
func checkGoLiterals(t *testing.T, root, skip string) {
	t.Helper()
	fset := token.NewFileSet()
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (path == skip || strings.HasPrefix(d.Name(), ".") && path != ".") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		n++
		ast.Inspect(f, func(x ast.Node) bool {
			lit, ok := x.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil || spellingAllowed[s] {
				return true
			}
			for _, w := range british.FindAllString(s, -1) {
				t.Errorf("%s: %q is British spelling; use the US form", fset.Position(lit.Pos()), w)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("no Go files found under %s", root)
	}
}

// checkText checks a text file line by line.
func checkText(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(b), "\n") {
		for _, w := range british.FindAllString(line, -1) {
			if spellingAllowed[w] || strings.Contains(line, "`"+w+"`") {
				continue
			}
			t.Errorf("%s:%d: %q is British spelling; use the US form", path, i+1, w)
		}
	}
}

// TestSpellingCheckFails proves the pattern catches what it is meant to and leaves the US
// forms and the words that merely look alike alone.
func TestSpellingCheckFails(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"Organisation-wide", "unauthorised device", "a licence", "data centres", "colour", "behaviour",
		"catalogue", "programme", "analyse", "recognised", "minimise", "prioritise", "sanitised", "finalising", "defence"} {
		if !british.MatchString(s) {
			t.Errorf("%q is not caught", s)
		}
	}
	for _, s := range []string{"Organization-wide", "unauthorized device", "a license", "data centers", "color", "analysis",
		"catalog", "program", "analyze", "finalize", "defense", "licensed"} {
		if british.MatchString(s) {
			t.Errorf("%q is caught, but it is US English", s)
		}
	}
}
