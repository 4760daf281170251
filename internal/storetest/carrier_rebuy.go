package storetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/wire"
)

func init() {
	register("CarrierRebuyAfterEditAddress", testRebuyEditAddress)
	register("CarrierRebuyAtStation", testRebuyAtStation)
}

const rebuyRules = "rule us: country=US -> amazon *\n"

func rebuyOrder(id, line1, postcode string) pack.Order {
	return pack.Order{ID: id, Recipient: pack.Address{Name: "Ann Lee", Line1: line1, City: "Austin", State: "TX", PostalCode: postcode, Country: "US"},
		Lines: []pack.Line{{ItemID: id + "-1", SKU: "MUG", Quantity: 1}}}
}

// buyPending buys the pending label of order id (its only purchase) as
// the buyer would, and returns the purchase's generation.
func (e *Env) buyPending(t *testing.T, id, tracking string) int64 {
	t.Helper()
	ps, err := e.S.LabelPurchases(e.Ctx, central.LabelFilter{OrderID: id})
	if err != nil || len(ps) != 1 || ps[0].State != central.LabelPending {
		t.Fatalf("purchase of %s: %+v, %v; want one pending", id, ps, err)
	}
	l := pack.CarrierLabel{Carrier: "UPS", Service: "ground", Tracking: tracking, Format: "zpl", Data: []byte("^XA" + tracking + "^XZ"), ShipmentID: "SHIP-" + tracking}
	if ok, err := e.S.LabelBought(e.Ctx, id, ps[0].Gen, l); err != nil || !ok {
		t.Fatalf("LabelBought(%s gen %d) = %v, %v", id, ps[0].Gen, ok, err)
	}
	return ps[0].Gen
}

// voids returns "TRACKING:STATE" of order id's label voids.
func (e *Env) voids(t *testing.T, id string) []string {
	t.Helper()
	vs, err := e.S.LabelVoids(e.Ctx, central.LabelFilter{OrderID: id})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, v := range vs {
		out = append(out, v.Tracking+":"+v.State)
	}
	slices.Sort(out)
	return out
}

