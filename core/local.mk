noinst_LIBRARIES += libcore.a
libcore_a_SOURCES = \
	core/buf.c core/buf.h \
	core/clock.c core/clock.h \
	core/config.c core/config_parse.c core/config_search.c \
	core/config_oauth.c \
	core/config_int.h core/config.h \
	core/error.c core/error.h \
	core/hash.c core/hash.h \
	core/json.c core/json.h \
	core/log.c core/log.h \
	core/paths.c core/paths.h \
	core/pattern_parse.c core/pattern_parse.h \
	core/pipeline.c core/pipeline.h \
	core/spawn.c core/spawn.h \
	core/str.c core/str.h \
	core/xalloc.c core/xalloc.h
