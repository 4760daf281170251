package journal

import (
	"errors"
	"fmt"
	"regexp"
	"runtime/debug"
	"strings"

	"go.etcd.io/bbolt"
)

// DamageError says the journal file is damaged. Error gives the operator
// what is damaged and what to do, in words; Detail keeps the technical
// cause (bbolt's assertion or checker text) for a bug report.
// It wraps ErrCorrupt.
type DamageError struct {
	Path   string // absolute
	What   string // in words: "page 3 does not hold what the journal expects there"
	Detail string // the raw cause
}

func (e *DamageError) Error() string {
	return fmt.Sprintf("journal: %s is damaged or is not a Packdesk journal (%s): restore it from a backup or move it aside to start a new journal; the file was not changed",
		e.Path, e.What)
}

// Unwrap makes errors.Is(err, ErrCorrupt) true.
func (e *DamageError) Unwrap() error { return ErrCorrupt }

func corrupt(path string, cause error) error {
	var d *DamageError
	if errors.As(cause, &d) {
		return d
	}
	return &DamageError{Path: path, What: Describe(cause.Error()), Detail: cause.Error()}
}

// Patterns of bbolt's panics and checker errors, and what they mean.
var damageWords = []struct {
	re   *regexp.Regexp
	text string // fmt verbs take the submatches
}{
	{regexp.MustCompile(`Page expected to be: (\d+)`), "page %s does not hold what the journal expects there: its header was overwritten"},
	{regexp.MustCompile(`invalid freelist page: \d+, page type is`), "the list of free pages is overwritten"},
	{regexp.MustCompile(`freelist`), "the list of free pages is damaged"},
	{regexp.MustCompile(`^page (\d+): unreachable unfreed`), "page %s is neither in use nor free: space is lost, the data may be intact"},
	{regexp.MustCompile(`^page (\d+): already freed`), "page %s is listed as free twice"},
	{regexp.MustCompile(`^page (\d+): reachable freed`), "page %s is in use but also listed as free: new data would overwrite it"},
	{regexp.MustCompile(`^page (\d+): multiple references`), "page %s is used by two places in the file"},
	{regexp.MustCompile(`^page (\d+): out of bounds`), "page %s points past the end of the file"},
	{regexp.MustCompile(`^page (\d+): invalid type`), "page %s has an unknown type: its header was overwritten"},
	{regexp.MustCompile(`unexpected page type .* for pgId:(\d+)`), "page %s has an unknown type: its header was overwritten"},
	{regexp.MustCompile(`page\((\d+)\)`), "the records on page %s are out of order: the page was overwritten"},
	{regexp.MustCompile(`slice bounds out of range|index out of range`), "a page's records point outside the page: the page was overwritten"},
	{regexp.MustCompile(`unexpected fault address|invalid memory address|fault`), "a page points past the end of the file"},
	{regexp.MustCompile(`truncated`), "the file is shorter than its pages need: it was cut off"},
	{regexp.MustCompile(`checksum`), "both copies of the file header fail their checksum"},
	{regexp.MustCompile(`invalid database|version mismatch|file size too small|mmap too large|invalid mapping`), "it has no valid journal header"},
	{regexp.MustCompile(`bucket "([^"]*)" is missing`), "its part %q is missing"},
	{regexp.MustCompile(`has bucket "([^"]*)"`), "it is another program's bbolt file (it has bucket %q)"},
	{regexp.MustCompile(`schema version is`), "its schema version record is damaged"},
}

// Describe turns bbolt's text about a damaged file (an assertion, a panic,
// a checker error) into words an operator can read. Text it does not know
// is described generically.
func Describe(raw string) string {
	for _, w := range damageWords {
		m := w.re.FindStringSubmatch(raw)
		if m == nil {
			continue
		}
		args := make([]any, 0, len(m)-1)
		for _, s := range m[1:] {
			args = append(args, s)
		}
		return fmt.Sprintf(w.text, args...)
	}
	return "its pages do not have the structure of a journal"
}

// walk checks every page reachable in the file and the free-page list
// (checkPages), so a damaged page is found at open (as ErrCorrupt) instead
// of by the first scan that touches it. Should bbolt still panic on
// something the check let pass, view and update turn that into ErrCorrupt.
func walk(db *bbolt.DB, path string) error {
	return safeView(db, path, func(tx *bbolt.Tx) error {
		if err := checkPages(path, uint64(tx.ID())); err != nil {
			return err
		}
		return nil
	})
}

// recoverDamage turns a bbolt panic on a damaged page (or a fault on the
// mapped file, with SetPanicOnFault) into ErrCorrupt. Use it deferred, with
// debug.SetPanicOnFault(true) set for the goroutine.
func recoverDamage(path string, err *error) {
	if r := recover(); r != nil {
		*err = corrupt(path, fmt.Errorf("%v", r))
	}
}

// guarded runs fn with faults on the mapped file turned into panics and
// those panics into ErrCorrupt.
func guarded(path string, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverDamage(path, &err)
	return fn()
}

// isDamageText says whether a bbolt open error means a damaged file.
func isDamageText(s string) bool {
	return strings.HasPrefix(s, "file size too small") || s == "mmap too large"
}