// testRebuyEditAddress: a ready order with a bought label whose address
// an import (an Amazon poll) makes invalid goes to the pool with its
// label; the supervisor's edit_address admits it again: the old label is
// queued to be voided at the carrier of its channel (without its
// document) and a new purchase is queued (a new generation); the old
// generation's purchase is stale; the new label travels with the order to
// the station that claims it. Voiding is recorded and audited.
func testRebuyEditAddress(t *testing.T, e *Env) {
	e.rvSetup(t)
	e.channelled(t, rebuyRules)
	if _, err := e.S.ImportAmazonOrders(e.Ctx, "SELLER1", "WH1", []central.AmazonOrder{{Order: rebuyOrder("RB1", "5 Main St", "78701"), Marketplace: "ATVPDKIKX0DER"}}); err != nil {
		t.Fatal(err)
	}
	gen1 := e.buyPending(t, "RB1", "1ZOLD")
	// The poll brings an address edit with a broken postal code.
	if _, err := e.S.ImportAmazonOrders(e.Ctx, "SELLER1", "WH1", []central.AmazonOrder{{Order: rebuyOrder("RB1", "9 Elm St", "7870"), Marketplace: "ATVPDKIKX0DER"}}); err != nil {
		t.Fatal(err)
	}
	if o := e.Order(t, "RB1"); o.State != central.StateException || o.Label == nil || o.Label.Tracking != "1ZOLD" {
		t.Fatalf("RB1 after a bad address = %s %v, label %+v; want the pool, label kept", o.State, rvCodes(o), o.Label)
	}
	addr := rebuyOrder("RB1", "9 Elm St", "78702").Recipient
	o, err := e.S.ResolveException(e.Ctx, "RB1", central.Resolution{Action: central.ResolveAddress, Address: &addr})
	if err != nil || o.State != central.StateReady || o.Label != nil || o.Tracking != "" {
		t.Fatalf("edit_address = %s, label %+v, tracking %q, %v; want ready without the old label", o.State, o.Label, o.Tracking, err)
	}
	vs, err := e.S.LabelVoids(e.Ctx, central.LabelFilter{OrderID: "RB1"})
	if err != nil || len(vs) != 1 {
		t.Fatalf("voids of RB1 = %+v, %v", vs, err)
	}
	v := vs[0]
	if v.Tracking != "1ZOLD" || v.State != central.LabelPending || v.Carrier != "amazon" || v.Seller != "SELLER1" || v.Label.ShipmentID != "SHIP-1ZOLD" || len(v.Label.Data) != 0 || v.Warehouse != "WH1" {
		t.Errorf("void = %+v; want 1ZOLD pending at amazon for SELLER1 with its shipment id and no document", v)
	}
	ps, err := e.S.LabelPurchases(e.Ctx, central.LabelFilter{OrderID: "RB1"})
	if err != nil || len(ps) != 1 || ps[0].State != central.LabelPending || ps[0].Gen != gen1+1 {
		t.Fatalf("purchase after edit_address = %+v, %v; want pending gen %d", ps, err, gen1+1)
	}
	// A late answer to the first purchase is stale.
	if ok, err := e.S.LabelBought(e.Ctx, "RB1", gen1, pack.CarrierLabel{Tracking: "1ZLATE"}); err != nil || ok {
		t.Errorf("stale purchase applied: %v, %v", ok, err)
	}
	e.buyPending(t, "RB1", "1ZNEW")
	st, _ := e.Station(t, "S1", "WH1")
	r := e.Pull(t, st, "", 10)
	i := slices.IndexFunc(r.Changes, func(c wire.Change) bool { return c.Kind == wire.ChangeGrant && c.OrderID == "RB1" })
	if i < 0 || r.Changes[i].Order.Label == nil || r.Changes[i].Order.Label.Tracking != "1ZNEW" || r.Changes[i].Order.Recipient.Line1 != "9 Elm St" {
		t.Fatalf("the grant does not carry the new label and address: %+v", r.Changes)
	}
	// The buyer voids the old label; a second report changes nothing.
	due, err := e.S.PendingVoids(e.Ctx, e.Clock.Now(), 10)
	if err != nil || len(due) != 1 || due[0].Tracking != "1ZOLD" {
		t.Fatalf("PendingVoids = %+v, %v", due, err)
	}
	if again, _ := e.S.PendingVoids(e.Ctx, e.Clock.Now(), 10); len(again) != 0 {
		t.Errorf("a void handed out twice: %+v", again)
	}
	if err := e.S.LabelVoided(e.Ctx, "RB1", "1ZOLD", "", false, 0); err != nil {
		t.Fatal(err)
	}
	if err := e.S.LabelVoided(e.Ctx, "RB1", "1ZOLD", "late failure", true, 0); err != nil {
		t.Fatal(err)
	}
	if got := e.voids(t, "RB1"); !slices.Equal(got, []string{"1ZOLD:void"}) {
		t.Errorf("voids = %v, want 1ZOLD:void", got)
	}
	wantCode(t, e.S.LabelVoided(e.Ctx, "RB1", "NOPE", "", false, 0), wire.CodeNotFound)
	a, err := e.S.Audit(e.Ctx, central.AuditFilter{Kind: "order", Subject: "RB1"})
	if err != nil {
		t.Fatal(err)
	}
	var acts []string
	for _, x := range a {
		acts = append(acts, x.Action)
	}
	for _, w := range []string{"label_void_queued", "label_voided", "edit_address", "label_bought"} {
		if !slices.Contains(acts, w) {
			t.Errorf("audit of RB1 lacks %s: %v", w, acts)
		}
	}
}

