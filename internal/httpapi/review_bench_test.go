package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/review"
)

// BenchmarkImportReview10k imports a 10,000-order unshipped-orders report
// (15,000 lines, 1 in 10 orders with something the rules catch) through
// POST /api/v1/admin/orders/import into a fresh SQLite store with the
// built-in review rules: parse, store, review. Goal ≤ 5 s per import.
func BenchmarkImportReview10k(b *testing.B) {
	const n = 10000
	var rep bytes.Buffer
	rep.WriteString("order-id\torder-item-id\tsku\tquantity-purchased\tship-service-level\trecipient-name\tship-address-1\tship-city\tship-state\tship-postal-code\tship-country\n")
	for i := range n {
		id := fmt.Sprintf("114-%07d-%07d", i, i)
		zip, sku := fmt.Sprintf("%05d", 10000+i%80000), fmt.Sprintf("SKU-%03d", i%200)
		switch i % 10 {
		case 3:
			zip = "ABC" // address_invalid
		case 7:
			sku = "UNKNOWN" // unknown_sku
		}
		fmt.Fprintf(&rep, "%s\t%d1\t%s\t1\tStandard\tBuyer %d\t%d Main St\tSpringfield\tIL\t%s\tUS\n", id, i, sku, i, i, zip)
		if i%2 == 0 {
			fmt.Fprintf(&rep, "%s\t%d2\tSKU-%03d\t2\tStandard\tBuyer %d\t%d Main St\tSpringfield\tIL\t%s\tUS\n", id, i, (i+1)%200, i, i, zip)
		}
	}
	var skus []pack.SKU
	for i := range 200 {
		skus = append(skus, pack.SKU{SKU: fmt.Sprintf("SKU-%03d", i), Title: "Item"})
	}
	ctx := context.Background()
	for _, rules := range []bool{true, false} {
		b.Run(map[bool]string{true: "rules", false: "no-rules"}[rules], func(b *testing.B) { importReview(b, ctx, skus, rep.String(), n, rules) })
	}
}

// importReview imports report n times into fresh stores, with the
// built-in review rules or (to see what the rules cost) none.
// Besides the wall time it reports the process's CPU time per import
// (user + system), which a loaded machine inflates less.
func importReview(b *testing.B, ctx context.Context, skus []pack.SKU, report string, n int, rules bool) {
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e := newEnv(b, httpapi.Options{})
		if err := e.store.PutSKUs(ctx, skus); err != nil {
			b.Fatal(err)
		}
		if rules {
			if _, err := e.admin.PutReviewRules(ctx, review.DefaultText()); err != nil {
				b.Fatal(err)
			}
		}
		c0 := cpuTime(b)
		b.StartTimer()
		res, err := e.admin.ImportOrders(ctx, "W1", strings.NewReader(report))
		b.StopTimer()
		cpu += cpuTime(b) - c0
		b.StartTimer()
		if err != nil || res.Added != n {
			b.Fatalf("import: %+v, %v", res, err)
		}
	}
	b.StopTimer()
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/import")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/import")
}

func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
