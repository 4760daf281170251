package server_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/httpapi"
	"github.com/packdesk/packdesk/internal/server"
)

func TestParseFlags(t *testing.T) {
	m := server.NewMain()
	if err := m.ParseFlags(nil); err != nil {
		t.Fatal(err)
	}
	if m.Addr != "127.0.0.1:8080" || m.Data != "data" || m.DB != "" || m.LogJSON || m.TLSCert != "" {
		t.Errorf("defaults = %+v", m)
	}
	m = server.NewMain()
	if err := m.ParseFlags([]string{"--addr", ":9000", "--data", "/srv/pd", "--db", "postgres://u@h/db", "--log-json", "--tls-cert", "c.pem", "--tls-key", "k.pem"}); err != nil {
		t.Fatal(err)
	}
	if m.Addr != ":9000" || m.Data != "/srv/pd" || m.DB != "postgres://u@h/db" || !m.LogJSON || m.TLSCert != "c.pem" || m.TLSKey != "k.pem" {
		t.Errorf("parsed = %+v", m)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--tls-cert", "c.pem"}, "go together"},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"--port", "1"}, "not defined"},
	} {
		m := server.NewMain()
		m.Log = &bytes.Buffer{}
		if err := m.ParseFlags(tc.args); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("ParseFlags(%q) = %v, want %q", tc.args, err, tc.msg)
		}
	}
	if err := server.NewMain().ParseFlags([]string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
}

// start runs a Main with args on a free loopback port.
func start(t *testing.T, args ...string) (*server.Main, *syncBuffer) {
	t.Helper()
	m := server.NewMain()
	logs := &syncBuffer{}
	m.Log = logs
	if err := m.ParseFlags(append([]string{"--addr", "127.0.0.1:0", "--data", t.TempDir()}, args...)); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		m.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m, logs
}

// syncBuffer is a log the server's goroutines write while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRunServesAndCloses(t *testing.T) {
	m, logs := start(t, "--log-json")
	resp, err := http.Get(m.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("readyz = %d", resp.StatusCode)
	}
	// The River job queue is wired into /metrics.
	resp, err = http.Get(m.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || !bytes.Contains(metrics, []byte("\npackdesk_job_queue_depth ")) {
		t.Errorf("metrics lack packdesk_job_queue_depth (%v)", err)
	}
	// The data directory holds the store, owner-only.
	fi, err := os.Stat(filepath.Join(m.Data, "packdesk.db"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("store file: %v, %v; want mode 0600", fi, err)
	}
	// --log-json: every line is a JSON record, the start among them.
	var serving bool
	for line := range strings.Lines(strings.TrimSpace(logs.String())) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line %q is not JSON: %v", line, err)
		}
		serving = serving || (rec["msg"] == "packdesk-server serving" && rec["url"] == m.URL)
	}
	if !serving {
		t.Errorf("no start record in the log:\n%s", logs)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get(m.URL + "/healthz"); err == nil {
		t.Error("still serving after Close")
	}
	if err := m.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestRunErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	for _, tc := range []struct {
		name string
		args []string
		msg  string
	}{
		{"address in use", []string{"--addr", ln.Addr().String()}, "listen on"},
		{"unknown database", []string{"--db", "mysql://root:secret@h/db"}, "want a postgres://"},
		{"missing TLS files", []string{"--tls-cert", "/nonexistent/c.pem", "--tls-key", "/nonexistent/k.pem"}, "load TLS certificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := server.NewMain()
			m.Log = &bytes.Buffer{}
			if err := m.ParseFlags(append([]string{"--addr", "127.0.0.1:0", "--data", t.TempDir()}, tc.args...)); err != nil {
				t.Fatal(err)
			}
			err := m.Run(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("Run = %v, want %q", err, tc.msg)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("the error shows the database password: %v", err)
			}
			if err := m.Close(); err != nil {
				t.Errorf("Close after a failed Run: %v", err)
			}
		})
	}
}

func TestTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	m, _ := start(t, "--tls-cert", certFile, "--tls-key", keyFile)
	if !strings.HasPrefix(m.URL, "https://") {
		t.Fatalf("URL = %s, want https", m.URL)
	}
	c := httpapi.NewClient(m.URL, "")
	c.HTTP = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	if err := c.Ready(context.Background()); err != nil {
		t.Errorf("readyz over TLS: %v", err)
	}
	resp, err := http.Get("http" + strings.TrimPrefix(m.URL, "https") + "/healthz")
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode < 400 {
			t.Errorf("plain HTTP to the TLS port answered %d", resp.StatusCode)
		}
	}
}

func TestAdminToken(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if code := server.AdminToken(ctx, []string{"--data", dir, "--name", "ops"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	token := strings.TrimSpace(out.String())
	if !strings.HasPrefix(token, "pda_") || strings.Contains(token, "\n") {
		t.Errorf("stdout = %q, want the token alone", out.String())
	}
	// The token works against a server on that data directory.
	m2 := server.NewMain()
	m2.Log = &bytes.Buffer{}
	if err := m2.ParseFlags([]string{"--addr", "127.0.0.1:0", "--data", dir}); err != nil {
		t.Fatal(err)
	}
	if err := m2.Run(ctx); err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	if _, err := httpapi.NewClient(m2.URL, token).Stations(ctx); err != nil {
		t.Errorf("the new admin token: %v", err)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"extra"}, 2},
		{[]string{"--nope"}, 2},
		{[]string{"-h"}, 0},
		{[]string{"--db", "mysql://x"}, 1},
		{[]string{"--data", "/dev/null/x"}, 1},
	} {
		out.Reset()
		errb.Reset()
		if code := server.AdminToken(ctx, tc.args, &out, &errb); code != tc.code || out.Len() != 0 {
			t.Errorf("admin-token %q: exit %d, stdout %q; want %d and no token", tc.args, code, out.String(), tc.code)
		}
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key into dir.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "packdesk test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestCloseFinishesRequests: Close stops taking connections but lets a
// request in flight (an import still uploading) finish and be stored.
func TestCloseFinishesRequests(t *testing.T) {
	ctx := context.Background()
	m, _ := start(t)
	var out, errb bytes.Buffer
	if code := server.AdminToken(ctx, []string{"--data", m.Data}, &out, &errb); code != 0 {
		t.Fatalf("admin-token: %d %s", code, errb.String())
	}
	token := strings.TrimSpace(out.String())
	pr, pw := io.Pipe()
	req, err := http.NewRequest("POST", m.URL+"/api/v1/admin/skus/import", pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	// The body goes out only after the server's "100 Continue", which it
	// sends when the handler starts reading: once the first write below
	// returns, the request is in the handler, not in the listen backlog.
	req.Header.Set("Expect", "100-continue")
	client := &http.Client{Transport: &http.Transport{ExpectContinueTimeout: time.Hour}}
	type result struct {
		status int
		body   string
		err    error
	}
	done := make(chan result, 1)
	go func() {
		resp, err := client.Do(req)
		if err != nil {
			done <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		done <- result{resp.StatusCode, string(b), err}
	}()
	if _, err := pw.Write([]byte("sku,title\n")); err != nil { // the upload has begun
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	go func() { closed <- m.Close() }()
	// Wait until the server refuses new connections: Close has begun.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for {
		resp, err := fresh.Get(m.URL + "/healthz")
		if err != nil {
			break
		}
		resp.Body.Close()
	}
	if _, err := pw.Write([]byte("MUG-01,Mug\nCUP-02,Cup\n")); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	r := <-done
	if r.err != nil || r.status != 200 || !strings.Contains(r.body, `"imported":2`) {
		t.Errorf("the import in flight: %d %q %v; want 200 with 2 imported", r.status, r.body, r.err)
	}
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
}
