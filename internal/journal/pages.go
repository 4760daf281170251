package journal

import (
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
)

// bbolt's on-disk layout (go.etcd.io/bbolt/internal/common, little-endian
// on the machines Packdesk runs on). pageCheck reads it with bounds checks
// before bbolt does: bbolt trusts the counts and offsets in a page and, on
// a damaged one, reads past it (a panic, a fault, or memory that is not
// the file), so the damage must be found first.
const (
	boltMagic        = 0xED0CDAED
	pageHeaderSize   = 16
	elementSize      = 16 // leaf and branch elements are both 16 bytes
	branchPageFlag   = 0x01
	leafPageFlag     = 0x02
	freelistPageFlag = 0x10
	bucketLeafFlag   = 0x01
	noFreelist       = ^uint64(0)
	maxPageDepth     = 64 // a b+tree of a 1 TB file is far shallower
)

// metaInfo is the part of a meta page the checks need.
type metaInfo struct {
	pageSize, root, freelist, hwm uint64
}

// pageCheck walks the file behind an open bbolt DB.
type pageCheck struct {
	f       *os.File
	size    int64
	m       metaInfo
	visited map[uint64]bool
	bufs    [][]byte // one page buffer per tree depth, reused: a parent's page stays intact while its children are read
}

// checkPages reads the meta page of transaction txid, then every page
// reachable from it and the free-page list, from the file itself. Errors:
// *DamageError saying which page is wrong and how; an I/O error.
func checkPages(path string, txid uint64) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("journal: read %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("journal: read %s: %w", path, err)
	}
	c := &pageCheck{f: f, size: fi.Size(), visited: map[uint64]bool{}}
	var ok bool
	if c.m, ok = readMeta(f, txid); !ok {
		return nil // bbolt opened a meta page we cannot pair with txid; it checked that one
	}
	if c.m.pageSize < 512 || c.m.pageSize > 1<<20 || c.m.hwm > uint64(c.size)/c.m.pageSize+1 {
		return &DamageError{Path: path, What: "the file header is damaged",
			Detail: fmt.Sprintf("page size %d, high water mark %d, file size %d", c.m.pageSize, c.m.hwm, c.size)}
	}
	if err := c.freelist(); err != nil {
		return &DamageError{Path: path, What: "the list of free pages is overwritten", Detail: err.Error()}
	}
	if what, err := c.tree(c.m.root, 0); err != nil {
		return &DamageError{Path: path, What: what, Detail: err.Error()}
	}
	return nil
}

// readMeta finds the meta page whose transaction id is txid. Meta page 0
// is at offset 0 and says the page size, so where meta page 1 is; bbolt
// falls back to the OS page size when meta page 0 is damaged.
func readMeta(f *os.File, txid uint64) (metaInfo, bool) {
	offset := int64(0)
	for i := 0; i < 2; i++ {
		b := make([]byte, 64)
		if _, err := f.ReadAt(b, offset+pageHeaderSize); err != nil {
			return metaInfo{}, false
		}
		ps := uint64(binary.LittleEndian.Uint32(b[8:]))
		valid := binary.LittleEndian.Uint32(b) == boltMagic
		if valid && binary.LittleEndian.Uint64(b[48:]) == txid {
			return metaInfo{pageSize: ps, root: binary.LittleEndian.Uint64(b[16:]),
				freelist: binary.LittleEndian.Uint64(b[32:]), hwm: binary.LittleEndian.Uint64(b[40:])}, true
		}
		offset = int64(os.Getpagesize())
		if valid && ps > 0 {
			offset = int64(ps)
		}
	}
	return metaInfo{}, false
}

// page reads page id with its overflow pages and checks its header.
func (c *pageCheck) page(id uint64, depth int) ([]byte, error) {
	ps := c.m.pageSize
	if id < 2 || id >= c.m.hwm || int64((id+1)*ps) > c.size {
		return nil, fmt.Errorf("page %d is outside the file (pages 2..%d)", id, c.m.hwm-1)
	}
	for len(c.bufs) <= depth {
		c.bufs = append(c.bufs, make([]byte, ps))
	}
	buf := c.bufs[depth]
	if _, err := c.f.ReadAt(buf, int64(id*ps)); err != nil {
		return nil, fmt.Errorf("read page %d: %w", id, err)
	}
	if got := binary.LittleEndian.Uint64(buf); got != id {
		return nil, fmt.Errorf("page %d says it is page %d", id, got)
	}
	overflow := uint64(binary.LittleEndian.Uint32(buf[12:]))
	if overflow == 0 {
		return buf, nil
	}
	if id+overflow >= c.m.hwm || int64((id+overflow+1)*ps) > c.size {
		return nil, fmt.Errorf("page %d with %d overflow pages runs past the end of the file", id, overflow)
	}
	big := make([]byte, (overflow+1)*ps)
	if _, err := c.f.ReadAt(big, int64(id*ps)); err != nil {
		return nil, fmt.Errorf("read page %d: %w", id, err)
	}
	return big, nil
}

