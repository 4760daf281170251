package carrier

import (
	"strings"

	"github.com/packdesk/packdesk/internal/pack"
)

// FactsOf gathers what the rules look at from an order, its marketplace
// and the SKU master (sku returns false for an unknown SKU, which then
// adds no weight, size or flags). The value is unknown (-1): orders do not
// carry prices yet.
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
	return f
}
