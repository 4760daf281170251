// Package scale reads serial scales: Mettler Toledo MT-SICS (the S and SI
// commands) and continuous-output scales ("ST,GS,+  1.234kg"). Weights are
// converted to grams; Weigh returns only stable readings.
package scale

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Unit is a weight unit a scale reports in.
type Unit string

// Supported units.
const (
	Gram     Unit = "g"
	Kilogram Unit = "kg"
	Pound    Unit = "lb"
	Ounce    Unit = "oz"
)

// gramsPer is the exact size of each unit in grams.
var gramsPer = map[Unit]float64{Gram: 1, Kilogram: 1000, Pound: 453.59237, Ounce: 28.349523125}

// Reading is one weight from the scale.
type Reading struct {
	// Grams is the weight in grams as a float (an lb or oz reading is not a
	// whole number of grams). Use RoundedGrams for the engine's int grams.
	Grams  float64   `json:"grams"`
	Value  string    `json:"value"` // the number as the scale sent it, sign included
	Unit   Unit      `json:"unit"`
	Stable bool      `json:"stable"`
	Net    bool      `json:"net"` // net (tare applied) rather than gross; continuous formats only
	Raw    string    `json:"raw"` // the line, for diagnostics
	At     time.Time `json:"at"`
}

// RoundedGrams returns the weight rounded to the nearest whole gram.
func (r Reading) RoundedGrams() int { return int(math.Round(r.Grams)) }

// Errors the parsers and scales return, wrapped with details; match them
// with errors.Is.
var (
	ErrOverload  = errors.New("scale: overload: take weight off the scale")
	ErrUnderload = errors.New("scale: underload: the pan is lifted or missing, or the scale needs zeroing")
	ErrBusy      = errors.New("scale: the scale cannot give a weight now (it may be busy or taring): wait and try again")
	ErrCommand   = errors.New("scale: the scale rejected the command: check that it is in MT-SICS mode")
	ErrFormat    = errors.New("scale: line not understood: check the scale's protocol setting (MT-SICS or continuous) and the baud rate")
	ErrNoAnswer  = errors.New("scale: no answer: check the cable, the baud rate and that the scale is switched on")
	ErrUnit      = errors.New("scale: unit not supported: set the scale to g, kg, lb or oz")
)

func formatErr(line, why string) error {
	return fmt.Errorf("%w (%s: %q)", ErrFormat, why, clip(line))
}

func clip(s string) string {
	if len(s) > 48 {
		return s[:48] + "..."
	}
	return s
}

// ParseSICS parses one MT-SICS reply line to S or SI (line ending optional):
// "S S      1.234 kg" (stable), "S D      1.230 kg" (dynamic: a Reading with
// Stable false), and the replies without a weight: "S I" → ErrBusy, "S +" →
// ErrOverload, "S -" → ErrUnderload, "ES"/"ET"/"EL" → ErrCommand. Anything
// else is ErrFormat; an unknown unit is ErrUnit.
func ParseSICS(line string) (Reading, error) {
	raw := strings.TrimRight(line, "\r\n")
	f := strings.Fields(raw)
	if len(f) == 1 {
		switch f[0] {
		case "ES", "ET", "EL":
			return Reading{}, fmt.Errorf("%w (reply %s)", ErrCommand, f[0])
		}
	}
	if len(f) < 2 || (f[0] != "S" && f[0] != "SI") {
		return Reading{}, formatErr(raw, "not an S reply")
	}
	switch f[1] {
	case "I":
		return Reading{}, ErrBusy
	case "+":
		return Reading{}, ErrOverload
	case "-":
		return Reading{}, ErrUnderload
	case "S", "D":
	default:
		return Reading{}, formatErr(raw, "status "+f[1])
	}
	if len(f) != 4 {
		return Reading{}, formatErr(raw, "want status, weight and unit")
	}
	r, err := reading(f[2], f[3], raw)
	if err != nil {
		return Reading{}, err
	}
	r.Stable = f[1] == "S"
	return r, nil
}

// ParseContinuous parses one line of the common continuous-output format:
// "ST,GS,+  1.234kg" — ST stable or US unstable, then GS gross or NT net,
// then the signed weight and unit (spaces anywhere). "OL,..." is
// ErrOverload. Anything else is ErrFormat; an unknown unit ErrUnit.
func ParseContinuous(line string) (Reading, error) {
	raw := strings.TrimRight(line, "\r\n")
	parts := strings.Split(raw, ",")
	if len(parts) != 3 {
		return Reading{}, formatErr(raw, "want 3 comma-separated fields")
	}
	status, kind := strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])
	if status == "OL" {
		return Reading{}, ErrOverload
	}
	if status != "ST" && status != "US" {
		return Reading{}, formatErr(raw, "status "+status)
	}
	if kind != "GS" && kind != "NT" && kind != "TR" {
		return Reading{}, formatErr(raw, "weight kind "+kind)
	}
	w := strings.ReplaceAll(parts[2], " ", "")
	i := strings.IndexFunc(w, func(r rune) bool { return (r < '0' || r > '9') && r != '.' && r != '+' && r != '-' })
	if i <= 0 {
		return Reading{}, formatErr(raw, "want a weight followed by a unit")
	}
	r, err := reading(w[:i], w[i:], raw)
	if err != nil {
		return Reading{}, err
	}
	r.Stable = status == "ST"
	r.Net = kind == "NT"
	return r, nil
}

// ParseLine parses a line in either format.
func ParseLine(line string) (Reading, error) {
	if strings.Contains(line, ",") {
		return ParseContinuous(line)
	}
	return ParseSICS(line)
}

func reading(value, unit, raw string) (Reading, error) {
	u := Unit(strings.ToLower(unit))
	per, ok := gramsPer[u]
	if !ok {
		return Reading{}, fmt.Errorf("%w (unit %q in %q)", ErrUnit, clip(unit), clip(raw))
	}
	v := strings.TrimPrefix(value, "+")
	digits := strings.TrimPrefix(v, "-")
	if strings.Trim(digits, "0123456789.") != "" || strings.Trim(digits, ".") == "" {
		return Reading{}, formatErr(raw, "weight "+value)
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(n, 0) || math.IsNaN(n) || math.Abs(n) > 1e9 {
		return Reading{}, formatErr(raw, "weight "+value)
	}
	return Reading{Grams: n * per, Value: value, Unit: u, Raw: raw}, nil
}
