// Package importfile reads the files supervisors import into Packdesk: the
// Amazon Seller Central unshipped-orders report (tab-separated) and the SKU
// master CSV. Readers in, domain types out; no other I/O.
//
// Both formats find their columns by header name (any order, extra columns
// ignored), accept UTF-8 with or without a byte-order mark and CRLF or LF
// line ends. Every error is an *Error naming the line and, where there is
// one, the column.
package importfile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Error is a problem at one place of an import file.
type Error struct {
	File   string // "orders report" or "SKU file"
	Line   int    // 1-based line number, 0 when the whole file is wrong
	Column string // column name (or "character N" for syntax errors, "field N" beyond the header), "" for the whole line
	Msg    string // what is wrong and what to do
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("importfile: ")
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(" line " + strconv.Itoa(e.Line))
	}
	if e.Column != "" {
		if strings.HasPrefix(e.Column, "character ") || strings.HasPrefix(e.Column, "field ") {
			b.WriteString(", " + e.Column)
		} else {
			b.WriteString(", column " + strconv.Quote(e.Column))
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// MaxLine is the longest line accepted (bytes); longer lines are an error,
// not a silent truncation.
const MaxLine = 1 << 20

const bom = "\ufeff"

// lines reads r as text lines without their line ends (CRLF or LF), the
// byte-order mark removed from the first one.
type lines struct {
	r    *bufio.Reader
	n    int
	file string
}

// next returns the next line and its 1-based number; io.EOF at the end.
func (l *lines) next() (string, int, error) {
	var b []byte
	for {
		chunk, err := l.r.ReadSlice('\n')
		b = append(b, chunk...)
		if len(b) > MaxLine {
			return "", l.n + 1, &Error{File: l.file, Line: l.n + 1, Msg: fmt.Sprintf("line is longer than %d bytes: is this the right file?", MaxLine)}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return "", l.n + 1, fmt.Errorf("importfile: read %s: %w", l.file, err)
		}
		if len(b) == 0 && err != nil {
			return "", l.n, io.EOF
		}
		break
	}
	l.n++
	s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if l.n == 1 {
		s = strings.TrimPrefix(s, bom)
	}
	return s, l.n, nil
}

// checkEncoding names a UTF-16 file (Excel's "Unicode Text" export) instead
// of reporting its header as missing columns: a byte-order mark FF FE or
// FE FF, or NUL bytes in the first line.
func checkEncoding(br *bufio.Reader, file string) error {
	head, _ := br.Peek(512)
	first := head
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		first = head[:i]
	}
	if bytes.HasPrefix(head, []byte{0xFF, 0xFE}) || bytes.HasPrefix(head, []byte{0xFE, 0xFF}) || bytes.IndexByte(first, 0) >= 0 {
		return &Error{File: file, Line: 1, Msg: "the file is UTF-16 text (Excel's \"Unicode Text\"), not UTF-8: save it as UTF-8 (\"CSV UTF-8\" or \"Text, UTF-8\") and import again"}
	}
	return nil
}
