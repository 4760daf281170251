package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/returnsfile"
)

// writeCSVFile writes a CSV file (UTF-8 with a byte-order mark, so Excel
// shows Chinese text as it is) through fill; a failed write removes the
// half-written file.
func writeCSVFile(path string, fill func(*csv.Writer) error) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write %s: %w", path, cerr)
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	if _, err := f.WriteString("\ufeff"); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	w := csv.NewWriter(f)
	if err := fill(w); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// cell keeps a spreadsheet from reading text as a formula: text starting
// with = + - @ (or a tab or CR) gets a leading apostrophe.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func eventID(e *central.EventRef) string {
	if e == nil {
		return ""
	}
	return e.Station + ":" + strconv.FormatUint(e.Seq, 10)
}

// writeLedgerCSV writes the write-off ledger, one row per entry.
func writeLedgerCSV(w *csv.Writer, ws []central.WriteOff) error {
	if err := w.Write([]string{"entry", "at", "warehouse", "return", "order_id", "sku", "disposition", "grade", "reason",
		"units", "unit_value", "currency", "amount", "unvalued", "event", "event_uuid"}); err != nil {
		return err
	}
	for _, e := range ws {
		ev := e.Event
		if err := w.Write([]string{strconv.FormatInt(e.ID, 10), stamp(e.At), cell(e.Warehouse), cell(e.Return), cell(e.OrderID),
			cell(e.SKU), e.Disposition, e.Grade, cell(e.Reason), strconv.Itoa(e.Units), returnsfile.FormatCents(e.UnitCents),
			e.Currency, returnsfile.FormatCents(e.AmountCents), strconv.FormatBool(e.Unvalued), eventID(&ev), ev.UUID}); err != nil {
			return err
		}
	}
	return nil
}

// writeUnitsCSV writes the return lines: one row per unit received.
func writeUnitsCSV(w *csv.Writer, us []central.ReturnUnit) error {
	if err := w.Write([]string{"return", "order_id", "warehouse", "station", "unit", "sku", "item_id", "serial", "lot",
		"reason", "grade", "disposition", "location", "excess", "received_at", "disposed_at", "received_event", "disposed_event"}); err != nil {
		return err
	}
	for _, u := range us {
		rec := u.Received
		if err := w.Write([]string{cell(u.Return), cell(u.OrderID), cell(u.Warehouse), cell(u.Station), strconv.Itoa(u.Unit),
			cell(u.SKU), cell(u.ItemID), cell(u.Serial), cell(u.Lot), cell(u.Reason), u.Grade, u.Disposition, cell(u.Location),
			strconv.FormatBool(u.Excess), stamp(u.ReceivedAt), stamp(u.DisposedAt), eventID(&rec), eventID(u.Disposed)}); err != nil {
			return err
		}
	}
	return nil
}
