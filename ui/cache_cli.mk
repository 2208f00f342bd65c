# postie sync, folders, list: the cache on the command line
libui_a_SOURCES += ui/cli_folders.c ui/cli_list.c ui/cli_sync.c
libui_a_SOURCES += ui/cli_send.c
libui_a_SOURCES += ui/cli_authorize.c
