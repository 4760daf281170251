package printer

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// AddrHelp documents the printer address syntax for CLIs and settings.
const AddrHelp = `Printer addresses (ADDR):
  tcp://HOST[:PORT]?lang=zpl            raw TCP, port 9100 by default
  file:///dev/usb/lp0?lang=tspl         USB printer device file
  serial:///dev/ttyUSB0?baud=9600&lang=tspl
                                        serial port (baud default 9600, 8N1)
  cups://QUEUE?lang=zpl                 CUPS queue in raw mode (lp -d QUEUE -o raw);
                                        no status: CUPS cannot ask the printer
Parameters: lang=zpl|tspl (required), connect_timeout=3s, write_timeout=30s,
  status_timeout=2s, confirm=true|false (ask status after each job to prove it
  arrived; default true for tcp and serial), dpmm=8 (tspl raster: dots per mm).`

// Limits on what an address may ask for.
const (
	MaxTimeout = 10 * time.Minute // connect, write and status timeouts
	MaxBaud    = 4_000_000
)

// Config is a parsed printer address.
type Config struct {
	Scheme string // tcp, file, serial, cups
	Target string // host:port, device path or CUPS queue
	Baud   int    // serial only
	Lang   Language
	Opts   Options
}

// ParseAddr parses an address in the AddrHelp syntax. Errors: *AddrError
// naming the bad part and showing the syntax; an unknown language.
func ParseAddr(addr string) (Config, error) {
	c, err := parseAddr(addr)
	if err == nil && c.Lang == nil {
		err = addrError(addr, "no language: add ?lang=zpl (Zebra) or ?lang=tspl (TSC, Xprinter, Gprinter, HPRT)")
	}
	if err != nil {
		return Config{}, err
	}
	return c, nil
}

// AddrError is an address that cannot be parsed: Error names the address,
// the bad part and shows the syntax.
type AddrError struct {
	Addr, Problem string
}

func (e *AddrError) Error() string {
	return fmt.Sprintf("printer: address %q: %s; e.g. tcp://192.168.1.50:9100?lang=zpl", e.Addr, e.Problem)
}

// addrError is a bad-address error naming the address and the bad part.
func addrError(addr, format string, a ...any) error {
	return &AddrError{Addr: addr, Problem: fmt.Sprintf(format, a...)}
}

// HasLang reports whether addr gives a language (?lang=); an address that
// is not a URL counts as having one, so ParseAddr reports what is wrong.
func HasLang(addr string) bool {
	u, err := url.Parse(addr)
	return err != nil || u.Query().Get("lang") != ""
}

// parseAddr parses addr; Lang stays nil when the address has no lang.
func parseAddr(addr string) (Config, error) {
	u, err := url.Parse(addr)
	if err != nil {
		return Config{}, addrError(addr, "not a URL: %v", err)
	}
	c := Config{Scheme: strings.ToLower(u.Scheme)}
	q := u.Query()
	if err := c.parseTarget(addr, u); err != nil {
		return Config{}, err
	}
	if err := c.parseLang(addr, q); err != nil {
		return Config{}, err
	}
	if err := c.parseOptions(addr, q); err != nil {
		return Config{}, err
	}
	for k := range q {
		switch k {
		case "lang", "baud", "dpmm", "connect_timeout", "write_timeout", "status_timeout", "confirm":
		default:
			return Config{}, addrError(addr, "unknown parameter %q", k)
		}
	}
	return c, nil
}

