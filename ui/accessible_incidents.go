package ui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"charm.land/huh/v2"

	"safeguard/assessment"
	"safeguard/ui/common"
	"safeguard/ui/incidents"
)

// The accessible mode's way into each assessment's incident register (breach
// notification): one menu entry per assessment, and the register's own plain prompts
// (incidents.Accessible), which drive the same forms, checks and store changes as the
// Incidents tab.

// incidentsChoice prefixes the menu values that open an assessment's incident register.
const incidentsChoice = "incidents:"

// incidentInput is where the register reads its answers: the terminal (tests give text).
var incidentInput = func() io.Reader { return os.Stdin }

// incidentOptions are the menu entries of the incident registers, one per assessment.
func incidentOptions(list []assessment.Assessment) []huh.Option[string] {
	out := make([]huh.Option[string], 0, len(list))
	for _, a := range list {
		out = append(out, huh.NewOption(fmt.Sprintf("Incidents and breach notification of %s, %s", a.Title, a.Organization), incidentsChoice+a.ID))
	}
	return out
}

// incidents runs the register a menu choice names. handled is false for any other
// choice; ended reports that the input ended there, so the accessible mode quits.
func (p prompter) incidents(choice string) (handled, ended bool) {
	id, ok := strings.CutPrefix(choice, incidentsChoice)
	if !ok {
		return false, false
	}
	err := incidents.Accessible(common.NewEnv(p.ctx, p.s, p.cat), id, incidentInput(), p.out)
	switch {
	case errors.Is(err, incidents.ErrEndOfInput):
		return true, true
	case err != nil:
		fmt.Fprintln(p.out, "Error:", err)
	}
	return true, false
}
