package journal_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/packdesk/packdesk/internal/journal"
	"github.com/packdesk/packdesk/internal/journal/journaltest"
	"github.com/packdesk/packdesk/internal/pack"
)

// FuzzOpen feeds Open damaged files: it must return an error or a journal
// that passes its own checks, never panic.
//
// Run it with a minimisation budget in executions, e.g.
//
//	go test -run '^$' -fuzz '^FuzzOpen$' -fuzztime=20s -fuzzminimizetime=200x
//
// Without one, every new interesting input (a 16-128 KB file) is minimised
// for up to the default 60 s, one bbolt open per byte tried; the progress
// line then shows no new execs, which looks like a stall but is not one.
func FuzzOpen(f *testing.F) {
	path := filepath.Join(f.TempDir(), "seed.db")
	j, err := journal.Open(path, journal.Options{NoSync: true}) // NoSync: seed building only
	if err != nil {
		f.Fatal(err)
	}
	if err := j.SetSetting(ctx, "printer", "zebra"); err != nil {
		f.Fatal(err)
	}
	if err := j.Close(); err != nil {
		f.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	page := os.Getpagesize()
	f.Add(good)
	f.Add(good[:2*page])
	f.Add(append(make([]byte, page), good[page:]...)) // first meta page gone, second one good
	f.Add([]byte("hello"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return // an empty file is a new journal
		}
		p := filepath.Join(t.TempDir(), "f.db")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		j, err := journal.Open(p, journal.Options{Timeout: time.Second, NoSync: true})
		if err != nil {
			return
		}
		// Not j.Check(): bbolt's checker runs in its own goroutine and
		// faults on page ids past the end of the map.
		if err := useJournal(j); err != nil {
			t.Logf("damage reported: %v", err)
		}
		if err := j.Close(); err != nil {
			t.Fatal(err)
		}
	})
}

// TestOpenDamagedPages flips bytes in the data pages of a real journal (the
// meta pages are checksummed; these are not): Open must return, with an
// error or a journal, and must not write into a file it finds damaged.
func TestOpenDamagedPages(t *testing.T) {
	path := filepath.Join(t.TempDir(), "seed.db")
	j := journaltest.MustOpenAt(t, path, journal.Options{})
	if err := j.PutOrders(ctx, []pack.Order{order("O1", pack.StatusReady, "SLIP-1")}, nil); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	page := os.Getpagesize()
	for i := 0; i < 300; i++ {
		data := append([]byte{}, good...)
		for k := 0; k < 1+rng.IntN(4); k++ {
			data[2*page+rng.IntN(len(data)-2*page)] = byte(rng.IntN(256))
		}
		p := filepath.Join(t.TempDir(), "f.db")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			j, err := journal.Open(p, journal.Options{Timeout: time.Second, NoSync: true})
			var se *journal.SchemaError
			if err == nil {
				err = j.Close()
			} else if !errors.Is(err, journal.ErrCorrupt) && !errors.As(err, &se) {
				// A flipped byte in the schema version reads as a newer
				// file: refused unchanged, which is as safe.
				err = fmt.Errorf("error is neither ErrCorrupt nor *SchemaError: %w", err)
			} else {
				err = nil
				if after, _ := os.ReadFile(p); !bytes.Equal(after, data) {
					err = errors.New("a damaged file was written to")
				}
			}
			done <- err
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("case %d: Open did not return", i)
		}
	}
}
