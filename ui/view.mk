# postie view (mime layer owner)
libui_a_SOURCES += ui/cli_view.c
