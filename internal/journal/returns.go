package journal

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"go.etcd.io/bbolt"

	"github.com/packdesk/packdesk/internal/pack"
)

// Return tasks (bucket returns, schema 6): return id → JSON pack.Return.
// They arrive by pull (wire.ChangeReturn) and are closed locally by the
// station (Commit.Returns) so returns work offline. A station holds a
// warehouse's open returns (hundreds, not millions): lookups by tracking,
// RMA or order number scan the bucket rather than keep an index.

// validReturn checks a pulled or committed return before it is stored.
func validReturn(r pack.Return) error {
	if r.ID == "" {
		return fmt.Errorf("return without id")
	}
	switch r.Status {
	case "", pack.ReturnOpen, pack.ReturnClosed, pack.ReturnCancelled:
	default:
		return fmt.Errorf("return %s: unknown status %q", r.ID, r.Status)
	}
	for i, l := range r.Lines {
		if l.SKU == "" || l.Shipped < 0 || l.Expected < 0 || l.Received < 0 {
			return fmt.Errorf("return %s: line %d: a line needs its SKU and quantities of 0 or more", r.ID, i+1)
		}
	}
	return nil
}

func putReturn(tx *bbolt.Tx, r pack.Return) error {
	if err := validReturn(r); err != nil {
		return err
	}
	if r.Status == "" {
		r.Status = pack.ReturnOpen
	}
	v, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("return %s: %w", r.ID, err)
	}
	return tx.Bucket(bReturns).Put([]byte(r.ID), v)
}

func getReturn(tx *bbolt.Tx, id string) (pack.Return, bool, error) {
	var r pack.Return
	v := tx.Bucket(bReturns).Get([]byte(id))
	if v == nil {
		return r, false, nil
	}
	if err := json.Unmarshal(v, &r); err != nil {
		return r, false, fmt.Errorf("journal: return %s is damaged: %w", id, err)
	}
	return r, true, nil
}

// upsertReturn applies a pulled return: a return closed here stays closed
// (the station's return_closed event reaches the server on the next push);
// anything else takes the server's copy.
func (a *applier) upsertReturn(r pack.Return) error {
	prev, ok, err := getReturn(a.tx, r.ID)
	if err != nil {
		return err
	}
	if ok && prev.Status == pack.ReturnClosed && r.Status != pack.ReturnClosed && r.Status != pack.ReturnCancelled {
		a.res.KeptReturns = append(a.res.KeptReturns, r.ID)
		return nil
	}
	a.res.Returns = append(a.res.Returns, r.ID)
	return putReturn(a.tx, r)
}

// Return returns the return task with this id.
// Errors: ErrClosed; a decoding error for a damaged stored return.
func (j *Journal) Return(id string) (pack.Return, bool, error) {
	var r pack.Return
	var ok bool
	err := j.view(func(tx *bbolt.Tx) (err error) {
		r, ok, err = getReturn(tx, id)
		return err
	})
	return r, ok, err
}

// Returns lists the stored return tasks in id order; with open set, only
// those still open.
// Errors: ErrClosed; a decoding error for a damaged stored return.
func (j *Journal) Returns(open bool) ([]pack.Return, error) {
	var out []pack.Return
	err := j.view(func(tx *bbolt.Tx) error {
		return tx.Bucket(bReturns).ForEach(func(k, v []byte) error {
			var r pack.Return
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("journal: return %s is damaged: %w", k, err)
			}
			if !open || r.Status == pack.ReturnOpen {
				out = append(out, r)
			}
			return nil
		})
	})
	return out, err
}

// FindReturns returns the returns a scanned code opens: those whose id,
// RMA id, return tracking or original order number is code (case and
// spaces ignored), open ones first, then by id.
// Errors: ErrClosed; a decoding error for a damaged stored return.
func (j *Journal) FindReturns(code string) ([]pack.Return, error) {
	all, err := j.Returns(false)
	if err != nil {
		return nil, err
	}
	var out []pack.Return
	for _, r := range all {
		if pack.ReturnMatches(r, code) {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b pack.Return) int {
		ao, bo := a.Status == pack.ReturnOpen, b.Status == pack.ReturnOpen
		switch {
		case ao && !bo:
			return -1
		case bo && !ao:
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

var _ pack.ReturnCatalog = catalog{}

// Returns implements pack.ReturnCatalog (FindReturns; a read error is
// reported and answered as no return).
func (c catalog) Returns(code string) []pack.Return {
	rs, err := c.j.FindReturns(code)
	c.report(err)
	if err != nil {
		return nil
	}
	return rs
}
