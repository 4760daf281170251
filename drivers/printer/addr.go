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

// Config is a parsed printer address.
type Config struct {
	Scheme string // tcp, file, serial, cups
	Target string // host:port, device path or CUPS queue
	Baud   int    // serial only
	Lang   Language
	Opts   Options
}

// ParseAddr parses an address in the AddrHelp syntax. Errors: a message
// naming the bad part and showing the syntax.
func ParseAddr(addr string) (Config, error) {
	bad := func(format string, a ...any) (Config, error) {
		return Config{}, fmt.Errorf("printer: address %q: %s; e.g. tcp://192.168.1.50:9100?lang=zpl", addr, fmt.Sprintf(format, a...))
	}
	u, err := url.Parse(addr)
	if err != nil {
		return bad("not a URL: %v", err)
	}
	c := Config{Scheme: strings.ToLower(u.Scheme)}
	q := u.Query()
	switch c.Scheme {
	case "tcp":
		host := u.Host
		if host == "" {
			return bad("no host")
		}
		if _, _, err := net.SplitHostPort(host); err != nil {
			host = net.JoinHostPort(strings.Trim(host, "[]"), "9100")
		}
		c.Target = host
		c.Opts.Confirm = true
	case "file":
		if u.Path == "" || u.Host != "" {
			return bad("want file:///path/to/device (three slashes)")
		}
		c.Target = u.Path
	case "serial":
		if u.Path == "" || u.Host != "" {
			return bad("want serial:///dev/ttyUSB0 (three slashes)")
		}
		c.Target = u.Path
		c.Baud = 9600
		if b := q.Get("baud"); b != "" {
			if c.Baud, err = strconv.Atoi(b); err != nil || c.Baud <= 0 {
				return bad("baud=%q is not a positive number", b)
			}
		}
		c.Opts.Confirm = true
	case "cups":
		c.Target = u.Host + u.Path
		if c.Target == "" || strings.Contains(c.Target, "/") {
			return bad("want cups://QUEUE with a queue name from lpstat -e")
		}
	case "":
		return bad("no scheme: start with tcp://, file://, serial:// or cups://")
	default:
		return bad("unknown scheme %q: use tcp, file, serial or cups", u.Scheme)
	}
	lang := q.Get("lang")
	if lang == "" {
		return bad("no language: add ?lang=zpl (Zebra) or ?lang=tspl (TSC, Xprinter, Gprinter, HPRT)")
	}
	if c.Lang, err = LanguageByName(lang); err != nil {
		return Config{}, err
	}
	if d := q.Get("dpmm"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n <= 0 || n > 48 {
			return bad("dpmm=%q: want dots per mm, 8 (203 dpi) or 12 (300 dpi)", d)
		}
		if t, ok := c.Lang.(TSPL); ok {
			t.DotsPerMM = n
			c.Lang = t
		}
	}
	for name, dst := range map[string]*time.Duration{
		"connect_timeout": &c.Opts.ConnectTimeout,
		"write_timeout":   &c.Opts.WriteTimeout,
		"status_timeout":  &c.Opts.StatusTimeout,
	} {
		if v := q.Get(name); v != "" {
			if *dst, err = time.ParseDuration(v); err != nil || *dst <= 0 {
				return bad("%s=%q: want a duration such as 2s or 500ms", name, v)
			}
		}
	}
	if v := q.Get("confirm"); v != "" {
		if c.Opts.Confirm, err = strconv.ParseBool(v); err != nil {
			return bad("confirm=%q: want true or false", v)
		}
	}
	for k := range q {
		switch k {
		case "lang", "baud", "dpmm", "connect_timeout", "write_timeout", "status_timeout", "confirm":
		default:
			return bad("unknown parameter %q", k)
		}
	}
	return c, nil
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
