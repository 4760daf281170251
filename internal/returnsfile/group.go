package returnsfile

import "fmt"

// Return is one RMA of a report: its rows (one per SKU) in file order.
type Return struct {
	RMA     string
	OrderID string
	Rows    []Row
}

// Returns groups the report's rows by RMA, in the order each RMA first
// appears. An RMA whose rows name two orders is an *Error at the second
// row's line.
func (rep *Report) Returns() ([]Return, error) {
	var out []Return
	at := map[string]int{}
	for _, r := range rep.Rows {
		i, ok := at[r.RMA]
		if !ok {
			at[r.RMA] = len(out)
			out = append(out, Return{RMA: r.RMA, OrderID: r.OrderID, Rows: []Row{r}})
			continue
		}
		if out[i].OrderID != r.OrderID {
			return nil, &Error{Line: r.Line, Column: "Order ID", Msg: fmt.Sprintf("RMA %s is for order %s on line %d and %s here: one RMA belongs to one order; correct the report", r.RMA, out[i].OrderID, out[i].Rows[0].Line, r.OrderID)}
		}
		out[i].Rows = append(out[i].Rows, r)
	}
	return out, nil
}
