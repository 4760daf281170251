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
NAME=screenshots TOOLS=import
source scripts/xvfb-app.sh
mkdir -p "$OUT"

shot() { sleep 0.5; import -window root "$OUT/$1.png"; echo "screenshots: $OUT/$1.png"; }

for lang in en zh; do
	case $lang in
	en) locale=en_US.UTF-8 ;;
	zh) locale=zh_CN.UTF-8 ;;
	esac
	start_app "$locale" "$work/app-$lang.log"

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
