# Unit tests of core/ (Check).
CORE_UNIT_TESTS = \
	tests/unit/core/check_buf \
	tests/unit/core/check_str \
	tests/unit/core/check_error \
	tests/unit/core/check_config \
	tests/unit/core/check_paths \
	tests/unit/core/check_log \
	tests/unit/core/check_spawn \
	tests/unit/core/check_pipeline
check_PROGRAMS += $(CORE_UNIT_TESTS)
TESTS += $(CORE_UNIT_TESTS) tests/unit/core/check_config_cli.sh \
	tests/unit/core/check_nodump.sh tests/unit/core/check_pipeline_tsan.sh
dist_check_SCRIPTS += tests/unit/core/check_config_cli.sh \
	tests/unit/core/check_nodump.sh tests/unit/core/check_pipeline_tsan.sh
tests_unit_core_check_pipeline_SOURCES = tests/unit/core/check_pipeline.c
tests_unit_core_check_pipeline_CFLAGS = $(UNIT_CFLAGS)
tests_unit_core_check_pipeline_LDADD = $(CORE_LIBS) $(UNIT_LIBS)

tests_unit_core_check_buf_SOURCES = tests/unit/core/check_buf.c
tests_unit_core_check_buf_CFLAGS = $(UNIT_CFLAGS)
tests_unit_core_check_buf_LDADD = $(CORE_LIBS) $(UNIT_LIBS)
# The secret-buffer tests watch what buf.c hands back to the allocator.
tests_unit_core_check_buf_LDFLAGS = -Wl,--wrap=free -Wl,--wrap=realloc
tests_unit_core_check_str_SOURCES = tests/unit/core/check_str.c
tests_unit_core_check_str_CFLAGS = $(UNIT_CFLAGS)
tests_unit_core_check_str_LDADD = $(CORE_LIBS) $(UNIT_LIBS)
tests_unit_core_check_error_SOURCES = tests/unit/core/check_error.c
tests_unit_core_check_error_CFLAGS = $(UNIT_CFLAGS)
tests_unit_core_check_error_LDADD = $(CORE_LIBS) $(UNIT_LIBS)
tests_unit_core_check_config_SOURCES = tests/unit/core/check_config.c \
	tests/unit/core/check_config_bad.c tests/unit/core/check_core.h
tests_unit_core_check_config_CFLAGS = $(UNIT_CFLAGS)
tests_unit_core_check_config_LDADD = $(CORE_LIBS) $(UNIT_LIBS)
tests_unit_core_check_paths_SOURCES = tests/unit/core/check_paths.c
tests_unit_core_check_paths_CFLAGS = $(UNIT_CFLAGS)
tests_unit_core_check_paths_LDADD = $(CORE_LIBS) $(UNIT_LIBS)
tests_unit_core_check_log_SOURCES = tests/unit/core/check_log.c
tests_unit_core_check_log_CFLAGS = $(UNIT_CFLAGS)
tests_unit_core_check_log_LDADD = $(CORE_LIBS) $(UNIT_LIBS)
tests_unit_core_check_spawn_SOURCES = tests/unit/core/check_spawn.c
tests_unit_core_check_spawn_CFLAGS = $(UNIT_CFLAGS)
tests_unit_core_check_spawn_LDADD = $(CORE_LIBS) $(UNIT_LIBS)

# The pattern language's parser (Mutt's patterns).
CORE_UNIT_TESTS += tests/unit/core/check_pattern_parse
tests_unit_core_check_pattern_parse_SOURCES = \
	tests/unit/core/check_pattern_parse.c
tests_unit_core_check_pattern_parse_CFLAGS = $(UNIT_CFLAGS)
tests_unit_core_check_pattern_parse_LDADD = $(CORE_LIBS) $(UNIT_LIBS)
