package importfile

import (
	"github.com/packdesk/packdesk/internal/pack"

	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxPackUnits is the most pieces one SKU unit (a set, a pack) may hold.
const maxPackUnits = 100_000

// unitFacts reads what the review rules' unit-mismatch check compares
// order lines with: unit (what one unit of the SKU is: piece 件, set 套,
// pack, …) and pack_units (how many pieces it holds, a whole number from
// 0 to 100,000; 0 or empty when not recorded).
func (r skuRow) unitFacts(s *pack.SKU) error {
	s.Unit = r.get("unit")
	if n := utf8.RuneCountInString(s.Unit); n > maxUnitRunes {
		return r.bad("unit", "%q is %d characters, more than a unit name (at most %d, like piece, set, 件, 套)", s.Unit, n, maxUnitRunes)
	}
	if strings.IndexFunc(s.Unit, unicode.IsControl) >= 0 {
		return r.bad("unit", "%q holds control characters: write the unit as text (piece, set, 件, 套)", s.Unit)
	}
	if v := r.get("pack_units"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > maxPackUnits {
			return r.bad("pack_units", "%q is not a whole number of pieces (0 to %d)", v, maxPackUnits)
		}
		s.PackUnits = n
	}
	return nil
}
