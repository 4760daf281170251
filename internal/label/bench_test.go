package label_test

import (
	"bytes"
	"image/png"
	"io"
	"testing"

	"github.com/packdesk/packdesk/internal/label"
)

func BenchmarkFNSKUToZPL(b *testing.B) {
	for b.Loop() {
		l, err := label.FNSKU(label.FNSKUData{FNSKU: "X001ABCDEF", Title: "Stainless steel water bottle 500 ml, leak-proof lid", MadeIn: "China"}, 203)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := l.ZPL(label.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func shipping4x6(b *testing.B) *label.Label {
	l, err := label.Build("shipping-4x6", nil, 203)
	if err != nil {
		b.Fatal(err)
	}
	return l[0]
}

func Benchmark4x6ToPNG203(b *testing.B) {
	l := shipping4x6(b)
	for b.Loop() {
		if err := l.PNG(io.Discard, label.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPNG4x6ToGF(b *testing.B) {
	var buf bytes.Buffer
	if err := shipping4x6(b).PNG(&buf, label.Options{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		img, err := png.Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			b.Fatal(err)
		}
		_ = label.ZPLGraphic(img)
	}
}

func Benchmark4x6ToZPL203(b *testing.B) {
	l := shipping4x6(b)
	for b.Loop() {
		if _, err := l.ZPL(label.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
