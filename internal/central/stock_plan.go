package central

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/packdesk/packdesk/internal/pack"
)

// SKUQty is a quantity of one SKU.
type SKUQty struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
}

// StockNeeds returns the units order o needs, one entry per SKU (lines of
// the same SKU added up), by SKU; lines with no SKU or no quantity are
// left out.
func StockNeeds(o pack.Order) []SKUQty {
	sum := map[string]int{}
	for _, l := range o.Lines {
		if l.SKU != "" && l.Quantity > 0 {
			sum[l.SKU] += l.Quantity
		}
	}
	out := make([]SKUQty, 0, len(sum))
	for s, q := range sum {
		out = append(out, SKUQty{s, q})
	}
	slices.SortFunc(out, func(a, b SKUQty) int { return strings.Compare(a.SKU, b.SKU) })
	return out
}

// StockPlan is where an order's units come from: Picks at Warehouse, or,
// when no candidate warehouse can serve the whole order, the Reasons that
// send it to the exception pool (no_warehouse or stock_short, one
// stock_short per SKU short, each with a replenishment suggestion).
type StockPlan struct {
	Warehouse string
	Picks     []Reservation
	Reasons   []Reason
}

// PlanReservation decides where the units needs of order come from.
// candidates are the warehouses that may serve it in order of preference
// (its own first when it keeps stock, then its routes); stock holds the
// rows of the needed SKUs at every warehouse (the others are used for
// transfer suggestions).
//
// The first candidate that keeps every SKU and has every unit available
// serves the order. Within it, a SKU comes from the first location (by
// name) that has all its units, else from locations in name order. When
// no candidate keeps every SKU the reason is no_warehouse (Args
// "warehouses", and "skus" the SKUs the order's first candidate lacks);
// when some keep them all but none has the units, one stock_short reason
// per SKU short at the first of those (Args "sku", "warehouse", "want",
// "have", "short", and the suggestion: "suggest" purchase or transfer,
// "from" the warehouse to transfer from).
func PlanReservation(order string, needs []SKUQty, candidates []string, stock []StockLevel) StockPlan {
	at := map[string]map[string][]StockLevel{} // warehouse → SKU → rows
	for _, l := range stock {
		if at[l.Warehouse] == nil {
			at[l.Warehouse] = map[string][]StockLevel{}
		}
		at[l.Warehouse][l.SKU] = append(at[l.Warehouse][l.SKU], l)
	}
	for _, w := range at {
		for _, rows := range w {
			slices.SortFunc(rows, func(a, b StockLevel) int { return strings.Compare(a.Location, b.Location) })
		}
	}
	keeps := func(w string) (missing []string) {
		for _, n := range needs {
			if len(at[w][n.SKU]) == 0 {
				missing = append(missing, n.SKU)
			}
		}
		return missing
	}
	home := ""
	for _, w := range candidates {
		if len(keeps(w)) > 0 {
			continue
		}
		if home == "" {
			home = w
		}
		if picks, ok := pick(order, w, needs, at[w]); ok {
			return StockPlan{Warehouse: w, Picks: picks}
		}
	}
	if home == "" {
		var lacks []string
		for _, w := range candidates {
			lacks = append(lacks, fmt.Sprintf("%s lacks %s", w, strings.Join(keeps(w), ", ")))
		}
		var first []string
		if len(candidates) > 0 {
			first = keeps(candidates[0])
		}
		return StockPlan{Reasons: []Reason{{Code: ReasonNoWarehouse,
			Detail: "no warehouse keeps every SKU of the order: " + strings.Join(lacks, "; "),
			Args:   map[string]string{"warehouses": strings.Join(candidates, ","), "skus": strings.Join(first, ",")}}}}
	}
	var reasons []Reason
	for _, n := range needs {
		have := available(at[home][n.SKU])
		if have >= n.Quantity {
			continue
		}
		short := n.Quantity - have
		args := map[string]string{"sku": n.SKU, "warehouse": home, "want": strconv.Itoa(n.Quantity),
			"have": strconv.Itoa(have), "short": strconv.Itoa(short), "suggest": "purchase"}
		detail := fmt.Sprintf("%s: %d wanted, %d available at %s (at every warehouse that may serve it, none has the whole order); ", n.SKU, n.Quantity, have, home)
		if from := transferFrom(home, n.SKU, short, at); from != "" {
			args["suggest"], args["from"] = "transfer", from
			detail += fmt.Sprintf("suggest a transfer of %d from %s", short, from)
		} else {
			detail += fmt.Sprintf("suggest a purchase of %d", short)
		}
		reasons = append(reasons, Reason{Code: ReasonStockShort, Detail: detail, Args: args})
	}
	return StockPlan{Reasons: reasons}
}

