package carrier

import (
	"strconv"
	"strings"

	"github.com/packdesk/packdesk/internal/pack"
)

// FactsOf gathers what the rules look at from an order, its marketplace
// and the SKU master (sku returns false for an unknown SKU, which then
// adds no weight, size or flags). The value is the sum of the lines'
// prices when every line has one in the same currency, else unknown (-1).
func FactsOf(o pack.Order, marketplace string, sku func(string) (pack.SKU, bool)) Facts {
	f := Facts{Marketplace: marketplace, Country: strings.ToUpper(strings.TrimSpace(o.Recipient.Country)),
		Level: o.ServiceLevel, Value: -1}
	for _, l := range o.Lines {
		s, ok := sku(l.SKU)
		if !ok {
			continue
		}
		f.WeightGrams += s.WeightGrams * max(l.Quantity, 0)
		f.SideMM = max(f.SideMM, s.LengthMM, s.WidthMM, s.HeightMM)
		f.Battery = f.Battery || s.Battery
		f.Liquid = f.Liquid || s.Liquid
	}
	f.Value, f.Currency = orderValue(o.Lines)
	return f
}

// orderValue sums the lines' prices in minor units; -1 when a line has no
// price, a price that is not a decimal amount, or another currency.
func orderValue(lines []pack.Line) (int64, string) {
	var sum int64
	cur := ""
	for i, l := range lines {
		c := strings.ToUpper(strings.TrimSpace(l.Currency))
		v, ok := minorUnits(l.Price)
		if !ok || c == "" || i > 0 && c != cur {
			return -1, ""
		}
		cur, sum = c, sum+v
		if sum > 1e15 {
			return -1, ""
		}
	}
	if cur == "" {
		return -1, ""
	}
	return sum, cur
}

// minorUnits reads "19.99", "20", "0.5" as cents.
func minorUnits(s string) (int64, bool) {
	m := reAmount.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || m[3] != "" {
		return 0, false
	}
	whole, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return 0, false
	}
	frac := int64(0)
	if m[2] != "" {
		frac, _ = strconv.ParseInt((m[2] + "0")[:2], 10, 64)
	}
	return whole*100 + frac, true
}
