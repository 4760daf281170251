package scale_test

import (
	"bufio"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/drivers/scale"
	"github.com/packdesk/packdesk/drivers/scanner/scannertest"
	"github.com/packdesk/packdesk/drivers/serialport"
)

const wait = 15 * time.Second

// sicsSim plays an MT-SICS scale on a pty: for each command line it writes
// the next scripted reply (chunks written with a pause between, to split
// lines). An empty script entry means silence.
type sicsSim struct {
	mu       sync.Mutex
	commands []string
}

func (s *sicsSim) run(p *scannertest.PTY, replies [][]string) {
	sc := bufio.NewScanner(p)
	i := 0
	for sc.Scan() {
		cmd := strings.TrimSpace(sc.Text())
		if cmd == "" {
			continue
		}
		s.mu.Lock()
		s.commands = append(s.commands, cmd)
		s.mu.Unlock()
		if i >= len(replies) {
			continue
		}
		for _, chunk := range replies[i] {
			p.Write([]byte(chunk))
			time.Sleep(5 * time.Millisecond)
		}
		i++
	}
}

func (s *sicsSim) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.commands...)
}

func openScale(t *testing.T, p *scannertest.PTY, proto scale.Protocol, timeout time.Duration) scale.Scale {
	t.Helper()
	sc, err := scale.Open(scale.Config{Port: serialport.Config{Path: p.Path(), Baud: 9600}, Protocol: proto, Options: scale.Options{ReplyTimeout: timeout}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sc.Close() })
	return sc
}

func ctxWait(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	t.Cleanup(cancel)
	return ctx
}

func TestSICSWeighWaitsForStable(t *testing.T) {
	p := scannertest.NewPTY(t)
	sim := &sicsSim{}
	go sim.run(p, [][]string{
		{"S I\r\n"},                   // busy
		{"S D      1.1", "00 kg\r\n"}, // unstable, split line
		{"\x00\x7fnoise\r\n", "S S      1.234 kg\r\n"}, // noise then the answer
	})
	sc := openScale(t, p, scale.ProtocolSICS, 5*time.Second)
	r, err := sc.Weigh(ctxWait(t))
	if err != nil {
		t.Fatalf("Weigh: %v", err)
	}
	if !r.Stable || r.RoundedGrams() != 1234 || r.Unit != scale.Kilogram {
		t.Fatalf("Weigh = %+v", r)
	}
	if got := sim.seen(); strings.Join(got, ",") != "S,S,S" {
		t.Fatalf("commands sent: %q", got)
	}
}

func TestSICSReadUnstableAndUnits(t *testing.T) {
	p := scannertest.NewPTY(t)
	go (&sicsSim{}).run(p, [][]string{
		{"S D    120.5 g\r\n"},
		{"S S      2.5 lb\r\n"},
		{"S +\r\n"},
		{"ES\r\n"},
	})
	sc := openScale(t, p, scale.ProtocolSICS, 5*time.Second)
	ctx := ctxWait(t)
	r, err := sc.Read(ctx)
	if err != nil || r.Stable || r.Grams != 120.5 {
		t.Fatalf("Read 1 = %+v, %v", r, err)
	}
	r, err = sc.Read(ctx)
	if err != nil || !r.Stable || r.RoundedGrams() != 1134 || r.Unit != scale.Pound {
		t.Fatalf("Read 2 (unit change) = %+v, %v", r, err)
	}
	if _, err := sc.Read(ctx); !errors.Is(err, scale.ErrOverload) {
		t.Fatalf("Read 3 = %v, want overload", err)
	}
	if _, err := sc.Weigh(ctx); !errors.Is(err, scale.ErrCommand) {
		t.Fatalf("Read 4 = %v, want command error", err)
	}
}

func TestSICSSilentScale(t *testing.T) {
	p := scannertest.NewPTY(t)
	go (&sicsSim{}).run(p, nil) // never answers
	sc := openScale(t, p, scale.ProtocolSICS, 300*time.Millisecond)
	_, err := sc.Read(ctxWait(t))
	if !errors.Is(err, scale.ErrNoAnswer) || !strings.Contains(err.Error(), p.Path()) {
		t.Fatalf("Read = %v, want ErrNoAnswer naming the port", err)
	}
	if _, err := sc.Weigh(ctxWait(t)); !errors.Is(err, scale.ErrNoAnswer) {
		t.Fatalf("Weigh = %v, want ErrNoAnswer", err)
	}
}

func TestSICSGarbageOnly(t *testing.T) {
	p := scannertest.NewPTY(t)
	go (&sicsSim{}).run(p, [][]string{{"\xff\xfe??\r\nzz\r\n"}})
	sc := openScale(t, p, scale.ProtocolSICS, 300*time.Millisecond)
	if _, err := sc.Read(ctxWait(t)); !errors.Is(err, scale.ErrFormat) {
		t.Fatalf("Read = %v, want ErrFormat (wrong protocol or baud)", err)
	}
}

