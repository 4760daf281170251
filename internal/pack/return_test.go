package pack_test

import (
	"testing"

	"github.com/packdesk/packdesk/internal/pack"
)

func TestReturnMatchesItsCodes(t *testing.T) {
	r := pack.Return{ID: "R-1", RMA: "DfG7hRMA", OrderID: "114-0000002-0000002", Tracking: "1Z999AA10123456784"}
	for _, code := range []string{"R-1", "dfg7hrma", " 1Z999AA10123456784\n", "114-0000002-0000002"} {
		if !pack.ReturnMatches(r, code) {
			t.Errorf("%q does not open %+v", code, r)
		}
	}
	for _, code := range []string{"", "  ", "114-0000002-0000003", "1Z999AA1012345678"} {
		if pack.ReturnMatches(r, code) {
			t.Errorf("%q opens %+v", code, r)
		}
	}
	if pack.ReturnMatches(pack.Return{ID: "R-2"}, "") {
		t.Error("an empty code matches a return with empty fields")
	}
}

func TestGradesAndDispositionsAreClosedLists(t *testing.T) {
	for _, g := range pack.Grades {
		if !g.Valid() {
			t.Errorf("grade %q not valid", g)
		}
	}
	for _, d := range pack.Dispositions {
		if !d.Valid() {
			t.Errorf("disposition %q not valid", d)
		}
	}
	for _, g := range []pack.Grade{"", "E", "a"} {
		if g.Valid() {
			t.Errorf("grade %q valid", g)
		}
	}
	if pack.Disposition("burn").Valid() || pack.Disposition("").Valid() {
		t.Error("an unknown disposition is valid")
	}
}
