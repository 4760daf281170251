package storetest

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

func testStationTokens(t *testing.T, e *Env) {
	st, tok := e.Station(t, "bench-1", "W1")
	if st.ID == "" || st.Warehouse != "W1" || !strings.HasPrefix(tok, central.StationTokenPrefix) {
		t.Fatalf("CreateStation = %+v, %q", st, tok)
	}
	got, err := e.S.AuthStation(e.Ctx, tok)
	if err != nil || got.ID != st.ID || got.Warehouse != "W1" {
		t.Fatalf("AuthStation = %+v, %v", got, err)
	}
	_, _, err = e.S.CreateStation(e.Ctx, "bench-1", "W1")
	wantCode(t, err, wire.CodeConflict)
	if _, _, err := e.S.CreateStation(e.Ctx, "bench-1", "W2"); err != nil {
		t.Fatalf("same name in another warehouse: %v", err)
	}
	_, _, err = e.S.CreateStation(e.Ctx, " ", "W1")
	wantCode(t, err, wire.CodeInvalid)
	for _, bad := range []string{"", "pds_nope", tok + "x", strings.ToUpper(tok)} {
		_, err := e.S.AuthStation(e.Ctx, bad)
		wantCode(t, err, wire.CodeUnauthorized)
	}
	// Only the hash is stored.
	if s, ok := e.S.(interface{ SQL() *sql.DB }); ok {
		var hash string
		if err := s.SQL().QueryRowContext(e.Ctx, "SELECT token_hash FROM stations WHERE name = 'bench-1' AND warehouse = 'W1'").Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if hash != central.HashToken(tok) || strings.Contains(hash, tok) {
			t.Errorf("stored %q, want the token's hash", hash)
		}
	} else {
		t.Errorf("store %T has no SQL() to check what it stores", e.S)
	}
	if err := e.S.RevokeStation(e.Ctx, st.ID); err != nil {
		t.Fatal(err)
	}
	_, err = e.S.AuthStation(e.Ctx, tok)
	wantCode(t, err, wire.CodeUnauthorized)
	// A station revoked after its token was checked cannot sync.
	_, err = e.S.Pull(e.Ctx, st, wire.PullRequest{Station: st.ID})
	wantCode(t, err, wire.CodeUnauthorized)
	_, err = e.S.Push(e.Ctx, st, []event.Envelope{Ev(st, 1, event.Session{Name: "x"}, "", 0, e.Clock.Now())})
	wantCode(t, err, wire.CodeUnauthorized)
	wantCode(t, e.S.RevokeStation(e.Ctx, "st_missing"), wire.CodeNotFound)
	list, err := e.S.Stations(e.Ctx)
	if err != nil || len(list) != 2 || !list[0].Revoked || list[0].Warehouse != "W1" || list[1].Revoked {
		t.Errorf("Stations = %+v, %v", list, err)
	}
}

func testAdminTokens(t *testing.T, e *Env) {
	tok, err := e.S.CreateAdminToken(e.Ctx, "first")
	if err != nil || !strings.HasPrefix(tok, central.AdminTokenPrefix) {
		t.Fatalf("CreateAdminToken = %q, %v", tok, err)
	}
	if name, err := e.S.AuthAdmin(e.Ctx, tok); err != nil || name != "first" {
		t.Fatalf("AuthAdmin = %q, %v; want the token's name \"first\"", name, err)
	}
	_, err = e.S.AuthAdmin(e.Ctx, tok+"x")
	wantCode(t, err, wire.CodeUnauthorized)
	_, stTok := e.Station(t, "bench-1", "W1")
	_, err = e.S.AuthAdmin(e.Ctx, stTok)
	wantCode(t, err, wire.CodeUnauthorized)
	_, err = e.S.AuthStation(e.Ctx, tok)
	wantCode(t, err, wire.CodeUnauthorized)
}

// A station reaches only its own warehouse's orders, packers and tasks.
func testOtherWarehouse(t *testing.T, e *Env) {
	a, _ := e.Station(t, "a", "W1")
	b, _ := e.Station(t, "b", "W2")
	e.Orders(t, "W1", "O1")
	e.Orders(t, "W2", "O2")
	if err := e.S.PutPackers(e.Ctx, "W2", []pack.Packer{{Badge: "P2", Name: "Zhang"}}); err != nil {
		t.Fatal(err)
	}
	ra := e.Pull(t, a, "", 10)
	if g := Grants(ra); len(g) != 1 || g["O1"] == 0 {
		t.Fatalf("station of W1 granted %v, want O1 only", g)
	}
	for _, c := range ra.Changes {
		if c.Kind == wire.ChangePacker {
			t.Errorf("W1 station got W2's packer %+v", c.Packer)
		}
	}
	rb := e.Pull(t, b, "", 10)
	epoch := Grants(rb)["O2"]
	// Station a names W2's order, even with W2's epoch: unknown to it.
	r := e.Push(t, a, Ev(a, 1, event.Packed{Tracking: "T"}, "O2", epoch, e.Clock.Now()))
	if len(r.Rejections) != 1 || r.Rejections[0].Code != wire.RejectUnknownOrder || r.Applied != 1 {
		t.Fatalf("push on another warehouse's order = %+v", r)
	}
	if o := e.Order(t, "O2"); o.State != central.StateLeased || o.Station != b.ID {
		t.Errorf("O2 changed by another warehouse's station: %+v", o)
	}
	// Re-importing W2's order into W1 is refused.
	res, err := e.S.ImportOrders(e.Ctx, "W1", []pack.Order{{ID: "O2", Lines: []pack.Line{{SKU: "A", Quantity: 1}}}})
	if err != nil || len(res.Refused) != 1 {
		t.Errorf("import of W2's order into W1 = %+v, %v", res, err)
	}
}
