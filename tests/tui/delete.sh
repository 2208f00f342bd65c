#!/bin/sh
# Deleting works the same in every account: d marks (D), u undoes, and
# only expunge (X) or leaving the folder removes, after a question that
# says what is lost.  In a "downloads and deletes" POP3 account the
# Maildir file is the only copy: it stays on disk until the user says
# yes.
. "$top_srcdir/tests/tui/lib.sh"

MD="$TUI_DIR/maildir"
KP="$TUI_DIR/maildir-keep"
for d in "$MD" "$KP"; do
	mkdir -p "$d/cur" "$d/new" "$d/tmp"
done
for i in 1 2 3; do
	printf 'From: Sender %s <s%s@example.org>\r\nSubject: only copy %s\r\nDate: Mon, 23 Nov 2026 1%s:00:00 +0100\r\nMessage-ID: <only-%s@example.org>\r\n\r\nbody %s\r\n' \
	    "$i" "$i" "$i" "$i" "$i" "$i" >"$MD/cur/170000000$i.M1P1Q$i.test:2,S"
done
printf 'From: Kept <kept@example.org>\r\nSubject: kept one\r\nDate: Mon, 23 Nov 2026 10:00:00 +0100\r\nMessage-ID: <kept@example.org>\r\n\r\nbody\r\n' \
    >"$KP/cur/1700000100.M1P1Q1.keep:2,S"

CFG="$TUI_DIR/config"
cat >"$CFG" <<CONF
[account home]
protocol = pop3
host = 127.0.0.1
port = 1
user = bob
password_command = echo secret
keep_on_server = no
maildir = $MD

[account keeper]
protocol = pop3
host = 127.0.0.1
port = 1
user = carol
password_command = echo secret
keep_on_server = yes
keep_days = 7
maildir = $KP
CONF
chmod 600 "$CFG"

files() { # how many message files the Maildir $1 holds
	find "$1/cur" "$1/new" -type f | wc -l
}
flags_of() { # the info flags of Maildir $1's message with key $2
	f=$(ls "$1/cur" "$1/new" | grep -F "$2" | head -n 1)
	[ -n "$f" ] || { echo GONE; return; }
	echo "${f##*:2,}"
}
LOGF="$XDG_STATE_HOME/postie/postie.log"
# The connection to port 1 fails at start and its error takes the
# message line: wait for it before reading that line.
errors_logged() {
	[ "$(grep -c 'cannot connect' "$LOGF" 2>/dev/null)" -ge "$1" ]
}

tui_start -c "$CFG" -a home -f INBOX
tui_expect "home/INBOX: 3 messages"
wait_until errors_logged 2 || tui_fail "the connection error never came"

# --- d marks, the file stays; u undoes ---
tui_keys =
tui_keys d
tui_screen | grep -F "only copy 1" | grep -q " D " ||
    tui_fail "d did not mark 'only copy 1' with D"
[ "$(files "$MD")" = 3 ] || tui_fail "d removed a file: $(ls "$MD/cur")"
case "$(flags_of "$MD" Q1.test)" in *T*) ;;
*) tui_fail "the mark did not reach the Maildir ($(flags_of "$MD" Q1.test))";; esac
tui_keys k u
wait_until sh -c "! tmux -S '$TUI_SOCK' capture-pane -p -t postie | grep -F 'only copy 1' | grep -q ' D '" ||
    tui_fail "u did not remove the D mark"
case "$(flags_of "$MD" Q1.test)" in *T*)
	tui_fail "u left the Maildir mark ($(flags_of "$MD" Q1.test))";; esac
tui_pass "d marks and u undoes, the file stays on disk"

# --- X names what is lost; no keeps the files ---
tui_keys = d d d
marked() { # the screen shows $1 rows marked D
	[ "$(tui_screen | grep 'only copy' | grep -c ' D ')" = "$1" ]
}
wait_until marked 3 || tui_fail "three d did not mark three messages"
tui_keys X
tui_expect "3 messages will be deleted from disk; this account keeps no copy on the server"
[ "$(files "$MD")" = 3 ] || tui_fail "files left the disk before the answer"
tui_keys n
tui_expect "Nothing removed."
[ "$(files "$MD")" = 3 ] || tui_fail "files left the disk after no"
marked 3 || tui_fail "no dropped the D marks"
tui_pass "X asks, naming what is lost; no keeps every file"

# --- leaving the folder asks too; no leaves with the marks kept ---
tui_keys q
tui_expect "3 messages will be deleted from disk"
tui_keys n
tui_expect "home: folders"
[ "$(files "$MD")" = 3 ] || tui_fail "leaving with no removed files"
tui_keys Enter
tui_expect "home/INBOX: 3 messages"
tui_keys = u
wait_until marked 2 ||
    tui_fail "the marks did not survive leaving the folder"
tui_keys q
tui_expect "2 messages will be deleted from disk"
tui_keys y
tui_expect "home: folders"
wait_until sh -c "[ \$(find '$MD/cur' '$MD/new' -type f | wc -l) = 1 ]" ||
    tui_fail "yes did not remove the two files ($(ls "$MD/cur"))"
[ "$(flags_of "$MD" Q1.test)" != GONE ] ||
    tui_fail "the unmarked message was removed"
tui_pass "leaving the folder asks; yes removes exactly the marked files"

# --- quitting asks as well ---
tui_keys Enter
tui_expect "home/INBOX: 1 message"
tui_keys d Q
tui_expect "1 message will be deleted from disk"
tui_keys n
tui_expect "postie-exit=0"
[ "$(files "$MD")" = 1 ] || tui_fail "quitting with no removed the file"
tmx kill-server
tui_pass "quitting asks too"

# --- keep mode: the question says the server keeps its copy ---
tui_start -c "$CFG" -a keeper -f INBOX
tui_expect "keeper/INBOX: 1 message"
wait_until errors_logged 4 || tui_fail "the connection error never came"
tui_keys d X
tui_expect "Remove 1 deleted message from this computer? The server keeps its copy until 7 days"
[ "$(files "$KP")" = 1 ] || tui_fail "keep mode removed before the answer"
tui_keys y
tui_expect "the server keeps its copy until 7 days after"
wait_until sh -c "[ \$(find '$KP/cur' '$KP/new' -type f | wc -l) = 0 ]" ||
    tui_fail "yes did not remove the local copy in keep mode"
tui_keys X
tui_expect "No messages are marked deleted"
tui_keys Q
tui_expect "postie-exit=0"
tui_pass "keep mode says where the mail still is"
exit 0
