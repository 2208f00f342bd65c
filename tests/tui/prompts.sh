#!/bin/sh
# Prompts a new user meets: o (sort) takes a unique prefix and asks when
# the prefix fits several; :theme alone lists the themes; Tab completes
# on the command line; w asks where to save an attachment, offering its
# safe name, and a folder keeps it.
. "$top_srcdir/tests/tui/lib.sh"

MD="$TUI_DIR/maildir"
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp" "$TUI_DIR/into" "$TUI_DIR/cwd"
printf '%s\r\n' \
    'From: Bob <bob@example.org>' \
    'Subject: notes attached' \
    'Date: Wed, 25 Nov 2026 09:00:00 +0100' \
    'Message-ID: <att@example.org>' \
    'MIME-Version: 1.0' \
    'Content-Type: multipart/mixed; boundary="b1"' \
    '' \
    '--b1' \
    'Content-Type: text/plain; charset=utf-8' \
    '' \
    'see the notes' \
    '--b1' \
    'Content-Type: text/plain; name="notes.txt"' \
    'Content-Disposition: attachment; filename="../../notes.txt"' \
    'Content-Transfer-Encoding: base64' \
    '' \
    'YXR0YWNoZWQgbm90ZXMgNDcxMQo=' \
    '--b1--' >"$MD/cur/1700000002.M1P1Q3.test:2,S"
printf 'From: Ann <ann@example.org>\r\nSubject: another\r\nDate: Mon, 23 Nov 2026 10:00:00 +0100\r\nMessage-ID: <a@example.org>\r\n\r\nx\r\n' \
    >"$MD/cur/1700000001.M1P1Q1.test:2,S"

tui_offline_pop3_config "$MD"

# postie's working directory, where a bare file name is saved.
cd "$TUI_DIR/cwd" || exit 99
tui_start -c "$CFG" -a home -f INBOX
tui_expect "home/INBOX: 2 messages"
wait_until grep -qs 'cannot connect' "$LOGF" || tui_fail "no connection error"

# --- sort by a prefix ---
tui_keys o
tui_expect "Sort by (date"
tui_keys -l su
tui_keys Enter
tui_expect "sort: subject"
tui_keys o
tui_keys -l s
tui_keys Enter
tui_expect "Sort by subject or size: s"
tui_keys -l i
tui_keys Enter
tui_expect "sort: size"
tui_cmd "sort t"
tui_expect "sort: thread"
tui_pass "sort takes a unique prefix, and asks for an ambiguous one"

# --- :theme alone lists the themes ---
tui_cmd "theme"
tui_expect "Themes: default (in use), high-contrast, light, mono, solarized-dark."
tui_pass ":theme lists the themes"

# --- Tab on the command line: names, folders, sorts, themes ---
cmdline_tab() { # types $1 after ':', presses Tab, expects ':$2'
	tui_keys :
	tui_keys -l "$1"
	tui_keys Tab
	tui_expect ":$2"
	tui_keys C-u Escape
}
cmdline_tab chan "change-folder"
cmdline_tab "change-folder in" "change-folder INBOX"
cmdline_tab "sort su" "sort subject"
cmdline_tab "theme hi" "theme high-contrast"
tui_pass "Tab completes on the command line"

# --- saving an attachment asks for the name ---
tui_cmd "sort date"
tui_keys '*' Enter
tui_expect "see the notes"
tui_keys w
tui_expect "Save attachment 1 to (a file or folder): notes.txt"
[ -z "$(ls "$TUI_DIR/cwd")" ] || tui_fail "saved before the name was given"
tui_keys Enter
wait_until grep -qs "attached notes 4711" "$TUI_DIR/cwd/notes.txt" ||
    tui_fail "the default name did not save notes.txt"
tui_keys w
tui_expect "to (a file or folder): notes.txt"
tui_keys C-u
tui_keys -l "$TUI_DIR/into"
tui_keys Enter
wait_until grep -qs "attached notes 4711" "$TUI_DIR/into/notes.txt" ||
    tui_fail "saving into a folder did not use the attachment's name ($(ls "$TUI_DIR/into"))"
tui_keys w
tui_keys C-u
tui_keys -l "$TUI_DIR/into/renamed.txt"
tui_keys Enter
wait_until grep -qs "attached notes 4711" "$TUI_DIR/into/renamed.txt" ||
    tui_fail "a typed name was not used"
tui_keys w
tui_keys Escape
tui_keys q
tui_expect "home/INBOX: 2 messages"
tui_pass "w asks for the name, offering the safe name; a folder keeps it"
tui_keys Q
tui_expect "postie-exit=0"
exit 0