func (c *pageCheck) freelist() error {
	if c.m.freelist == noFreelist {
		return nil
	}
	p, err := c.page(c.m.freelist, 0)
	if err != nil {
		return err
	}
	if flags := binary.LittleEndian.Uint16(p[8:]); flags&freelistPageFlag == 0 {
		return fmt.Errorf("freelist page %d has flags %#x", c.m.freelist, flags)
	}
	count, start := uint64(binary.LittleEndian.Uint16(p[10:])), uint64(pageHeaderSize)
	if count == 0xFFFF { // the real count is the first entry
		if len(p) < pageHeaderSize+8 {
			return fmt.Errorf("freelist page %d is too short", c.m.freelist)
		}
		count, start = binary.LittleEndian.Uint64(p[pageHeaderSize:]), start+8
	}
	if count > (uint64(len(p))-start)/8 {
		return fmt.Errorf("freelist page %d claims %d entries", c.m.freelist, count)
	}
	for i := uint64(0); i < count; i++ {
		if id := binary.LittleEndian.Uint64(p[start+i*8:]); id < 2 || id >= c.m.hwm {
			return fmt.Errorf("freelist page %d lists page %d, outside 2..%d", c.m.freelist, id, c.m.hwm-1)
		}
	}
	return nil
}

// tree checks the b+tree rooted at page id and every bucket below it. It
// returns what is damaged in words, with the technical error.
func (c *pageCheck) tree(id uint64, depth int) (string, error) {
	if depth > maxPageDepth {
		return "the pages form a loop", fmt.Errorf("tree deeper than %d at page %d", maxPageDepth, id)
	}
	if c.visited[id] {
		return fmt.Sprintf("page %d is used by two places in the file", id), fmt.Errorf("page %d reached twice", id)
	}
	c.visited[id] = true
	p, err := c.page(id, depth)
	if err != nil {
		return fmt.Sprintf("page %d does not hold what the journal expects there: its header was overwritten", id), err
	}
	return c.nodes(p, id, depth)
}

// nodes checks the elements of one page (a file page, or the page inside
// an inline bucket's value) and follows branch and bucket references.
func (c *pageCheck) nodes(p []byte, id uint64, depth int) (string, error) {
	where := "a small bucket stored inside a page"
	if id != 0 {
		where = "page " + strconv.FormatUint(id, 10)
	}
	overwritten := where + " was overwritten"
	if len(p) < pageHeaderSize {
		return overwritten, fmt.Errorf("%s: %d bytes", where, len(p))
	}
	flags, count := binary.LittleEndian.Uint16(p[8:]), int(binary.LittleEndian.Uint16(p[10:]))
	if flags != branchPageFlag && flags != leafPageFlag {
		return fmt.Sprintf("%s has an unknown type: its header was overwritten", where), fmt.Errorf("%s: flags %#x", where, flags)
	}
	if pageHeaderSize+count*elementSize > len(p) {
		return overwritten, fmt.Errorf("%s: %d elements do not fit", where, count)
	}
	for i := 0; i < count; i++ {
		e := pageHeaderSize + i*elementSize
		var pos, ksize, vsize int
		if flags == branchPageFlag {
			pos, ksize = int(binary.LittleEndian.Uint32(p[e:])), int(binary.LittleEndian.Uint32(p[e+4:]))
		} else {
			pos, ksize, vsize = int(binary.LittleEndian.Uint32(p[e+4:])), int(binary.LittleEndian.Uint32(p[e+8:])), int(binary.LittleEndian.Uint32(p[e+12:]))
		}
		start, end := e+pos, e+pos+ksize+vsize
		if pos < 0 || ksize < 0 || vsize < 0 || start < e || end > len(p) {
			return fmt.Sprintf("%s's records point outside the page: the page was overwritten", where),
				fmt.Errorf("%s: element %d at %d+%d+%d of %d bytes", where, i, pos, ksize, vsize, len(p))
		}
		if flags == branchPageFlag {
			if what, err := c.tree(binary.LittleEndian.Uint64(p[e+8:]), depth+1); err != nil {
				return what, err
			}
			continue
		}
		if binary.LittleEndian.Uint32(p[e:])&bucketLeafFlag == 0 {
			continue
		}
		v := p[start+ksize : end]
		if len(v) < 16 {
			return overwritten, fmt.Errorf("%s: bucket value of %d bytes", where, len(v))
		}
		if root := binary.LittleEndian.Uint64(v); root != 0 {
			if what, err := c.tree(root, depth+1); err != nil {
				return what, err
			}
		} else if depth+1 > maxPageDepth {
			return "the pages form a loop", fmt.Errorf("inline buckets nested deeper than %d", maxPageDepth)
		} else if what, err := c.nodes(v[16:], 0, depth+1); err != nil {
			return what, err
		}
	}
	return "", nil
}
