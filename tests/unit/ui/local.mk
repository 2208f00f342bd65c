# tests: tests/unit/ui/local.mk
check_PROGRAMS += tests/unit/ui/check_keys tests/unit/ui/check_theme \
	tests/unit/ui/check_cmd
TESTS += tests/unit/ui/check_keys tests/unit/ui/check_theme \
	tests/unit/ui/check_cmd
UI_UNIT_LIBS = libui.a $(CACHE_LIBS) $(NCURSES_LIBS) $(UNIT_LIBS)
tests_unit_ui_check_keys_SOURCES = tests/unit/ui/check_keys.c
tests_unit_ui_check_keys_CFLAGS = $(UNIT_CFLAGS)
tests_unit_ui_check_keys_CPPFLAGS = $(AM_CPPFLAGS) $(NCURSES_CFLAGS)
tests_unit_ui_check_keys_LDADD = $(UI_UNIT_LIBS)
tests_unit_ui_check_theme_SOURCES = tests/unit/ui/check_theme.c
tests_unit_ui_check_theme_CFLAGS = $(UNIT_CFLAGS)
tests_unit_ui_check_theme_LDADD = $(UI_UNIT_LIBS)
tests_unit_ui_check_cmd_SOURCES = tests/unit/ui/check_cmd.c
tests_unit_ui_check_cmd_CFLAGS = $(UNIT_CFLAGS)
tests_unit_ui_check_cmd_CPPFLAGS = $(AM_CPPFLAGS) $(NCURSES_CFLAGS)
tests_unit_ui_check_cmd_LDADD = $(UI_UNIT_LIBS)
check_PROGRAMS += tests/unit/ui/check_mailcap
TESTS += tests/unit/ui/check_mailcap
tests_unit_ui_check_mailcap_SOURCES = tests/unit/ui/check_mailcap.c
tests_unit_ui_check_mailcap_CFLAGS = $(UNIT_CFLAGS)
tests_unit_ui_check_mailcap_CPPFLAGS = $(AM_CPPFLAGS) $(NCURSES_CFLAGS)
tests_unit_ui_check_mailcap_LDADD = $(UI_UNIT_LIBS)
check_PROGRAMS += tests/unit/ui/check_save
TESTS += tests/unit/ui/check_save
tests_unit_ui_check_save_SOURCES = tests/unit/ui/check_save.c
tests_unit_ui_check_save_CFLAGS = $(UNIT_CFLAGS)
tests_unit_ui_check_save_LDADD = $(UI_UNIT_LIBS)
check_PROGRAMS += tests/unit/ui/check_setup
TESTS += tests/unit/ui/check_setup
tests_unit_ui_check_setup_SOURCES = tests/unit/ui/check_setup.c
tests_unit_ui_check_setup_CFLAGS = $(UNIT_CFLAGS)
tests_unit_ui_check_setup_LDADD = $(UI_UNIT_LIBS)
