# Unit tests of cache/ (Check).
CACHE_UNIT_TESTS = \
	tests/unit/cache/check_db
check_PROGRAMS += $(CACHE_UNIT_TESTS)
TESTS += $(CACHE_UNIT_TESTS)

tests_unit_cache_check_db_SOURCES = tests/unit/cache/check_db.c \
	tests/unit/cache/check_cache.h
tests_unit_cache_check_db_CFLAGS = $(UNIT_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_cache_check_db_LDADD = $(CACHE_LIBS) $(UNIT_LIBS)

CACHE_UNIT_TESTS += tests/unit/cache/check_index
tests_unit_cache_check_index_SOURCES = tests/unit/cache/check_index.c \
	tests/unit/cache/check_cache.h
tests_unit_cache_check_index_CFLAGS = $(UNIT_CFLAGS)
tests_unit_cache_check_index_LDADD = $(CACHE_LIBS) $(UNIT_LIBS)

CACHE_UNIT_TESTS += tests/unit/cache/check_store
tests_unit_cache_check_store_SOURCES = tests/unit/cache/check_store.c \
	tests/unit/cache/check_cache.h
tests_unit_cache_check_store_CFLAGS = $(UNIT_CFLAGS)
tests_unit_cache_check_store_LDADD = $(CACHE_LIBS) $(UNIT_LIBS)

CACHE_UNIT_TESTS += tests/unit/cache/check_crash
tests_unit_cache_check_crash_SOURCES = tests/unit/cache/check_crash.c \
	tests/unit/cache/check_cache.h
tests_unit_cache_check_crash_CFLAGS = $(UNIT_CFLAGS)
tests_unit_cache_check_crash_LDADD = $(CACHE_LIBS) $(UNIT_LIBS)

CACHE_UNIT_TESTS += tests/unit/cache/check_concurrency
tests_unit_cache_check_concurrency_SOURCES = \
	tests/unit/cache/check_concurrency.c tests/unit/cache/check_cache.h
tests_unit_cache_check_concurrency_CFLAGS = $(UNIT_CFLAGS)
tests_unit_cache_check_concurrency_LDADD = $(CACHE_LIBS) $(UNIT_LIBS)

CACHE_UNIT_TESTS += tests/unit/cache/check_ops
tests_unit_cache_check_ops_SOURCES = tests/unit/cache/check_ops.c \
	tests/unit/cache/check_cache.h
tests_unit_cache_check_ops_CFLAGS = $(UNIT_CFLAGS)
tests_unit_cache_check_ops_LDADD = $(CACHE_LIBS) $(UNIT_LIBS)

CACHE_UNIT_TESTS += tests/unit/cache/check_gen
tests_unit_cache_check_gen_SOURCES = tests/unit/cache/check_gen.c \
	tests/unit/cache/check_cache.h
tests_unit_cache_check_gen_CFLAGS = $(UNIT_CFLAGS)
tests_unit_cache_check_gen_LDADD = $(CACHE_LIBS) $(UNIT_LIBS)

CACHE_UNIT_TESTS += tests/unit/cache/check_outbox
tests_unit_cache_check_outbox_SOURCES = tests/unit/cache/check_outbox.c \
	tests/unit/cache/check_cache.h
tests_unit_cache_check_outbox_CFLAGS = $(UNIT_CFLAGS)
tests_unit_cache_check_outbox_LDADD = $(CACHE_LIBS) $(UNIT_LIBS)

CACHE_UNIT_TESTS += tests/unit/cache/check_thread_hostile
tests_unit_cache_check_thread_hostile_SOURCES = \
	tests/unit/cache/check_thread_hostile.c tests/unit/cache/check_cache.h
tests_unit_cache_check_thread_hostile_CFLAGS = $(UNIT_CFLAGS)
tests_unit_cache_check_thread_hostile_LDADD = $(CACHE_LIBS) $(UNIT_LIBS)

CACHE_UNIT_TESTS += tests/unit/cache/check_pattern
tests_unit_cache_check_pattern_SOURCES = tests/unit/cache/check_pattern.c \
	tests/unit/cache/check_cache.h
tests_unit_cache_check_pattern_CFLAGS = $(UNIT_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_cache_check_pattern_LDADD = $(CACHE_LIBS) $(UNIT_LIBS)

CACHE_UNIT_TESTS += tests/unit/cache/check_addrbook
tests_unit_cache_check_addrbook_SOURCES = tests/unit/cache/check_addrbook.c \
	tests/unit/cache/check_cache.h
tests_unit_cache_check_addrbook_CFLAGS = $(UNIT_CFLAGS)
tests_unit_cache_check_addrbook_LDADD = $(CACHE_LIBS) $(UNIT_LIBS)

CACHE_UNIT_TESTS += tests/unit/cache/check_folder_ops
tests_unit_cache_check_folder_ops_SOURCES = \
	tests/unit/cache/check_folder_ops.c tests/unit/cache/check_cache.h
tests_unit_cache_check_folder_ops_CFLAGS = $(UNIT_CFLAGS)
tests_unit_cache_check_folder_ops_LDADD = $(CACHE_LIBS) $(UNIT_LIBS)
