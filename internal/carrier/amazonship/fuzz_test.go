package amazonship_test

import (
	"encoding/json"
	"testing"

	"github.com/packdesk/packdesk/internal/carrier/amazonship"
	"github.com/packdesk/packdesk/internal/carrier/amazonship/shipfake"
)

// FuzzAnswers: any body Amazon might send is read into a label, a rates
// result or an error message, or refused; never a panic, and a label read
// has a tracking number and a document.
func FuzzAnswers(f *testing.F) {
	doc, _ := shipfake.Document("ZPL", "1Z1")
	ok, _ := json.Marshal(amazonship.PurchaseShipmentResponse{Payload: &amazonship.PurchaseShipmentResult{ShipmentID: "S",
		PackageDocumentDetails: []amazonship.PackageDocumentDetail{{TrackingID: "1Z1", PackageDocuments: []amazonship.PackageDocument{
			{Type: "LABEL", Format: "ZPL", Contents: string(doc)}}}}}})
	f.Add(ok)
	f.Add([]byte(`{"payload":{"shipmentId":"S","packageDocumentDetails":[{"trackingId":"T","packageDocuments":[{"type":"LABEL","format":"ZPL","contents":"XlhBXlha"}]}]}}`))
	f.Add([]byte(`{"payload":{"requestToken":"t","rates":[{"rateId":"r","serviceId":"s","totalCharge":{"value":1e308,"unit":"USD"}}]}}`))
	f.Add([]byte(`{"errors":[{"code":"InvalidInput","message":"m","details":"d"}]}`))
	f.Add([]byte(`{"payload":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var p amazonship.PurchaseShipmentResponse
		if json.Unmarshal(body, &p) == nil {
			if l, err := amazonship.LabelOf(p, "ZPL"); err == nil && (l.Tracking == "" || len(l.Data) == 0 || !l.AmazonShipping) {
				t.Fatalf("label without tracking or data: %+v", l)
			}
		}
		var r amazonship.GetRatesResponse
		if json.Unmarshal(body, &r) == nil && amazonship.CheckRates(r) == nil && r.Payload.RequestToken == "" {
			t.Fatal("rates accepted without a request token")
		}
		amazonship.ErrorsOf(body)
	})
}
