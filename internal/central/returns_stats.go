package central

import (
	"cmp"
	"slices"
)

// CountReturns makes the statistics of returns rs with their units us and
// write-offs ws: returns and requested units by reason (a line's own
// reason, else the return's), received units by grade ("" = not graded
// yet), and per SKU requested, received, restocked and written off with
// the value per currency. Units received beyond what was shipped (Excess)
// are not counted as received. Rows are sorted by units, then key.
func CountReturns(rs []Return, us []ReturnUnit, ws []WriteOff) ReturnStats {
	st := ReturnStats{ByReason: []StatCount{}, ByGrade: []StatCount{}, BySKU: []SKUStat{}}
	reasons := map[string]*StatCount{}
	grades := map[string]*StatCount{}
	skus := map[string]*SKUStat{}
	sku := func(s string) *SKUStat {
		if skus[s] == nil {
			skus[s] = &SKUStat{SKU: s}
		}
		return skus[s]
	}
	for _, r := range rs {
		st.Returns++
		counted := map[string]bool{}
		for _, l := range r.Lines {
			reason := l.Reason
			if reason == "" {
				reason = r.Reason
			}
			if reasons[reason] == nil {
				reasons[reason] = &StatCount{Key: reason}
			}
			if !counted[reason] {
				reasons[reason].Returns++
				counted[reason] = true
			}
			reasons[reason].Units += l.Quantity
			st.Units += l.Quantity
			sku(l.SKU).Requested += l.Quantity
		}
	}
	for _, u := range us {
		if u.Excess {
			continue
		}
		st.Received++
		s := sku(u.SKU)
		s.Received++
		if u.Disposition == "restock" && u.Disposed != nil {
			s.Restocked++
		}
		if grades[u.Grade] == nil {
			grades[u.Grade] = &StatCount{Key: u.Grade}
		}
		grades[u.Grade].Units++
	}
	for _, w := range ws {
		s := sku(w.SKU)
		s.WrittenOff += w.Units
		if s.WrittenOffV == nil {
			s.WrittenOffV = map[string]int64{}
		}
		s.WrittenOffV[w.Currency] += w.AmountCents
	}
	for _, c := range reasons {
		st.ByReason = append(st.ByReason, *c)
	}
	for _, c := range grades {
		st.ByGrade = append(st.ByGrade, *c)
	}
	for _, s := range skus {
		st.BySKU = append(st.BySKU, *s)
	}
	byUnits := func(a, b StatCount) int { return cmp.Or(b.Units-a.Units, cmp.Compare(a.Key, b.Key)) }
	slices.SortFunc(st.ByReason, byUnits)
	slices.SortFunc(st.ByGrade, byUnits)
	slices.SortFunc(st.BySKU, func(a, b SKUStat) int {
		return cmp.Or(b.Requested+b.Received-a.Requested-a.Received, cmp.Compare(a.SKU, b.SKU))
	})
	return st
}
