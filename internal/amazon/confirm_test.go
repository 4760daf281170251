package amazon_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/amazon"
	"github.com/packdesk/packdesk/internal/amazon/spapifake"
)

func confirmReq() amazon.ConfirmShipmentRequest {
	return amazon.ConfirmShipmentRequest{MarketplaceID: usMarket, PackageReferenceID: "1", CarrierCode: "UPS",
		ShippingMethod: "Ground", TrackingNumber: "1Z999AA10123456784", ShipDate: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC),
		Items: []amazon.ConfirmItem{{OrderItemID: "113-1-1", Quantity: 1}}}
}

func TestConfirmShipment(t *testing.T) {
	r := newRig(t)
	r.fake.Put(usOrder("113-1"))
	call, err := r.client.ConfirmShipment(context.Background(), testSeller, "113-1", confirmReq())
	if err != nil {
		t.Fatal(err)
	}
	if call.Status != 204 || call.Operation != amazon.OpConfirmShipment || call.RequestID == "" || call.RateLimit != 2 {
		t.Errorf("call = %+v, want 204 confirmShipment with a request id and rate 2", call)
	}
	cs := r.fake.Confirmations()
	if len(cs) != 1 || cs[0].Body.PackageDetail.TrackingNumber != "1Z999AA10123456784" || cs[0].Body.PackageDetail.ShipDate != "2026-11-02T10:00:00Z" {
		t.Fatalf("fake got %+v", cs)
	}
	// The same package reference again edits that package.
	req := confirmReq()
	req.TrackingNumber = "1Z999AA10123456785"
	if _, err := r.client.ConfirmShipment(context.Background(), testSeller, "113-1", req); err != nil {
		t.Fatal(err)
	}
	if cs := r.fake.Confirmations(); len(cs) != 1 || cs[0].Body.PackageDetail.TrackingNumber != "1Z999AA10123456785" {
		t.Errorf("after resend: %+v", cs)
	}
	// The log has the token refresh and both confirmations, and no secret.
	calls := r.state.Calls()
	if len(calls) != 3 || calls[0].Operation != amazon.OpLWAToken || calls[0].Status != 200 {
		t.Fatalf("log = %+v", calls)
	}
	for _, c := range calls {
		s := fmt.Sprintf("%+v", c)
		for _, secret := range []string{spapifake.ClientSecret, spapifake.RefreshToken, "Atza|"} {
			if strings.Contains(s, secret) {
				t.Errorf("sync log line leaks a secret: %s", s)
			}
		}
	}
}

