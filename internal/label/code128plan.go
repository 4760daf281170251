package label

import "strings"

// tok128 is one step of a Code 128 symbol as printers' manual modes take it.
type tok128 struct {
	kind byte   // 'S' start, 'W' switch subset, 'F' FNC1, 'D' data
	set  byte   // 'B' or 'C' for S and W
	data string // characters (B) or digit pairs (C)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// plan128 chooses Code 128 subsets B and C for data (printable ASCII; with
// gs1, GS means FNC1 and a leading FNC1 is added). Runs of 4 or more digits
// (or a trailing even run of 2+) go in subset C.
func plan128(data string, gs1 bool) []tok128 {
	var out []tok128
	cur := byte(0)
	emit := func(set byte) {
		if cur == set {
			return
		}
		if cur == 0 {
			out = append(out, tok128{kind: 'S', set: set})
			if gs1 {
				out = append(out, tok128{kind: 'F'})
			}
		} else {
			out = append(out, tok128{kind: 'W', set: set})
		}
		cur = set
	}
	add := func(s string) {
		if n := len(out); n > 0 && out[n-1].kind == 'D' {
			out[n-1].data += s
		} else {
			out = append(out, tok128{kind: 'D', data: s})
		}
	}
	for i := 0; i < len(data); {
		if gs1 && data[i] == 0x1d {
			if cur == 0 {
				emit('B')
			}
			out = append(out, tok128{kind: 'F'})
			i++
			continue
		}
		n := 0
		for i+n < len(data) && isDigit(data[i+n]) {
			n++
		}
		useC := n >= 4 || (n >= 2 && cur == 'C') || (n >= 2 && n%2 == 0 && i+n == len(data))
		if useC {
			emit('C')
			pairs := n / 2 * 2
			add(data[i : i+pairs])
			i += pairs
			continue
		}
		emit('B')
		add(data[i : i+1])
		i++
	}
	if cur == 0 { // empty GS1 tail cannot happen; keep a valid symbol
		emit('B')
	}
	return out
}

// notation128 is how one printer language spells a plan in its manual
// Code 128 mode: the start and switch codes per subset, FNC1, and the
// escaping of data characters the notation itself uses.
type notation128 struct {
	startB, startC, toB, toC, fnc1 string
	escape                         func(string) string
}

var (
	// zplNotation is ZPL ^BC's invocation codes (mode N); ">" is doubled.
	zplNotation = notation128{startB: ">:", startC: ">;", toB: ">6", toC: ">5", fnc1: ">8",
		escape: func(d string) string { return strings.ReplaceAll(d, ">", "><") }}
	// tsplNotation is TSPL's "128M" codes; callers leave out data with "!".
	tsplNotation = notation128{startB: "!104", startC: "!105", toB: "!100", toC: "!099", fnc1: "!102",
		escape: func(d string) string { return d }}
)

// write returns the plan p in notation n.
func (n notation128) write(p []tok128) string {
	var s strings.Builder
	for _, t := range p {
		switch t.kind {
		case 'S':
			if t.set == 'C' {
				s.WriteString(n.startC)
			} else {
				s.WriteString(n.startB)
			}
		case 'W':
			if t.set == 'C' {
				s.WriteString(n.toC)
			} else {
				s.WriteString(n.toB)
			}
		case 'F':
			s.WriteString(n.fnc1)
		case 'D':
			s.WriteString(n.escape(t.data))
		}
	}
	return s.String()
}
