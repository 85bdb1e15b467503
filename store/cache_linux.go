package store

import (
	"os"

	"golang.org/x/sys/unix"
)

// dropCache asks the kernel to drop the cached pages of a file that is about to be
// replaced. Unlinking a file drops them anyway, inside the rename that replaces it; done
// here, it runs while the new file is being synced. Best effort.
func dropCache(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
}
