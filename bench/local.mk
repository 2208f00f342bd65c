# Benchmarks: `make bench` runs bench/run (never part of `make check`).
EXTRA_DIST += bench/run
bench: all
	$(srcdir)/bench/run
.PHONY: bench
