package journal

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"go.etcd.io/bbolt"
)

// Label is a cached label: a carrier label fetched ahead of time, or one
// generated at the station, for one order and kind.
type Label struct {
	Order    string    `json:"order"`
	Kind     string    `json:"kind"`   // e.g. "shipping", "fnsku", "fba-carton"
	Format   string    `json:"format"` // e.g. "zpl", "tspl", "png", "pdf"
	Tracking string    `json:"tracking,omitempty"`
	Carrier  string    `json:"carrier,omitempty"`
	Created  time.Time `json:"created"`
	Data     []byte    `json:"-"` // stored after the metadata, not as JSON
}

func labelKey(order, kind string) ([]byte, error) {
	if order == "" || kind == "" {
		return nil, fmt.Errorf("journal: label needs an order and a kind (got %q, %q)", order, kind)
	}
	if strings.IndexByte(order, 0) >= 0 || strings.IndexByte(kind, 0) >= 0 {
		return nil, fmt.Errorf("journal: label order %q or kind %q contains NUL", order, kind)
	}
	return []byte(order + "\x00" + kind), nil
}

// PutLabel stores l under (l.Order, l.Kind), replacing any label there.
// Errors: ctx's error before the write; ErrClosed; a missing order or kind;
// an I/O error.
func (j *Journal) PutLabel(ctx context.Context, l Label) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("journal: put label not started: %w", err)
	}
	key, err := labelKey(l.Order, l.Kind)
	if err != nil {
		return err
	}
	if l.Created.IsZero() {
		l.Created = time.Now().UTC()
	}
	meta, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("journal: label %s/%s: %w", l.Order, l.Kind, err)
	}
	v := binary.AppendUvarint(nil, uint64(len(meta)))
	v = append(append(v, meta...), l.Data...)
	return j.update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bLabels).Put(key, v)
	})
}

// Label returns the label cached for (order, kind), with a copy of its bytes.
// Errors: ErrClosed; a missing order or kind; a decoding error when the
// stored record is damaged.
func (j *Journal) Label(order, kind string) (Label, bool, error) {
	var l Label
	var ok bool
	key, err := labelKey(order, kind)
	if err != nil {
		return l, false, err
	}
	err = j.view(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bLabels).Get(key)
		if v == nil {
			return nil
		}
		n, w := binary.Uvarint(v)
		if w <= 0 || uint64(len(v)-w) < n {
			return fmt.Errorf("journal: label %s/%s is damaged: bad header; fetch or generate it again", order, kind)
		}
		if err := json.Unmarshal(v[w:w+int(n)], &l); err != nil {
			return fmt.Errorf("journal: label %s/%s is damaged: %w; fetch or generate it again", order, kind, err)
		}
		l.Data = append([]byte{}, v[w+int(n):]...)
		ok = true
		return nil
	})
	return l, ok, err
}

// DeleteLabel removes the label cached for (order, kind); removing a label
// that is not there is not an error.
// Errors: ctx's error before the write; ErrClosed; an I/O error.
func (j *Journal) DeleteLabel(ctx context.Context, order, kind string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("journal: delete label not started: %w", err)
	}
	key, err := labelKey(order, kind)
	if err != nil {
		return err
	}
	return j.update(func(tx *bbolt.Tx) error { return tx.Bucket(bLabels).Delete(key) })
}

// Setting returns the value of a station setting.
// Errors: ErrClosed.
func (j *Journal) Setting(key string) (string, bool, error) {
	var val string
	var ok bool
	err := j.view(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bSettings).Get([]byte(key)); v != nil {
			val, ok = string(v), true
		}
		return nil
	})
	return val, ok, err
}

// SetSetting stores a station setting durably.
// Errors: ctx's error before the write; ErrClosed; an empty key; an I/O error.
func (j *Journal) SetSetting(ctx context.Context, key, value string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("journal: set setting not started: %w", err)
	}
	if key == "" {
		return fmt.Errorf("journal: setting needs a key")
	}
	return j.update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bSettings).Put([]byte(key), []byte(value))
	})
}
