package printer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Found is a printer this machine can reach without a network scan.
type Found struct {
	Kind string `json:"kind"` // "usb" (device file) or "cups"
	// Addr is the printer address without the language; append
	// "?lang=zpl" or "?lang=tspl".
	Addr string `json:"addr"`
	Name string `json:"name"` // device path or CUPS queue
}

// Lister finds printers; ListDevices with the default places is the real one.
type Lister struct {
	DevGlob string // "" means /dev/usb/lp*
	LPStat  string // "" means "lpstat" from PATH
}

// ListDevices returns USB printer device files and CUPS queues, sorted.
// A missing lpstat is not an error (CUPS is optional); it returns an error
// only when lpstat exists and fails. Network printers are not searched.
func ListDevices(ctx context.Context) ([]Found, error) { return Lister{}.List(ctx) }

// List is ListDevices with l's places.
func (l Lister) List(ctx context.Context) ([]Found, error) {
	glob := l.DevGlob
	if glob == "" {
		glob = "/dev/usb/lp*"
	}
	var out []Found
	paths, _ := filepath.Glob(glob) // only a malformed pattern fails
	for _, p := range paths {
		out = append(out, Found{Kind: "usb", Addr: "file://" + p, Name: p})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	lpstat := l.LPStat
	if lpstat == "" {
		lpstat = "lpstat"
	}
	path, err := exec.LookPath(lpstat)
	if err != nil {
		return out, nil
	}
	cmd := exec.CommandContext(ctx, path, "-e")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && strings.Contains(stderr.String(), "No destinations") {
			return out, nil
		}
		return out, fmt.Errorf("printer: list CUPS queues with lpstat -e: %v: %s: is the CUPS service running?", err, strings.TrimSpace(stderr.String()))
	}
	var queues []Found
	for _, q := range strings.Fields(stdout.String()) {
		queues = append(queues, Found{Kind: "cups", Addr: "cups://" + q, Name: q})
	}
	sort.Slice(queues, func(a, b int) bool { return queues[a].Name < queues[b].Name })
	return append(out, queues...), nil
}
