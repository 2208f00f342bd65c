noinst_LIBRARIES += libmime.a
libmime_a_SOURCES =
