// Package common is what every part of safeguard's terminal interface shares: the
// environment (workspace, catalog, keys), one set of styles, the width-aware text
// helpers, the screen and section contracts, the messages screens exchange, the form host,
// the validators of typed values, and Data, the loaded assessment every section reads.
//
// It imports no section, so sections (ui/dashboard, ui/questions, …) and the root model
// (ui) can all import it.
package common

import (
	"context"
	"os"
	"os/exec"
	"strings"

	"safeguard/controls"
	"safeguard/store"
)

// Env is what every screen shares. It is built once when the interface starts, outside
// any Update.
type Env struct {
	Ctx     context.Context
	Store   *store.Store
	Catalog *controls.Catalog
	Keys    KeyMap
	// Plain is true when NO_COLOR is set: styles then carry no color at all. It is read
	// once, here, and every Styles is built from it.
	Plain bool
	// WorkDir is the folder safeguard was started in: file choosers open there and
	// relative output paths are written there.
	WorkDir string
	// Editor is the program ctrl+e opens a text field in ($EDITOR, else $VISUAL, else nano
	// when installed); "" when there is none, and ctrl+e then says how to set one.
	Editor string
	// Working is who is working, once chosen from the workspace's people: the name the
	// store records on every change (store.SetActor) and the role sign-offs start from.
	// Never nil; empty until someone is chosen.
	Working *Working
	// OpenDemo opens the sample assessment's own workspace (made on first use), so the
	// demo never writes sample records into a client's workspace; nil where there is none
	// (tests), and the home screen then asks before adding the sample here.
	OpenDemo func() (*store.Store, error)
	// Demo is true in the sample workspace opened by OpenDemo.
	Demo bool
}

// Working is the person working: a name from the workspace's people and their role.
type Working struct {
	Name, Role string
}

// NewEnv reads the environment (NO_COLOR, the working folder, the editor) once.
func NewEnv(ctx context.Context, s *store.Store, cat *controls.Catalog) *Env {
	_, plain := os.LookupEnv("NO_COLOR")
	dir, err := os.Getwd()
	if err != nil {
		dir = "."
	}
	return &Env{Ctx: ctx, Store: s, Catalog: cat, Keys: NewKeyMap(), Plain: plain, WorkDir: dir, Editor: findEditor(), Working: &Working{}}
}

// For is a copy of the environment on another workspace (the sample workspace), with
// nobody chosen as working yet.
func (e *Env) For(s *store.Store, demo bool) *Env {
	c := *e
	c.Store, c.Demo, c.Working = s, demo, &Working{}
	return &c
}

// findEditor finds the editor ctrl+e opens. huh's text fields run $EDITOR (nano when it is
// unset), so when only $VISUAL names one, $EDITOR is set to it for them.
func findEditor() string {
	for _, v := range []string{"EDITOR", "VISUAL"} {
		fields := strings.Fields(os.Getenv(v))
		if len(fields) == 0 {
			continue
		}
		if _, err := exec.LookPath(fields[0]); err != nil {
			continue
		}
		if v != "EDITOR" {
			os.Setenv("EDITOR", os.Getenv(v))
		}
		return fields[0]
	}
	if os.Getenv("EDITOR") == "" {
		if _, err := exec.LookPath("nano"); err == nil {
			return "nano"
		}
	}
	return ""
}

// Person is who is working (empty until chosen).
func (e *Env) Person() Working {
	if e.Working == nil {
		return Working{}
	}
	return *e.Working
}
