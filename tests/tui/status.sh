#!/bin/sh
# The status line never says a bare "error": an account whose server
# refuses the connection shows the reason beside the state.
. "$top_srcdir/tests/tui/lib.sh"

md="$TUI_DIR/mail"
mkdir -p "$md/cur" "$md/new" "$md/tmp"
tui_offline_pop3_config "$md"
tui_start -c "$CFG" -a home
tui_expect "home: folders"
tui_expect "| error"
row=$(tui_screen | grep -F "| error")
case "$row" in
*"| error: "*"127.0.0.1"*) tui_pass "the status line says why: $row" ;;
*) tui_fail "the status line says error without the reason: $row" ;;
esac
tui_cmd quit
tui_expect "postie-exit=0"
