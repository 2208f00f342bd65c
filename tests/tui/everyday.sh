#!/bin/sh
# Everyday reading the way a NeoMutt user expects: d in the pager marks
# the message and shows the next one; space at the end of a message goes
# on to the next; limit takes NeoMutt's flag patterns (~N, ~F); a limit
# that matches nothing says so and how to undo it.
. "$top_srcdir/tests/tui/lib.sh"

MD="$TUI_DIR/maildir"
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp"
for i in 1 2 3; do
	printf 'From: Sender %s <s%s@example.org>\r\nSubject: note %s\r\nDate: Mon, 23 Nov 2026 1%s:00:00 +0100\r\nMessage-ID: <n%s@example.org>\r\n\r\nbody of note %s\r\n' \
	    "$i" "$i" "$i" "$i" "$i" "$i" >"$MD/cur/170000000$i.M1P1Q$i.test:2,S"
done
mv "$MD/cur/1700000002.M1P1Q2.test:2,S" "$MD/cur/1700000002.M1P1Q2.test:2,"
tui_offline_pop3_config "$MD"

tui_start -c "$CFG" -a home -f INBOX
tui_expect "home/INBOX: 3 messages"
wait_until grep -qs 'cannot connect' "$LOGF" || tui_fail "no connection error"

# --- NeoMutt's flag patterns in limit ---
tui_cmd "limit ~N"
tui_expect "home/INBOX: 1 message "
tui_screen | grep -qF "note 2" || tui_fail "~N does not show the unread note 2"
tui_cmd "limit ~F"
tui_expect "home/INBOX: 0 messages"
tui_cmd "limit ~g"
tui_expect "~g: unknown pattern at column 1; postie knows ~A"
tui_keys l Enter
tui_expect "home/INBOX: 3 messages"
tui_pass "limit takes ~N, ~F and says which patterns it knows"

# --- d in the pager: marked, and on to the next message ---
tui_keys = Enter
tui_expect "body of note 1"
tui_keys d
tui_expect "body of note 2"
tui_pass "d in the pager shows the next message"
# --- space at the end of a message: the next one ---
tui_keys Space
tui_expect "body of note 3"
tui_pass "space at the end of a message goes to the next"
tui_keys d
tui_expect "Marked deleted (X in the index removes it)."
tui_expect "body of note 3"
tui_keys q
tui_expect "home/INBOX: 3 messages"
tui_screen | grep -F "note 1" | grep -q " D " || tui_fail "note 1 is not marked D"
tui_screen | grep -F "note 2" | grep -q " D " && tui_fail "note 2 is marked D"
tui_screen | grep -F "note 3" | grep -q " D " || tui_fail "note 3 is not marked D"
tui_keys = u '*' u
tui_pass "the marks are where d was pressed"

# --- a limit with no match says how to get the messages back ---
tui_cmd "limit nothing-matches-this"
tui_expect "No message matches 'nothing-matches-this' (l, then Enter, shows them all)."
tui_keys l Enter
tui_expect "home/INBOX: 3 messages"
tui_pass "an empty limit says how to undo it"
tui_keys Q
tui_expect "postie-exit=0"
exit 0
