package syncsim

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"path/filepath"
	"sync"
	"time"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/faultproxy"
	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/pack"
	"github.com/packdesk/packdesk/internal/station"
	"github.com/packdesk/packdesk/internal/syncclient"
)

// claim is how many orders a station keeps ready.
const claim = 5

// simStation is one station: journal, headless station, sync client and
// (with faults) its proxy.
type simStation struct {
	sim   *sim
	id    string // the server's station id
	j     *journal.Journal
	st    *station.Station
	c     *syncclient.Client
	proxy *faultproxy.Proxy

	mu                   sync.Mutex
	faults               int
	wrong, over, packed  int
	intercepts, refusals int
}

func (s *sim) newStation(ctx context.Context, i int) (*simStation, error) {
	name := fmt.Sprintf("%s-B%02d", s.tag, i+1)
	reg, err := s.admin.AddStation(ctx, name, s.wh)
	if err != nil {
		return nil, fmt.Errorf("simulate: register station %s: %w", name, err)
	}
	ss := &simStation{sim: s, id: reg.Station.ID}
	// The journals keep fsync on: the stations are real ones.
	ss.j, err = journal.Open(filepath.Join(s.o.Dir, "stations", name+".db"), journal.Options{})
	if err != nil {
		return nil, fmt.Errorf("simulate: station %s: %w", name, err)
	}
	ss.st, err = station.New(ctx, station.Config{Journal: ss.j, StationID: ss.id, Labels: simLabels{}})
	if err != nil {
		ss.close()
		return nil, fmt.Errorf("simulate: station %s: %w", name, err)
	}
	url := s.base
	if s.o.Faults {
		host := s.base[len("http://"):]
		if ss.proxy, err = faultproxy.New(host); err != nil {
			ss.close()
			return nil, fmt.Errorf("simulate: station %s: %w", name, err)
		}
		url = "http://" + ss.proxy.Addr()
	}
	ss.c, err = syncclient.New(syncclient.Config{URL: url, Token: reg.Token, Station: ss.id, Journal: ss.j,
		Claim: claim, Interval: 100 * time.Millisecond, Timeout: 2 * time.Second,
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 300 * time.Millisecond, Logger: s.o.Logger,
		OnPull: func(ctx context.Context, r journal.PullResult) error {
			if len(r.Intercept) == 0 {
				return nil
			}
			return ss.st.CheckIntercepts(ctx)
		}})
	if err != nil {
		ss.close()
		return nil, err
	}
	return ss, nil
}

func (ss *simStation) close() {
	if ss.proxy != nil {
		_ = ss.proxy.Close()
	}
	if ss.j != nil {
		_ = ss.j.Close()
	}
}

func (ss *simStation) count(f func(*simStation)) {
	ss.mu.Lock()
	f(ss)
	ss.mu.Unlock()
}

// pack packs the station's ready orders until the server has none left
// for it.
func (ss *simStation) pack(ctx context.Context) error {
	for ctx.Err() == nil {
		if err := ss.acknowledge(ctx); err != nil {
			return err
		}
		os, err := ss.j.Orders(pack.StatusReady, "", 1)
		if err != nil {
			return fmt.Errorf("simulate: station %s: %w", ss.id, err)
		}
		if len(os) == 0 {
			done, err := ss.done(ctx)
			if err != nil || done {
				return err
			}
			ss.c.Kick()
			time.Sleep(30 * time.Millisecond)
			continue
		}
		if err := ss.packOrder(ctx, os[0]); err != nil {
			return err
		}
		ss.c.Kick()
	}
	return nil
}

// done reports whether the server has no unclaimed order left and every
// order it holds for this station is finished here (so only pushes are
// left to do).
func (ss *simStation) done(ctx context.Context) (bool, error) {
	left, err := ss.sim.readyLeft(ctx)
	if err != nil || left {
		return false, err
	}
	tasks, err := ss.sim.admin.Tasks(ctx, central.TaskFilter{Station: ss.id})
	if err != nil {
		return false, fmt.Errorf("simulate: list tasks of %s: %w", ss.id, err)
	}
	for _, t := range tasks {
		o, ok, err := ss.j.Order(t.OrderID)
		if err != nil {
			return false, err
		}
		if !ok || o.Status == pack.StatusReady {
			return false, nil // a grant not pulled yet, or still to pack
		}
	}
	return true, nil
}

