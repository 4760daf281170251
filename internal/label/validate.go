package label

import (
	"bytes"
	"fmt"
	"strconv"
)

// ValidateZPL checks a ZPL document's structure: one or more labels, each
// ^XA … ^XZ; every field opened with ^FO (or ^FT) closed with ^FS before
// the next field or the label's end; ^FD only inside a field; ^GFA byte
// counts consistent. It returns the first problem found, with its offset.
func ValidateZPL(doc []byte) error {
	inLabel, inField := false, false
	labels := 0
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if c != '^' && c != '~' {
			if !inLabel && c != '\r' && c != '\n' && c != ' ' && c != '\t' {
				return fmt.Errorf("label: ZPL has data %q outside ^XA…^XZ at byte %d", c, i)
			}
			continue
		}
		if i+3 > len(doc) {
			return fmt.Errorf("label: ZPL ends inside a command at byte %d", i)
		}
		cmd := string(doc[i : i+3])
		next := i + 2 // skip the command name; parameters follow as data
		switch cmd {
		case "^XA":
			if inLabel {
				return fmt.Errorf("label: ZPL ^XA at byte %d inside a label (missing ^XZ)", i)
			}
			inLabel = true
		case "^XZ":
			if !inLabel {
				return fmt.Errorf("label: ZPL ^XZ at byte %d without ^XA", i)
			}
			if inField {
				return fmt.Errorf("label: ZPL field not closed with ^FS before ^XZ at byte %d", i)
			}
			inLabel = false
			labels++
		case "^FO", "^FT":
			if !inLabel {
				return fmt.Errorf("label: ZPL field at byte %d outside ^XA…^XZ", i)
			}
			if inField {
				return fmt.Errorf("label: ZPL field opened at byte %d before the previous one was closed with ^FS", i)
			}
			inField = true
		case "^FS":
			inField = false
		case "^FD", "^FV":
			if !inField {
				return fmt.Errorf("label: ZPL %s at byte %d outside a ^FO…^FS field", cmd, i)
			}
			// field data runs to the next ^ (ZPL's rule)
			j := bytes.IndexByte(doc[i+3:], '^')
			if j < 0 {
				return fmt.Errorf("label: ZPL field data at byte %d never ends (no ^FS)", i)
			}
			next = i + 2 + j
		case "^GF":
			if !inField {
				return fmt.Errorf("label: ZPL ^GF at byte %d outside a ^FO…^FS field", i)
			}
			j := bytes.IndexByte(doc[i+3:], '^')
			if j < 0 {
				return fmt.Errorf("label: ZPL ^GF at byte %d never ends (no ^FS)", i)
			}
			if _, err := DecodeZPLGraphic(doc[i : i+3+j]); err != nil {
				return fmt.Errorf("label: ZPL ^GF at byte %d: %w", i, err)
			}
			next = i + 2 + j
		case "^FX": // comment runs to the next ^
			if j := bytes.IndexByte(doc[i+3:], '^'); j >= 0 {
				next = i + 2 + j
			}
		}
		i = next
	}
	if inLabel {
		return fmt.Errorf("label: ZPL label not closed with ^XZ")
	}
	if labels == 0 {
		return fmt.Errorf("label: ZPL has no ^XA…^XZ label")
	}
	return nil
}

// ValidateTSPL checks a TSPL job's structure: CR LF (or LF) terminated
// commands, SIZE and CLS before drawing, BITMAP data lengths matching their
// headers, and the job ends with PRINT. It returns the first problem found.
func ValidateTSPL(doc []byte) error {
	sawSize, sawCLS, lastPrint := false, false, false
	line := 0
	for len(doc) > 0 {
		line++
		if bytes.HasPrefix(doc, []byte("BITMAP ")) {
			if !sawCLS {
				return fmt.Errorf("label: TSPL BITMAP on command %d before CLS", line)
			}
			// header: 5 numbers and a comma each, then binary data
			rest, n := doc[len("BITMAP "):], [5]int{}
			for k := 0; k < 5; k++ {
				j := bytes.IndexByte(rest, ',')
				if j < 0 || j > 8 {
					return fmt.Errorf("label: TSPL BITMAP header on command %d is malformed", line)
				}
				v, err := strconv.Atoi(string(rest[:j]))
				if err != nil || v < 0 {
					return fmt.Errorf("label: TSPL BITMAP parameter %d on command %d is %q", k+1, line, rest[:j])
				}
				n[k], rest = v, rest[j+1:]
			}
			size := n[2] * n[3]
			if len(rest) < size {
				return fmt.Errorf("label: TSPL BITMAP on command %d declares %d bytes but %d follow", line, size, len(rest))
			}
			rest = rest[size:]
			rest, _ = bytes.CutPrefix(rest, []byte("\r"))
			if !bytes.HasPrefix(rest, []byte("\n")) && len(rest) > 0 {
				return fmt.Errorf("label: TSPL BITMAP on command %d is not followed by a line end", line)
			}
			doc = bytes.TrimPrefix(rest, []byte("\n"))
			lastPrint = false
			continue
		}
		j := bytes.IndexByte(doc, '\n')
		if j < 0 {
			return fmt.Errorf("label: TSPL command %d %.20q is not terminated by CR LF", line, doc)
		}
		cmd := bytes.TrimRight(doc[:j], "\r")
		doc = doc[j+1:]
		name, _, _ := bytes.Cut(cmd, []byte(" "))
		lastPrint = false
		switch string(name) {
		case "SIZE":
			sawSize = true
		case "CLS":
			if !sawSize {
				return fmt.Errorf("label: TSPL CLS on command %d before SIZE", line)
			}
			sawCLS = true
		case "GAP", "DIRECTION", "REFERENCE", "CODEPAGE", "DENSITY", "SPEED", "OFFSET", "SET":
		case "TEXT", "BARCODE", "QRCODE", "DMATRIX", "BAR", "BOX":
			if !sawCLS {
				return fmt.Errorf("label: TSPL %s on command %d before CLS", name, line)
			}
			if bytes.Count(bytes.ReplaceAll(cmd, []byte(`\["]`), nil), []byte(`"`))%2 != 0 {
				return fmt.Errorf("label: TSPL %s on command %d has an unbalanced quote", name, line)
			}
		case "PRINT":
			lastPrint = true
		case "":
			return fmt.Errorf("label: TSPL command %d is empty", line)
		default:
			return fmt.Errorf("label: TSPL command %d %q is not one Packdesk writes", line, name)
		}
	}
	if !lastPrint {
		return fmt.Errorf("label: TSPL job does not end with PRINT")
	}
	return nil
}
