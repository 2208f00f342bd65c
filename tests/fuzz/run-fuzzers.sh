#!/bin/sh
# Runs each libFuzzer target for $FUZZ_SECONDS seconds, starting from (and
# adding to) a scratch copy of its seed corpus.  A crash fails the run and
# leaves the input in the current folder (crash-*): save it into
# tests/fuzz/corpus/NAME/ so it is replayed by `make check` from then on.
# Usage: run-fuzzers.sh CORPUS_ROOT TARGET...
set -u
root=$1; shift
secs=${FUZZ_SECONDS:-60}
status=0
for t in "$@"; do
	name=$(basename "$t"); name=${name#fuzz_}
	work=$(mktemp -d)
	cp -r "$root/$name/." "$work/" 2>/dev/null || true
	echo "fuzzing $name for ${secs}s"
	if ! "$t" -max_total_time="$secs" -max_len=65536 -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=0 "$work" >"$work.log" 2>&1; then
		echo "FAIL: fuzz_$name found a problem:"; tail -n 40 "$work.log"
		status=1
	else
		grep -E '^(#[0-9]+|Done)' "$work.log" | tail -n 1
	fi
	rm -rf "$work" "$work.log"
done
exit $status