// testRebuyAtStation: an Amazon poll brings an address edit for an order a
// station holds (leased): the old label is queued to be voided, a new one
// queued, and the station gets the order with the new address, no label
// and on hold (nobody packs it with the old label); when the new label is
// bought the order goes back to the station (leased) with it. The same
// content again changes nothing; an edit no channel serves holds it for a
// supervisor; a new label that cannot be bought sends it to the pool.
func testRebuyAtStation(t *testing.T, e *Env) {
	e.channelled(t, rebuyRules)
	poll := func(os ...pack.Order) central.ImportResult {
		t.Helper()
		var in []central.AmazonOrder
		for _, o := range os {
			in = append(in, central.AmazonOrder{Order: o, Marketplace: "ATVPDKIKX0DER"})
		}
		res, err := e.S.ImportAmazonOrders(e.Ctx, "SELLER1", "WH1", in)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	poll(rebuyOrder("RS1", "5 Main St", "78701"), rebuyOrder("RS2", "6 Main St", "78701"))
	gen1 := e.buyPending(t, "RS1", "1ZA")
	e.buyPending(t, "RS2", "1ZC")
	st, _ := e.Station(t, "S1", "WH1")
	r := e.Pull(t, st, "", 10)
	epoch := Grants(r)["RS1"]
	if epoch == 0 || Grants(r)["RS2"] == 0 {
		t.Fatalf("not granted: %v", Kinds(r))
	}
	cursor := r.Cursor

	if res := poll(rebuyOrder("RS1", "7 Oak Ave", "78701")); res.Updated != 1 {
		t.Fatalf("address edit: %+v", res)
	}
	o := e.Order(t, "RS1")
	if o.State != central.StateOnHold || !o.AwaitLabel || o.Label != nil || o.Tracking != "" || o.Station != st.ID || !strings.Contains(o.HoldReason, "carrier label") {
		t.Fatalf("RS1 after the edit = %s await %v label %+v station %q hold %q", o.State, o.AwaitLabel, o.Label, o.Station, o.HoldReason)
	}
	if got := e.voids(t, "RS1"); !slices.Equal(got, []string{"1ZA:pending"}) {
		t.Errorf("voids = %v, want 1ZA pending", got)
	}
	r = e.Pull(t, st, cursor, 0)
	cursor = r.Cursor
	ch := changeFor(r, "RS1")
	if ch == nil || ch.Kind != wire.ChangeOrder || ch.Order.Label != nil || ch.Order.Status != pack.StatusOnHold || ch.Order.Recipient.Line1 != "7 Oak Ave" {
		t.Fatalf("the station got %+v; want the order on hold with the new address and no label", ch)
	}
	// The same content again: nothing new.
	if res := poll(rebuyOrder("RS1", "7 Oak Ave", "78701")); res.Unchanged != 1 {
		t.Errorf("same content again: %+v", res)
	}
	ps, _ := e.S.LabelPurchases(e.Ctx, central.LabelFilter{OrderID: "RS1"})
	if len(ps) != 1 || ps[0].Gen != gen1+1 || ps[0].State != central.LabelPending {
		t.Fatalf("purchase = %+v, want pending gen %d", ps, gen1+1)
	}
	e.buyPending(t, "RS1", "1ZB")
	if o := e.Order(t, "RS1"); o.State != central.StateLeased || o.AwaitLabel || o.Label == nil || o.Label.Tracking != "1ZB" || o.Epoch != epoch {
		t.Fatalf("RS1 after the new label = %s await %v label %+v epoch %d (was %d)", o.State, o.AwaitLabel, o.Label, o.Epoch, epoch)
	}
	r = e.Pull(t, st, cursor, 0)
	cursor = r.Cursor
	ch = changeFor(r, "RS1")
	if ch == nil || ch.Kind != wire.ChangeOrder || ch.Order.Label == nil || ch.Order.Label.Tracking != "1ZB" || ch.Order.Status != pack.StatusReady || ch.Order.Tracking != "1ZB" {
		t.Fatalf("the station got %+v; want the order ready with label 1ZB", ch)
	}

	// An edit to a country no rule serves: the label is voided, the order
	// held at the station for a supervisor.
	jp := rebuyOrder("RS1", "1-1 Chiyoda", "100-0001")
	jp.Recipient.Country = "JP"
	poll(jp)
	if o := e.Order(t, "RS1"); o.State != central.StateOnHold || o.AwaitLabel || o.Label != nil || !strings.Contains(o.HoldReason, "no carrier channel") {
		t.Fatalf("RS1 to JP = %s await %v label %+v hold %q", o.State, o.AwaitLabel, o.Label, o.HoldReason)
	}
	if got := e.voids(t, "RS1"); !slices.Equal(got, []string{"1ZA:pending", "1ZB:pending"}) {
		t.Errorf("voids = %v", got)
	}

	// RS2: the new label cannot be bought: the pool, and the station is told.
	poll(rebuyOrder("RS2", "8 Pine Rd", "78701"))
	ps, _ = e.S.LabelPurchases(e.Ctx, central.LabelFilter{OrderID: "RS2"})
	if len(ps) != 1 || ps[0].State != central.LabelPending {
		t.Fatalf("RS2 purchase %+v", ps)
	}
	if err := e.S.LabelFailed(e.Ctx, "RS2", ps[0].Gen, "address not serviceable", true, 0); err != nil {
		t.Fatal(err)
	}
	if o := e.Order(t, "RS2"); o.State != central.StateException || o.AwaitLabel || len(o.Reasons) != 1 || o.Reasons[0].Code != central.ReasonLabelFetchFailed {
		t.Fatalf("RS2 after the failure = %s await %v %+v", o.State, o.AwaitLabel, o.Reasons)
	}
	r = e.Pull(t, st, cursor, 0)
	if ch := changeFor(r, "RS2"); ch == nil || ch.Kind != wire.ChangeHold || !strings.Contains(ch.Reason, "could not be bought") {
		t.Errorf("the station got %v for RS2; want a hold saying the label could not be bought", Kinds(r))
	}
}

// changeFor is the last change in r about order id (nil when none).
func changeFor(r wire.PullResponse, id string) *wire.Change {
	var out *wire.Change
	for i := range r.Changes {
		if r.Changes[i].OrderID == id {
			out = &r.Changes[i]
		}
	}
	return out
}
