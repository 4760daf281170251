package returnsfile_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/returnsfile"
)

// FuzzRead: any input is read or refused with an *Error naming a line
// within the file; never a panic. Rows read keep the invariants the store
// relies on: order, RMA and SKU non-empty, quantity 1…MaxQuantity, a unit
// value that is not negative, lines increasing, no (RMA, SKU) twice.
func FuzzRead(f *testing.F) {
	real, err := os.ReadFile("testdata/fbm-returns.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(real)
	f.Add([]byte(hdr + "\nA\tR\tS\t1\n"))
	f.Add([]byte(hdr + "\tOrder Amount\tOrder quantity\tCurrency code\n\"A\"\"\"\tR\t\"S\nS\"\t2\t1,000.5\t3\tEUR\r\n"))
	f.Add([]byte("\xef\xbb\xbf" + hdr + "\r\nA\tR\tS\t0\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := returnsfile.Read(bytes.NewReader(data))
		if err != nil {
			var fe *returnsfile.Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if fe.Line < 0 || fe.Line > bytes.Count(data, []byte("\n"))+1 || fe.Msg == "" {
				t.Fatalf("error %v: line %d outside the file or no message", err, fe.Line)
			}
			return
		}
		seen := map[[2]string]bool{}
		last := 1
		for _, r := range rep.Rows {
			if strings.TrimSpace(r.OrderID) == "" || r.RMA == "" || r.SKU == "" || r.Quantity < 1 || r.Quantity > returnsfile.MaxQuantity || r.UnitCents < 0 {
				t.Fatalf("row breaks an invariant: %+v", r)
			}
			if r.Line <= last {
				t.Fatalf("row line %d after %d", r.Line, last)
			}
			last = r.Line
			k := [2]string{r.RMA, r.SKU}
			if seen[k] {
				t.Fatalf("(RMA, SKU) %v twice", k)
			}
			seen[k] = true
		}
	})
}
