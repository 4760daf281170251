#!/usr/bin/env bash
# bench.sh: runs the benchmarks behind the numbers in docs/BENCHMARKS.md and
# prints the machine they ran on. Takes a few minutes (the print-queue run
# alone is about a minute). Usage: scripts/bench.sh [go test -bench regexp]
set -euo pipefail
cd "$(dirname "$0")/.."
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3), $(date -u +%F)"
run() { # package, benchmark regexp, benchtime
	go test -run '^$' -bench "$2" -benchtime "$3" -benchmem "$1" | grep -E '^(Benchmark|ok|FAIL)'
}
run ./internal/barcode 'BenchmarkParse$' 1s
run ./internal/pack 'BenchmarkApply$' 1s
run ./internal/journal 'BenchmarkCommitScan$' 10000x
run ./internal/journal 'BenchmarkOpen100kOrders$' 20x
run ./drivers/scanner 'BenchmarkFrameToScan$' 3000x
run ./drivers/scanner 'Benchmark(Splitter|Wedge)$' 1s
run ./internal/label '.' 1s
run ./internal/station 'BenchmarkScanToVerdict$' 1x  # 10,000 scans inside one run
run ./internal/station 'BenchmarkStartup100k$' 5x
run ./internal/printq 'BenchmarkQueue1000$' 1x
run ./app 'BenchmarkScanToBanner' 1000x
run ./internal/desktop 'BenchmarkRun100k$' 5x
# Scan → verdict at the station vs one round trip per scan online, through the fault proxy (~2 min a run).
run ./internal/desktop 'BenchmarkScanLocalVsOnline$' 1x
# Server stores (issue 8): SQLite, then PostgreSQL on a throw-away cluster with fsync on.
run ./internal/sqlitestore 'BenchmarkIngest' 20x
run ./internal/sqlitestore 'Benchmark(ClaimLatency|Syncing200)' 1x
PG_TEST_FSYNC=on scripts/pg-test-cluster.sh bash -c "$(declare -f run); run ./internal/pgstore 'BenchmarkIngest' 20x; run ./internal/pgstore 'Benchmark(ClaimLatency|Syncing200)' 1x"
