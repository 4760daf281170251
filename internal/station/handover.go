package station

import "github.com/packdesk/packdesk/internal/pack"

// handOver audits what a log-out did with the open order (the logout
// event carries it too): handed over to the next packer, or put back
// (abandoned, it stays ready).
func (s *Station) handOver(p *step, cur saved) {
	d := p.d
	if d.HandOver == "" || cur.Packer == nil {
		return
	}
	action, detail := "handover", "order left open for the next packer"
	if d.HandOver == pack.LogoutPutBack {
		action, detail = "put_back", "order put back at log-out: items returned, the order stays ready"
		p.next.X.forget(d.Order)
	}
	s.audit(p, cur, cur.Packer.Badge, action, d.Order, d.HandOver, detail)
}

// takeOver audits a packer logging in while an order is open: handed over
// at a log-out, or taken from the packer still logged in.
func (s *Station) takeOver(p *step, cur saved) {
	o := cur.Open
	if o == nil || p.next.Packer == nil {
		return
	}
	from := o.HandedOverBy
	if from == "" && cur.Packer != nil {
		from = cur.Packer.Badge
	}
	if from == "" || from == p.next.Packer.Badge {
		return
	}
	s.audit(p, cur, p.next.Packer.Badge, "take_over", o.Order.ID, "", "order continued from "+from)
}
