#!/bin/sh
# Dashboard settings: a bad --config is refused with FILE:LINE before the
# terminal is touched; a missing --config file too; without --config the
# XDG file is read; --speed beats the file's speed.
. "$(dirname "$0")/ui_lib.sh"
ui_require

printf '[dashboard]\nrefresh_ms = 100\nbogus = 1\n' > "$TMPD/bad.ini"
out=$("$IPCSCOPE" run --config "$TMPD/bad.ini" "$ROOT/scenarios/pool_callback.ini" \
    </dev/null 2>&1 >/dev/null); rc=$?
[ "$rc" = 1 ] || fail "bad config: status $rc, want 1"
echo "$out" | grep -q "bad.ini:3: unknown key 'bogus'" || fail "bad config message: $out"
printf 'speed = fast\n' > "$TMPD/bad2.ini"
out=$("$IPCSCOPE" run --config "$TMPD/bad2.ini" "$ROOT/scenarios/pool_callback.ini" \
    </dev/null 2>&1 >/dev/null)
echo "$out" | grep -q "bad2.ini:1: bad value 'fast' for speed" || fail "bad value message: $out"
out=$("$IPCSCOPE" run --config "$TMPD/none.ini" "$ROOT/scenarios/pool_callback.ini" \
    </dev/null 2>&1 >/dev/null); rc=$?
[ "$rc" = 1 ] && echo "$out" | grep -q 'none.ini' || fail "missing --config accepted ($rc: $out)"
# The documented defaults parse (the next complaint is the missing terminal).
out=$("$IPCSCOPE" run --config "$ROOT/config/ipcscope.ini" \
    "$ROOT/scenarios/pool_callback.ini" </dev/null 2>&1 >/dev/null)
echo "$out" | grep -q 'needs a terminal' || fail "config/ipcscope.ini: $out"
[ "$FAILS" -eq 0 ] && ok "bad configs refused, config/ipcscope.ini accepted"

# The XDG file (no --config): its speed applies when --speed is not given.
mkdir -p "$TMPD/xdg/ipcscope"
printf '[dashboard]\nspeed = 3\ntheme = mono\n' > "$TMPD/xdg/ipcscope/ipcscope.ini"
tm -f /dev/null new-session -d -x 100 -y 30 \
    "cd '$ROOT'; env XDG_CONFIG_HOME='$TMPD/xdg' LC_ALL=C.UTF-8 TERM=tmux-256color \
    '$IPCSCOPE' run scenarios/pool_callback.ini; sleep 60"
wait_for 'speed 3x' 5 && ok "speed 3 from \$XDG_CONFIG_HOME" || fail "XDG config speed not applied"
tm kill-server
sleep 0.2
tm -f /dev/null new-session -d -x 100 -y 30 \
    "cd '$ROOT'; env XDG_CONFIG_HOME='$TMPD/xdg' LC_ALL=C.UTF-8 TERM=tmux-256color \
    '$IPCSCOPE' run --speed 5 scenarios/pool_callback.ini; sleep 60"
wait_for 'speed 5x' 5 && ok "--speed beats the config" || fail "--speed 5 not shown"
tm kill-server
sleep 0.2

# An unknown terminal: a message and status 1, no scenario started.
rm -f "$TMPD/exit"
tm -f /dev/null new-session -d -x 100 -y 30 \
    "cd '$ROOT'; env TERM=no-such-terminal '$IPCSCOPE' run scenarios/pool_callback.ini \
    2> '$TMPD/err'; echo \$? > '$TMPD/exit'; sleep 60"
wait_exit 5 || fail "no exit with an unknown TERM"
[ "$(cat "$TMPD/exit")" = 1 ] && grep -q 'cannot use the terminal' "$TMPD/err" &&
	ok "unknown TERM refused" || fail "unknown TERM: $(cat "$TMPD/exit") $(cat "$TMPD/err")"
ui_finish
