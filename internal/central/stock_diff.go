package central

import (
	"slices"
	"strings"
	"time"
)

// FBAItem is one SKU's FBA inventory as Amazon reports it (the FBA
// inventory report file or getInventorySummaries).
type FBAItem struct {
	SKU         string `json:"sku"`
	FNSKU       string `json:"fnsku,omitempty"`
	ASIN        string `json:"asin,omitempty"`
	Fulfillable int    `json:"fulfillable"` // sellable, free to ship
	Reserved    int    `json:"reserved"`    // in Amazon's centres, held for orders or transfers
	Unsellable  int    `json:"unsellable"`  // damaged, defective, expired
	Inbound     int    `json:"inbound"`     // working, shipped and receiving: not there yet
}

// OnHand is what Amazon holds as sellable: fulfillable and reserved.
func (f FBAItem) OnHand() int { return f.Fulfillable + f.Reserved }

// StockDifference is one SKU whose local figure and Amazon's differ:
// Local is on hand at the local warehouse standing for the FBA stock
// (summed over its locations), FBA is Amazon's fulfillable + reserved,
// Difference = Local - FBA (positive: the local system counts more than
// Amazon has). The FBA columns are Amazon's figures for the reader.
type StockDifference struct {
	SKU         string `json:"sku"`
	FNSKU       string `json:"fnsku,omitempty"`
	Local       int    `json:"local"`
	FBA         int    `json:"fba"`
	Difference  int    `json:"difference"`
	Fulfillable int    `json:"fba_fulfillable"`
	Reserved    int    `json:"fba_reserved"`
	Unsellable  int    `json:"fba_unsellable"`
	Inbound     int    `json:"fba_inbound"`
}

// DiffFBA compares local stock rows (of the warehouse that stands for the
// FBA stock) with Amazon's figures and returns the SKUs whose on hand
// differs, by SKU: SKUs only one side knows count as 0 on the other
// (a SKU Amazon lists with nothing on hand, and nothing locally, is
// not a difference). Items of one SKU are added up.
func DiffFBA(local []StockLevel, fba []FBAItem) []StockDifference {
	by := map[string]*StockDifference{}
	get := func(sku string) *StockDifference {
		if by[sku] == nil {
			by[sku] = &StockDifference{SKU: sku}
		}
		return by[sku]
	}
	for _, l := range local {
		get(l.SKU).Local += l.OnHand
	}
	for _, f := range fba {
		d := get(f.SKU)
		if d.FNSKU == "" {
			d.FNSKU = f.FNSKU
		}
		d.FBA += f.OnHand()
		d.Fulfillable += f.Fulfillable
		d.Reserved += f.Reserved
		d.Unsellable += f.Unsellable
		d.Inbound += f.Inbound
	}
	var out []StockDifference
	for _, d := range by {
		if d.Difference = d.Local - d.FBA; d.Difference != 0 {
			out = append(out, *d)
		}
	}
	slices.SortFunc(out, func(a, b StockDifference) int { return strings.Compare(a.SKU, b.SKU) })
	return out
}

// Where a stock comparison's FBA figures came from.
const (
	StockDiffReport = "report" // an FBA inventory report file
	StockDiffSPAPI  = "sp-api" // getInventorySummaries
)

// StockDiffRun is the last FBA reconciliation of a warehouse against one
// seller's FBA figures (Seller "" for a report file, which names no
// seller), kept so the morning checkup can list the differences and say
// how old the comparison is.
type StockDiffRun struct {
	Warehouse   string            `json:"warehouse"`
	Seller      string            `json:"seller,omitempty"`
	Source      string            `json:"source"` // StockDiffReport or StockDiffSPAPI
	At          time.Time         `json:"at"`
	Items       int               `json:"items"` // SKUs in Amazon's figures
	Differences []StockDifference `json:"differences"`
}
