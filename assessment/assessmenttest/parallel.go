package assessmenttest

import (
	"flag"
	"fmt"
	"testing"
)

// RunWaiting runs a package's tests with up to n parallel tests at once unless the
// command line gave -parallel. Packages whose tests mostly wait (on child processes, on a
// program drawing between keys, on the disk) call it from TestMain: with the default
// (GOMAXPROCS), a 2-core machine ran two such tests at a time and mostly idled.
func RunWaiting(m *testing.M, n int) int {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		flag.Set("test.parallel", fmt.Sprint(n))
	}
	return m.Run()
}
