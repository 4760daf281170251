package amazon

import (
	"fmt"
	"mime"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// charsetAliases are the names Amazon's report documents give their
// encoding in Content-Type (Java's names) that the WHATWG index lacks.
var charsetAliases = map[string]string{
	"cp1252": "windows-1252", "windows-31j": "shift_jis", "ms932": "shift_jis", "sjis": "shift_jis",
	"x-sjis": "shift_jis", "cp932": "shift_jis", "iso8859_1": "iso-8859-1",
}

// ToUTF8 returns a report document as UTF-8 text, decoded from the
// charset its Content-Type names (Amazon writes Japanese reports in
// Shift_JIS and some European ones in windows-1252); no charset, or
// UTF-8, leaves it as it is. Errors: a charset Packdesk does not know,
// or bytes that are not text in it.
func ToUTF8(contentType string, b []byte) ([]byte, error) {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return b, nil // no usable Content-Type: the reader checks the text is UTF-8
	}
	name := strings.ToLower(strings.TrimSpace(params["charset"]))
	if a, ok := charsetAliases[name]; ok {
		name = a
	}
	if name == "" || name == "utf-8" || name == "utf8" {
		return b, nil
	}
	enc, err := htmlindex.Get(name)
	if err != nil {
		return nil, fmt.Errorf("the document is in the charset %q, which Packdesk does not read", params["charset"])
	}
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return nil, fmt.Errorf("the document is not %s text: %w", params["charset"], err)
	}
	return out, nil
}
