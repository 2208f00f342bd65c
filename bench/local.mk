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
bench: all bench-programs
	$(srcdir)/bench/run
.PHONY: bench bench-programs
