#!/usr/bin/env bash
# Runs the real station under Xvfb, packs a demo order through the keyboard
# wedge (xdotool types the scans like a scanner: a fast burst ending in
# Enter), and saves docs/screenshots/{packing,label,rejection,settings,queue}-{en,zh}.png.
# Needs: xvfb, xdotool, imagemagick (make test-deps installs them), bin/packdesk.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin/packdesk}
OUT=${OUT:-docs/screenshots}
DISPLAY_NUM=${DISPLAY_NUM:-:99}
SIZE=${SIZE:-1280x800}
[[ -x $BIN ]] || { echo "screenshots: $BIN missing: run 'make build' first" >&2; exit 1; }
for tool in Xvfb xdotool import; do
	command -v "$tool" >/dev/null || { echo "screenshots: $tool missing: run 'make test-deps'" >&2; exit 1; }
done
mkdir -p "$OUT"
work=$(mktemp -d)
xvfb_pid="" app_pid=""
cleanup() {
	[[ -n $app_pid ]] && kill "$app_pid" 2>/dev/null || true
	[[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

Xvfb "$DISPLAY_NUM" -screen 0 "${SIZE}x24" -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$DISPLAY_NUM
for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done

# scan TEXT: type it as a wedge scanner does (1 ms per key, then Enter).
scan() { xdotool type --delay 1 -- "$1"; xdotool key Return; sleep "${2:-1}"; }
shot() { sleep 0.5; import -window root "$OUT/$1.png"; echo "screenshots: $OUT/$1.png"; }

for lang in en zh; do
	case $lang in
	en) locale=en_US.UTF-8 ;;
	zh) locale=zh_CN.UTF-8 ;;
	esac
	rm -rf "$work/demo"
	W=${SIZE%x*} H=${SIZE#*x}
	LC_ALL=$locale LANG=$locale FYNE_SCALE=1 "$BIN" -demo "$work/demo" >"$work/app-$lang.log" 2>&1 &
	app_pid=$!
	win=""
	for _ in $(seq 150); do
		win=$(xdotool search --onlyvisible --name "Packdesk" 2>/dev/null | head -1) && [[ -n $win ]] && break
		kill -0 "$app_pid" 2>/dev/null || { cat "$work/app-$lang.log" >&2; exit 1; }
		sleep 0.2
	done
	[[ -n $win ]] || { echo "screenshots: the station window did not appear" >&2; cat "$work/app-$lang.log" >&2; exit 1; }
	xdotool windowmove "$win" 0 0 windowsize "$win" "$W" "$H" || true
	# No window manager under Xvfb: focus follows the pointer.
	xdotool mousemove --window "$win" 200 200 || true
	xdotool windowfocus "$win" 2>/dev/null || true
	sleep 3 # first frame, fonts

	scan PDBADGE:P100
	scan 114-0000002-0000002      # 2 mugs + a USB-C cable
	scan 4006381333931            # one mug: accepted
	shot "packing-$lang"
	scan 6901234567892            # socks: not in this order
	shot "rejection-$lang"
	scan 4006381333931
	scan 5901234123457 2          # the cable completes the order: label printed
	shot "label-$lang"
	xdotool key F10
	sleep 1
	scan 114-0000002-0000002      # the settings scan test explains it
	shot "settings-$lang"
	xdotool key F10               # back to packing
	sleep 0.5
	xdotool key F9                # the print queue
	sleep 1
	# Tab to the "also show printed" check (list first, then the check),
	# Space ticks it: the demo printer prints at once, so nothing waits.
	xdotool key Tab
	sleep 0.3
	xdotool key Tab
	sleep 0.3
	xdotool key space
	sleep 1
	shot "queue-$lang"

	kill "$app_pid"
	wait "$app_pid" 2>/dev/null || true
	app_pid=""
done
