# Benchmarks: `make bench` runs bench/run (never part of `make check`).
# Bench programs (bench/NAME) are built by `make bench-programs` and print
# rows "work<TAB>figure<TAB>target<TAB>verdict" that bench/run puts in its
# table.  Each area owns its fragment.
BENCH_PROGS =
EXTRA_PROGRAMS =
include bench/cache.mk
include bench/mime.mk
include bench/ui.mk
EXTRA_DIST += bench/run bench/gen-mail
bench-programs: $(BENCH_PROGS)
# bench/run builds its own optimised tree (build/bench) one target at a
# time: automake's "all" runs a sub-make that would race a parallel
# bench-programs over the same libraries.
bench:
	$(srcdir)/bench/run
.PHONY: bench bench-programs