// parseTarget sets the transport's target (and baud) from the scheme.
func (c *Config) parseTarget(addr string, u *url.URL) error {
	switch c.Scheme {
	case "tcp":
		return c.parseTCP(addr, u.Host)
	case "file":
		if u.Path == "" || u.Host != "" {
			return addrError(addr, "want file:///path/to/device (three slashes)")
		}
		c.Target = u.Path
	case "serial":
		if u.Path == "" || u.Host != "" {
			return addrError(addr, "want serial:///dev/ttyUSB0 (three slashes)")
		}
		c.Target = u.Path
		c.Baud = 9600
		if b := u.Query().Get("baud"); b != "" {
			var err error
			if c.Baud, err = strconv.Atoi(b); err != nil || c.Baud <= 0 || c.Baud > MaxBaud {
				return addrError(addr, "baud=%q: want a rate from 1 to %d (MaxBaud), usually 9600 or 115200", b, MaxBaud)
			}
		}
		c.Opts.Confirm = true
	case "cups":
		c.Target = u.Host + u.Path
		if c.Target == "" || strings.Contains(c.Target, "/") {
			return addrError(addr, "want cups://QUEUE with a queue name from lpstat -e")
		}
	case "":
		return addrError(addr, "no scheme: start with tcp://, file://, serial:// or cups://")
	default:
		return addrError(addr, "unknown scheme %q: use tcp, file, serial or cups", u.Scheme)
	}
	return nil
}

// parseTCP sets host:port, port 9100 when none is given; a port outside
// 1-65535 is refused here rather than failing to connect later.
func (c *Config) parseTCP(addr, host string) error {
	if host == "" {
		return addrError(addr, "no host")
	}
	h, port, err := net.SplitHostPort(host)
	if err != nil {
		h, port = strings.Trim(host, "[]"), "9100"
	}
	if h == "" {
		return addrError(addr, "no host")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return addrError(addr, "port %q is not a valid port: want 1-65535 (raw printing is usually 9100)", port)
	}
	c.Target = net.JoinHostPort(h, port)
	c.Opts.Confirm = true
	return nil
}

// parseLang sets the language (nil when there is no lang) and its dpmm.
func (c *Config) parseLang(addr string, q url.Values) error {
	lang := q.Get("lang")
	if lang == "" {
		return nil
	}
	var err error
	if c.Lang, err = LanguageByName(lang); err != nil {
		return err
	}
	if d := q.Get("dpmm"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n <= 0 || n > 48 {
			return addrError(addr, "dpmm=%q: want dots per mm, 8 (203 dpi) or 12 (300 dpi)", d)
		}
		if t, ok := c.Lang.(TSPL); ok {
			t.DotsPerMM = n
			c.Lang = t
		}
	}
	return nil
}

// parseOptions sets the timeouts and confirm.
func (c *Config) parseOptions(addr string, q url.Values) error {
	for name, dst := range map[string]*time.Duration{
		"connect_timeout": &c.Opts.ConnectTimeout,
		"write_timeout":   &c.Opts.WriteTimeout,
		"status_timeout":  &c.Opts.StatusTimeout,
	} {
		if v := q.Get(name); v != "" {
			var err error
			if *dst, err = time.ParseDuration(v); err != nil || *dst <= 0 {
				return addrError(addr, "%s=%q: want a duration such as 2s or 500ms", name, v)
			}
			if *dst > MaxTimeout {
				return addrError(addr, "%s=%s is longer than the limit of %v (MaxTimeout): a printer that has not answered by then will not", name, v, MaxTimeout)
			}
		}
	}
	if v := q.Get("confirm"); v != "" {
		var err error
		if c.Opts.Confirm, err = strconv.ParseBool(v); err != nil {
			return addrError(addr, "confirm=%q: want true or false", v)
		}
	}
	return nil
}

// Transport returns the transport the address names.
func (c Config) Transport() Transport {
	switch c.Scheme {
	case "tcp":
		return TCP{Addr: c.Target}
	case "file":
		return File{Path: c.Target}
	case "serial":
		return Serial{Path: c.Target, Baud: c.Baud}
	default:
		return CUPS{Queue: c.Target}
	}
}

// Open parses addr and returns the Device it names. Nothing is opened
// until the first Send or Status. Errors: those of ParseAddr.
func Open(addr string) (*Device, error) {
	c, err := ParseAddr(addr)
	if err != nil {
		return nil, err
	}
	return New(c.Transport(), c.Lang, c.Opts), nil
}
