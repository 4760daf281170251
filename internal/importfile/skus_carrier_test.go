package importfile_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/importfile"
	"github.com/packdesk/packdesk/internal/pack"
)

// TestReadSKUsCarrierFacts: battery, liquid and the item's size, which the
// carrier channel rules look at.
func TestReadSKUsCarrierFacts(t *testing.T) {
	got, err := importfile.ReadSKUs(strings.NewReader("sku,battery,liquid,length_mm,width_mm,height_mm\nPB,yes,,120,60,25\nOIL,否,是,,,\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []pack.SKU{{SKU: "PB", Battery: true, LengthMM: 120, WidthMM: 60, HeightMM: 25}, {SKU: "OIL", Liquid: true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	for _, c := range []struct{ in, col string }{
		{"sku,battery\nA,maybe\n", "battery"},
		{"sku,width_mm\nA,-3\n", "width_mm"},
		{"sku,height_mm\nA,1.5\n", "height_mm"},
	} {
		_, err := importfile.ReadSKUs(strings.NewReader(c.in))
		var e *importfile.Error
		if err == nil || !errors.As(err, &e) || e.Column != c.col || e.Line != 2 {
			t.Errorf("%q: got %v, want an error at line 2, column %s", c.in, err, c.col)
		}
	}
}
