package app

import "strings"

// ReturnsShown reports whether the returns panel replaces the order pane.
func (u *UI) ReturnsShown() bool {
	return u.packing.returns.root.Visible() && !u.packing.orderPane.Visible()
}

// ReturnsText is the returns panel's text: title, order line, lines, units
// and the units set aside.
func (u *UI) ReturnsText() string {
	r := u.packing.returns
	return strings.Join([]string{r.title.Text, r.sub.Text, r.lines.Text, r.units.Text, r.refused.Text}, "\n")
}

// KeysHint is the key hint above the manual entry.
func (u *UI) KeysHint() string { return u.packing.keysHint.Text }

// ReturnButtonsEnabled says which of the grade, disposition and close
// buttons can be pressed.
func (u *UI) ReturnButtonsEnabled() (grades, disps, close bool) {
	r := u.packing.returns
	return !r.grades[0].Disabled(), !r.disps[0].Disabled(), !r.close.Disabled()
}
