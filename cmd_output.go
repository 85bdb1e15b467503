package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"safeguard/reports"
	"safeguard/store"
)

// writeFile writes a report, export, memo or evidence file through
// reports.WriteFileAtomic, after removing the temporary files that runs killed outright
// left in its folder (they can hold decrypted evidence), and says so on notice.
func writeFile(notice io.Writer, path string, force bool, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if removed := reports.RemoveStaleTemp(dir); len(removed) > 0 {
		fmt.Fprintf(notice, "safeguard: removed %d temporary files that an interrupted run left in %s (%s).\n",
			len(removed), dir, strings.Join(removed, ", "))
	}
	return reports.WriteFileAtomic(path, force, write)
}

// removeTempOnSignal removes the temporary files of writes in progress when the process
// is interrupted (SIGINT), terminated (SIGTERM) or loses its terminal (SIGHUP), then exits
// with 128 + the signal's number, as shells report it. The full-screen interface handles
// these signals itself (it restores the terminal) and removes the files when it returns.
func removeTempOnSignal() (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			reports.RemoveTempFiles()
			store.RemoveTempFiles()
			code := 1
			if s, ok := sig.(syscall.Signal); ok {
				code = 128 + int(s)
			}
			os.Exit(code)
		case <-done:
		}
	}()
	// Stopping leaves the channel registered: a signal that arrives after the command has
	// finished, in the moment before the process exits, is then dropped instead of killing
	// the process with its default action, so a completed write is reported as such.
	return func() { close(done) }
}

// defaultPathText is the default workspace for --help.
func defaultPathText() string {
	p, err := store.DefaultPath()
	if err != nil {
		return "none without a home folder"
	}
	return p
}
