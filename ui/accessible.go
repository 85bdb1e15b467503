package ui

import (
	"context"
	"fmt"
	"os"

	"charm.land/huh/v2"

	"safeguard/store"
)

// runAccessible is the screen-reader mode: plain line prompts, no full-screen drawing.
func runAccessible(ctx context.Context, opts Options) error {
	out := os.Stdout
	for {
		list, err := opts.Store.Assessments(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "\n%d assessments in %s.\n", len(list), opts.Store.Path())
		for i, a := range list {
			fmt.Fprintf(out, "%d. %s, %s, %s, changed %s\n", i+1, a.Title, a.Organization, a.Status.Label(), a.UpdatedAt.Local().Format("2006-01-02 15:04"))
		}
		var choice string
		menu := huh.NewForm(huh.NewGroup(huh.NewSelect[string]().Title("What next?").
			Options(huh.NewOption("Create a new assessment", "new"), huh.NewOption("Quit", "quit")).
			Value(&choice))).WithAccessible(true)
		if err := menu.RunWithContext(ctx); err != nil || choice != "new" {
			return nil
		}
		var org, title string
		form := huh.NewForm(huh.NewGroup(
			huh.NewInput().Title("Organisation").Value(&org).Validate(validName("organisation name")),
			huh.NewInput().Title("Title").Value(&title).Validate(validName("title")),
		)).WithAccessible(true)
		if err := form.RunWithContext(ctx); err != nil {
			continue
		}
		version := ""
		if opts.Catalog != nil {
			version = opts.Catalog.Version
		}
		a, err := opts.Store.CreateAssessment(ctx, store.NewAssessment{Title: title, Organization: org, CatalogVersion: version})
		if err != nil {
			fmt.Fprintln(out, "Error:", err)
			continue
		}
		fmt.Fprintf(out, "Created %s (%s).\n", a.Title, a.ID)
	}
}
