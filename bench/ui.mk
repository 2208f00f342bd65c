EXTRA_DIST += bench/ui_bench bench/compose_bench
