# Helpers for the dashboard tests (sourced by tests/t_ui_*.sh): a private
# tmux server of fixed size, screen captures, bounded waits, cleanup.
# Needs: IPCSCOPE (the binary), tmux.

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SOCK="ipcscope-test-$$"
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/ipcscope-ui.XXXXXX")
FAILS=0

tm() { tmux -L "$SOCK" "$@"; }

ui_cleanup() {
	tm kill-server 2>/dev/null
	rm -rf "$TMPD"
}
trap ui_cleanup EXIT INT TERM

fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }

# ui_skip_unless_tmux: exit 0 (skip) without tmux.
ui_require() {
	command -v tmux >/dev/null 2>&1 || { echo "skip: no tmux"; exit 0; }
	[ -x "$IPCSCOPE" ] || { echo "IPCSCOPE not set"; exit 1; }
}

# ui_start W H ARGS...: start ipcscope ARGS in a W x H session; its exit
# status goes to $TMPD/exit, the terminal settings before and after to
# $TMPD/stty1 and $TMPD/stty2.
ui_start() {
	w=$1; h=$2; shift 2
	rm -f "$TMPD/exit" "$TMPD/stty1" "$TMPD/stty2"
	printf '[dashboard]\nrefresh_ms = 50\nsample_ms = 100\n' > "$TMPD/ipcscope.ini"
	tm -f /dev/null new-session -d -x "$w" -y "$h" \
	    "cd '$ROOT'; stty -g > '$TMPD/stty1'; env LC_ALL=C.UTF-8 TERM=tmux-256color \
	    '$IPCSCOPE' $* --config '$TMPD/ipcscope.ini'; rc=\$?; stty -g > '$TMPD/stty2'; \
	    echo \$rc > '$TMPD/exit'; sleep 120"
}

screen() { tm capture-pane -p; }

# wait_for REGEX SECONDS: true once the screen matches.
wait_for() {
	n=$(($2 * 10))
	while [ "$n" -gt 0 ]; do
		screen | grep -Eq -- "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# wait_exit SECONDS: true once ipcscope has exited.
wait_exit() {
	n=$(($1 * 10))
	while [ "$n" -gt 0 ]; do
		[ -s "$TMPD/exit" ] && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# alive PID: the process exists and is not a zombie.
alive() {
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# pstate PID: the state letter in /proc.
pstate() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1; }
pppid() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f2; }

# done_count: tasks done according to the pool panel title.
done_count() { screen | sed -nE 's/.*Pool pool: .* ([0-9]+) done.*/\1/p' | head -1; }

ui_finish() {
	[ "$FAILS" -eq 0 ] || { echo "$FAILS check(s) failed"; screen; exit 1; }
	exit 0
}
