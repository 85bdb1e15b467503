package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testPlainPrompts runs the real binary as a screen reader or a script would: TERM=dumb
// with no input at all quits at once with status 0 and a short, escape-free transcript
// (the first version looped forever here, 66 KB/s); --accessible the same without
// TERM=dumb; input that ends inside an entry fails with status 2 and one sentence, and
// saves nothing of the entry.
func testPlainPrompts(t *testing.T, b *faultBin) {
	dir := t.TempDir()
	db := filepath.Join(dir, "plain.db")
	for _, c := range []struct {
		name string
		env  []string
		args []string
	}{
		{"TERM=dumb", []string{"TERM=dumb"}, []string{"--db", db}},
		{"--accessible, NO_COLOR unset", []string{"TERM=xterm-256color"}, []string{"--db", db, "--accessible"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			r := b.run(t, runOpts{env: c.env, deadline: 10 * time.Second}, c.args...)
			if r.code != 0 {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Fatalf("took %v to notice the end of the input", took)
			}
			if len(r.stdout) > 4096 || strings.Count(r.stdout, "What next?") != 1 {
				t.Fatalf("%d bytes, the menu %d times:\n%s", len(r.stdout), strings.Count(r.stdout, "What next?"), r.stdout)
			}
			if strings.ContainsRune(r.stdout+r.stderr, 0x1b) {
				t.Fatalf("escape sequences in the plain-prompt output: %q", r.stdout)
			}
		})
	}
	r := b.run(t, runOpts{stdin: "1\nCedar Clinic\n", deadline: 10 * time.Second}, "--db", db)
	if r.code != 2 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, "creating an assessment") {
		t.Fatalf("input ending inside an entry: exit %d, stderr %q", r.code, r.stderr)
	}
	if out := b.ok(t, runOpts{}, "--db", db, "assessments"); strings.Contains(out, "Cedar") {
		t.Fatalf("the half-entered assessment was saved:\n%s", out)
	}
}
