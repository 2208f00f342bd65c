#!/bin/sh
# core/pipeline under ThreadSanitizer: builds check_pipeline.c with
# core/pipeline.c (and the little of core/ it needs) using
# -fsanitize=thread, and runs it.  Exit 77 (SKIP) when this compiler or
# kernel cannot run ThreadSanitizer; any data race it reports fails.
src=${top_srcdir:-$(dirname "$0")/../../..}
bld=${top_builddir:-.}
cc=${CC_FOR_TSAN:-${CC:-cc}}
work=$(mktemp -d "${TMPDIR:-/tmp}/postie-tsan.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
flags=$(pkg-config --cflags --libs check 2>/dev/null) || {
	echo "check_pipeline_tsan: Check's pkg-config file is missing"; exit 77; }
printf 'int main(void){return 0;}\n' > "$work/t.c"
if ! $cc -fsanitize=thread "$work/t.c" -o "$work/t" 2>/dev/null ||
    ! "$work/t" >/dev/null 2>&1; then
	echo "check_pipeline_tsan: $cc cannot build or run -fsanitize=thread here"
	exit 77
fi
# Warnings are the normal build's job; this build only looks for races.
# shellcheck disable=SC2086
$cc -std=c11 -g -O1 -fsanitize=thread \
    -I"$bld" -I"$src" \
    "$src/tests/unit/core/check_pipeline.c" "$src/core/pipeline.c" \
    "$src/core/error.c" "$src/core/xalloc.c" \
    -o "$work/check_pipeline_tsan" $flags -lpthread || exit 1
# Check forks each test: keep that, so a race report fails its test too.
TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}" \
    "$work/check_pipeline_tsan"
