#!/bin/sh
# Saved searches ([searches]): a unified inbox of two offline POP3
# accounts shows in each account's folder list with its counts; reading
# a message in each account's INBOX lowers its unread count; a search
# that looks in one account shows only there.
. "$top_srcdir/tests/tui/lib.sh"

M1="$TUI_DIR/maildir-home"
M2="$TUI_DIR/maildir-work"
for d in "$M1" "$M2"; do
	mkdir -p "$d/cur" "$d/new" "$d/tmp"
done
printf 'From: Hanna <hanna@example.org>\r\nSubject: home letter\r\nDate: Mon, 23 Nov 2026 10:00:00 +0100\r\nMessage-ID: <h1@example.org>\r\n\r\nbody at home\r\n' \
    >"$M1/cur/1700000001.M1P1Q1.test:2,"
printf 'From: Walter <walter@example.org>\r\nSubject: work memo\r\nDate: Tue, 24 Nov 2026 10:00:00 +0100\r\nMessage-ID: <w1@example.org>\r\n\r\nbody at work\r\n' \
    >"$M2/cur/1700000002.M1P1Q2.test:2,"
printf 'From: Walter <walter@example.org>\r\nSubject: work old\r\nDate: Tue, 24 Nov 2026 09:00:00 +0100\r\nMessage-ID: <w2@example.org>\r\n\r\nread already\r\n' \
    >"$M2/cur/1700000003.M1P1Q3.test:2,S"

# Two offline accounts: "home" as lib.sh writes it, "work" its copy.
tui_offline_pop3_config "$M1"
sed -e 's/^\[account home\]/[account work]/' -e "s|^maildir = .*|maildir = $M2|" \
    "$CFG" >"$CFG.work"
cat "$CFG.work" >>"$CFG"
cat >>"$CFG" <<'CONF'
[searches]
inbox = home/INBOX, work/INBOX:
memos = work: ~s memo
CONF
chmod 600 "$CFG"

# Before the TUI: check-config accepts it, postie list reads it.
cc=$("$POSTIE" -c "$CFG" check-config) || tui_fail "check-config refused"
printf '%s\n' "$cc" | grep -qxF 'search inbox: in home/INBOX, work/INBOX; every message' ||
    tui_fail "check-config does not explain the search: $cc"
out=$("$POSTIE" -c "$CFG" list inbox | cut -f1,2,5,6,7)
exp=$(printf '1\tN\thome letter\thome\tINBOX\n1\tN\twork memo\twork\tINBOX\n2\t\twork old\twork\tINBOX')
[ "$out" = "$exp" ] || tui_fail "postie list inbox gave: $out"
tui_pass "postie list inbox: both accounts"

tui_start -c "$CFG" -a home
tui_expect "home: folders"
tui_expect "inbox  (search)"
tui_expect "2 unread of 3"
tui_expect_not "memos"
tui_pass "home's folder list: the unified inbox, 2 unread of 3"

# Read the home letter in its own folder.
tui_keys Enter
tui_expect "home/INBOX: 1 message"
tui_keys Enter
tui_expect "body at home"
tui_keys q
tui_keys q
tui_expect "home: folders"
tui_expect "1 unread of 3"
tui_pass "reading at home: 1 unread of 3"

# The work account: both searches; read the work memo.
tui_keys q
tui_expect "work"
tui_keys Down Enter
tui_expect "work: folders"
tui_expect "memos  (search)"
tui_expect "1 unread of 1"
tui_keys Enter
tui_expect "work/INBOX: 2 messages"
tui_keys /
tui_keys -l "memo"
tui_keys Enter Enter
tui_expect "body at work"
tui_keys q
tui_keys q
tui_expect "work: folders"
tui_expect "0 unread of 3"
tui_expect "0 unread of 1"
tui_pass "reading at work: the counts of both searches drop"
