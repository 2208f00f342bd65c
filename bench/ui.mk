# bench programs of ui/: BENCH_PROGS += bench/ui_bench; noinst_PROGRAMS would build them always, so use EXTRA_PROGRAMS
