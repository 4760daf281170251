// Package demo loads the demo data set (SKUs, orders, packers) into a
// station journal and writes a sheet with every demo barcode, so a
// newcomer can pack demo orders with no hardware, or with a real scanner
// pointed at the printed sheet.
package demo

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/packdesk/packdesk/internal/importfile"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/label"
	"github.com/packdesk/packdesk/internal/pack"
)

//go:embed data/skus.csv data/orders.txt
var files embed.FS

// Demo order ids, by what they show.
const (
	OrderSingle    = "114-0000001-0000001" // one mug
	OrderMultiUnit = "114-0000002-0000002" // 2 mugs + a cable
	OrderPackOf6   = "114-0000003-0000003" // 6 mugs: scan the pack-of-6 barcode once
	OrderSerial    = "114-0000004-0000004" // earbuds: scan the serial number too
	OrderSet       = "114-0000005-0000005" // 5 pairs of socks: the set (套) barcode counts 5
	OrderCancelled = "114-0000006-0000006" // cancelled: must be refused
	OrderOnHold    = "114-0000007-0000007" // on hold: refused unless a supervisor overrides
	OrderFBAPrep   = "FBA15DEMO01"         // FBA prep batch: FNSKU labels
)

// Packers are the demo badges.
var Packers = []pack.Packer{
	{Badge: "P100", Name: "Li Wei 李伟"},
	{Badge: "P200", Name: "Maria Garcia"},
	{Badge: "SUP1", Name: "Zhang Min 张敏", Supervisor: true},
}

// Serials are demo serial numbers for the earbuds.
var Serials = []string{"SN-DEMO-0001", "SN-DEMO-0002", "SN-DEMO-0003"}

// SheetFile is the barcode sheet's name in the demo directory.
const SheetFile = "demo-barcodes.pdf"

// Data returns the demo SKUs and orders as the importers read them from the
// embedded files, with the demo statuses applied. Errors: the importers'
// (a broken embedded file is a build bug).
func Data() ([]pack.SKU, []pack.Order, error) {
	sf, err := files.Open("data/skus.csv")
	if err != nil {
		return nil, nil, err
	}
	defer sf.Close()
	skus, err := importfile.ReadSKUs(sf)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: embedded SKU file: %w", err)
	}
	of, err := files.Open("data/orders.txt")
	if err != nil {
		return nil, nil, err
	}
	defer of.Close()
	orders, err := importfile.ReadAmazonOrders(of)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: embedded orders report: %w", err)
	}
	titles := map[string]string{}
	for _, s := range skus {
		titles[s.SKU] = s.Title
	}
	for i := range orders {
		o := &orders[i]
		switch o.ID {
		case OrderCancelled:
			o.Status = pack.StatusCancelled
		case OrderOnHold:
			o.Status, o.HoldReason = pack.StatusOnHold, "address check"
		case OrderFBAPrep:
			o.Channel = pack.ChannelFBAPrep
		}
		for j := range o.Lines { // the SKU master's titles (with Chinese) on screen and labels
			if t := titles[o.Lines[j].SKU]; t != "" {
				o.Lines[j].Title = t
			}
		}
	}
	return skus, orders, nil
}

// ShipFrom is the ship-from address Seed gives a demo journal that has
// none (shipping and FBA carton labels are refused without one).
var ShipFrom = pack.Address{Name: "Shenzhen Demo Trading Co.", Line1: "1 Keji Rd, Nanshan", City: "Shenzhen",
	State: "GD", PostalCode: "518057", Country: "CN", Phone: "+86 755 0000 0000"}

// StationID is the station id Seed gives a demo journal that has none.
const StationID = "DEMO"

// Seed loads the demo data into j, gives it the station id StationID when
// it has none, and writes the barcode sheet into dir (created if missing;
// not drawn again when it is there from the same data and program). It is idempotent: SKUs and packers are upserted,
// orders already in the journal are left as they are (so packed demo
// orders stay packed), and the journal's events are never touched.
// Errors: the journal's write errors; the sheet cannot be drawn or written.
func Seed(ctx context.Context, j *journal.Journal, dir string) error {
	skus, orders, err := Data()
	if err != nil {
		return err
	}
	if err := j.PutSKUs(ctx, skus, nil); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := j.PutPackers(ctx, Packers, nil); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if id, _, err := j.Setting(journal.SettingStationID); err != nil {
		return fmt.Errorf("demo: %w", err)
	} else if id == "" {
		if err := j.SetSetting(ctx, journal.SettingStationID, StationID); err != nil {
			return fmt.Errorf("demo: set the station id: %w", err)
		}
	}
	if from, _, err := j.Setting(journal.SettingShipFrom); err != nil {
		return fmt.Errorf("demo: %w", err)
	} else if from == "" {
		b, _ := json.Marshal(ShipFrom)
		if err := j.SetSetting(ctx, journal.SettingShipFrom, string(b)); err != nil {
			return fmt.Errorf("demo: set the ship-from address: %w", err)
		}
	}
	var fresh []pack.Order
	for _, o := range orders {
		_, ok, err := j.Order(o.ID)
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if !ok {
			fresh = append(fresh, o)
		}
	}
	if err := j.PutOrders(ctx, fresh, nil); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("demo: create %s: %w: check the path and its permissions", dir, err)
	}
	return writeSheetOnce(filepath.Join(dir, SheetFile), skus, orders)
}

// SheetEntries lists every demo barcode: packer badges, orders, units
// (barcodes, pack and set aliases, FNSKUs), serial numbers and commands.
func SheetEntries(skus []pack.SKU, orders []pack.Order) []label.CommandEntry {
	var out []label.CommandEntry
	for _, p := range Packers {
		out = append(out, label.Badge(p.Badge, asciiName(p.Name)))
	}
	for _, o := range orders {
		out = append(out, label.CommandEntry{Caption: "Order " + o.ID + " (" + string(o.Status) + ", " + string(o.Channel) + ")", Data: o.ID})
	}
	for _, s := range skus {
		for _, a := range s.Barcodes {
			c := "Unit " + s.SKU
			if a.Units > 1 {
				c = fmt.Sprintf("%s x %d (pack/set)", s.SKU, a.Units)
			}
			out = append(out, label.CommandEntry{Caption: c, Data: a.Code})
		}
		if s.FNSKU != "" {
			out = append(out, label.CommandEntry{Caption: "FNSKU label " + s.SKU, Data: s.FNSKU})
		}
	}
	for _, sn := range Serials {
		out = append(out, label.CommandEntry{Caption: "Serial (earbuds)", Data: sn})
	}
	return append(out, label.DefaultCommands(nil)...)
}

// WriteSheet writes the demo barcode sheet PDF to path. Errors: drawing
// and I/O errors.
func WriteSheet(path string, skus []pack.SKU, orders []pack.Order) error {
	pages, err := label.CommandSheet(label.CommandSheetData{Title: "Packdesk demo barcodes", Entries: SheetEntries(skus, orders)}, 203)
	if err != nil {
		return fmt.Errorf("demo: draw the barcode sheet: %w", err)
	}
	var buf bytes.Buffer
	if err := label.WritePDF(&buf, pages, label.Options{}); err != nil {
		return fmt.Errorf("demo: write the barcode sheet: %w", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("demo: write %s: %w: check the directory's permissions", path, err)
	}
	return nil
}

// asciiName keeps the Latin part of a name: badge captions are printed with
// the sheet's Latin font.
func asciiName(s string) string {
	var b []rune
	for _, r := range s {
		if r < 0x80 {
			b = append(b, r)
		}
	}
	return string(bytes.TrimSpace([]byte(string(b))))
}
