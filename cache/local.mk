noinst_LIBRARIES += libcache.a
libcache_a_SOURCES =
libcache_a_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE_CFLAGS)