// acknowledge pulls the parcels of intercepted orders (the station refuses
// scans until the packer did).
func (ss *simStation) acknowledge(ctx context.Context) error {
	for _, a := range ss.st.View().Alerts {
		if err := ss.st.AcknowledgeIntercept(ctx, a.Order); err != nil {
			return fmt.Errorf("simulate: station %s: acknowledge intercept of %s: %w", ss.id, a.Order, err)
		}
		ss.count(func(ss *simStation) { ss.intercepts++ })
	}
	return nil
}

func (ss *simStation) scan(ctx context.Context, code string) (station.Outcome, error) {
	out, err := ss.st.Scan(ctx, code, station.SourceWedge)
	if err != nil {
		return out, fmt.Errorf("simulate: station %s: scan %q: %w", ss.id, code, err)
	}
	return out, nil
}

// packOrder opens o (unless an order is open already: that one is
// finished first) and packs it.
func (ss *simStation) packOrder(ctx context.Context, o pack.Order) error {
	if v := ss.st.View(); v.Order == nil {
		out, err := ss.scan(ctx, o.ID)
		if err != nil {
			return err
		}
		if out.Decision.Verdict != string(pack.VerdictOrderOpened) {
			ss.count(func(ss *simStation) { ss.refusals++ })
			return nil
		}
	}
	return ss.packOpen(ctx)
}

// packOpen scans the open order's missing units (now and then a wrong
// item first, or one unit too many at the end) and verifies its label,
// until no order is open: packed, or cancelled under the packer's hands.
func (ss *simStation) packOpen(ctx context.Context) error {
	s := ss.sim
	over := false
	for range 500 {
		if err := ss.acknowledge(ctx); err != nil {
			return err
		}
		v := ss.st.View()
		if v.Order == nil {
			return nil
		}
		var code string
		switch v.Step {
		case station.StepScanLabel:
			if !over && s.float() < 0.05 {
				over = true
				code = s.barcodeOf(v.Order.Lines[0].SKU)
				break
			}
			code = v.Order.Tracking
		case station.StepScanUnits:
			for _, l := range v.Order.Lines {
				if l.Scanned < l.Required {
					code = s.barcodeOf(l.SKU)
					break
				}
			}
			if wrong := s.skus[s.intn(len(s.skus))]; s.float() < 0.05 && !hasLine(v.Order, wrong.sku) {
				code = wrong.barcode
			}
		default:
			return fmt.Errorf("simulate: station %s: order %s stuck at step %s", ss.id, v.Order.ID, v.Step)
		}
		out, err := ss.scan(ctx, code)
		if err != nil {
			return err
		}
		switch pack.Verdict(out.Decision.Verdict) {
		case pack.VerdictWrongItem:
			ss.count(func(ss *simStation) { ss.wrong++ })
		case pack.VerdictOverScan:
			ss.count(func(ss *simStation) { ss.over++ })
		case pack.VerdictLabelVerified:
			ss.count(func(ss *simStation) { ss.packed++ })
		case pack.VerdictOrderCancelled:
			ss.count(func(ss *simStation) { ss.refusals++ })
		}
	}
	return fmt.Errorf("simulate: station %s: an order is still open after 500 scans", ss.id)
}

func hasLine(o *station.OrderView, sku string) bool {
	for _, l := range o.Lines {
		if l.SKU == sku {
			return true
		}
	}
	return false
}

// drain syncs until the server holds every event and the station has
// every change, acknowledging the intercepts the last pulls raised.
func (ss *simStation) drain(ctx context.Context) error {
	if ss.proxy != nil {
		ss.proxy.SetMode(faultproxy.Pass)
		ss.proxy.SetDelay(0)
	}
	var err error
	for round := 0; round < 3; round++ {
		for try := 0; try < 20; try++ {
			if err = ss.c.Sync(ctx); err == nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err != nil {
			return fmt.Errorf("simulate: station %s: final sync: %w", ss.id, err)
		}
		if err := ss.acknowledge(ctx); err != nil {
			return err
		}
	}
	return nil
}

// simLabels draws a blank label: the simulation verifies by tracking
// number, not by picture.
type simLabels struct{}

func (simLabels) Render(_ context.Context, r station.LabelRequest) (station.Rendered, error) {
	var buf bytes.Buffer
	_ = png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	return station.Rendered{PNG: buf.Bytes(), Native: fmt.Appendf(nil, "^XA^FD%s^FS^XZ\n", r.Tracking)}, nil
}

var _ station.LabelMaker = simLabels{}
