#!/bin/sh
# Mutt's patterns in the limit (l) and search (/) of the index: by date
# (relative and absolute), by flag, both at once; a quoted phrase finds
# the phrase only ("Person 3" is not "Person 39"), plain words stay
# prefixes; a bad pattern says where; ~N and ~O split the unread at the
# last time the folder was left.
. "$top_srcdir/tests/tui/lib.sh"

MD="$TUI_DIR/maildir"
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp"
n=0
msg() { # FLAGS DAYS-AGO SUBJECT
	n=$((n + 1))
	printf 'From: Sender %s <s%s@example.org>\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <p%s@example.org>\r\n\r\nbody of %s\r\n' \
	    "$n" "$n" "$3" "$(LC_ALL=C date -R -d "$2 days ago")" "$n" "$3" \
	    >"$MD/cur/170000000$n.M1P1Q$n.test:2,$1"
}
msg "" 3 "fresh unread"
msg FS 5 "fresh flagged"
msg "" 60 "old unread"
msg S 100 "Person 3 minutes"
msg S 100 "Person 39 agenda"
tui_offline_pop3_config "$MD"

tui_start -c "$CFG" -a home -f INBOX
tui_expect "home/INBOX: 5 messages"
wait_until grep -qs 'cannot connect' "$LOGF" || tui_fail "no connection error"

# --- by date: relative, then with a flag, then absolute ---
tui_keys l
tui_expect "Limit to messages matching"
tui_keys -l "~d <2w"
tui_keys Enter
tui_expect "home/INBOX: 2 messages"
tui_expect "fresh unread"
tui_expect "fresh flagged"
tui_expect_not "old unread"
tui_pass "l ~d <2w: the last two weeks"
tui_cmd "limit ~d <2w ~U"
tui_expect "home/INBOX: 1 message "
tui_expect "fresh unread"
tui_expect_not "fresh flagged"
tui_pass "~d <2w ~U: recent and unread"
tui_cmd "limit ~d >1m !~U"
tui_expect "home/INBOX: 2 messages"
tui_expect "Person 39 agenda"
tui_expect_not "old unread"
tui_pass "~d >1m !~U: older than a month and read"
tui_cmd "limit ~d $(date -d '20 days ago' +%d/%m/%Y)-"
tui_expect "home/INBOX: 2 messages"
tui_expect_not "old unread"
tui_pass "~d DD/MM/YYYY-: since a date"

# --- by flag ---
tui_cmd "limit ~F"
tui_expect "home/INBOX: 1 message "
tui_expect "fresh flagged"
tui_cmd "limit ~U | ~F"
tui_expect "home/INBOX: 3 messages"
tui_expect_not "Person 3"
tui_pass "~F and ~U | ~F"

# --- a phrase is the phrase; words are prefixes ---
tui_cmd 'limit "Person 3"'
tui_expect "home/INBOX: 1 message "
tui_expect "Person 3 minutes"
tui_expect_not "Person 39"
tui_cmd "limit Person 3"
tui_expect "home/INBOX: 2 messages"
tui_expect "Person 39 agenda"
tui_pass "a quoted phrase finds only the phrase, plain words find prefixes"

# --- a bad pattern says where ---
tui_cmd "limit ~d <2x"
tui_expect "~d <2x: unknown unit 'x' at column 5"
tui_pass "a bad pattern names the column"

# --- search takes patterns too ---
tui_keys l Enter
tui_expect "home/INBOX: 5 messages"
tui_keys =
tui_cmd "search ~F"
wait_until cursor_on "fresh flagged" || tui_fail "search ~F did not find the flagged message"
tui_pass "search ~F"

# --- new and old: the unread mail shown when the folder was left is old
# the next time (O in the index, ~O), mail that arrived since is new ---
tui_cmd "limit ~N"
tui_expect "home/INBOX: 2 messages"
tui_keys Q
tui_expect "postie-exit=0"
tmx kill-server
msg "" 1 "arrived since"
tui_start -c "$CFG" -a home -f INBOX
tui_expect "home/INBOX: 6 messages"
tui_screen | grep -q "^.*O .*old unread" ||
    tui_fail "the unread message seen before is not marked O"
tui_screen | grep -q "^.*N .*arrived since" ||
    tui_fail "the message that arrived since is not marked N"
tui_cmd "limit ~O"
tui_expect "home/INBOX: 2 messages"
tui_expect "fresh unread"
tui_expect_not "arrived since"
tui_cmd "limit ~N"
tui_expect "home/INBOX: 1 message "
tui_expect "arrived since"
tui_cmd "limit ~U"
tui_expect "home/INBOX: 3 messages"
tui_pass "~N new since the folder was last left, ~O old, ~U both"
tui_keys Q
