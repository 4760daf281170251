package label_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/label"
)

// Every count, size and length a user can give a template has a limit, and
// the error names it. The over-limit cases return at once: none draws.
func TestTemplateLimits(t *testing.T) {
	long := strings.Repeat("字", label.MaxFieldRunes+1)
	manyLines := strings.Repeat("SKU*1*t;", label.MaxLines+1)
	tests := []struct {
		template string
		fields   label.Fields
		want     string
	}{
		{"fnsku-sheet", label.Fields{"count": "1000000"}, "MaxSheetLabels"},
		{"fnsku-sheet", label.Fields{"count": "3001"}, "3000"},
		{"fnsku-sheet", label.Fields{"count": "0"}, "at least 1"},
		{"fnsku-sheet", label.Fields{"count": "-5"}, "at least 1"},
		{"fnsku-sheet", label.Fields{"count": "99999999999999999999"}, "whole number"},
		{"fnsku", label.Fields{"title": long}, "MaxFieldRunes"},
		{"fnsku", label.Fields{"size": "1000x1000"}, "MaxLabelMM"},
		{"pick-slip", label.Fields{"size": "4x100in"}, "MaxLabelMM"},
		{"shipping-4x6", label.Fields{"weight": "-1"}, "MaxWeightGrams"},
		{"shipping-4x6", label.Fields{"weight": "2000000"}, "MaxWeightGrams"},
		{"shipping-4x6", label.Fields{"lines": manyLines}, "MaxLines"},
		{"pick-slip", label.Fields{"lines": "A*100001*t"}, "MaxLineQty"},
		{"fba-carton", label.Fields{"box": "1", "boxes": "1000000"}, "MaxBoxes"},
		{"command-sheet", label.Fields{"extra": strings.Repeat("c=D;", label.MaxSheetEntries+1)}, "MaxSheetEntries"},
	}
	for _, tt := range tests {
		t.Run(tt.template+"/"+tt.want, func(t *testing.T) {
			_, err := label.Build(tt.template, tt.fields, 203)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Build(%s, %.60v) = %v, want an error naming %q", tt.template, tt.fields, err, tt.want)
			}
		})
	}
	// At the limit it still works.
	pages, err := label.Build("fnsku-sheet", label.Fields{"count": "60"}, 203)
	if err != nil || len(pages) != 2 {
		t.Fatalf("60 labels: %d pages, %v", len(pages), err)
	}
}

// WritePages stops between pages when ctx ends and says how far it got;
// progress is told after each page.
func TestWritePagesProgressAndInterrupt(t *testing.T) {
	pages, err := label.Build("fnsku-sheet", label.Fields{"count": "90"}, 203)
	if err != nil || len(pages) != 3 {
		t.Fatalf("%d pages, %v", len(pages), err)
	}
	for _, format := range []label.Format{label.FormatPDF, label.FormatZPL, label.FormatTSPL} {
		var seen []int
		err := label.WritePages(context.Background(), io.Discard, pages, format, label.Options{}, func(done, total int) {
			if total != 3 {
				t.Errorf("%s: total %d", format, total)
			}
			seen = append(seen, done)
		})
		if err != nil || len(seen) != 3 || seen[2] != 3 {
			t.Errorf("%s: progress %v, err %v", format, seen, err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		calls := 0
		err = label.WritePages(ctx, io.Discard, pages, format, label.Options{}, func(done, total int) {
			calls++
			if done == 1 {
				cancel() // Ctrl-C after the first page
			}
		})
		cancel()
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "stopped after 1 of 3 pages") || calls != 1 {
			t.Errorf("%s: interrupted write = %v after %d pages", format, err, calls)
		}
	}
}
