#!/bin/sh
# Display details a new user notices at once: the empty account list
# has no stray character; account list columns never run together; the
# folder list says what its numbers mean; the title counts messages, not
# rows, when threads are collapsed; long pager headers wrap; at 20
# columns index rows do not overlap; an account that never synced says
# why its folder list is empty.
. "$top_srcdir/tests/tui/lib.sh"

# --- no accounts ---
CFG0="$TUI_DIR/empty.conf"
printf '[general]\ntheme = default\n' >"$CFG0"
chmod 600 "$CFG0"
tui_start -c "$CFG0"
tui_expect "No accounts: add an [account NAME] section to the configuration file."
line=$(tui_screen | grep -F "No accounts")
case "$line" in
*"configuration file."*[![:space:]]*)
	tui_fail "something follows the sentence: '$line'" ;;
esac
tui_screen | grep -q "$(printf '\357\277\275')" &&
    tui_fail "a replacement character is on the screen"
tui_keys Q
tui_expect "postie-exit=0"
tmx kill-server
tui_pass "the empty account list"

MD="$TUI_DIR/maildir"
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp" "$TUI_DIR/m2/cur" "$TUI_DIR/m2/new" \
    "$TUI_DIR/m2/tmp"
to="ann@example.org"
for n in bea cid dot eve fay gus hal ivy jon kim lee max ned oli pam quy ron sue tim; do
	to="$to, $n@example.org"
done
to="$to, zed-the-last@example.org"
printf 'From: Ann <ann@example.org>\r\nTo: %s\r\nSubject: a thread starts\r\nDate: Mon, 23 Nov 2026 10:00:00 +0100\r\nMessage-ID: <t1@example.org>\r\n\r\nfirst\r\n' \
    "$to" >"$MD/cur/1700000001.M1P1Q1.test:2,S"
printf 'From: Bea <bea@example.org>\r\nSubject: Re: a thread starts\r\nDate: Mon, 23 Nov 2026 11:00:00 +0100\r\nMessage-ID: <t2@example.org>\r\nIn-Reply-To: <t1@example.org>\r\nReferences: <t1@example.org>\r\n\r\nsecond\r\n' \
    >"$MD/cur/1700000002.M1P1Q2.test"
printf 'From: Cid <cid@example.org>\r\nSubject: Re: a thread starts\r\nDate: Mon, 23 Nov 2026 12:00:00 +0100\r\nMessage-ID: <t3@example.org>\r\nIn-Reply-To: <t2@example.org>\r\nReferences: <t1@example.org> <t2@example.org>\r\n\r\nthird\r\n' \
    >"$MD/cur/1700000003.M1P1Q3.test:2,S"
printf 'From: Dot <dot@example.org>\r\nSubject: alone\r\nDate: Mon, 23 Nov 2026 13:00:00 +0100\r\nMessage-ID: <a1@example.org>\r\n\r\nalone\r\n' \
    >"$MD/cur/1700000004.M1P1Q4.test:2,S"

CFG="$TUI_DIR/config"
cat >"$CFG" <<CONF
[account home]
protocol = pop3
host = 127.0.0.1
port = 1
user = bob
password_command = echo secret
keep_on_server = yes
keep_days = 14
maildir = $MD

[account other]
protocol = pop3
host = 127.0.0.1
port = 1
user = bob
password_command = echo secret
keep_on_server = no
maildir = $TUI_DIR/m2
CONF
chmod 600 "$CFG"

# --- account list: the retention words and the state stay apart ---
tui_start -c "$CFG"
tui_expect "keeps on server for 14 days"
wait_until sh -c "tmux -S '$TUI_SOCK' capture-pane -p -t postie | grep -F ' home ' | grep -q ' error \| offline \| connecting '" ||
    tui_fail "no state shown for home"
row=$(tui_screen | grep -F " home ")
echo "$row" | grep -q "keeps on server for 14 days  " ||
    tui_fail "the retention words run into the next column: '$row'"
row=$(tui_screen | grep -F " other ")
echo "$row" | grep -q "downloads and deletes  " ||
    tui_fail "the columns of 'other' are not aligned: '$row'"
tui_pass "account list columns stay apart"

# --- folder list: the numbers say what they count ---
tui_keys Enter
tui_expect "home: folders"
tui_expect "1 unread of 4"
tui_pass "folder list says unread of total"

# --- threads collapsed: the title counts messages ---
tui_keys Enter
tui_expect "home/INBOX: 4 messages"
tui_cmd "sort thread"
tui_expect "sort: thread"
tui_keys Z
tui_expect "(+2)"
tui_expect "home/INBOX: 4 messages, 2 shown"
tui_keys Z
tui_expect_not "shown"
tui_pass "collapsed threads: the title counts messages"

# --- a long To: wraps in the pager ---
tui_cmd "sort date"
tui_keys =
tui_keys Enter
tui_expect "Subject: a thread starts"
tui_expect "zed-the-last@example.org"
tui_pass "a long header wraps instead of being cut"
# On an 80-column terminal the pager's title still says where it is.
tmx resize-window -t postie -x 80 -y 24
tui_expect "home/INBOX: message 1 of 4 (100%)"
tmx resize-window -t postie -x 100 -y 30
tui_pass "the pager's position shows at 80 columns"
tui_keys q
tui_expect "home/INBOX: 4 messages"

# --- 20 columns: every row still shows its own subject start ---
tmx resize-window -t postie -x 20 -y 15
wait_until sh -c "[ \$(tmux -S '$TUI_SOCK' capture-pane -p -t postie | head -n 1 | wc -c) -le 21 ]" ||
    tui_fail "the pane did not shrink"
tui_expect "alone"
tui_screen | python3 -c '
import sys
rows = sys.stdin.read().split("\n")[1:5]
want = ["a thread starts", "Re: a thread", "Re: a thread", "alone"]
for r, w in zip(rows, want):
    if w[:8] not in r:
        sys.exit("row %r does not show %r" % (r, w))
' || tui_fail "rows overlap at 20 columns"
tui_pass "at 20 columns the rows do not overlap"
tui_keys Q
tui_expect "postie-exit=0"
tmx kill-server

# --- an account that never synced: its folder list says why ---
CFG2="$TUI_DIR/imap.conf"
cat >"$CFG2" <<CONF
[account nowhere]
protocol = imap
host = 127.0.0.1
port = 1
user = bob
password_command = echo secret
CONF
chmod 600 "$CFG2"
tui_start -c "$CFG2"
wait_until sh -c "tmux -S '$TUI_SOCK' capture-pane -p -t postie | grep -F ' nowhere ' | grep -q ' error '" ||
    tui_fail "nowhere never showed its error"
tui_keys Enter
tui_expect "nowhere: folders"
tui_expect "No folders yet: the last sync failed: cannot connect to 127.0.0.1 port 1"
tui_expect_not "press \$ to sync"
tui_keys Q
tui_expect "postie-exit=0"
tui_pass "an empty folder list says why the sync failed"
exit 0
