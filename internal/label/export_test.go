package label

import "golang.org/x/image/font/sfnt"

// ForgetCJKFonts empties the per-process CJK font cache, so a benchmark
// measures a fresh load (the fonts themselves are left to the collector;
// mapped files stay mapped).
func ForgetCJKFonts() {
	cjkCache.Lock()
	defer cjkCache.Unlock()
	cjkCache.m = map[string]*sfnt.Font{}
}

// SameCJKFont reports whether a and b draw Chinese with the same parsed
// font (both must have loaded it).
func SameCJKFont(a, b *Fonts) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	b.mu.Lock()
	defer b.mu.Unlock()
	return a.cjk != nil && a.cjk == b.cjk
}
