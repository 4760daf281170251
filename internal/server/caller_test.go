package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/packdesk/packdesk/internal/wire"
)

// stationCaller makes a station's sync calls (the station's own client,
// internal/syncclient, needs a journal; these tests need only the wire).
type stationCaller struct{ url, token string }

func (c *stationCaller) pull(ctx context.Context, req wire.PullRequest) (wire.PullResponse, error) {
	var out wire.PullResponse
	body, err := json.Marshal(req)
	if err != nil {
		return out, err
	}
	r, err := http.NewRequestWithContext(ctx, "POST", c.url+"/api/v1/sync/pull", bytes.NewReader(body))
	if err != nil {
		return out, err
	}
	r.Header.Set("Authorization", "Bearer "+c.token)
	r.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		return out, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return out, err
	}
	if resp.StatusCode != 200 {
		return out, fmt.Errorf("pull: %d %s", resp.StatusCode, raw)
	}
	return out, json.Unmarshal(raw, &out)
}
