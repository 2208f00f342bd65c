# the TUI
libui_a_SOURCES += \
	ui/keys.c ui/keys.h \
	ui/theme.c ui/theme.h \
	ui/cmd.c ui/cmd.h \
	ui/tui.c ui/tui.h ui/tui_int.h \
	ui/tui_cmds.c ui/draw.c ui/list.c ui/mailcap.c ui/mailcap.h \
	ui/scr_accounts.c ui/scr_folders.c ui/scr_index.c ui/scr_pager.c \
	ui/folder_tree.c ui/folder_tree.h ui/sidebar.c ui/sidebar.h \
	ui/scr_index_find.c ui/scr_index_act.c ui/scr_index_tag.c \
	ui/scr_index_int.h \
	ui/scr_index_save.c \
	ui/hyperlink.c ui/hyperlink.h \
	ui/scr_pager_tools.c ui/scr_pager_parts.c ui/scr_pager_int.h \
	ui/scr_help.c ui/scr_compose.c ui/save.c ui/save.h \
	ui/scr_compose_int.h ui/scr_compose_tab.c ui/scr_compose_from.c \
	ui/scr_outbox.c
# the first-run setup form
libui_a_SOURCES += ui/scr_setup.c ui/setup.c ui/setup.h
