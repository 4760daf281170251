package label

import (
	"context"
	"fmt"
	"unicode/utf8"
)

// Limits on what a user or a file can ask a template for. Each is far
// above a real label's needs and far below what would take minutes or
// gigabytes to draw; the error names the limit and what to do.
const (
	// MaxSheetLabels is the most labels one FNSKU sheet run draws: 100 A4
	// pages of 30. Print more in several runs.
	MaxSheetLabels = 3000
	// MaxSheetEntries is the most barcodes on one command sheet (its pages
	// hold 8 each).
	MaxSheetEntries = 400
	// MaxFieldRunes is the longest value of one template field.
	MaxFieldRunes = 1000
	// MaxListFieldRunes is the longest value of a field that lists things
	// (lines, badges, extra entries, reasons).
	MaxListFieldRunes = 50_000
	// MaxLines is the most SKU lines on a shipping label or pick slip.
	MaxLines = 200
	// MaxLineQty is the largest quantity of one line.
	MaxLineQty = 100_000
	// MaxWeightGrams is the heaviest parcel weight printed (1 t).
	MaxWeightGrams = 1_000_000
	// MaxBoxes is the most boxes in one FBA shipment the carton id can
	// number (U000001..U999999).
	MaxBoxes = 999_999
	// MaxLabelMM is the largest label side: wider or longer than A4 is no
	// thermal label.
	MaxLabelMM = 300.0
)

// limitError says which limit a value broke and what to do.
func limitError(what string, got, limit any, todo string) error {
	return fmt.Errorf("label: %s is %v, more than the limit of %v: %s", what, got, limit, todo)
}

// listFields are the template fields that list several things.
var listFields = map[string]bool{"lines": true, "badges": true, "extra": true, "reasons": true}

// checkFieldLengths refuses a field value longer than MaxFieldRunes.
func checkFieldLengths(f Fields) error {
	for k, v := range f {
		limit, name := MaxFieldRunes, "MaxFieldRunes"
		if listFields[k] {
			limit, name = MaxListFieldRunes, "MaxListFieldRunes"
		}
		if n := utf8.RuneCountInString(v); n > limit {
			return limitError("field "+k, fmt.Sprintf("%d characters long", n), fmt.Sprintf("%d characters (%s)", limit, name), "shorten it")
		}
	}
	return nil
}

// Progress is told after each page is written: done of total.
type Progress func(done, total int)

// checkCtx returns ctx's error wrapped with where the work stopped.
func checkCtx(ctx context.Context, done, total int) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("label: stopped after %d of %d pages: %w", done, total, err)
	}
	return nil
}
