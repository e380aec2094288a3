#!/bin/sh
# Library seams: only ui/ includes curses, only the sampler includes
# libproc2, only the scenario loader includes <ini.h>.
cd "$(dirname "$0")/.." || exit 1
bad=0
for f in $(grep -rlE '#include <(n?curses|ncursesw/)' src tests 2>/dev/null); do
	echo "curses included outside ui/: $f"; bad=1; done
for f in $(grep -rl '#include <libproc2/' src ui 2>/dev/null | grep -v '^src/proc/sampler\.c$'); do
	echo "libproc2 included outside src/proc/sampler.c: $f"; bad=1; done
for f in $(grep -rl '#include <ini.h>' src ui 2>/dev/null | grep -v '^src/scenario/load\.c$'); do
	echo "ini.h included outside src/scenario/load.c: $f"; bad=1; done
exit $bad