func TestSICSUnplugged(t *testing.T) {
	p := scannertest.NewPTY(t)
	sc := openScale(t, p, scale.ProtocolSICS, 5*time.Second)
	p.Unplug()
	if _, err := sc.Read(ctxWait(t)); !errors.Is(err, serialport.ErrDisconnected) {
		t.Fatalf("Read = %v, want ErrDisconnected", err)
	}
}

// stream plays a continuous-output scale: it writes lines (chunks) until
// stop is closed.
func stream(p *scannertest.PTY, stop <-chan struct{}, lines func(i int) string) {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		l := lines(i)
		h := len(l) / 2
		if _, err := p.Write([]byte(l[:h])); err != nil {
			return
		}
		time.Sleep(2 * time.Millisecond)
		if _, err := p.Write([]byte(l[h:])); err != nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestContinuous(t *testing.T) {
	p := scannertest.NewPTY(t)
	stop := make(chan struct{})
	defer close(stop)
	var mu sync.Mutex
	phase := "unstable"
	go stream(p, stop, func(i int) string {
		mu.Lock()
		defer mu.Unlock()
		switch phase {
		case "unstable":
			if i%3 == 0 {
				return "@@garbage\r\n"
			}
			return "US,GS,+  0.812kg\r\n"
		case "kg":
			return "ST,GS,+  0.815kg\r\n"
		default:
			return "ST,NT,+  1.80lb\r\n"
		}
	})
	sc := openScale(t, p, scale.ProtocolContinuous, 5*time.Second)
	ctx := ctxWait(t)
	r, err := sc.Read(ctx)
	if err != nil || r.Stable || r.RoundedGrams() != 812 {
		t.Fatalf("Read = %+v, %v", r, err)
	}
	// Weigh keeps going through unstable lines and noise until stable.
	done := make(chan struct{})
	var wr scale.Reading
	var werr error
	go func() {
		defer close(done)
		wr, werr = sc.Weigh(ctx)
	}()
	time.Sleep(100 * time.Millisecond)
	mu.Lock()
	phase = "kg"
	mu.Unlock()
	<-done
	if werr != nil || !wr.Stable || wr.RoundedGrams() != 815 {
		t.Fatalf("Weigh = %+v, %v", wr, werr)
	}
	mu.Lock()
	phase = "lb"
	mu.Unlock()
	// The next stable reading after the unit change is in lb.
	deadline := time.Now().Add(wait)
	for {
		r, err := sc.Weigh(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if r.Unit == scale.Pound {
			if r.RoundedGrams() != 816 || !r.Net {
				t.Fatalf("lb reading %+v", r)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no lb reading")
		}
	}
}

func TestContinuousWeighGivesUpWithContext(t *testing.T) {
	p := scannertest.NewPTY(t)
	stop := make(chan struct{})
	defer close(stop)
	go stream(p, stop, func(int) string { return "US,GS,+  0.100kg\r\n" })
	sc := openScale(t, p, scale.ProtocolContinuous, 5*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := sc.Weigh(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "not stable") {
		t.Fatalf("Weigh = %v, want deadline with the reason", err)
	}
}

func TestContinuousSilence(t *testing.T) {
	p := scannertest.NewPTY(t)
	sc := openScale(t, p, scale.ProtocolContinuous, 300*time.Millisecond)
	if _, err := sc.Read(ctxWait(t)); !errors.Is(err, scale.ErrNoAnswer) {
		t.Fatalf("Read = %v, want ErrNoAnswer", err)
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  scale.Config
		want error // nil: any error
		hint string
	}{
		{"missing port", scale.Config{Port: serialport.Config{Path: "/dev/nonexistent-scale"}}, serialport.ErrNotFound, "not found"},
		{"bad protocol", scale.Config{Port: serialport.Config{Path: "/dev/null"}, Protocol: "smoke"}, nil, `scale: protocol "smoke"`},
		{"negative baud", scale.Config{Port: serialport.Config{Path: "/dev/null", Baud: -5}}, serialport.ErrBadConfig, "scale: serial: port settings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := scale.Open(tt.cfg)
			if err == nil {
				sc.Close()
				t.Fatal("Open succeeded")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Open = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.hint) {
				t.Errorf("message %q lacks %q", err, tt.hint)
			}
			if verr := tt.cfg.Validate(); (verr == nil) != (tt.want == serialport.ErrNotFound) {
				t.Errorf("Validate = %v: want an error exactly for bad settings", verr)
			}
		})
	}
}
