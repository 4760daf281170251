package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/packdesk/packdesk/internal/central"
	"github.com/packdesk/packdesk/internal/review"
	"github.com/packdesk/packdesk/internal/wire"
)

// Settings: the carrier channel rules (stored and versioned like the
// review rules, GET/PUT /api/v1/admin/rules) and a dry run of both rules
// files: check a text, save nothing.
func init() {
	registerRoutes(func(h *Handler) {
		h.handle("GET /api/v1/admin/channels", h.admin(h.getChannels))
		h.handle("PUT /api/v1/admin/channels", h.admin(h.putChannels))
		h.handle("POST /api/v1/admin/channels/check", h.admin(h.checkChannels))
		h.handle("POST /api/v1/admin/rules/check", h.admin(h.checkRules))
	})
}

func (h *Handler) getChannels(w http.ResponseWriter, r *http.Request) error {
	if _, err := queryArgs(r); err != nil {
		return err
	}
	cr, err := h.store.ChannelRules(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, cr)
}

// rulesText decodes a RulesRequest; CodeInvalid when its text is empty.
func (h *Handler) rulesText(w http.ResponseWriter, r *http.Request, get string) (string, error) {
	var req RulesRequest
	if err := decodeBody(w, r, &req, h.opts.MaxBody); err != nil {
		return "", err
	}
	if strings.TrimSpace(req.Text) == "" {
		return "", errorf(wire.CodeInvalid, "\"text\" is empty: send the whole rules file (%s gives the one in effect)", get)
	}
	return req.Text, nil
}

func (h *Handler) putChannels(w http.ResponseWriter, r *http.Request) error {
	text, err := h.rulesText(w, r, "GET /api/v1/admin/channels")
	if err != nil {
		return err
	}
	cr, err := h.store.PutChannelRules(r.Context(), text, "api")
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, cr)
}

func (h *Handler) checkChannels(w http.ResponseWriter, r *http.Request) error {
	text, err := h.rulesText(w, r, "GET /api/v1/admin/channels")
	if err != nil {
		return err
	}
	c, err := h.store.CheckChannelRules(r.Context(), text)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (h *Handler) checkRules(w http.ResponseWriter, r *http.Request) error {
	text, err := h.rulesText(w, r, "GET /api/v1/admin/rules")
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, review.Check(text))
}

// ChannelRules returns the carrier channel rules in effect.
func (c *Client) ChannelRules(ctx context.Context) (central.ChannelRules, error) {
	var out central.ChannelRules
	err := c.do(ctx, "GET", "/api/v1/admin/channels", nil, nil, &out)
	return out, err
}

// PutChannelRules replaces the channel rules (CodeInvalid naming each
// wrong line, nothing changed then); the result carries the destinations
// left without a channel as warnings.
func (c *Client) PutChannelRules(ctx context.Context, text string) (central.ChannelRules, error) {
	var out central.ChannelRules
	err := c.do(ctx, "PUT", "/api/v1/admin/channels", nil, RulesRequest{Text: text}, &out)
	return out, err
}

// CheckChannelRules checks channel rules as a save would and saves nothing.
func (c *Client) CheckChannelRules(ctx context.Context, text string) (central.RulesCheck, error) {
	var out central.RulesCheck
	err := c.do(ctx, "POST", "/api/v1/admin/channels/check", nil, RulesRequest{Text: text}, &out)
	return out, err
}

// CheckReviewRules checks review rules as a save would and saves nothing.
func (c *Client) CheckReviewRules(ctx context.Context, text string) (central.RulesCheck, error) {
	var out central.RulesCheck
	err := c.do(ctx, "POST", "/api/v1/admin/rules/check", nil, RulesRequest{Text: text}, &out)
	return out, err
}
