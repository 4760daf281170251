package journal

import (
	"encoding/json"
	"fmt"
	"time"

	"go.etcd.io/bbolt"
)

// AuditEntry is one line of the station's audit log: an override, a
// reprint, a manual exception, anything a supervisor may have to explain.
// Seq is assigned by Commit, in commit order.
type AuditEntry struct {
	Seq    uint64    `json:"seq"`
	At     time.Time `json:"at"`
	Who    string    `json:"who,omitempty"`    // badge of the person who did it
	Action string    `json:"action"`           // e.g. "override", "reprint"
	Order  string    `json:"order,omitempty"`  // the order it concerns
	Reason string    `json:"reason,omitempty"` // as given by the person
	Detail string    `json:"detail,omitempty"` // e.g. the verdict overridden
}

func putAudit(tx *bbolt.Tx, a *AuditEntry) error {
	b := tx.Bucket(bAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	a.Seq = seq
	v, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("audit entry %s: %w", a.Action, err)
	}
	return b.Put(u64(seq), v)
}

// AuditAfter returns up to limit audit entries with Seq > seq, in Seq order
// (limit ≤ 0 means DefaultEventsLimit).
// Errors: ErrClosed; a decoding error naming the seq of a damaged entry.
func (j *Journal) AuditAfter(seq uint64, limit int) ([]AuditEntry, error) {
	return pageAfter[AuditEntry](j, bAudit, "audit entry", seq, limit)
}
