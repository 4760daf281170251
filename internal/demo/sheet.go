package demo

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"

	"github.com/packdesk/packdesk/internal/pack"
)

// sheetDigest names what the barcode sheet is drawn from: its entries and
// the program drawing them (path, size and time of the executable, so a
// rebuilt program draws it again). Empty when the program cannot be read:
// then the sheet is always drawn.
func sheetDigest(skus []pack.SKU, orders []pack.Order) string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return ""
	}
	entries, err := json.Marshal(SheetEntries(skus, orders))
	if err != nil {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00%d\x00", exe, fi.Size(), fi.ModTime().UnixNano())
	h.Write(entries)
	return hex.EncodeToString(h.Sum(nil))
}

// writeSheetOnce writes the barcode sheet to path unless the sheet there
// was drawn from the same entries by the same program (a digest is kept in
// path+".sha256"). Drawing the sheet was most of a demo start's CPU; the
// station's tests start the demo dozens of times. Errors: WriteSheet's,
// and the digest that cannot be written.
func writeSheetOnce(path string, skus []pack.SKU, orders []pack.Order) error {
	sum := sheetDigest(skus, orders)
	if sum != "" {
		old, err := os.ReadFile(path + ".sha256")
		if _, serr := os.Stat(path); err == nil && serr == nil && bytes.Equal(bytes.TrimSpace(old), []byte(sum)) {
			return nil
		}
	}
	if err := WriteSheet(path, skus, orders); err != nil {
		return err
	}
	if sum == "" {
		return nil
	}
	if err := os.WriteFile(path+".sha256", []byte(sum+"\n"), 0o644); err != nil {
		return fmt.Errorf("demo: write %s.sha256: %w: check the directory's permissions", path, err)
	}
	return nil
}
