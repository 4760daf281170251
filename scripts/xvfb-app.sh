# xvfb-app.sh: sourced by screenshots.sh and memory.sh. Checks the tools,
# starts Xvfb on $DISPLAY_NUM, starts the station in demo mode in a window
# of $SIZE, and stops everything on exit.
# Callers set: NAME (for messages), BIN, DISPLAY_NUM, SIZE, and TOOLS.

[[ -x $BIN ]] || { echo "$NAME: $BIN missing: run 'make build' first" >&2; exit 1; }
for tool in Xvfb xdotool $TOOLS; do
	command -v "$tool" >/dev/null || { echo "$NAME: $tool missing: run 'make test-deps'" >&2; exit 1; }
done
work=$(mktemp -d)
xvfb_pid="" app_pid="" sampler_pid=""
cleanup() {
	[[ -n $sampler_pid ]] && kill "$sampler_pid" 2>/dev/null || true
	[[ -n $app_pid ]] && kill "$app_pid" 2>/dev/null || true
	[[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

Xvfb "$DISPLAY_NUM" -screen 0 "${SIZE}x24" -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$DISPLAY_NUM
for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done

# scan TEXT [PAUSE]: type it as a wedge scanner does (1 ms per key, then
# Enter), in one xdotool call: a separate call for Enter can come more than
# the wedge's 60 ms gap later on a loaded machine, and the scan is then
# typing (the queue and the exception chooser refuse it).
scan() {
	local keys=() c i
	for ((i = 0; i < ${#1}; i++)); do
		c=${1:i:1}
		case $c in
		:) keys+=(colon) ;;
		-) keys+=(minus) ;;
		.) keys+=(period) ;;
		/) keys+=(slash) ;;
		_) keys+=(underscore) ;;
		' ') keys+=(space) ;;
		*) keys+=("$c") ;;
		esac
	done
	xdotool key --delay 1 "${keys[@]}" Return
	sleep "${2:-${SCAN_PAUSE:-1}}"
}

# start_app LOCALE LOG: the station in demo mode under $work/demo, its window
# moved to the top left, sized to $SIZE and focused; sets app_pid and win.
start_app() {
	local locale=$1 log=$2
	rm -rf "$work/demo"
	LC_ALL=$locale LANG=$locale FYNE_SCALE=1 "$BIN" -demo "$work/demo" >"$log" 2>&1 &
	app_pid=$!
	win=""
	for _ in $(seq 150); do
		win=$(xdotool search --onlyvisible --name "Packdesk" 2>/dev/null | head -1) && [[ -n $win ]] && break
		kill -0 "$app_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
		sleep 0.2
	done
	[[ -n $win ]] || { echo "$NAME: the station window did not appear" >&2; cat "$log" >&2; exit 1; }
	xdotool windowmove "$win" 0 0 windowsize "$win" "${SIZE%x*}" "${SIZE#*x}" || true
	# No window manager under Xvfb: focus follows the pointer.
	xdotool mousemove --window "$win" 200 200 || true
	xdotool windowfocus "$win" 2>/dev/null || true
	sleep 3 # first frame, fonts
}
