package amazon_test

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/packdesk/packdesk/internal/amazon"
)

func env(m map[string]string) amazon.Env {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func files(m map[string]string) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) {
		if v, ok := m[p]; ok {
			return []byte(v), nil
		}
		return nil, fmt.Errorf("open %s: %w", p, fs.ErrNotExist)
	}
}

const goodConfig = "\ufeff# sellers\n[seller A1]\nregion = na\nmarketplaces = ATVPDKIKX0DER, A2EUQ1WTGCTBG2\nwarehouse = SZ1\n" +
	"client_id = amzn1.application-oa2-client.x\nclient_secret_file = /s/secret\nrefresh_token_env = RT_A1   # the token\n" +
	"\n[seller B2]\nregion = FE\nmarketplaces = A1VC38T7YXB528\nwarehouse = JP1\nclient_id = c\n" +
	"client_secret_env = CS\nrefresh_token_file = /s/rt\nendpoint = https://sandbox.sellingpartnerapi-fe.amazon.com\n"

func TestParseConfig(t *testing.T) {
	ss, err := amazon.ParseConfig("sellers.conf", strings.NewReader(goodConfig),
		env(map[string]string{"RT_A1": "Atzr|a1", "CS": "cs-b2"}), files(map[string]string{"/s/secret": "cs-a1\n", "/s/rt": " Atzr|b2 "}))
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 2 {
		t.Fatalf("%d sellers", len(ss))
	}
	a, b := ss[0], ss[1]
	if a.ID != "A1" || a.Region != amazon.RegionNA || len(a.Marketplaces) != 2 || a.Warehouse != "SZ1" ||
		a.ClientSecret.Reveal() != "cs-a1" || a.RefreshToken.Reveal() != "Atzr|a1" {
		t.Errorf("A1 = %+v", a)
	}
	if b.Region != amazon.RegionFE || b.RefreshToken.Reveal() != "Atzr|b2" || b.ClientSecret.Reveal() != "cs-b2" || b.Endpoint == "" {
		t.Errorf("B2 = %+v", b)
	}
	// Printing a seller in any way shows no secret.
	for _, s := range []string{fmt.Sprint(a), fmt.Sprintf("%+v", a), fmt.Sprintf("%#v", a), fmt.Sprintf("%v %s %q", a.ClientSecret, a.RefreshToken, a.RefreshToken)} {
		if strings.Contains(s, "cs-a1") || strings.Contains(s, "Atzr") {
			t.Errorf("secret printed: %s", s)
		}
	}
}

func TestParseConfigErrorsHaveLines(t *testing.T) {
	base := "[seller A1]\nregion = NA\nmarketplaces = ATVPDKIKX0DER\nwarehouse = W\nclient_id = c\nclient_secret_env = CS\nrefresh_token_env = RT\n"
	e := env(map[string]string{"CS": "x", "RT": "y"})
	for _, tc := range []struct{ text, want string }{
		{"region = NA\n", "cfg:1: a setting before"},
		{"[seller]\n", "cfg:1: "},
		{"[seller A1]\nregion = XX\n", "cfg:2: region \"XX\""},
		{"[seller A1]\nregion NA\n", "cfg:2: \"region NA\": want KEY = VALUE"},
		{"[seller A1]\nregion = NA\nregion = EU\n", "cfg:3: region is already set on line 2"},
		{"[seller A1]\nclient_secret = hunter2\n", "cfg:2: client_secret: secrets are not written"},
		{"[seller A1]\ncolour = red\n", "cfg:2: unknown setting \"colour\""},
		{"[seller A1]\nmarketplaces = ATV, a-b\n", "cfg:2: marketplace id \"a-b\""},
		{"[seller A1]\nrefresh_token_env = NOPE\n", "cfg:2: refresh token: environment variable NOPE is not set"},
		{"[seller A1]\nclient_secret_file = /missing\n", "cfg:2: client secret: open /missing"},
		{"[seller A1]\nregion = NA\n", "cfg:1: seller A1: marketplaces is missing"},
		{strings.Replace(base, "refresh_token_env = RT\n", "", 1), "cfg:1: seller A1: give exactly one of refresh_token_file and refresh_token_env"},
		{base + base, "cfg:8: seller A1 is listed twice"},
		{"# nothing\n", "cfg: no [seller ID] section"},
		{"[seller A1]\nendpoint = ftp://x\n", "cfg:2: endpoint \"ftp://x\""},
	} {
		_, err := amazon.ParseConfig("cfg", strings.NewReader(tc.text), e, files(nil))
		var ce *amazon.ConfigError
		if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want prefix %q", tc.text, err, tc.want)
		}
		if err != nil && (strings.Contains(err.Error(), "hunter2")) {
			t.Errorf("error shows the secret: %v", err)
		}
	}
}
