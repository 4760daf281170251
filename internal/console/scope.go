package console

import (
	"net/url"
	"strings"
)

// warehouseArg is the warehouse a page lists for v: ?warehouse= when v
// may see it (a supervisor asking for another warehouse's gets the
// forbidden failure), else v's own scope ("" for an admin: every
// warehouse).
func (v *viewer) warehouseArg(q url.Values) (string, error) {
	wh := strings.TrimSpace(q.Get("warehouse"))
	if wh == "" {
		return v.User.Scope(), nil
	}
	if err := v.sees(wh); err != nil {
		return "", err
	}
	return wh, nil
}
