package station_test

import (
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/barcode"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
)

// FuzzDecodeSaved feeds arbitrary bytes as the state saved in the journal:
// decoding either fails with a station: error or gives a state that
// re-encodes to itself and that the engine can run on without panicking.
func FuzzDecodeSaved(f *testing.F) {
	f.Add([]byte(``))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"open":{"order":{"id":"111-0000001-0000001","lines":[{"item_id":"1","sku":"MUG-01","quantity":2}]},"counts":[5],"step":"packing"}}`))
	f.Add([]byte(`{"open":{"order":{"id":"X","lines":[{"sku":"MUG-01","quantity":1}]},"counts":[-3],"await_serial":"MUG-01","await_units":-1}}`))
	f.Add([]byte(`{"station":{"label_failed":true},"open":{"order":{"id":"X","lines":[]},"counts":[]}}`))
	f.Add([]byte(`{"station":{"attempts":{"B\u0000shipping":2,"A\u0000shipping":3}}}`))
	f.Add([]byte(`{"station":{"attempts":{"A\u0000shipping":2},"attempt_order":["GONE\u0000shipping","A\u0000shipping","A\u0000shipping"]}}`))
	f.Add([]byte(`{"packer":{"badge":"P1"},"last_reject":{"verdict":"wrong_item","sku":"MUG-01"},"supervisor":"SUP"}`))
	cat, err := pack.NewMapCatalog(fixtureSKUs, fixtureOrders(), fixturePackers)
	if err != nil {
		f.Fatal(err)
	}
	e := pack.Engine{Catalog: cat, WeighBeforeLabel: true}
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, enc, err := station.DecodeSavedState(raw)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "station: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		_, again, err := station.DecodeSavedState(enc)
		if err != nil || string(again) != string(enc) {
			t.Fatalf("re-encoded state does not decode to itself: %v\n%s\n%s", err, enc, again)
		}
		for _, in := range []string{mugCode, "PDBADGE:SUP", "PDCMD:OVERRIDE", "SN-1", "PDCMD:REPRINT", "PDCMD:LABEL-FAILED", cableCode, "PDCMD:COMPLETE"} {
			_, s = e.Apply(s, pack.Input{Scan: barcode.Parse(in), At: at})
		}
		_, s = e.Weigh(s, 350, at)
		_ = e.LabelPrinted(s, "1Z999AA10123456784")
	})
}
