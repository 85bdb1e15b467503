package store

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/adrg/xdg"
)

// Default locations, all below the user's home folder unless the XDG variables (or the
// platform's equivalents) say otherwise:
//
//	workspace   $XDG_DATA_HOME/safeguard/workspace.db
//	last-seen   $XDG_STATE_HOME/safeguard/last-seen/<workspace>.json
//	signing key $XDG_CONFIG_HOME/safeguard/signing-key.json
//
// Without a home folder (HOME unset, or naming a folder that does not exist) there is no
// default: the library behind these paths would otherwise answer "/.local/share", and
// creating the workspace's folder would create a home folder that is not there.

// DefaultPath is the workspace in the user data folder ($XDG_DATA_HOME/safeguard/
// workspace.db on Linux, the platform equivalent elsewhere), or an error saying why there
// is none and to give --db.
func DefaultPath() (string, error) {
	if err := homeFor("XDG_DATA_HOME", "workspace"); err != nil {
		return "", err
	}
	pathsMu.RLock()
	defer pathsMu.RUnlock()
	return filepath.Join(xdg.DataHome, "safeguard", "workspace.db"), nil
}

// DefaultStateDir is the folder of the last-seen records, or an error when there is no
// home folder to keep it in.
func DefaultStateDir() (string, error) {
	if err := homeFor("XDG_STATE_HOME", "record of the last audit chain seen"); err != nil {
		return "", err
	}
	pathsMu.RLock()
	defer pathsMu.RUnlock()
	return filepath.Join(xdg.StateHome, "safeguard"), nil
}

// DefaultConfigDir is the folder of the signing key, or an error when there is no home
// folder to keep it in.
func DefaultConfigDir() (string, error) {
	if err := homeFor("XDG_CONFIG_HOME", "signing key"); err != nil {
		return "", err
	}
	pathsMu.RLock()
	defer pathsMu.RUnlock()
	return filepath.Join(xdg.ConfigHome, "safeguard"), nil
}

// pathsMu guards the xdg package's variables against ReloadPaths (tests run commands in
// parallel).
var pathsMu sync.RWMutex

// ReloadPaths reads the XDG and HOME variables again (they are read once at start).
func ReloadPaths() {
	pathsMu.Lock()
	defer pathsMu.Unlock()
	xdg.Reload()
}

// homeFor checks that the default location of what can be found: either the XDG variable
// names an absolute folder, or the home folder exists.
func homeFor(xdgVar, what string) error {
	if v := os.Getenv(xdgVar); filepath.IsAbs(v) {
		return nil
	}
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		return nil // the platform folders do not come from HOME
	}
	home := os.Getenv("HOME")
	if home == "" {
		return fmt.Errorf("HOME is not set, so there is no default place for the %s; give a workspace file with --db PATH (or SAFEGUARD_DB)", what)
	}
	if st, err := os.Stat(home); err != nil || !st.IsDir() {
		return fmt.Errorf("the home folder %s does not exist, so there is no default place for the %s; give a workspace file with --db PATH (or SAFEGUARD_DB); safeguard does not create home folders", home, what)
	}
	return nil
}
