# libFuzzer targets.  Each target is one file tests/fuzz/fuzz_NAME.c that
# defines LLVMFuzzerTestOneInput and has a seed corpus in
# tests/fuzz/corpus/NAME/ (past crashes go there too).
#
# Without --enable-fuzzers each target is linked with replay.c instead and
# `make check` replays its corpus: every saved input stays a regression test.
# With --enable-fuzzers, tests/fuzz/fuzz_NAME is the libFuzzer binary and
# `make fuzz FUZZ_SECONDS=N` runs each for N seconds.
FUZZ_TARGETS =
include tests/fuzz/core.mk
include tests/fuzz/net.mk
include tests/fuzz/mime.mk
include tests/fuzz/ui.mk

EXTRA_DIST += tests/fuzz/replay.c tests/fuzz/run-fuzzers.sh tests/fuzz/corpus
if FUZZERS
FUZZ_LINK = -fsanitize=fuzzer
FUZZ_MAIN =
else
FUZZ_LINK =
FUZZ_MAIN = tests/fuzz/replay.c
endif
FUZZ_SECONDS = 60
fuzz: $(FUZZ_TARGETS)
	FUZZ_SECONDS=$(FUZZ_SECONDS) $(SHELL) $(srcdir)/tests/fuzz/run-fuzzers.sh \
		$(srcdir)/tests/fuzz/corpus $(FUZZ_TARGETS)
.PHONY: fuzz
fuzz-targets: $(FUZZ_TARGETS)
.PHONY: fuzz-targets
