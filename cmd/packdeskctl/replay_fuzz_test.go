package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzReplayScript: any script either replays or fails with an error naming
// its line; it never panics, and every output line is one JSON object.
func FuzzReplayScript(f *testing.F) {
	for _, s := range []string{
		`{"scan":"111-1111111-1111111"}` + "\n" + `{"scan":"4006381333931"}`,
		"\ufeff{\"scan\":\"A\"}\r\n# comment\r\n\r\n{\"weigh\":12}",
		`{"label":"1Z999AA10123456784"}`,
		`{"packer":{"badge":"S","supervisor":true}}` + "\n" + `{"scan":"PDBADGE:S"}` + "\n" + `{"scan":"PDCMD:OVERRIDE:X"}`,
		`{"status":{"order":"111-1111111-1111111","status":"cancelled"}}`,
		`{"scan":"A"} {"scan":"B"}`, `{"scan" "B"}`, `[]`, `{"weigh":-1}`, `{"require_login":true}`,
		"{\"scan\":\"\xff\xfe\"}", `{"label":"X"}`,
		`{"return":{"id":"R","order_id":"222-2222222-2222222","tracking":"T1","lines":[{"sku":"PHONE-X1","shipped":1,"serials":["S1"]}]}}` + "\n" +
			`{"mode":"returns"}` + "\n" + `{"scan":"T1"}` + "\n" + `{"scan":"012345678905"}` + "\n" + `{"scan":"S1"}` + "\n" + `{"scan":"PDCMD:GRADE:A"}`,
		`{"return":{"id":""}}`, `{"return":{"id":"R","status":"lost"}}`, `{"mode":"sideways"}`, `{"return":{"id":"R","lines":[{"sku":"","shipped":-1}]}}`, `{"scan":"` + strings.Repeat("9", 5000) + `"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script string) {
		cat, err := loadCatalog(filepath.Join(replayDir, "skus.csv"), filepath.Join(replayDir, "orders.txt"), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		err = replay(context.Background(), cat, strings.NewReader(script), &out, false)
		if err != nil && !strings.HasPrefix(err.Error(), "script line ") {
			t.Fatalf("error without its line: %v", err)
		}
		for _, l := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
			if l != "" && (!strings.HasPrefix(l, `{"line":`) || !strings.HasSuffix(l, "}")) {
				t.Fatalf("output line %q is not a result object", l)
			}
		}
	})
}
