package printer_test

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/drivers/printer"
	"github.com/packdesk/packdesk/drivers/printer/printertest"
)

// hangingOpen is an opener stuck in open(2) until released; what it opens
// late must be closed by the transport that gave up on it.
type hangingOpen struct {
	release chan struct{}
	pb      *printertest.Playback
}

func (h *hangingOpen) open(string) (io.ReadWriteCloser, error) {
	<-h.release
	return h.pb, nil
}

func TestConnectTimeoutOfStreamTransports(t *testing.T) {
	opt := printer.Options{ConnectTimeout: 50 * time.Millisecond, StatusTimeout: time.Second, Confirm: true}
	for _, tt := range []struct {
		name string
		tr   func(h *hangingOpen) printer.Transport
	}{
		{"file", func(h *hangingOpen) printer.Transport { return printer.File{Path: "/dev/usb/lp0", Open: h.open} }},
		{"serial", func(h *hangingOpen) printer.Transport {
			return printer.Serial{Path: "/dev/ttyUSB0", Baud: 9600, Open: func(p string, _ int) (io.ReadWriteCloser, error) { return h.open(p) }}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := &hangingOpen{release: make(chan struct{}), pb: &printertest.Playback{}}
			d := printer.New(tt.tr(h), printer.ZPL{}, opt)
			err := d.Send(t.Context(), []byte(zplJob))
			if !printer.IsNotSent(err) || !errors.Is(err, printer.ErrTimeout) || !strings.Contains(err.Error(), "50ms") {
				t.Fatalf("Send through a hanging open = %v; want not sent, ErrTimeout after 50ms", err)
			}
			if _, err := d.Status(t.Context()); !errors.Is(err, printer.ErrTimeout) {
				t.Fatalf("Status through a hanging open = %v; want ErrTimeout", err)
			}
			close(h.release) // both opens complete late: each stream is closed unused
			deadline := time.Now().Add(5 * time.Second)
			for h.pb.Err() != nil && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if err := h.pb.Err(); err != nil {
				t.Fatalf("late-opened device: %v; want closed with nothing written", err)
			}
		})
	}
}
