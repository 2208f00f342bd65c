EXTRA_DIST += bench/ui_bench
