package ui

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"safeguard/ui/uitest"
)

// TestAccessibleMenuOpensIncidents: the accessible menu offers each assessment's incident
// register, routes its choice there and nothing else, and quits when the input ends in
// the register.
func TestAccessibleMenuOpensIncidents(t *testing.T) {
	s, id := uitest.DemoStore(t)
	list, err := s.Assessments(uitest.Ctx)
	if err != nil {
		t.Fatal(err)
	}
	opts := incidentOptions(list)
	if len(opts) != 1 || opts[0].Value != incidentsChoice+id || !strings.Contains(opts[0].Key, "Incidents and breach notification") {
		t.Fatalf("options: %+v", opts)
	}
	var out bytes.Buffer
	p := prompter{ctx: uitest.Ctx, s: s, cat: uitest.Catalog(t), out: &out}
	if handled, _ := p.incidents("new"); handled {
		t.Fatal("another choice was taken for the register")
	}
	old := incidentInput
	t.Cleanup(func() { incidentInput = old })
	incidentInput = func() io.Reader { return strings.NewReader("2\n") } // back to the menu
	if handled, ended := p.incidents(opts[0].Value); !handled || ended {
		t.Fatalf("going back: handled %v, ended %v\n%s", handled, ended, out.String())
	}
	if !strings.Contains(out.String(), "Incidents of "+list[0].Title) {
		t.Fatalf("the register did not run:\n%s", out.String())
	}
	incidentInput = func() io.Reader { return strings.NewReader("") }
	if handled, ended := p.incidents(opts[0].Value); !handled || !ended {
		t.Fatalf("end of input: handled %v, ended %v", handled, ended)
	}
	if strings.ContainsRune(out.String(), '\x1b') {
		t.Fatal("escape sequences in the accessible output")
	}
}
