// Command compile turns the catalog's YAML sources (controls/data) into controls/catalog.json,
// the form embedded in the binary. Run it with `go generate ./controls`.
package main

import (
	"fmt"
	"os"

	"safeguard/controls"
)

func main() {
	c, origins, err := controls.LoadSources(os.DirFS("data"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	b, err := controls.Compile(c, origins)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile("catalog.json", append(b, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("catalog %s: %d questions, %d vulnerabilities compiled to catalog.json\n", c.Version, len(c.Questions), len(c.Vulnerabilities))
}
