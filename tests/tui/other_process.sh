#!/bin/sh
# What another postie process writes to the index shows in an open
# reader without any event: the folder's generation moves with the
# database's data_version (cache.h, Generations), and the index reloads
# when next drawn.  Here `postie list` finds a message delivered into the
# Maildir, indexes it (cache_open reconciles the Maildir), and the
# reader shows it on its next redraw; no limit or search is needed.
. "$top_srcdir/tests/tui/lib.sh"

MD="$TUI_DIR/maildir"
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp"
for i in 1 2; do
	printf 'From: Sender %s <s%s@example.org>\r\nSubject: note %s\r\nDate: Mon, 23 Nov 2026 1%s:00:00 +0100\r\nMessage-ID: <n%s@example.org>\r\n\r\nbody %s\r\n' \
	    "$i" "$i" "$i" "$i" "$i" "$i" >"$MD/cur/170000000$i.M1P1Q$i.test:2,S"
done
tui_offline_pop3_config "$MD"

tui_start -c "$CFG" -a home -f INBOX
tui_expect "home/INBOX: 2 messages"
wait_until grep -qs 'cannot connect' "$LOGF" || tui_fail "no connection error"

# Delivered by another program, then indexed by another postie process.
printf 'From: Late <late@example.org>\r\nSubject: arrived from elsewhere\r\nDate: Mon, 23 Nov 2026 18:00:00 +0100\r\nMessage-ID: <late@example.org>\r\n\r\nlate body\r\n' \
    >"$MD/tmp/1700000009.M1P1Q9.test"
mv "$MD/tmp/1700000009.M1P1Q9.test" "$MD/new/1700000009.M1P1Q9.test"
"$POSTIE" -c "$CFG" list home/INBOX >"$TUI_DIR/list.out" 2>&1 ||
    { cat "$TUI_DIR/list.out"; tui_fail "postie list failed"; }
grep -qF "arrived from elsewhere" "$TUI_DIR/list.out" ||
    tui_fail "the other process did not index the message"

# Each key redraws; the reader's own worker may have written meanwhile,
# which can put off the answer to a later redraw (db.h), never lose it.
shows_it() {
	tui_keys C-l
	sleep 0.2
	tui_screen | grep -qF "home/INBOX: 3 messages"
}
wait_until shows_it ||
    tui_fail "the reader never showed what the other process indexed"
tui_expect "arrived from elsewhere"
tui_pass "another process's message shows on the next redraw"

tui_keys Q
tui_expect "postie-exit=0"
tui_pass "quit"
