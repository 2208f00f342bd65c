# postie sync/folders/list (cache layer owner)
libui_a_SOURCES += ui/cli_folders.c ui/cli_list.c ui/cli_sync.c
libui_a_SOURCES += ui/cli_send.c
