package storetest

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/review"
)

// ImportOrders10k is the store part of issue 9's "import and review of
// a 10,000-order report": the orders of internal/httpapi's
// BenchmarkImportReview10k report (15,000 lines; 1 order in 10 caught by
// the rules: a bad postal code or an unknown SKU), already parsed.
func ImportOrders10k() ([]pack.Order, []pack.SKU) {
	const n = 10000
	var skus []pack.SKU
	for i := range 200 {
		skus = append(skus, pack.SKU{SKU: fmt.Sprintf("SKU-%03d", i), Title: "Item"})
	}
	orders := make([]pack.Order, 0, n)
	for i := range n {
		id := fmt.Sprintf("114-%07d-%07d", i, i)
		zip, sku := fmt.Sprintf("%05d", 10000+i%80000), fmt.Sprintf("SKU-%03d", i%200)
		switch i % 10 {
		case 3:
			zip = "ABC" // address_invalid
		case 7:
			sku = "UNKNOWN" // unknown_sku
		}
		o := pack.Order{ID: id, ServiceLevel: "Standard", Recipient: pack.Address{Name: fmt.Sprintf("Buyer %d", i),
			Line1: fmt.Sprintf("%d Main St", i), City: "Springfield", State: "IL", PostalCode: zip, Country: "US"},
			Lines: []pack.Line{{ItemID: fmt.Sprintf("%d1", i), SKU: sku, Title: sku, Quantity: 1}}}
		if i%2 == 0 {
			o.Lines = append(o.Lines, pack.Line{ItemID: fmt.Sprintf("%d2", i), SKU: fmt.Sprintf("SKU-%03d", (i+1)%200), Quantity: 2})
		}
		orders = append(orders, o)
	}
	return orders, skus
}

// BenchImportReview imports ImportOrders10k into a fresh store (open) per
// iteration with the built-in review rules, and reports per import: the
// wall time, this process's CPU time (getrusage) and, when dbPIDs lists
// the database server's processes on this machine (PostgreSQL's
// pg_stat_activity), their CPU time from /proc: a PostgreSQL store's work
// is half the server's.
func BenchImportReview(b *testing.B, open func(testing.TB, central.Options) central.Store, dbPIDs func() []int) {
	ctx := context.Background()
	orders, skus := ImportOrders10k()
	var cpu, dbCPU time.Duration
	for range b.N {
		b.StopTimer()
		s := open(b, central.Options{})
		if err := s.PutSKUs(ctx, skus); err != nil {
			b.Fatal(err)
		}
		rs, ok := s.(central.ReviewStore)
		if !ok {
			b.Fatalf("%T keeps no review rules", s)
		}
		if _, err := rs.PutReviewRules(ctx, review.DefaultText(), "bench"); err != nil {
			b.Fatal(err)
		}
		var d0 map[int]time.Duration
		if dbPIDs != nil {
			d0 = processCPU(dbPIDs())
		}
		c0 := selfCPU(b)
		b.StartTimer()
		res, err := s.ImportOrders(ctx, "W1", orders)
		b.StopTimer()
		cpu += selfCPU(b) - c0
		if dbPIDs != nil {
			for pid, t := range processCPU(dbPIDs()) {
				dbCPU += t - d0[pid] // a process started during the import counts whole
			}
		}
		if err != nil || res.Added != len(orders) {
			b.Fatalf("import: added %d of %d, %v", res.Added, len(orders), err)
		}
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/import")
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/import")
	if dbCPU > 0 {
		b.ReportMetric(dbCPU.Seconds()/float64(b.N), "pg-cpu-s/import")
	}
}

func selfCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processCPU returns the user and system time of the processes pids
// (none without /proc).
func processCPU(pids []int) map[int]time.Duration {
	out := map[int]time.Duration{}
	for _, pid := range pids {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue
		}
		s := string(data)
		end := strings.LastIndexByte(s, ')')
		if end < 0 {
			continue
		}
		f := strings.Fields(s[end+1:]) // f[0] is field 3 (state); utime and stime are fields 14 and 15
		if len(f) < 13 {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		out[pid] = time.Duration(u+st) * time.Second / 100 // USER_HZ is 100 on Linux
	}
	return out
}
