package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/drivers/scanner/scannertest"
)

func TestScaleRead(t *testing.T) {
	p := scannertest.NewPTY(t)
	go func() {
		sc := bufio.NewScanner(p)
		replies := []string{"S D      0.400 kg\r\n", "S S      0.412 kg\r\n"}
		for i := 0; sc.Scan(); i++ {
			if i < len(replies) {
				p.Write([]byte(replies[i]))
			}
		}
	}()
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"scale", "read", p.Path()}, &out, &errb); code != 0 {
		t.Fatalf("read exit %d: %s", code, errb.String())
	}
	var r scaleOutput
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if r.Stable || r.RoundedGrams != 400 {
		t.Fatalf("read = %+v", r)
	}
	out.Reset()
	if code := run(context.Background(), []string{"scale", "read", "--stable", p.Path()}, &out, &errb); code != 0 {
		t.Fatalf("read --stable exit %d: %s", code, errb.String())
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if !r.Stable || r.RoundedGrams != 412 || r.Grams != 412 {
		t.Fatalf("stable read = %+v", r)
	}
}

func TestScaleReadErrors(t *testing.T) {
	silent := scannertest.NewPTY(t)
	tests := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"scale"}, 2, "usage"},
		{[]string{"scale", "read"}, 2, "usage"},
		{[]string{"scale", "read", "/dev/no-such-scale"}, 1, "not found"},
		{[]string{"scale", "read", "--protocol", "smoke", silent.Path()}, 2, `protocol "smoke": want sics or continuous`},
		{[]string{"scale", "read", "--baud", "-5", silent.Path()}, 2, "baud -5"},
		{[]string{"scale", "read", "--parity", "x", "/dev/no-such-scale"}, 2, `parity "x"`},
		{[]string{"scale", "read", "--wait", "0s", silent.Path()}, 2, "--wait 0s"},
		{[]string{"scale", "read", "--reply-timeout", "-1s", silent.Path()}, 2, "--reply-timeout -1s"},
		{[]string{"scale", "read", "-h"}, 0, "usage"},
		{[]string{"scale", "read", "--reply-timeout", "200ms", silent.Path()}, 1, "no answer"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		code := run(context.Background(), tt.args, &out, &errb)
		if code != tt.code || !strings.Contains(errb.String(), tt.msg) {
			t.Errorf("%q: exit %d, stderr %q; want %d with %q", tt.args, code, errb.String(), tt.code, tt.msg)
		}
	}
}
