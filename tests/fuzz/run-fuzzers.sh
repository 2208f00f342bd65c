#!/bin/sh
# Runs each libFuzzer target for $FUZZ_SECONDS seconds, starting from (and
# adding to) a scratch copy of its seed corpus, $FUZZ_JOBS targets at a
# time (default: the number of cores; each fuzzer is one process on one
# core, so running them side by side gives each the same time as one
# after another, in a fraction of the wall time).  A crash fails the run
# and leaves the input in the current folder (crash-*): save it into
# tests/fuzz/corpus/NAME/ so it is replayed by `make check` from then on.
# Usage: run-fuzzers.sh CORPUS_ROOT TARGET...
set -u
root=$1; shift
secs=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# one TARGET: fuzz it; the verdict goes to $scratch/NAME.out, and a
# failure leaves $scratch/NAME.fail.
one() {
	name=$(basename "$1"); name=${name#fuzz_}
	work="$scratch/$name"
	mkdir -p "$work"
	cp -r "$root/$name/." "$work/" 2>/dev/null || true
	if ! "$1" -max_total_time="$secs" -max_len=65536 -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=0 "$work" >"$work.log" 2>&1; then
		{ echo "FAIL: fuzz_$name found a problem:"; tail -n 40 "$work.log"; } \
		    >"$scratch/$name.out"
		: >"$scratch/$name.fail"
	else
		{ printf 'fuzz_%s for %ss: ' "$name" "$secs"
		  grep -E '^(#[0-9]+|Done)' "$work.log" | tail -n 1; } \
		    >"$scratch/$name.out"
	fi
	rm -rf "$work"
}

running=0
for t in "$@"; do
	one "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait
status=0
for t in "$@"; do
	name=$(basename "$t"); name=${name#fuzz_}
	cat "$scratch/$name.out" 2>/dev/null ||
	    { echo "FAIL: fuzz_$name left no verdict"; status=1; }
	[ ! -e "$scratch/$name.fail" ] || status=1
done
exit $status
