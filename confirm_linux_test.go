package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal: the side a user types into and the terminal a
// command reads.
func openPTY(t *testing.T) (user, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err) // a container without /dev/ptmx
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	return m, s
}

// TestConfirmApplyOnATerminal: only "yes" applies an import; another answer or the end
// of input (Ctrl-D) changes nothing and says which it was.
func TestConfirmApplyOnATerminal(t *testing.T) {
	for _, c := range []struct {
		typed string
		apply bool
		says  string
	}{
		{"yes\n", true, ""},
		{"no\n", false, "the answer was not yes"},
		{"\x04", false, "the input ended before an answer"},
	} {
		user, tty := openPTY(t)
		if _, err := user.Write([]byte(c.typed)); err != nil {
			t.Fatal(err)
		}
		var errOut bytes.Buffer
		cmd := &cobra.Command{}
		cmd.SetErr(&errOut)
		ok, err := confirmApply(cmd, tty, false, "Apply this change?")
		if err != nil || ok != c.apply || !strings.Contains(errOut.String(), c.says) {
			t.Errorf("typed %q: apply %v, %v, said %q", c.typed, ok, err, errOut.String())
		}
	}
}
