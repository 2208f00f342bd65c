# bench programs of mime/: BENCH_PROGS += bench/mime_bench; noinst_PROGRAMS would build them always, so use EXTRA_PROGRAMS
