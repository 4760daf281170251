package app

import (
	"fyne.io/fyne/v2/widget"
)

// reselect returns the index of the row whose key is old (when had), so a
// reloaded list keeps the operator's row; otherwise the first row, or -1
// when there are none.
func reselect[T any, K comparable](rows []T, old K, had bool, key func(T) K) int {
	sel := -1
	for i, r := range rows {
		if had && key(r) == old {
			sel = i
		}
	}
	if sel < 0 && len(rows) > 0 {
		sel = 0
	}
	return sel
}

// showRows refreshes l after its n rows changed: it selects sel (none
// when sel < 0) and shows empty only when there are no rows. A nil l
// (screen not built yet) is left alone.
func showRows(l *list, empty *widget.Label, sel, n int) {
	if l == nil {
		return
	}
	l.Refresh()
	if sel >= 0 {
		l.Select(sel)
	} else {
		l.UnselectAll()
	}
	if n == 0 {
		empty.Show()
	} else {
		empty.Hide()
	}
}
