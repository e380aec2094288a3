# Sourced by the replay and export tests: record every bundled scenario.
# record_all DIR: DIR/NAME.jsonl (the recording) and DIR/NAME.live (the
# headless output of the same run) for each scenarios/NAME.ini, two at a time.
record_all() {
	_dir=$1
	for _s in scenarios/*.ini; do
		_n=$(basename "$_s" .ini)
		"$IPCSCOPE" run --headless --speed 20 --record "$_dir/$_n.jsonl" "$_s" \
		    >"$_dir/$_n.live" 2>"$_dir/$_n.liveerr" &
		# at most two runs at once
		[ $(jobs -p | wc -l) -ge 2 ] && wait $(jobs -p | head -1)
	done
	wait
}
