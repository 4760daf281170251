package server

// sellerWarehouses maps each configured Amazon seller to its warehouse,
// so the checkup and the console's sync log can be kept to one warehouse
// (nil without an Amazon connector).
func (m *Main) sellerWarehouses() map[string]string {
	if m.Amazon == nil {
		return nil
	}
	out := map[string]string{}
	for _, s := range m.Amazon.Sellers() {
		out[s.ID] = s.Warehouse
	}
	return out
}
