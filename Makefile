# Packdesk. The README's two set-up commands are `make run` and `make test`;
# each installs what it needs on Debian/Ubuntu (idempotently) first.

SHELL := /bin/bash
GO ?= go

# System packages: Fyne's X11/GL headers, ALSA for sound, a CJK font for
# labels, Xvfb and tools for screenshots, poppler for PDF carrier labels; chromium
# drives the console's browser test (internal/console, headless).
BUILD_PKGS := gcc pkg-config libgl1-mesa-dev libx11-dev libxext-dev libxcursor-dev \
	libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev libasound2-dev
RUN_PKGS := fonts-noto-cjk poppler-utils
TEST_PKGS := xvfb xdotool imagemagick x11-apps postgresql chromium

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: run test deps test-deps go-check build lint vet fmt-check tidy-check gotest bench screenshots memory clean

## run: install what is missing, build, start the station in demo mode: it runs the demo
## server in its own process (store in ./demo/server) and syncs with it; quitting stops both.
run: deps build
	./bin/packdesk -demo ./demo

## test: install what the tests need (PostgreSQL too), then format and go.mod checks, vet, linters, tests
## with -race (the PostgreSQL store against a throw-away cluster, scripts/pg-test-cluster.sh),
## then the full minute of 20 scans/s over a pseudo-terminal.
test: test-deps fmt-check tidy-check vet lint gotest

deps: go-check
	@scripts/apt-ensure $(BUILD_PKGS) $(RUN_PKGS)

test-deps: go-check
	@scripts/apt-ensure $(BUILD_PKGS) $(RUN_PKGS) $(TEST_PKGS)

# Debian's golang-go is too old (and cannot switch toolchains): say so plainly.
go-check:
	@command -v $(GO) >/dev/null || { echo "Go is not installed: install Go 1.26 or newer (https://go.dev/dl) and put it on PATH"; exit 1; }
	@$(GO) version | grep -Eq 'go1\.(2[6-9]|[3-9][0-9])' || { echo "$$($(GO) version): Packdesk needs Go 1.26 or newer (https://go.dev/dl)"; exit 1; }

build:
	$(GO) build -o bin/packdeskctl ./cmd/packdeskctl
	@# no_emoji: Fyne's 4 MB colour-emoji font, parsed per style, costs ~15 MB of
	@# resident memory (scripts/memory.sh); the station shows no emoji.
	$(GO) build -tags no_emoji -o bin/packdesk .

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

# go.mod and go.sum must be what `go mod tidy` makes of them (direct dependencies
# listed as direct, nothing unused): -diff prints what would change and fails.
tidy-check:
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy and commit the result"; exit 1; }

# vet and staticcheck look at the -race build (GOFLAGS=-race): the packages they compile are
# then the ones the tests run, so from an empty Go cache everything (Fyne's cgo included) is
# compiled once for all three instead of once plain and once with -race. staticcheck itself
# is built plain (bin/.tools), not instrumented.
vet:
	$(GO) vet -race ./...

lint:
	GOBIN=$(CURDIR)/bin/.tools $(GO) install $(STATICCHECK)
	GOFLAGS=-race bin/.tools/staticcheck ./...
	@# Everything but the GUI (app/, internal/desktop/, main.go) must build with cgo off.
	CGO_ENABLED=0 $(GO) build $$($(GO) list ./internal/... ./drivers/... ./cmd/... | grep -v '/internal/desktop$$')

# Tests run in one fixed locale (C.UTF-8 exists on every Debian; Fyne logs that it cannot
# parse "C" and uses English); `make run` keeps the user's.
gotest: export LC_ALL = C.UTF-8
gotest:
	@# PostgreSQL store tests run against a throw-away cluster (PACKDESK_TEST_PG);
	@# the script fails, and so does this target, when the cluster cannot start.
	scripts/pg-test-cluster.sh $(GO) test -race -count=1 -timeout 20m ./...
	@# The issue's full minute at 20 scans/s over a pty (the run above does 10 s).
	PACKDESK_LONG=1 $(GO) test -count=1 -run 'TestReaderSustained20PerSecond' ./drivers/scanner

## screenshots: run the real app under Xvfb, pack a demo order, save docs/screenshots/*.png.
screenshots: test-deps build
	scripts/screenshots.sh

## bench: the benchmarks behind docs/BENCHMARKS.md (several minutes).
## memory: resident memory of the real app under Xvfb while packing demo orders.
memory: test-deps build
	scripts/memory.sh

bench: deps
	scripts/bench.sh

clean:
	rm -rf bin
