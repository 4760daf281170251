package printer

import (
	"io"

	"github.com/packdesk/packdesk/drivers/serialport"
)

// openSerial opens a port 8N1 through drivers/serialport and drops any
// stale bytes, so a late reply to an earlier query is not read as the
// answer to the next one. Reads wait until data arrives or the port is
// closed: the Conn closes it when a reply is overdue.
func openSerial(path string, baud int) (io.ReadWriteCloser, error) {
	p, err := serialport.Open(serialport.Config{Path: path, Baud: baud})
	if err != nil {
		return nil, err // a *serialport.Error naming the port and what to check
	}
	if err := p.DiscardInput(); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}
