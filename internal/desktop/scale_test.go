package desktop_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/drivers/scale"
	"github.com/packdesk/packdesk/internal/desktop"
	"github.com/packdesk/packdesk/internal/station"
)

// scripted is a scale that plays one result per Read, then ends the test's
// context when the script runs out.
type scripted struct {
	mu     sync.Mutex
	script []result
	closed int
	done   context.CancelFunc
}

type result struct {
	grams  float64
	stable bool
	err    error
}

func (s *scripted) Read(ctx context.Context) (scale.Reading, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.script) == 0 {
		s.done()
		return scale.Reading{}, ctx.Err()
	}
	r := s.script[0]
	s.script = s.script[1:]
	return scale.Reading{Grams: r.grams, Stable: r.stable}, r.err
}
func (s *scripted) Weigh(ctx context.Context) (scale.Reading, error) { return s.Read(ctx) }
func (s *scripted) Close() error                                     { s.mu.Lock(); s.closed++; s.mu.Unlock(); return nil }

// recorder is a ScaleStation that writes down what it was told.
type recorder struct {
	mu   sync.Mutex
	log  []string
	step station.Step
}

func (r *recorder) Weigh(_ context.Context, grams int, stable bool) (station.Outcome, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log = append(r.log, fmt.Sprintf("weigh %d %v", grams, stable))
	return station.Outcome{}, nil
}
func (r *recorder) SetScaleError(m *station.Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if m == nil {
		r.log = append(r.log, "ok")
		return
	}
	r.log = append(r.log, "error")
}
func (r *recorder) View() station.View { return station.View{Step: r.step} }

func TestRunScale(t *testing.T) {
	portGone := errors.New("serial: /dev/ttyUSB0: unplugged")
	tests := []struct {
		name   string
		step   station.Step
		opens  []error // one per open attempt; nil opens the scale
		script []result
		want   []string
		closes int
	}{
		{
			name:  "readings, repeats skipped outside the weigh step",
			step:  station.StepScanUnits,
			opens: []error{nil},
			script: []result{{grams: 500}, {grams: 500}, {grams: 1234.4, stable: true}, {grams: 1234.4, stable: true},
				{err: scale.ErrBusy}, {grams: 1234.4, stable: true}},
			want:   []string{"weigh 500 false", "weigh 1234 true", "error", "weigh 1234 true"},
			closes: 1,
		},
		{
			name:   "repeats go to the station in the weigh step",
			step:   station.StepWeigh,
			opens:  []error{nil},
			script: []result{{grams: 800, stable: true}, {grams: 800, stable: true}},
			want:   []string{"weigh 800 true", "weigh 800 true"},
			closes: 1,
		},
		{
			name:   "open fails, then a port error reopens the scale",
			step:   station.StepScanUnits,
			opens:  []error{errors.New("serial: /dev/ttyUSB0: not found"), nil, nil},
			script: []result{{grams: 10, stable: true}, {err: portGone}, {grams: 10, stable: true}},
			want:   []string{"error", "weigh 10 true", "error", "weigh 10 true"},
			closes: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			sc := &scripted{script: tt.script, done: cancel}
			rec := &recorder{step: tt.step}
			opens := tt.opens
			open := func() (scale.Scale, error) {
				if len(opens) == 0 {
					t.Error("opened more often than scripted")
					cancel()
					return nil, errors.New("no more opens")
				}
				err := opens[0]
				opens = opens[1:]
				if err != nil {
					return nil, err
				}
				return sc, nil
			}
			desktop.RunScale(ctx, rec, open, time.Millisecond)
			if got := fmt.Sprint(rec.log); got != fmt.Sprint(tt.want) {
				t.Errorf("station saw %s, want %s", got, tt.want)
			}
			if sc.closed != tt.closes {
				t.Errorf("scale closed %d times, want %d", sc.closed, tt.closes)
			}
		})
	}
}
