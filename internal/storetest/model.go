package storetest

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
)

// testPushModel: random pushes (retries, overlaps, reordered and
// duplicated events, gaps) of one station's events against a model of
// the protocol: the server holds exactly the longest gap-free prefix it
// was sent, answers Applied and Gap as the model says, and records each
// rejected event once.
func testPushModel(t *testing.T, e *Env) {
	n := 0
	rapid.Check(t, func(rt *rapid.T) {
		n++
		st, _, err := e.S.CreateStation(e.Ctx, fmt.Sprintf("model-%d", n), "W1")
		if err != nil {
			rt.Fatal(err)
		}
		total := rapid.IntRange(1, 40).Draw(rt, "events")
		evs := make([]event.Envelope, total+1)
		bad := map[uint64]bool{}
		for s := 1; s <= total; s++ {
			if rapid.Bool().Draw(rt, fmt.Sprintf("unknown-order-%d", s)) {
				evs[s] = Ev(st, uint64(s), event.Scan{Data: "x"}, "NOPE", 1, e.Clock.Now())
				bad[uint64(s)] = true
			} else {
				evs[s] = Ev(st, uint64(s), event.Session{Name: "Ann"}, "", 0, e.Clock.Now())
			}
		}
		var applied uint64
		for step := 0; applied < uint64(total) && step < 30; step++ {
			k := rapid.IntRange(1, 12).Draw(rt, "batch")
			var batch []event.Envelope
			want := map[uint64]bool{}
			for i := 0; i < k; i++ {
				s := rapid.IntRange(1, total).Draw(rt, "seq")
				batch = append(batch, evs[s])
				want[uint64(s)] = true
			}
			next := applied + 1
			for want[next] {
				next++
			}
			gap := false
			for s := range want {
				gap = gap || s >= next
			}
			r, err := e.S.Push(e.Ctx, st, batch)
			if err != nil {
				rt.Fatal(err)
			}
			if r.Applied != next-1 || r.Gap != gap {
				rt.Fatalf("push %v after %d: Applied %d Gap %v, model %d %v", seqs(batch), applied, r.Applied, r.Gap, next-1, gap)
			}
			for _, rj := range r.Rejections {
				if !bad[rj.Seq] || !want[rj.Seq] || rj.Seq > r.Applied {
					rt.Fatalf("rejection %+v not expected", rj)
				}
			}
			applied = r.Applied
		}
		rej, err := e.S.Rejections(e.Ctx, central.RejectionFilter{Station: st.ID})
		if err != nil {
			rt.Fatal(err)
		}
		got := map[uint64]int{}
		for _, rj := range rej {
			got[rj.Seq]++
		}
		for s := uint64(1); s <= applied; s++ {
			if w := map[bool]int{true: 1}[bad[s]]; got[s] != w {
				rt.Fatalf("seq %d recorded %d times as rejected, want %d", s, got[s], w)
			}
		}
		if len(rej) != len(got) {
			rt.Fatalf("rejections recorded twice: %d rows, %d seqs", len(rej), len(got))
		}
	})
}

func seqs(es []event.Envelope) []uint64 {
	var out []uint64
	for _, e := range es {
		out = append(out, e.Seq)
	}
	return out
}
