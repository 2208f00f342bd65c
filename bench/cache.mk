# bench programs of cache/ (built by `make bench-programs`, run by bench/run)
BENCH_PROGS += bench/cache_bench
EXTRA_PROGRAMS += bench/cache_bench
bench_cache_bench_SOURCES = bench/cache_bench.c
bench_cache_bench_LDADD = $(CACHE_LIBS)
