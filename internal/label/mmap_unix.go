//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package label

import (
	"fmt"
	"os"
	"syscall"
)

// mapFile maps the file at path read-only into memory (falling back to
// reading it where mapping fails, e.g. on some network file systems).
// release unmaps it; call it only when nothing refers to the bytes any
// more. A mapped font file must not be truncated in place while the
// process runs (package upgrades replace font files by rename, which is
// safe). Errors: the file cannot be opened, is empty or is too large.
func mapFile(path string) (data []byte, release func(), err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	size := fi.Size()
	if size <= 0 || size > 1<<30 || !fi.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("%s is not a font file (%d bytes, %v)", path, size, fi.Mode())
	}
	data, err = syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		data, err = os.ReadFile(path)
		return data, func() {}, err
	}
	return data, func() { _ = syscall.Munmap(data) }, nil
}
