package central

import "github.com/packdesk/packdesk/internal/returnsfile"

// ReturnRequestsFromReport turns an Amazon returns report into one
// request per RMA (its reason: the first row's; the lines' own reasons
// kept), marked source: the one conversion the report file import and the
// SP-API report share. An RMA naming two orders is a *returnsfile.Error.
func ReturnRequestsFromReport(rep *returnsfile.Report, source ReturnSource) ([]ReturnRequest, error) {
	rs, err := rep.Returns()
	if err != nil {
		return nil, err
	}
	out := make([]ReturnRequest, 0, len(rs))
	for _, g := range rs {
		first := g.Rows[0]
		req := ReturnRequest{RMA: g.RMA, OrderID: g.OrderID, Reason: first.Reason, Tracking: first.Tracking,
			Carrier: first.Carrier, RequestedAt: first.RequestDate, Source: source}
		for _, row := range g.Rows {
			req.Lines = append(req.Lines, ReturnLine{SKU: row.SKU, ASIN: row.ASIN, Title: row.Title,
				Quantity: row.Quantity, Reason: row.Reason, UnitCents: row.UnitCents, Currency: row.Currency})
			if req.Tracking == "" {
				req.Tracking = row.Tracking
			}
		}
		out = append(out, req)
	}
	return out, nil
}
