# postie view: a message file rendered as the pager shows it
libui_a_SOURCES += ui/cli_view.c
