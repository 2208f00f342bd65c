# bench programs of mime/: BENCH_PROGRAMS += bench/mime_bench; noinst_PROGRAMS would build them always, so use EXTRA_PROGRAMS
