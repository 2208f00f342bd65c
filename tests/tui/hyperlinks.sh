#!/bin/sh
# hyperlinks = yes: the pager's links (an HTML footnote and a URL in the
# text) reach the terminal as OSC 8 hyperlinks around the same text,
# recorded from the pane with pipe-pane; a URL with a control character
# (the escape in the message cleaned away) or a blank is never sent
# inside one; the screen shows the same text.
# hyperlinks = no (and auto under tmux) sends none.
. "$top_srcdir/tests/tui/lib.sh"

MD="$TUI_DIR/maildir"
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp"
printf '%s\r\n' \
    'From: Bea <bea@example.org>' \
    'Subject: links' \
    'Date: Mon, 23 Nov 2026 11:00:00 +0100' \
    'Message-ID: <l1@example.org>' \
    'MIME-Version: 1.0' \
    'Content-Type: text/html; charset=utf-8' \
    '' \
    '<p>See <a href="https://example.org/a">the first</a>,' \
    '<a href="https://x.example/&#27;]8;;https://evil.example/&#27;\">bad</a>' \
    '<a href="https://y.example/a b">blank</a>' \
    'and https://plain.example/path?q=1.</p>' \
    >"$MD/cur/1700000001.M1P1Q1.test:2,S"

run() { # run yes|no|auto
	tui_offline_pop3_config "$MD"
	printf '\n[general]\nhyperlinks = %s\n' "$1" >>"$CFG"
	: >"$TUI_DIR/raw"
	tui_start -c "$CFG" -a home -f INBOX
	tmx pipe-pane -o -t postie "cat >>'$TUI_DIR/raw'"
	tui_expect "links"
	tui_keys Enter
	tui_expect "[1] https://example.org/a"
	tui_expect "https://plain.example/path?q=1."
	wait_until grep -q "plain.example" "$TUI_DIR/raw" ||
	    tui_fail "pipe-pane recorded nothing"
}
ESC=$(printf '\033')
osc() { printf '%s]8;;%s%s\\%s%s]8;;%s\\' "$ESC" "$1" "$ESC" "$2" "$ESC" "$ESC"; }

run yes
wait_until grep -qF "$(osc https://example.org/a https://example.org/a)" \
    "$TUI_DIR/raw" || tui_fail "no OSC 8 link around the footnote's URL"
wait_until grep -qF "$(osc https://plain.example/path?q=1 \
    https://plain.example/path?q=1)" "$TUI_DIR/raw" ||
    tui_fail "no OSC 8 link around the URL in the text"
grep -qF "]8;;https://y.example" "$TUI_DIR/raw" &&
    tui_fail "a URL with a blank was sent as a link"
grep -qF "]8;;https://evil.example" "$TUI_DIR/raw" &&
    tui_fail "a message opened a link of its own"
tui_expect "See the first[1],"
tui_pass "hyperlinks = yes: footnote and text URLs are OSC 8 links, a hostile one is not"
tui_keys q q q q
tui_expect "postie-exit=0"
tmx kill-session -t postie

for mode in no auto; do
	run "$mode"
	grep -qF "]8;;" "$TUI_DIR/raw" &&
	    tui_fail "hyperlinks = $mode under tmux sent an OSC 8 link"
	tui_keys q q q q
	tui_expect "postie-exit=0"
	tmx kill-session -t postie
done
tui_pass "hyperlinks = no, and auto under tmux, send no OSC 8"
