package checkup

import (
	"context"
	"strconv"

	"github.com/packdesk/packdesk/internal/central"
)

// stockSection lists the last FBA comparison of each warehouse and seller
// (kept by packdeskctl server stock diff and diff-amazon): every SKU that
// differed is red; a comparison older than StockStale is a warning (the
// figures may have moved since). No comparison on record is not a
// problem in itself (a warehouse may have no FBA stock) and says how to
// run one.
func stockSection(ctx context.Context, s central.Store, o Options, sec *Section) error {
	runs, err := s.StockDiffs(ctx, o.Warehouse)
	if err != nil {
		return err
	}
	if len(runs) == 0 {
		sec.Summary = o.t("checkup.stock.never")
		return nil
	}
	sec.Columns = []string{"warehouse", "source", "compared", "age", "sku", "local", "fba", "difference"}
	diffs, stale := 0, 0
	for _, r := range runs {
		src := r.Seller
		if src == "" {
			src = o.t("checkup.stock.report")
		}
		row := []string{r.Warehouse, src, stamp(r.At), o.age(r.At)}
		if o.Now.Sub(r.At) >= o.StockStale {
			stale++
		}
		if len(r.Differences) == 0 {
			sec.Rows = append(sec.Rows, append(row, "-", "", "", o.t("checkup.stock.none")))
			continue
		}
		for _, d := range r.Differences {
			diffs++
			sec.Rows = append(sec.Rows, append(row[:4:4], d.SKU, strconv.Itoa(d.Local), strconv.Itoa(d.FBA), signed(d.Difference)))
		}
	}
	switch {
	case diffs > 0:
		sec.Level = LevelRed
	case stale > 0:
		sec.Level = LevelWarn
	}
	sec.Summary = o.t("checkup.stock.summary", "diffs", diffs, "runs", len(runs), "stale", stale, "d", o.StockStale)
	return nil
}

func signed(n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