func TestConfirmShipmentRefusedBeforeSending(t *testing.T) {
	r := newRig(t)
	for name, mod := range map[string]func(*amazon.ConfirmShipmentRequest){
		"letters in package ref": func(q *amazon.ConfirmShipmentRequest) { q.PackageReferenceID = "A1" },
		"Other without name":     func(q *amazon.ConfirmShipmentRequest) { q.CarrierCode = "Other" },
		"no items":               func(q *amazon.ConfirmShipmentRequest) { q.Items = nil },
		"no tracking":            func(q *amazon.ConfirmShipmentRequest) { q.TrackingNumber = "" },
	} {
		q := confirmReq()
		mod(&q)
		if _, err := r.client.ConfirmShipment(context.Background(), testSeller, "113-1", q); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if n := r.fake.Requests()[amazon.OpConfirmShipment]; n != 0 {
		t.Errorf("fake got %d confirmShipment calls, want 0", n)
	}
}

func TestConfirmShipmentAmazonRefuses(t *testing.T) {
	r := newRig(t)
	r.fake.Put(usOrder("113-1"))
	q := confirmReq()
	q.Items[0].OrderItemID = "nope"
	_, err := r.client.ConfirmShipment(context.Background(), testSeller, "113-1", q)
	var ae *amazon.Error
	if !errors.As(err, &ae) || ae.Status != 400 || ae.Retryable() || ae.RequestID == "" || len(ae.Errors) != 1 || ae.Errors[0].Code != "InvalidInput" {
		t.Fatalf("err = %v (%+v)", err, ae)
	}
	if n := r.fake.Requests()[amazon.OpConfirmShipment]; n != 1 {
		t.Errorf("a 400 was tried %d times, want 1", n)
	}
}

func TestRetriesThrottleAndServerErrors(t *testing.T) {
	r := newRig(t)
	r.fake.Put(usOrder("113-1"))
	r.fake.Inject(amazon.OpConfirmShipment, spapifake.Throttle, spapifake.ServerError, spapifake.Unavailable)
	call, err := r.client.ConfirmShipment(context.Background(), testSeller, "113-1", confirmReq())
	if err != nil {
		t.Fatal(err)
	}
	if call.Attempt != 4 || call.Status != 204 {
		t.Errorf("last call = %+v, want attempt 4 with 204", call)
	}
	var statuses []int
	for _, c := range r.state.Calls() {
		if c.Operation == amazon.OpConfirmShipment {
			statuses = append(statuses, c.Status)
		}
	}
	if fmt.Sprint(statuses) != "[429 500 503 204]" {
		t.Errorf("logged statuses %v", statuses)
	}
	if r.clock.Slept() == 0 {
		t.Error("no backoff between retries")
	}
}

func TestRetriesAreBounded(t *testing.T) {
	r := newRig(t)
	r.fake.Put(usOrder("113-1"))
	r.fake.Inject(amazon.OpConfirmShipment, spapifake.ServerError, spapifake.ServerError, spapifake.ServerError, spapifake.ServerError, spapifake.ServerError)
	_, err := r.client.ConfirmShipment(context.Background(), testSeller, "113-1", confirmReq())
	var ae *amazon.Error
	if !errors.As(err, &ae) || ae.Status != 500 || ae.Attempts != 4 || !ae.Retryable() {
		t.Fatalf("err = %v", err)
	}
	if n := r.fake.Requests()[amazon.OpConfirmShipment]; n != 4 {
		t.Errorf("fake got %d calls, want 4", n)
	}
}

func TestExpiredTokenIsRefreshedOnce(t *testing.T) {
	r := newRig(t)
	r.fake.Put(usOrder("113-1"))
	if _, err := r.client.ConfirmShipment(context.Background(), testSeller, "113-1", confirmReq()); err != nil {
		t.Fatal(err)
	}
	r.fake.ExpireTokens()
	if _, err := r.client.ConfirmShipment(context.Background(), testSeller, "113-1", confirmReq()); err != nil {
		t.Fatal(err)
	}
	if n := r.fake.Requests()[amazon.OpLWAToken]; n != 2 {
		t.Errorf("%d token refreshes, want 2", n)
	}
	// A token Amazon keeps refusing is not refreshed endlessly.
	r.fake.Inject(amazon.OpConfirmShipment, spapifake.ExpiredToken, spapifake.ExpiredToken)
	_, err := r.client.ConfirmShipment(context.Background(), testSeller, "113-1", confirmReq())
	var ae *amazon.Error
	if !errors.As(err, &ae) || ae.Status != 403 {
		t.Fatalf("err = %v", err)
	}
	if n := r.fake.Requests()[amazon.OpLWAToken]; n != 3 {
		t.Errorf("%d token refreshes, want 3", n)
	}
}

func TestTokenRefreshedBeforeExpiry(t *testing.T) {
	r := newRig(t)
	r.fake.Put(usOrder("113-1"))
	ctx := context.Background()
	for range 3 {
		if _, err := r.client.ConfirmShipment(ctx, testSeller, "113-1", confirmReq()); err != nil {
			t.Fatal(err)
		}
	}
	if n := r.fake.Requests()[amazon.OpLWAToken]; n != 1 {
		t.Fatalf("%d refreshes for 3 calls within the hour, want 1", n)
	}
	_ = r.clock.Sleep(ctx, 56*time.Minute) // inside the 5 minutes before expiry
	if _, err := r.client.ConfirmShipment(ctx, testSeller, "113-1", confirmReq()); err != nil {
		t.Fatal(err)
	}
	if n := r.fake.Requests()[amazon.OpLWAToken]; n != 2 {
		t.Errorf("%d refreshes, want 2 (refresh ahead of expiry)", n)
	}
}
