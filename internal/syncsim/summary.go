package syncsim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/event"
)

// Summary is what a simulation did and what it checked.
type Summary struct {
	Stations, Orders int
	Faults           bool
	Seed             uint64
	// Orders as the server has them at the end.
	Packed, Cancelled, Exception, Unfinished int
	// PackedTwice counts orders with more than one order_packed event
	// recorded by the stations (must be 0); PackedMismatch orders packed
	// at a station (and not rejected) that the server does not hold as
	// packed or cancelled, or the reverse (must be 0).
	PackedTwice, PackedMismatch int
	// Events the stations recorded, and the events the server holds of
	// them (must be equal); Pending those the stations still hold unsent.
	Events, Held, Pending uint64
	// Rejections by reason on the server; StationRejections those the
	// stations kept (must equal their sum).
	Rejections        map[string]int
	StationRejections int
	// What the packers and the link did.
	WrongItems, OverScans, Intercepts, Refused, LinkFaults int
	Elapsed                                                time.Duration
}

// Check returns an error naming every lost, doubled or unaccounted event
// or order; nil when the simulation is consistent.
func (s Summary) Check() error {
	var errs []error
	if s.PackedTwice > 0 {
		errs = append(errs, fmt.Errorf("%d orders packed twice", s.PackedTwice))
	}
	if s.PackedMismatch > 0 {
		errs = append(errs, fmt.Errorf("%d orders packed at a station but not on the server, or the reverse", s.PackedMismatch))
	}
	if s.Events != s.Held || s.Pending > 0 {
		errs = append(errs, fmt.Errorf("the stations recorded %d events, the server holds %d, %d still pending", s.Events, s.Held, s.Pending))
	}
	total := 0
	for _, n := range s.Rejections {
		total += n
	}
	if total != s.StationRejections {
		errs = append(errs, fmt.Errorf("the server rejected %d events, the stations kept %d rejections", total, s.StationRejections))
	}
	if s.Unfinished > 0 {
		errs = append(errs, fmt.Errorf("%d orders neither packed, cancelled nor in exception", s.Unfinished))
	}
	return errors.Join(errs...)
}

// Write prints the summary for people.
func (s Summary) Write(w io.Writer) {
	faults := "no faults"
	if s.Faults {
		faults = fmt.Sprintf("faults on (%d link faults injected)", s.LinkFaults)
	}
	fmt.Fprintf(w, "simulated %d stations, %d orders, %s, seed %d, in %s\n", s.Stations, s.Orders, faults, s.Seed, s.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(w, "orders: %d packed once, %d packed twice, %d cancelled, %d exception, %d unfinished, %d station/server mismatches\n",
		s.Packed, s.PackedTwice, s.Cancelled, s.Exception, s.Unfinished, s.PackedMismatch)
	fmt.Fprintf(w, "events: %d recorded, %d held by the server, %d pending\n", s.Events, s.Held, s.Pending)
	fmt.Fprintf(w, "packers: %d wrong items and %d over-scans caught, %d intercepts acknowledged, %d orders refused at the bench\n",
		s.WrongItems, s.OverScans, s.Intercepts, s.Refused)
	codes := make([]string, 0, len(s.Rejections))
	for c := range s.Rejections {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	fmt.Fprintf(w, "rejections: %d kept at the stations", s.StationRejections)
	for _, c := range codes {
		fmt.Fprintf(w, ", %s %d", c, s.Rejections[c])
	}
	fmt.Fprintln(w)
	secs := s.Elapsed.Seconds()
	if secs > 0 {
		fmt.Fprintf(w, "throughput: %.0f events/s, %.1f orders packed/s\n", float64(s.Events)/secs, float64(s.Packed)/secs)
	}
	if err := s.Check(); err != nil {
		fmt.Fprintf(w, "CHECK FAILED: %v\n", err)
	} else {
		fmt.Fprintln(w, "check: every event accounted for, no order packed twice")
	}
}

func (s *sim) summarise(ctx context.Context, stations []*simStation, cancelled []string, elapsed time.Duration) (Summary, error) {
	sum := Summary{Stations: len(stations), Orders: s.o.Orders, Faults: s.o.Faults, Seed: s.o.Seed,
		Rejections: map[string]int{}, Elapsed: elapsed}
	rejected := map[string]bool{} // station|seq of rejected events
	packedAt := map[string]int{}  // order → applied order_packed events recorded at the stations
	for _, st := range stations {
		last, err := st.j.LastSeq()
		if err != nil {
			return sum, err
		}
		pushed, err := st.j.Pushed()
		if err != nil {
			return sum, err
		}
		sum.Events += last
		sum.Pending += last - min(pushed, last)
		kept, err := st.j.Rejections()
		if err != nil {
			return sum, err
		}
		sum.StationRejections += len(kept)
		for _, r := range kept {
			rejected[fmt.Sprint(st.id, "|", r.Seq)] = true
		}
		for after := uint64(0); after < last; {
			evs, err := st.j.EventsAfter(after, 1000)
			if err != nil {
				return sum, err
			}
			if len(evs) == 0 {
				break
			}
			for _, e := range evs {
				if e.Type == event.TypePacked && !rejected[fmt.Sprint(st.id, "|", e.Seq)] {
					packedAt[e.Order]++
				}
			}
			after = evs[len(evs)-1].Seq
		}
		st.mu.Lock()
		sum.WrongItems += st.wrong
		sum.OverScans += st.over
		sum.Intercepts += st.intercepts
		sum.Refused += st.refusals
		sum.LinkFaults += st.faults
		st.mu.Unlock()
	}
	stationsNow, err := s.admin.Stations(ctx)
	if err != nil {
		return sum, fmt.Errorf("simulate: list stations: %w", err)
	}
	for _, st := range stations {
		for _, srv := range stationsNow {
			if srv.ID == st.id {
				sum.Held += srv.Applied
			}
		}
	}
	rs, err := s.admin.Rejections(ctx, central.RejectionFilter{Warehouse: s.wh})
	if err != nil {
		return sum, fmt.Errorf("simulate: list rejections: %w", err)
	}
	for _, r := range rs {
		sum.Rejections[r.Code]++
	}
	os, err := s.admin.Orders(ctx, central.OrderFilter{Warehouse: s.wh})
	if err != nil {
		return sum, fmt.Errorf("simulate: list orders: %w", err)
	}
	for _, o := range os {
		n := packedAt[o.ID]
		if n > 1 {
			sum.PackedTwice++
		}
		switch o.State {
		case central.StatePacked:
			sum.Packed++
			if n != 1 {
				sum.PackedMismatch++
			}
		case central.StateCancelled:
			sum.Cancelled++
		case central.StateException:
			sum.Exception++
		default:
			sum.Unfinished++
			if n > 0 {
				sum.PackedMismatch++
			}
		}
	}
	_ = cancelled
	return sum, nil
}
