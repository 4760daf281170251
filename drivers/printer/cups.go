package printer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// CUPS sends each job to a CUPS queue in raw mode with
// "lp -d QUEUE -o raw". CUPS cannot carry a status query, so Status returns
// ErrStatusUnsupported and Send is never confirmed.
type CUPS struct {
	Queue string
	// LP is the lp command; "" means "lp" from PATH.
	LP string
}

var _ Transport = CUPS{}

func (c CUPS) String() string { return "cups://" + c.Queue }

func (CUPS) noStatus() {}

// Dial checks that lp exists. Errors: a message saying to install
// cups-client when lp is missing.
func (c CUPS) Dial(ctx context.Context) (Conn, error) {
	lp := c.LP
	if lp == "" {
		lp = "lp"
	}
	path, err := exec.LookPath(lp)
	if err != nil {
		return nil, fmt.Errorf("printer: %s: the lp command was not found (%v): install cups-client (apt-get install cups-client) or use tcp:// or file://", c, err)
	}
	if c.Queue == "" || strings.HasPrefix(c.Queue, "-") {
		return nil, fmt.Errorf("printer: CUPS queue name %q is not valid: use cups://QUEUE with a name from lpstat -e", c.Queue)
	}
	return &cupsConn{t: c, lp: path}, nil
}

type cupsConn struct {
	t  CUPS
	lp string
}

var _ Conn = (*cupsConn)(nil)

// Write submits b as one raw job. A refused job (lp exits non-zero) counts
// as not sent; a job killed by ctx may have been queued.
func (c *cupsConn) Write(ctx context.Context, b []byte) (int, error) {
	cmd := exec.CommandContext(ctx, c.lp, "-d", c.t.Queue, "-o", "raw")
	cmd.Stdin = bytes.NewReader(b)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err == nil {
		return len(b), nil
	}
	if ctx.Err() != nil {
		return 0, fmt.Errorf("%w: lp did not finish: %w", ErrTimeout, errUnknownWritten)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return 0, fmt.Errorf("printer: %s refused the job (%v): %s: check the queue with lpstat -p %s", c.t, err, strings.TrimSpace(out.String()), c.t.Queue)
	}
	return 0, fmt.Errorf("printer: run lp for %s: %w", c.t, err)
}

func (c *cupsConn) ReadReply(context.Context, func([]byte) bool) ([]byte, error) {
	return nil, ErrStatusUnsupported
}

func (c *cupsConn) Close() error { return nil }
