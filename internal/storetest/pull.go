package storetest

import (
	"fmt"
	"testing"

	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

func testPullCursor(t *testing.T, e *Env) {
	a, _ := e.Station(t, "a", "W1")
	var ids []string
	for i := 0; i < 7; i++ {
		ids = append(ids, fmt.Sprintf("O%d", i))
	}
	e.Orders(t, "W1", ids...)
	r, err := e.S.Pull(e.Ctx, a, wire.PullRequest{Station: a.ID, Claim: 7, Limit: 3})
	if err != nil || len(r.Changes) != 3 || !r.More {
		t.Fatalf("first page = %v more %v, %v", Kinds(r), r.More, err)
	}
	got := Kinds(r)
	for r.More {
		r, err = e.S.Pull(e.Ctx, a, wire.PullRequest{Station: a.ID, Cursor: r.Cursor, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, Kinds(r)...)
	}
	var want []string
	for _, id := range ids {
		want = append(want, "grant:"+id)
	}
	if !sameStrings(got, want) {
		t.Errorf("paged changes = %v, want %v", got, want)
	}
	// Nothing new: same cursor, no changes (never null).
	again := e.Pull(t, a, r.Cursor, 0)
	if again.Cursor != r.Cursor || again.Changes == nil || len(again.Changes) != 0 {
		t.Errorf("idle pull = %+v", again)
	}
	for _, c := range []string{"x", "-5", "1e3"} {
		_, err := e.S.Pull(e.Ctx, a, wire.PullRequest{Station: a.ID, Cursor: c})
		wantCode(t, err, wire.CodeInvalid)
	}
}

func testMasterData(t *testing.T, e *Env) {
	a, _ := e.Station(t, "a", "W1")
	if err := e.S.PutSKUs(e.Ctx, []pack.SKU{{SKU: "A", Title: "Mug", WeightGrams: 300}, {SKU: "B", Title: "Lid"}}); err != nil {
		t.Fatal(err)
	}
	if err := e.S.PutPackers(e.Ctx, "W1", []pack.Packer{{Badge: "P1", Name: "Ann"}, {Badge: "P2", Name: "Wang", Supervisor: true}}); err != nil {
		t.Fatal(err)
	}
	if err := e.S.DisablePacker(e.Ctx, "W1", "P1"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.S.DisablePacker(e.Ctx, "W1", "P9"), wire.CodeNotFound)
	wantCode(t, e.S.PutSKUs(e.Ctx, []pack.SKU{{Title: "no code"}}), wire.CodeInvalid)
	wantCode(t, e.S.PutPackers(e.Ctx, "W1", []pack.Packer{{Name: "no badge"}}), wire.CodeInvalid)
	r := e.Pull(t, a, "", 0)
	var got []string
	for _, c := range r.Changes {
		switch c.Kind {
		case wire.ChangeSKU:
			got = append(got, "sku:"+c.SKU.SKU+":"+c.SKU.Title)
		case wire.ChangePacker:
			got = append(got, fmt.Sprintf("packer:%s:%v", c.Packer.Badge, c.Disabled))
		}
	}
	want := []string{"sku:A:Mug", "sku:B:Lid", "packer:P1:false", "packer:P2:false", "packer:P1:true"}
	if !sameStrings(got, want) {
		t.Errorf("changes = %v, want %v", got, want)
	}
	ps, err := e.S.Packers(e.Ctx, "W1")
	if err != nil || len(ps) != 1 || ps[0].Badge != "P2" || !ps[0].Supervisor {
		t.Errorf("Packers = %+v, %v", ps, err)
	}
}
