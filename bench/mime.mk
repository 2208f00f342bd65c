# bench programs of mime/: BENCH_PROGS += bench/mime_bench; noinst_PROGRAMS would build them always, so use EXTRA_PROGRAMS
# bench/mime_bench DIR [N]: render MB/s over DIR/*.eml, one 20 MB message,
# headers of N (100000) generated messages.
BENCH_PROGS += bench/mime_bench
EXTRA_PROGRAMS += bench/mime_bench
bench_mime_bench_SOURCES = bench/mime_bench.c
bench_mime_bench_LDADD = $(MIME_LIBS)
