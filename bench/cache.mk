# bench programs of cache/ (built by `make bench-programs`, run by bench/run)
BENCH_PROGS += bench/cache_bench
EXTRA_PROGRAMS += bench/cache_bench
bench_cache_bench_SOURCES = bench/cache_bench.c
bench_cache_bench_LDADD = $(CACHE_LIBS)

# Patterns (cache/pattern.h) against hand-written SQL, same run.
BENCH_PROGS += bench/pattern_bench
EXTRA_PROGRAMS += bench/pattern_bench
bench_pattern_bench_SOURCES = bench/pattern_bench.c bench/bench.h
bench_pattern_bench_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)
bench_pattern_bench_LDADD = $(CACHE_LIBS)

# A bulk move of tagged messages until the server has it (bench/bulk-move).
BENCH_PROGS += bench/bulk_bench
EXTRA_PROGRAMS += bench/bulk_bench
bench_bulk_bench_SOURCES = bench/bulk_bench.c bench/bench.h
bench_bulk_bench_LDADD = $(CACHE_LIBS)
EXTRA_DIST += bench/bulk-move
