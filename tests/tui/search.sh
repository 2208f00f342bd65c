#!/bin/sh
# Searching: in the index, "wrapped" only when the search went past the
# last message; in the pager, a search from the end of a long message
# wraps to the top (and says so), matches are highlighted, and n goes on
# to the next match.
. "$top_srcdir/tests/tui/lib.sh"

MD="$TUI_DIR/maildir"
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp"
for i in 1 2 3 4; do
	printf 'From: Sender %s <s%s@example.org>\r\nSubject: note %s\r\nDate: Mon, 23 Nov 2026 1%s:00:00 +0100\r\nMessage-ID: <n%s@example.org>\r\n\r\nplain body %s\r\n' \
	    "$i" "$i" "$i" "$i" "$i" "$i" >"$MD/cur/170000000$i.M1P1Q$i.test:2,S"
done
# The second and fourth hold the word "marmalade".
printf 'From: Cook <cook@example.org>\r\nSubject: recipe two\r\nDate: Mon, 23 Nov 2026 12:30:00 +0100\r\nMessage-ID: <r2@example.org>\r\n\r\nmarmalade\r\n' \
    >"$MD/cur/1700000025.M1P1Q25.test:2,S"
printf 'From: Cook <cook@example.org>\r\nSubject: recipe four\r\nDate: Mon, 23 Nov 2026 14:30:00 +0100\r\nMessage-ID: <r4@example.org>\r\n\r\nmarmalade again\r\n' \
    >"$MD/cur/1700000045.M1P1Q45.test:2,S"
# A long message: "zebra" on line 2 and line 150, 200 lines in all.
{
	printf 'From: Long <long@example.org>\r\nSubject: the long one\r\nDate: Mon, 23 Nov 2026 09:00:00 +0100\r\nMessage-ID: <long@example.org>\r\n\r\n'
	printf 'first line\r\nzebra near the top\r\n'
	i=3
	while [ $i -le 200 ]; do
		if [ $i = 150 ]; then
			printf 'a second zebra here\r\n'
		else
			printf 'filler line %s\r\n' $i
		fi
		i=$((i + 1))
	done
} >"$MD/cur/1700000000.M1P1Q0.test:2,S"

tui_offline_pop3_config "$MD"

tui_start -c "$CFG" -a home -f INBOX
tui_expect "home/INBOX: 7 messages"
# The start-up connection error takes the message line: wait for it.
wait_until grep -qs 'cannot connect' "$LOGF" || tui_fail "no connection error"

# --- index: a match below the cursor is no wrap; past the end is ---
tui_keys =
tui_cmd "search marmalade"
wait_until cursor_on "recipe two" || tui_fail "search did not find recipe two"
tui_expect_not "wrapped"
tui_keys n
wait_until cursor_on "recipe four" || tui_fail "n did not find recipe four"
tui_expect_not "wrapped"
tui_keys n
wait_until cursor_on "recipe two" || tui_fail "n did not wrap to recipe two"
tui_expect "Search wrapped to the top."
tui_pass "index search says 'wrapped' only when it wrapped"

# --- pager: from the end, a word near the top ---
tui_keys =
tui_keys Enter
tui_expect "Subject: the long one"
tui_keys '*'
tui_expect "filler line 200"
tui_keys /
tui_keys -l zebra
tui_keys Enter
tui_expect "zebra near the top"
tui_expect_not "Not found"
tui_expect "Search wrapped to the top."
tui_pass "pager search wraps"
# Highlighted: the search colours (black on yellow) right before it.
esc=$(printf '\033')
tui_screen -e | grep -F "near the top" | grep -q "${esc}\[[0-9;]*43m[^$esc]*zebra" ||
    tui_fail "the match is not highlighted: $(tui_screen -e | grep -F 'near the top' | od -c | head -5)"
tui_pass "pager search highlights the match"
tui_keys n
tui_expect "a second zebra here"
tui_keys n
tui_expect "zebra near the top"
tui_expect "Search wrapped to the top."
tui_pass "n goes to the next match, and wraps"
tui_keys q Q
tui_expect "postie-exit=0"
exit 0
