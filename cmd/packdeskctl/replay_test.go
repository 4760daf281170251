package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/pack"
)

var updateReplay = flag.Bool("update-replay", false, "rewrite testdata/replay/expected.jsonl")

const replayDir = "../../testdata/replay"

func TestReplayExample(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"replay",
		"--skus", filepath.Join(replayDir, "skus.csv"),
		"--orders", filepath.Join(replayDir, "orders.txt"),
		filepath.Join(replayDir, "script.jsonl")}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d, stderr %s", code, errb.String())
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out.Bytes()))
	for sc.Scan() {
		var row map[string]any
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("output line %q is not JSON: %v", sc.Text(), err)
		}
		for _, k := range []string{"line", "scan", "verdict", "order", "sku", "remaining"} {
			if _, ok := row[k]; !ok {
				t.Errorf("output line %s lacks %q", sc.Text(), k)
			}
		}
		seen[row["verdict"].(string)] = true
	}
	for _, v := range pack.Verdicts {
		if !seen[string(v)] {
			t.Errorf("the example script never produces %s", v)
		}
	}
	golden := filepath.Join(replayDir, "expected.jsonl")
	if *updateReplay {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/packdeskctl -run Replay -update-replay to create it)", err)
	}
	if got := out.String(); got != string(want) {
		t.Errorf("output differs from %s:\n%s", golden, got)
	}
}

func TestReplayErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	skus := filepath.Join(replayDir, "skus.csv")
	orders := filepath.Join(replayDir, "orders.txt")
	script := filepath.Join(replayDir, "script.jsonl")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no flags", []string{script}, 2, "need --skus"},
		{"no script", []string{"--skus", skus, "--orders", orders}, 2, "exactly one SCRIPT"},
		{"unknown flag", []string{"--fast", script}, 2, "not defined"},
		{"missing SKU file", []string{"--skus", filepath.Join(dir, "nope.csv"), "--orders", orders, script}, 1, "open SKU file"},
		{"bad SKU file", []string{"--skus", write("bad.csv", "sku,weight_g\nA,heavy\n"), "--orders", orders, script}, 1, `line 2, column "weight_g"`},
		{"bad orders", []string{"--skus", skus, "--orders", write("bad.txt", "order-id\tsku\n"), script}, 1, `column "order-item-id"`},
		{"bad script JSON", []string{"--skus", skus, "--orders", orders, write("s1.jsonl", "{\"scan\":\"A\"}\n{scan}\n")}, 1, "script line 2"},
		{"empty script line object", []string{"--skus", skus, "--orders", orders, write("s2.jsonl", "{}\n")}, 1, "nothing to do"},
		{"unknown status", []string{"--skus", skus, "--orders", orders, write("s3.jsonl", `{"status":{"order":"111-1111111-1111111","status":"lost"}}`)}, 1, "unknown order status"},
		{"bad script JSON column", []string{"--skus", skus, "--orders", orders, write("s4.jsonl", "{\"scan\":\"A\"}\n{\"scan\" \"B\"}\n")}, 1, "s4.jsonl: script line 2: character 9"},
		{"two values on a line", []string{"--skus", skus, "--orders", orders, write("s5.jsonl", `{"scan":"A"} {"scan":"B"}`)}, 1, "more than one JSON value"},
		{"help", []string{"-h"}, 0, "usage: packdeskctl replay"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), append([]string{"replay"}, tt.args...), &out, &errb)
			if code != tt.code || !strings.Contains(errb.String(), tt.stderr) {
				t.Errorf("exit %d stderr %q; want exit %d and %q", code, errb.String(), tt.code, tt.stderr)
			}
		})
	}
}

// TestReplayScriptBOMAndCRLF: a script saved on Windows (BOM, CRLF) replays
// like the LF original.
func TestReplayScriptBOMAndCRLF(t *testing.T) {
	orig, err := os.ReadFile(filepath.Join(replayDir, "script.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	win := filepath.Join(t.TempDir(), "script.jsonl")
	body := "\ufeff" + strings.ReplaceAll(string(orig), "\n", "\r\n")
	if err := os.WriteFile(win, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	outs := make([]string, 2)
	for i, script := range []string{filepath.Join(replayDir, "script.jsonl"), win} {
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"replay", "--skus", filepath.Join(replayDir, "skus.csv"),
			"--orders", filepath.Join(replayDir, "orders.txt"), script}, &out, &errb)
		if code != 0 {
			t.Fatalf("%s: exit %d, stderr %s", script, code, errb.String())
		}
		outs[i] = out.String()
	}
	if outs[0] != outs[1] {
		t.Errorf("BOM+CRLF script output differs:\n%s\nwant\n%s", outs[1], outs[0])
	}
}
