noinst_LIBRARIES += libcore.a
libcore_a_SOURCES = \
	core/buf.c core/buf.h \
	core/error.c core/error.h \
	core/str.c core/str.h \
	core/xalloc.c core/xalloc.h \
	core/config.h core/log.h core/paths.h
