# bench programs of cache/: BENCH_PROGRAMS += bench/cache_bench; noinst_PROGRAMS would build them always, so use EXTRA_PROGRAMS
