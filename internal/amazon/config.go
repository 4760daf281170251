package amazon

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
)

// The sellers file (packdesk-server --amazon FILE) lists seller accounts,
// one section each:
//
//	# comments and blank lines are ignored
//	[seller A2EXAMPLE1]
//	region       = NA                     # NA, EU or FE
//	marketplaces = ATVPDKIKX0DER, A2EUQ1WTGCTBG2
//	warehouse    = SZ1
//	client_id    = amzn1.application-oa2-client.0123
//	client_secret_file = /etc/packdesk/lwa-client-secret
//	refresh_token_env  = PACKDESK_A2EXAMPLE1_REFRESH_TOKEN
//	endpoint     = https://sandbox.sellingpartnerapi-na.amazon.com   # optional
//	token_url    = https://api.amazon.com/auth/o2/token              # optional
//
// Secrets are never written in the file itself: client_secret_file /
// client_secret_env and refresh_token_file / refresh_token_env name where
// they are read from (a file's surrounding whitespace is trimmed).

// ConfigError is a mistake in the sellers file, with its line (0: the
// file as a whole).
type ConfigError struct {
	File string
	Line int
	Msg  string
}

func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Env reads an environment variable (os.LookupEnv in LoadConfig).
type Env func(name string) (string, bool)

// LoadConfig reads a sellers file, resolving the secrets it names from
// files and the environment. Errors: *ConfigError with the line, or the
// file's read error.
func LoadConfig(path string) ([]Seller, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("amazon: read the sellers file: %w", err)
	}
	return ParseConfig(path, bytes.NewReader(b), os.LookupEnv, os.ReadFile)
}

// ParseConfig reads a sellers file from r (name is for messages), with
// env and readFile resolving the secrets.
func ParseConfig(name string, r io.Reader, env Env, readFile func(string) ([]byte, error)) ([]Seller, error) {
	var out []Seller
	type section struct {
		s    Seller
		line int
		seen map[string]int
	}
	var cur *section
	finish := func() error {
		if cur == nil {
			return nil
		}
		for _, k := range []string{"region", "marketplaces", "warehouse", "client_id"} {
			if _, ok := cur.seen[k]; !ok {
				return &ConfigError{name, cur.line, fmt.Sprintf("seller %s: %s is missing", cur.s.ID, k)}
			}
		}
		for _, k := range []string{"client_secret", "refresh_token"} {
			_, f := cur.seen[k+"_file"]
			_, e := cur.seen[k+"_env"]
			if f == e {
				return &ConfigError{name, cur.line, fmt.Sprintf("seller %s: give exactly one of %s_file and %s_env", cur.s.ID, k, k)}
			}
		}
		for _, o := range out {
			if o.ID == cur.s.ID {
				return &ConfigError{name, cur.line, fmt.Sprintf("seller %s is listed twice", cur.s.ID)}
			}
		}
		if err := cur.s.validate(); err != nil {
			return &ConfigError{name, cur.line, fmt.Sprintf("seller %s: %v", cur.s.ID, err)}
		}
		out = append(out, cur.s)
		return nil
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "[") {
			if err := finish(); err != nil {
				return nil, err
			}
			f := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(line, "["), "]"))
			if !strings.HasSuffix(line, "]") || len(f) != 2 || f[0] != "seller" {
				return nil, &ConfigError{name, n, fmt.Sprintf("%q: a section is [seller SELLER_ID]", line)}
			}
			cur = &section{s: Seller{ID: f[1]}, line: n, seen: map[string]int{}}
			continue
		}
		if cur == nil {
			return nil, &ConfigError{name, n, "a setting before the first [seller ID] section"}
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, &ConfigError{name, n, fmt.Sprintf("%q: want KEY = VALUE", line)}
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if prev, dup := cur.seen[k]; dup {
			return nil, &ConfigError{name, n, fmt.Sprintf("%s is already set on line %d", k, prev)}
		}
		cur.seen[k] = n
		if v == "" {
			return nil, &ConfigError{name, n, k + " is empty"}
		}
		if err := cur.s.set(k, v, env, readFile); err != nil {
			return nil, &ConfigError{name, n, err.Error()}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &ConfigError{name, n + 1, err.Error()}
	}
	if err := finish(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &ConfigError{name, 0, "no [seller ID] section"}
	}
	return out, nil
}

func (s *Seller) set(k, v string, env Env, readFile func(string) ([]byte, error)) error {
	secret := func(what string) (Secret, error) {
		if strings.HasSuffix(k, "_env") {
			val, ok := env(v)
			if !ok || strings.TrimSpace(val) == "" {
				return Secret{}, fmt.Errorf("%s: environment variable %s is not set", what, v)
			}
			return NewSecret(strings.TrimSpace(val)), nil
		}
		b, err := readFile(v)
		if err != nil {
			return Secret{}, fmt.Errorf("%s: %v", what, err)
		}
		if strings.TrimSpace(string(b)) == "" {
			return Secret{}, fmt.Errorf("%s: %s is empty", what, v)
		}
		return NewSecret(strings.TrimSpace(string(b))), nil
	}
	var err error
	switch k {
	case "region":
		s.Region, err = ParseRegion(v)
	case "marketplaces":
		for _, m := range strings.Split(v, ",") {
			m = strings.TrimSpace(m)
			if m == "" || strings.Trim(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
				return fmt.Errorf("marketplace id %q: want letters and digits, e.g. ATVPDKIKX0DER", m)
			}
			s.Marketplaces = append(s.Marketplaces, m)
		}
	case "warehouse":
		s.Warehouse = v
	case "client_id":
		s.ClientID = v
	case "client_secret_file", "client_secret_env":
		s.ClientSecret, err = secret("client secret")
	case "refresh_token_file", "refresh_token_env":
		s.RefreshToken, err = secret("refresh token")
	case "endpoint", "token_url":
		if !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "http://") {
			return fmt.Errorf("%s %q: want an http(s):// URL", k, v)
		}
		if k == "endpoint" {
			s.Endpoint = v
		} else {
			s.TokenURL = v
		}
	case "client_secret", "refresh_token":
		return fmt.Errorf("%s: secrets are not written in this file; use %s_file or %s_env", k, k, k)
	default:
		return fmt.Errorf("unknown setting %q (region, marketplaces, warehouse, client_id, client_secret_file|_env, refresh_token_file|_env, endpoint, token_url)", k)
	}
	return err
}
