package serialport_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/drivers/scanner/scannertest"
	"github.com/packdesk/packdesk/drivers/serialport"
)

func open(t *testing.T, p *scannertest.PTY, timeout time.Duration) *serialport.Port {
	t.Helper()
	port, err := serialport.Open(serialport.Config{Path: p.Path(), Baud: 115200, ReadTimeout: timeout})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { port.Close() })
	return port
}

func TestReadWrite(t *testing.T) {
	p := scannertest.NewPTY(t)
	port := open(t, p, 0)
	if _, err := p.Write([]byte("hello\r")); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 0, 6)
	buf := make([]byte, 16)
	for len(got) < 6 {
		n, err := port.Read(buf)
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		got = append(got, buf[:n]...)
	}
	if string(got) != "hello\r" {
		t.Fatalf("read %q", got)
	}
	if _, err := port.Write([]byte("SI\r\n")); err != nil {
		t.Fatalf("Write: %v", err)
	}
	n, err := io.ReadFull(p, buf[:4])
	if err != nil || string(buf[:n]) != "SI\r\n" {
		t.Fatalf("device got %q, %v", buf[:n], err)
	}
}

func TestReadTimeoutIsAnError(t *testing.T) {
	port := open(t, scannertest.NewPTY(t), 20*time.Millisecond)
	n, err := port.Read(make([]byte, 8))
	if n != 0 || !errors.Is(err, serialport.ErrTimeout) {
		t.Fatalf("Read = %d, %v; want 0, ErrTimeout", n, err)
	}
	var te interface{ Timeout() bool }
	if !errors.As(err, &te) || !te.Timeout() {
		t.Fatalf("timeout error %v does not say Timeout()", err)
	}
}

func TestCloseUnblocksRead(t *testing.T) {
	port := open(t, scannertest.NewPTY(t), 0)
	done := make(chan error, 1)
	go func() {
		_, err := port.Read(make([]byte, 8))
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	if err := port.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, serialport.ErrClosed) {
			t.Fatalf("Read after Close = %v, want ErrClosed", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Read still blocked 10 s after Close")
	}
	if err := port.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := port.Write([]byte("x")); !errors.Is(err, serialport.ErrClosed) {
		t.Fatalf("Write after Close = %v, want ErrClosed", err)
	}
}

func TestUnplugIsDisconnected(t *testing.T) {
	p := scannertest.NewPTY(t)
	port := open(t, p, 0)
	done := make(chan error, 1)
	go func() {
		buf := make([]byte, 8)
		for {
			if _, err := port.Read(buf); err != nil {
				done <- err
				return
			}
		}
	}()
	p.Unplug()
	select {
	case err := <-done:
		if !errors.Is(err, serialport.ErrDisconnected) {
			t.Fatalf("Read after unplug = %v, want ErrDisconnected", err)
		}
		if !strings.Contains(err.Error(), p.Path()) || !strings.HasPrefix(err.Error(), "serial: ") {
			t.Fatalf("message %q does not name the port", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no error 10 s after unplug")
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "file")
	if err := os.WriteFile(regular, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p := scannertest.NewPTY(t)
	tests := []struct {
		name string
		cfg  serialport.Config
		want error
	}{
		{"missing", serialport.Config{Path: filepath.Join(dir, "ttyNOPE")}, serialport.ErrNotFound},
		{"empty path", serialport.Config{}, serialport.ErrNotFound},
		{"not a tty", serialport.Config{Path: regular}, serialport.ErrNotSerial},
		{"bad parity", serialport.Config{Path: p.Path(), Parity: "sometimes"}, serialport.ErrBadConfig},
		{"bad stop bits", serialport.Config{Path: p.Path(), StopBits: "3"}, serialport.ErrBadConfig},
		{"bad data bits", serialport.Config{Path: p.Path(), DataBits: 9}, serialport.ErrBadConfig},
		{"negative timeout", serialport.Config{Path: p.Path(), ReadTimeout: -time.Second}, serialport.ErrBadConfig},
		{"negative baud", serialport.Config{Path: p.Path(), Baud: -5}, serialport.ErrBadConfig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			port, err := serialport.Open(tt.cfg)
			if err == nil {
				port.Close()
				t.Fatalf("Open succeeded, want %v", tt.want)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open = %v (kind %d), want kind of %v", err, serialport.KindOf(err), tt.want)
			}
			if !strings.HasPrefix(err.Error(), "serial: ") {
				t.Fatalf("message %q lacks the component prefix", err)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  serialport.Config
		hint string // in the message; "" means valid
	}{
		{"defaults", serialport.Config{}, ""},
		{"all set", serialport.Config{Baud: 115200, DataBits: 7, Parity: serialport.ParityEven, StopBits: serialport.StopBits1_5, ReadTimeout: time.Second}, ""},
		{"negative baud", serialport.Config{Path: "/dev/ttyS0", Baud: -5}, "baud -5"},
		{"data bits 4", serialport.Config{DataBits: 4}, "data bits 4"},
		{"data bits 9", serialport.Config{DataBits: 9}, "data bits 9"},
		{"parity", serialport.Config{Parity: "sometimes"}, `parity "sometimes"`},
		{"stop bits", serialport.Config{StopBits: "3"}, `stop bits "3"`},
		{"negative timeout", serialport.Config{ReadTimeout: -time.Second}, "read timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.hint == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, serialport.ErrBadConfig) {
				t.Fatalf("Validate = %v, want ErrBadConfig", err)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "serial: ") || !strings.Contains(msg, tt.hint) || !strings.Contains(msg, "check baud rate") {
				t.Fatalf("message %q: want the component, %q and what to check", msg, tt.hint)
			}
		})
	}
}
