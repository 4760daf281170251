package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestScanInspect(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		code     int
		kind     string
		gtin     string
		carrier  string
		ais      map[string]string
		errSub   string // in the JSON error field
		stderrIn string // for usage errors
		raw      bool   // args follow "scan" directly, without "inspect"
	}{
		{name: "EAN-13", args: []string{"4006381333931"}, code: 0, kind: "gtin", gtin: "04006381333931"},
		{name: "GS1-128 via hex with GS and CRLF", args: []string{"--hex", "5d43313031303935303131303135333030303331373236313233313130414243311d3231585a0d0a"}, code: 0, kind: "gs1", gtin: "09501101530003",
			ais: map[string]string{"01": "09501101530003", "17": "261231", "10": "ABC1", "21": "XZ"}},
		{name: "hex with spaces", args: []string{"--hex", "31 5a 39 39 39 41 41 31 30 31 32 33 34 35 36 37 38 34"}, code: 0, kind: "tracking", carrier: "UPS"},
		{name: "UPS", args: []string{"1Z999AA10123456784"}, code: 0, kind: "tracking", carrier: "UPS"},
		{name: "bad GS1 check digit", args: []string{"]C10109501101530004"}, code: 1, kind: "gs1", errSub: "check digit"},
		{name: "control character", args: []string{"--hex", "41420742"}, code: 1, kind: "text", errSub: "0x07 (BEL) at position 3"},
		{name: "seller SKU", args: []string{"SKU-RED-42"}, code: 0, kind: "text"},
		{name: "no subcommand", raw: true, code: 2, stderrIn: "inspect"},
		{name: "unknown subcommand", raw: true, args: []string{"decode", "x"}, code: 2, stderrIn: "unknown subcommand"},
		{name: "no data", args: []string{}, code: 2, stderrIn: "exactly one DATA"},
		{name: "two data", args: []string{"a", "b"}, code: 2, stderrIn: "exactly one DATA"},
		{name: "bad hex", args: []string{"--hex", "zz"}, code: 2, stderrIn: "not hex"},
		{name: "unknown flag", args: []string{"--bin", "x"}, code: 2, stderrIn: "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"scan"}
			if !tt.raw {
				args = append(args, "inspect")
			}
			args = append(args, tt.args...)
			var out, errb bytes.Buffer
			code := run(context.Background(), args, &out, &errb)
			if code != tt.code {
				t.Fatalf("exit code = %d, want %d; stdout %q stderr %q", code, tt.code, out.String(), errb.String())
			}
			if tt.code == 2 {
				if out.Len() != 0 {
					t.Errorf("usage error printed to stdout: %q", out.String())
				}
				if !strings.Contains(errb.String(), tt.stderrIn) {
					t.Errorf("stderr %q does not contain %q", errb.String(), tt.stderrIn)
				}
				return
			}
			if strings.Count(out.String(), "\n") != 1 {
				t.Errorf("want exactly one JSON line, got %q", out.String())
			}
			var got struct {
				Kind    string            `json:"kind"`
				GTIN    string            `json:"gtin"`
				AIs     map[string]string `json:"ais"`
				Carrier string            `json:"carrier"`
				Valid   *bool             `json:"valid"`
				Error   *string           `json:"error"`
			}
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("stdout is not JSON: %v: %q", err, out.String())
			}
			if got.Valid == nil {
				t.Fatalf("JSON has no valid field: %s", out.String())
			}
			if *got.Valid != (tt.code == 0) {
				t.Errorf("valid = %v with exit code %d", *got.Valid, code)
			}
			if got.Kind != tt.kind || got.GTIN != tt.gtin || got.Carrier != tt.carrier {
				t.Errorf("kind/gtin/carrier = %q/%q/%q, want %q/%q/%q", got.Kind, got.GTIN, got.Carrier, tt.kind, tt.gtin, tt.carrier)
			}
			if tt.ais != nil {
				if len(got.AIs) != len(tt.ais) {
					t.Errorf("ais = %v, want %v", got.AIs, tt.ais)
				}
				for k, v := range tt.ais {
					if got.AIs[k] != v {
						t.Errorf("ais[%s] = %q, want %q", k, got.AIs[k], v)
					}
				}
			}
			switch {
			case tt.errSub == "" && got.Error != nil:
				t.Errorf("unexpected error field %q", *got.Error)
			case tt.errSub != "" && (got.Error == nil || !strings.Contains(*got.Error, tt.errSub)):
				t.Errorf("error field = %v, want it to contain %q", got.Error, tt.errSub)
			}
		})
	}
}

func TestScanInspectHexKeepsRawBytes(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"scan", "inspect", "--hex", "ff41"}, &out, &errb); code != 1 {
		t.Fatalf("exit code = %d, want 1 for invalid UTF-8; stdout %q", code, out.String())
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got["raw_hex"] != "ff41" {
		t.Errorf("raw_hex = %v, want ff41", got["raw_hex"])
	}
	if e, _ := got["error"].(string); !strings.Contains(e, "UTF-8") {
		t.Errorf("error = %q, want it to mention UTF-8", e)
	}
}
