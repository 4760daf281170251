#!/usr/bin/env bash
# Measures the resident memory of the real station under Xvfb while it packs
# four demo orders through the keyboard wedge (single item, multi-unit, a
# pack of 6, a set of 5), each finished by scanning its label. Prints the
# VmRSS after start-up, the peak VmRSS sampled every 0.2 s, the kernel's
# high-water mark (VmHWM) and the final VmRSS, in MB. The budget is 200 MB.
# Needs: xvfb, xdotool (make test-deps), bin/packdesk. Extra environment
# (e.g. GOMEMLIMIT=off GOGC=100 to compare) is passed to the station.
# PROFILE_DIR=DIR also saves, after start-up (DIR/start-*) and after packing
# (DIR/end-*), the Go heap profile (through PACKDESK_PPROF on
# 127.0.0.1:$PPROF_PORT; read it with `go tool pprof -top
# -sample_index=inuse_space BIN DIR/end-heap.pprof`), the runtime's memory
# statistics, /proc/PID/smaps_rollup and smaps, and a per-mapping RSS
# summary (DIR/*-mappings.txt). The ?gc=1 of the heap profile runs a GC.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin/packdesk}
DISPLAY_NUM=${DISPLAY_NUM:-:98}
SIZE=${SIZE:-1280x800}
LOCALE=${LOCALE:-en_US.UTF-8} # zh_CN.UTF-8 for the Chinese screen
NAME=memory TOOLS="" SCAN_PAUSE=0.7
source scripts/xvfb-app.sh

# snapshot NAME: the Go heap profile and memory statistics, smaps and a
# per-mapping RSS summary, as DIR/NAME-*.
snapshot() {
	local base=http://$PACKDESK_PPROF/debug/pprof d=$PROFILE_DIR/$1
	curl -fsS -o "$d-heap.pprof" "$base/heap?gc=1" || echo "memory: no heap profile" >&2
	curl -fsS -o "$d-memstats.txt" "$base/heap?debug=1" || true
	cp "/proc/$app_pid/smaps_rollup" "$d-smaps_rollup"
	cp "/proc/$app_pid/smaps" "$d-smaps"
	# RSS by mapping (file name, or [heap]/[anon]), largest first, in kB.
	awk '/^[0-9a-f]+-[0-9a-f]+ / { name = (NF >= 6) ? $6 : "[anon]" }
		$1 == "Rss:" { rss[name] += $2 } $1 == "Anonymous:" { anon[name] += $2 }
		END { for (n in rss) if (rss[n] > 0) printf "%8d kB rss %8d kB anon  %s\n", rss[n], anon[n], n }' \
		"$d-smaps" | sort -rn >"$d-mappings.txt"
}

kb() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$app_pid/status"; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }

if [[ -n ${PROFILE_DIR:-} ]]; then
	mkdir -p "$PROFILE_DIR"
	export PACKDESK_PPROF=127.0.0.1:${PPROF_PORT:-6071}
fi
start_app "$LOCALE" "$work/app.log"
startup=$(kb VmRSS)
[[ -n ${PROFILE_DIR:-} ]] && snapshot start

( while kill -0 "$app_pid" 2>/dev/null; do kb VmRSS; sleep 0.2; done ) >"$work/rss" 2>/dev/null &
sampler_pid=$!

tracking() { echo "PDST1-${1//-/}-01"; }
scan PDBADGE:P100
for order in 114-0000001-0000001:4006381333931 \
	114-0000002-0000002:4006381333931,4006381333931,5901234123457 \
	114-0000003-0000003:DEMO-MUG-6PK \
	114-0000005-0000005:DEMO-SOCKS-SET5; do
	id=${order%%:*}
	scan "$id"
	IFS=, read -ra units <<<"${order#*:}"
	for u in "${units[@]}"; do scan "$u"; done
	sleep 1 # the label preview
	scan "$(tracking "$id")"
done
sleep 2
packed=$(grep -c . "$work/demo/labels"/* 2>/dev/null | wc -l || true)
final=$(kb VmRSS) hwm=$(kb VmHWM) anon=$(kb RssAnon) file=$(kb RssFile)
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
sampler_pid=""
peak=$(sort -n "$work/rss" | tail -1)
[[ -n ${PROFILE_DIR:-} ]] && snapshot end
[[ -n ${KEEP_LOG:-} ]] && cp "$work/app.log" "$KEEP_LOG"
echo "memory: start-up $(mb "$startup") MB, peak while packing $(mb "$peak") MB, VmHWM $(mb "$hwm") MB, final $(mb "$final") MB = anonymous $(mb "$anon") + file-backed $(mb "$file") (libraries, the binary) (label files: $packed)"
