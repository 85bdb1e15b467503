package main

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// The rooms of DESIGN.md and the rooms each may import ("main" is the CLI at the module
// root). A subpackage belongs to the room of its first path element: ui/x is ui,
// reports/pdf is reports, assessment/assessmenttest is assessment.
var mayImport = map[string][]string{
	"main":       {"ui", "store", "reports", "assessment", "controls"},
	"ui":         {"store", "reports", "assessment", "controls"},
	"store":      {"assessment", "controls"},
	"reports":    {"assessment", "controls"},
	"assessment": {"controls"},
	"controls":   {},
}

const module = "safeguard"

// room is the room a package of this module belongs to; ok is false for a path outside
// the module.
func room(importPath string) (string, bool) {
	if importPath == module {
		return "main", true
	}
	rest, ok := strings.CutPrefix(importPath, module+"/")
	if !ok {
		return "", false
	}
	first, _, _ := strings.Cut(rest, "/")
	return first, true
}

// allowed reports whether package from may import package to under the rules: anything
// outside the module, anything in its own room, or a room its room may import.
func allowed(from, to string) bool {
	rf, ok := room(from)
	if !ok {
		return true
	}
	rt, ok := room(to)
	if !ok || rf == rt {
		return true
	}
	for _, r := range mayImport[rf] {
		if r == rt {
			return true
		}
	}
	return false
}

// TestDependencyRules lists every package of the module with `go list` and fails on an
// import, test imports included, that DESIGN.md's rules forbid, and on a package in a
// room the rules do not know.
func TestDependencyRules(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-json", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	n := 0
	for {
		var p struct {
			ImportPath                         string
			Imports, TestImports, XTestImports []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		n++
		r, _ := room(p.ImportPath)
		if _, known := mayImport[r]; !known {
			t.Errorf("%s is in no room of DESIGN.md (%q); add the room to the rules or move the package", p.ImportPath, r)
		}
		for _, list := range [][]string{p.Imports, p.TestImports, p.XTestImports} {
			for _, imp := range list {
				if !allowed(p.ImportPath, imp) {
					t.Errorf("%s imports %s, which DESIGN.md's dependency rules forbid", p.ImportPath, imp)
				}
			}
		}
	}
	if n < 6 {
		t.Fatalf("go list found only %d packages", n)
	}
}

// TestDependencyRuleFunction proves the check can fail: forbidden arrows are refused.
func TestDependencyRuleFunction(t *testing.T) {
	t.Parallel()
	cases := []struct {
		from, to string
		ok       bool
	}{
		{"safeguard", "safeguard/ui", true},
		{"safeguard/ui/walker", "safeguard/ui/common", true},
		{"safeguard/ui/report", "safeguard/reports", true},
		{"safeguard/reports/pdf", "safeguard/assessment", true},
		{"safeguard/reports", "safeguard/reports/pdf", true},
		{"safeguard/store", "safeguard/assessment/assessmenttest", true},
		{"safeguard/assessment", "github.com/google/uuid", true},
		{"safeguard/reports", "safeguard/store", false},
		{"safeguard/reports/pdf", "safeguard/ui", false},
		{"safeguard/store", "safeguard/reports", false},
		{"safeguard/assessment", "safeguard/store", false},
		{"safeguard/assessment/assessmenttest", "safeguard/reports", false},
		{"safeguard/controls", "safeguard/assessment", false},
		{"safeguard/ui", "safeguard", false},
		{"safeguard/store", "safeguard/ui/common", false},
	}
	for _, c := range cases {
		if got := allowed(c.from, c.to); got != c.ok {
			t.Errorf("allowed(%s → %s) = %v, want %v", c.from, c.to, got, c.ok)
		}
	}
}
