// Package faultproxy is a TCP proxy on loopback that injects network
// faults between a client and a server, switchable while it runs: added
// latency, connections closed or reset, a black hole that swallows
// everything, and responses cut off after the request went through (the
// "lost response" that makes a retry necessary). For tests and benchmarks.
package faultproxy

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"time"
)

// Mode is what the proxy does with the bytes it carries.
type Mode int

// Modes.
const (
	// Pass forwards bytes both ways (after the delay set with SetDelay).
	Pass Mode = iota
	// Drop closes every connection (FIN): the client sees its connection
	// end, like a server that went away.
	Drop
	// Reset closes every connection with a TCP reset (RST).
	Reset
	// BlackHole accepts connections and reads what the client sends but
	// never forwards or answers, and never closes: the client waits
	// until its own deadline.
	BlackHole
	// CutResponses forwards requests to the server but closes the
	// connection as soon as the server answers, before a byte of the
	// answer reaches the client: the request took effect, its response
	// is lost.
	CutResponses
)

func (m Mode) String() string {
	switch m {
	case Pass:
		return "pass"
	case Drop:
		return "drop"
	case Reset:
		return "reset"
	case BlackHole:
		return "black-hole"
	case CutResponses:
		return "cut-responses"
	}
	return fmt.Sprintf("mode(%d)", int(m))
}

// Stats counts what the proxy did since it started.
type Stats struct {
	Accepted int // connections accepted
	Faulted  int // connections closed, reset or cut by a fault
	Up, Down int // bytes forwarded client → server, server → client
	Open     int // connections open now (proxied to the server)
}

// Proxy is a running fault proxy. Its methods are safe for concurrent use.
type Proxy struct {
	ln     net.Listener
	target string

	mu       sync.Mutex
	mode     Mode
	delay    time.Duration
	dropRate float64 // chance a new connection is reset at once
	rng      *rand.Rand
	conns    map[*link]struct{}
	stats    Stats
	closed   bool
	wg       sync.WaitGroup
}

// New starts a proxy listening on a free loopback port that forwards to
// target (host:port), in mode Pass with no delay. Errors: the listen error.
func New(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("faultproxy: listen on loopback: %w", err)
	}
	p := &Proxy{ln: ln, target: target, conns: map[*link]struct{}{},
		rng: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the proxy's address (127.0.0.1:port): point the client here.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// SetMode switches the mode. Drop and Reset also end the connections open
// now; BlackHole and CutResponses take effect on their next bytes.
func (p *Proxy) SetMode(m Mode) {
	p.mu.Lock()
	p.mode = m
	var cut []*link
	if m == Drop || m == Reset {
		for l := range p.conns {
			cut = append(cut, l)
		}
	}
	p.mu.Unlock()
	for _, l := range cut {
		p.fault(l, m == Reset)
	}
}

// Mode returns the current mode.
func (p *Proxy) Mode() Mode {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mode
}

// SetDelay sets the one-way latency added to every chunk in each direction
// (a request/response round trip gains twice d). Chunks keep their order;
// the delay does not limit bandwidth.
func (p *Proxy) SetDelay(d time.Duration) {
	p.mu.Lock()
	p.delay = d
	p.mu.Unlock()
}

// SetDropRate makes each new connection be reset at once with probability
// rate (0 to 1), in any mode: a lossy link.
func (p *Proxy) SetDropRate(rate float64) {
	p.mu.Lock()
	p.dropRate = rate
	p.mu.Unlock()
}

// Stats returns the counters.
func (p *Proxy) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.stats
	st.Open = len(p.conns)
	return st
}

// Close stops listening, closes every connection and waits for the
// proxy's goroutines. Errors: none (the listener's close error is ignored).
func (p *Proxy) Close() error {
	p.mu.Lock()
	p.closed = true
	var all []*link
	for l := range p.conns {
		all = append(all, l)
	}
	p.mu.Unlock()
	_ = p.ln.Close()
	for _, l := range all {
		l.close(false)
	}
	p.wg.Wait()
	return nil
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return // closed
		}
		p.mu.Lock()
		p.stats.Accepted++
		mode, closed := p.mode, p.closed
		drop := p.dropRate > 0 && p.rng.Float64() < p.dropRate
		if drop || mode == Drop || mode == Reset {
			p.stats.Faulted++
		}
		p.mu.Unlock()
		switch {
		case closed:
			_ = c.Close()
			continue
		case drop || mode == Reset:
			resetConn(c)
			continue
		case mode == Drop:
			_ = c.Close()
			continue
		}
		p.wg.Add(1)
		go p.serve(c)
	}
}

// link is one proxied connection.
type link struct {
	client, server net.Conn
	once           sync.Once
}

func (l *link) close(reset bool) {
	l.once.Do(func() {
		if reset {
			resetConn(l.client)
		} else {
			_ = l.client.Close()
		}
		if l.server != nil {
			_ = l.server.Close()
		}
	})
}

func resetConn(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.Close()
}

func (p *Proxy) fault(l *link, reset bool) {
	p.mu.Lock()
	p.stats.Faulted++
	p.mu.Unlock()
	l.close(reset)
}

func (p *Proxy) serve(c net.Conn) {
	defer p.wg.Done()
	l := &link{client: c}
	s, err := net.DialTimeout("tcp", p.target, 5*time.Second)
	if err != nil { // the server is down: the client sees its connection end
		_ = c.Close()
		return
	}
	l.server = s
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		l.close(false)
		return
	}
	p.conns[l] = struct{}{}
	p.mu.Unlock()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); p.pump(l, c, s, true) }()
	go func() { defer wg.Done(); p.pump(l, s, c, false) }()
	wg.Wait()
	l.close(false)
	p.mu.Lock()
	delete(p.conns, l)
	p.mu.Unlock()
}

type chunk struct {
	data []byte
	at   time.Time // when to deliver
}

// pump reads from src and delivers to dst through a queue, so that a delay
// adds latency without serialising chunks. up is client → server.
func (p *Proxy) pump(l *link, src, dst net.Conn, up bool) {
	q := make(chan chunk, 1024)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ch := range q {
			if d := time.Until(ch.at); d > 0 {
				time.Sleep(d)
			}
			if _, err := dst.Write(ch.data); err != nil {
				l.close(false)
				for range q { // drain so the reader never blocks
				}
				return
			}
			p.mu.Lock()
			if up {
				p.stats.Up += len(ch.data)
			} else {
				p.stats.Down += len(ch.data)
			}
			p.mu.Unlock()
		}
	}()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.mu.Lock()
			mode, delay := p.mode, p.delay
			p.mu.Unlock()
			switch {
			case mode == Drop || mode == Reset:
				p.fault(l, mode == Reset)
			case mode == BlackHole:
				// swallowed
			case mode == CutResponses && !up:
				p.fault(l, false)
			default:
				q <- chunk{data: append([]byte(nil), buf[:n]...), at: time.Now().Add(delay)}
			}
		}
		if err != nil {
			break
		}
	}
	close(q)
	<-done
	// Half-close so the other side sees EOF after the queued bytes; a
	// closed link makes this a no-op.
	if tc, ok := dst.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
}

var _ io.Closer = (*Proxy)(nil)