func available(rows []StockLevel) int {
	n := 0
	for _, r := range rows {
		n += max(r.Available(), 0)
	}
	return n
}

// pick takes needs from warehouse w's rows; false when w is short.
func pick(order, w string, needs []SKUQty, rows map[string][]StockLevel) ([]Reservation, bool) {
	var out []Reservation
	for _, n := range needs {
		rs := rows[n.SKU]
		if available(rs) < n.Quantity {
			return nil, false
		}
		if i := slices.IndexFunc(rs, func(r StockLevel) bool { return r.Available() >= n.Quantity }); i >= 0 {
			out = append(out, Reservation{Order: order, Warehouse: w, Location: rs[i].Location, SKU: n.SKU, Quantity: n.Quantity})
			continue
		}
		left := n.Quantity
		for _, r := range rs {
			if take := min(left, r.Available()); take > 0 {
				out = append(out, Reservation{Order: order, Warehouse: w, Location: r.Location, SKU: n.SKU, Quantity: take})
				left -= take
			}
		}
	}
	return out, true
}

// transferFrom names the warehouse other than home with the most units of
// sku available, when it has at least short ("" when none).
func transferFrom(home, sku string, short int, at map[string]map[string][]StockLevel) string {
	best, bestN := "", 0
	ws := make([]string, 0, len(at))
	for w := range at {
		ws = append(ws, w)
	}
	slices.Sort(ws)
	for _, w := range ws {
		if n := available(at[w][sku]); w != home && n >= short && n > bestN {
			best, bestN = w, n
		}
	}
	return best
}

// Replenishment is a suggestion to bring units of a SKU to a warehouse:
// a transfer from another warehouse that has them (From set), or a
// purchase.
type Replenishment struct {
	Warehouse string   `json:"warehouse"`
	SKU       string   `json:"sku"`
	Want      int      `json:"want"`      // units the waiting orders need there
	Available int      `json:"available"` // units free there now
	Short     int      `json:"short"`     // Want - Available
	Suggest   string   `json:"suggest"`   // "transfer" or "purchase"
	From      string   `json:"from,omitempty"`
	Orders    []string `json:"orders"` // the orders waiting for it
}

// Shortage is what one order waiting in the exception pool for stock
// needs at a warehouse (from its stock_short reasons).
type Shortage struct {
	Order     string
	Warehouse string
	SKU       string
	Want      int
}

// Shortages reads the stock_short reasons of o.
func Shortages(o Order) []Shortage {
	var out []Shortage
	for _, r := range o.Reasons {
		if r.Code != ReasonStockShort {
			continue
		}
		want, err := strconv.Atoi(r.Args["want"])
		if err != nil || r.Args["sku"] == "" || r.Args["warehouse"] == "" {
			continue
		}
		out = append(out, Shortage{Order: o.ID, Warehouse: r.Args["warehouse"], SKU: r.Args["sku"], Want: want})
	}
	return out
}

// SuggestReplenishment adds up what waiting orders need per warehouse and
// SKU, compares it with the stock available now, and suggests for each
// SKU still short a transfer from the warehouse with the most units free
// (when it has them all) or a purchase. By warehouse and SKU.
func SuggestReplenishment(shorts []Shortage, stock []StockLevel) []Replenishment {
	at := map[string]map[string][]StockLevel{}
	for _, l := range stock {
		if at[l.Warehouse] == nil {
			at[l.Warehouse] = map[string][]StockLevel{}
		}
		at[l.Warehouse][l.SKU] = append(at[l.Warehouse][l.SKU], l)
	}
	type key struct{ w, sku string }
	sum := map[key]*Replenishment{}
	for _, s := range shorts {
		k := key{s.Warehouse, s.SKU}
		if sum[k] == nil {
			sum[k] = &Replenishment{Warehouse: s.Warehouse, SKU: s.SKU}
		}
		sum[k].Want += s.Want
		sum[k].Orders = append(sum[k].Orders, s.Order)
	}
	var out []Replenishment
	for k, r := range sum {
		r.Available = available(at[k.w][k.sku])
		r.Short = r.Want - r.Available
		if r.Short <= 0 {
			continue
		}
		r.Suggest = "purchase"
		if from := transferFrom(k.w, k.sku, r.Short, at); from != "" {
			r.Suggest, r.From = "transfer", from
		}
		slices.Sort(r.Orders)
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Replenishment) int {
		return cmp.Or(strings.Compare(a.Warehouse, b.Warehouse), strings.Compare(a.SKU, b.SKU))
	})
	return out
}
