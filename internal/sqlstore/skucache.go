package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/packdesk/packdesk/internal/pack"
)

// masterSKUs returns the SKU master entries of skus (those it has),
// querying only the SKUs this transaction has not read yet: an import
// admits thousands of orders over a few hundred SKUs. No write
// transaction that admits orders changes the SKU master (PutSKUs is its
// own transaction), so what was read stays true until commit.
func (t *tx) masterSKUs(ctx context.Context, skus []string) (map[string]pack.SKU, error) {
	out := make(map[string]pack.SKU, len(skus))
	var missing []any
	seen := map[string]bool{}
	for _, s := range skus {
		if seen[s] {
			continue
		}
		seen[s] = true
		if e, ok := t.skus[s]; ok {
			if e != nil {
				out[s] = *e
			}
			continue
		}
		missing = append(missing, s)
	}
	if len(missing) == 0 {
		return out, nil
	}
	if t.skus == nil {
		t.skus = map[string]*pack.SKU{}
	}
	rows, err := t.QueryContext(ctx, t.db.q("SELECT body FROM skus WHERE sku IN "+placeholders(len(missing))), missing...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var body string
		var s pack.SKU
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(body), &s); err != nil {
			return nil, err
		}
		out[s.SKU], t.skus[s.SKU] = s, &s
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, s := range missing {
		if _, ok := t.skus[s.(string)]; !ok {
			t.skus[s.(string)] = nil // not in the master: not asked again
		}
	}
	return out, nil
}
