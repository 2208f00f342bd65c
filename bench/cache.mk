# bench programs of cache/: BENCH_PROGS += bench/cache_bench; noinst_PROGRAMS would build them always, so use EXTRA_PROGRAMS
