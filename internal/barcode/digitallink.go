package barcode

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrNotDigitalLink is returned by ParseDigitalLink for a URI that holds no
// GS1 primary key; Parse takes such a URI as text.
var ErrNotDigitalLink = errors.New("barcode: not a GS1 Digital Link URI (no GS1 primary key such as /01/ in its path)")

// dlPrimary are the AIs that may start a Digital Link path.
var dlPrimary = map[string]bool{
	"00": true, "01": true, "253": true, "255": true, "401": true, "402": true,
	"414": true, "417": true, "8003": true, "8004": true, "8006": true,
	"8010": true, "8013": true, "8017": true, "8018": true,
}

// dlAlias maps the convenience names of early Digital Link URIs to AIs.
var dlAlias = map[string]string{
	"gtin": "01", "sscc": "00", "gln": "414", "cpv": "22", "lot": "10",
	"ser": "21", "exp": "17", "bestbefore": "15", "bbd": "15",
}

func dlKey(seg string) string {
	if a, ok := dlAlias[strings.ToLower(seg)]; ok {
		return a
	}
	return seg
}

// ParseDigitalLink parses a GS1 Digital Link URI such as
// "https://id.example.com/01/09501101530003/10/AB-123?17=261231" and returns
// its AIs, each checked as in ParseGS1. The path may have any prefix before
// the primary key; a GTIN given with 8, 12 or 13 digits is padded to 14.
// Query parameters that are not AIs (linkType, …) are ignored. It returns
// ErrNotDigitalLink when the URI holds no GS1
// primary key, and an error naming the AI for any bad value.
func ParseDigitalLink(uri string) (map[string]string, error) {
	u, err := url.Parse(uri)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, ErrNotDigitalLink
	}
	raw := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	segs := make([]string, len(raw))
	for i, r := range raw {
		s, err := url.PathUnescape(r)
		if err != nil {
			return nil, fmt.Errorf("barcode: digital link path segment %q is badly percent-encoded; rescan the code", r)
		}
		segs[i] = s
	}
	start := -1
	for i := 0; i+1 < len(segs); i++ {
		if dlPrimary[dlKey(segs[i])] {
			start = i
			break
		}
	}
	if start < 0 {
		return nil, ErrNotDigitalLink
	}
	m := map[string]string{}
	rest := segs[start:]
	if len(rest)%2 != 0 {
		return nil, fmt.Errorf("barcode: digital link path %q must alternate AI and value; the last AI %q has no value", u.Path, rest[len(rest)-1])
	}
	add := func(ai, v string) error {
		d, ok := aiTable[ai]
		if !ok {
			return fmt.Errorf("barcode: digital link uses unknown GS1 application identifier %q", ai)
		}
		if ai == "01" || ai == "02" {
			if n := len(v); (n == 8 || n == 12 || n == 13) && allDigits(v) {
				v = strings.Repeat("0", 14-n) + v
			}
		}
		if err := checkAI(ai, d, v); err != nil {
			return err
		}
		return addAI(m, ai, v)
	}
	for i := 0; i < len(rest); i += 2 {
		if err := add(dlKey(rest[i]), rest[i+1]); err != nil {
			return nil, err
		}
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, fmt.Errorf("barcode: digital link query %q is malformed; rescan the code", u.RawQuery)
	}
	for k, vs := range q {
		ai := dlKey(k)
		if _, ok := aiTable[ai]; !ok || !allDigits(ai) {
			continue
		}
		for _, v := range vs {
			if err := add(ai, v); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}
