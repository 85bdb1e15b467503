package ui

import (
	"flag"
	"os"
	"testing"
)

// TestMain runs more of the flows at once than there are cores unless -parallel is given:
// a flow spends most of its time waiting for the program to draw between keys, so with
// the default (GOMAXPROCS) a 2-core machine ran them two at a time and mostly idled.
func TestMain(m *testing.M) {
	flag.Parse()
	if !flagSet("test.parallel") {
		flag.Set("test.parallel", "8")
	}
	os.Exit(m.Run())
}

// flagSet reports whether the command line set the named flag.
func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
