#!/bin/sh
# The dashboard at 80x24 and 60x15 (and in ASCII, without colours): panels
# appear, the pool advances, pause/resume, the run ends with its summary on
# screen, q leaves with the run's status and restores the terminal.
. "$(dirname "$0")/ui_lib.sh"
ui_require

for size in "80 24" "60 15"; do
	set -- $size
	ui_start "$1" "$2" run --speed 8 --timeout 30s scenarios/pool_callback.ini
	wait_for 'RUNNING' 5 || fail "$1x$2: no RUNNING header"
	wait_for 'Processes' 3 || fail "$1x$2: no process tree"
	wait_for 'Pool pool' 3 || fail "$1x$2: no pool timeline"
	wait_for 'Events' 3 || fail "$1x$2: no events panel"
	wait_for 'Pool pool: .* [1-9][0-9]* done' 5 || fail "$1x$2: the pool does not advance"
	tm send-keys Space
	wait_for 'PAUSED' 3 || fail "$1x$2: no PAUSED"
	tm send-keys Space
	wait_for 'FINISHED' 10 || fail "$1x$2: the run did not finish"
	wait_for 'Finished as written' 3 || fail "$1x$2: no summary line"
	screen | grep -q 'Pool pool: 0 running, 0 pending, 10 done' ||
		fail "$1x$2: final pool state is not 10 done"
	[ -s "$TMPD/exit" ] && fail "$1x$2: left before q"
	tm send-keys q
	wait_exit 5 || fail "$1x$2: no exit on q"
	[ "$(cat "$TMPD/exit" 2>/dev/null)" = 0 ] || fail "$1x$2: exit status $(cat "$TMPD/exit")"
	cmp -s "$TMPD/stty1" "$TMPD/stty2" || fail "$1x$2: terminal not restored"
	[ "$FAILS" -eq 0 ] && ok "$1x$2"
	tm kill-server
	sleep 0.2
done

# ASCII and no colours; --exit-on-finish leaves at the end by itself.
rm -f "$TMPD/exit"
tm -f /dev/null new-session -d -x 80 -y 24 \
    "cd '$ROOT'; env LC_ALL=C NO_COLOR=1 TERM=tmux-256color '$IPCSCOPE' run \
    --speed 8 --exit-on-finish scenarios/pool_callback.ini; echo \$? > '$TMPD/exit'; sleep 60"
wait_for '\|-worker-1|`-worker-|worker-1' 5 || fail "ascii: no tree"
screen | grep -q '─' && fail "ascii: UTF-8 line drawing under LC_ALL=C"
wait_exit 10 || fail "--exit-on-finish did not leave"
[ "$(cat "$TMPD/exit" 2>/dev/null)" = 0 ] && ok "ascii, NO_COLOR, --exit-on-finish" ||
	fail "--exit-on-finish status $(cat "$TMPD/exit" 2>/dev/null)"
ui_finish
