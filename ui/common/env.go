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
}

// NewEnv reads the environment (NO_COLOR, the working folder) once.
func NewEnv(ctx context.Context, s *store.Store, cat *controls.Catalog) *Env {
	_, plain := os.LookupEnv("NO_COLOR")
	dir, err := os.Getwd()
	if err != nil {
		dir = "."
	}
	return &Env{Ctx: ctx, Store: s, Catalog: cat, Keys: NewKeyMap(), Plain: plain, WorkDir: dir}
}
