#!/bin/sh
# Install the Debian packages ipcscope needs to build and test, if missing.
# Idempotent and silent when everything is present. As root it runs apt-get,
# else sudo when available, else it prints the exact command and fails.
set -u
PKGS="build-essential pkg-config libncurses-dev libproc2-dev libinih-dev libcmocka-dev libjansson-dev tmux python3"
# make fuzz (clang with libFuzzer and the sanitizer runtimes), make valgrind
PKGS="$PKGS clang libclang-rt-14-dev valgrind"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
echo "deps: installing:$missing"
cmd="apt-get install -y -q --no-install-recommends$missing"
if [ "$(id -u)" = 0 ]; then
	run=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	run="sudo"
else
	echo "deps: not root and no sudo; run as root:" >&2
	echo "  apt-get update && $cmd" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$run apt-get update -q >/dev/null 2>&1 || true
if ! $run $cmd >/tmp/ipcscope-deps.$$ 2>&1; then
	cat /tmp/ipcscope-deps.$$ >&2; rm -f /tmp/ipcscope-deps.$$
	echo "deps: apt-get failed" >&2
	exit 1
fi
rm -f /tmp/ipcscope-deps.$$
