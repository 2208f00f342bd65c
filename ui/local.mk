bin_PROGRAMS += postie
noinst_LIBRARIES += libui.a
libui_a_SOURCES = \
	ui/cli.c ui/cli.h \
	ui/cli_accounts.c \
	ui/cli_check_config.c
libui_a_CPPFLAGS = $(AM_CPPFLAGS) $(NCURSES_CFLAGS)
postie_SOURCES = ui/main.c
postie_CPPFLAGS = $(AM_CPPFLAGS) $(NCURSES_CFLAGS)
postie_LDADD = libui.a $(CACHE_LIBS) $(NCURSES_LIBS)
include ui/view.mk
include ui/tui.mk
include ui/cache_cli.mk
