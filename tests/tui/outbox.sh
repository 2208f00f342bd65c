#!/bin/sh
# The outbox in the reader, offline (its submission server never
# answers): the folder list shows it as a folder with its counts, also in
# the title; opening it lists each message with its state and why; d
# deletes (after a question), r sends now (after a question when it may
# have been delivered already), and what happened shows.  It sends in
# plaintext (smtp_tls = none): INSECURE wherever the account shows.
. "$top_srcdir/tests/tui/lib.sh"

MD="$TUI_DIR/maildir"
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp"
tui_offline_pop3_config "$MD"
cat >>"$CFG" <<CONF
from = Bob <bob@example.org>
smtp_port = 1
smtp_tls = none
allow_plaintext = yes
CONF

for s in "waits here" "was refused" "lost at the dot"; do
	printf 'From: bob@example.org\nTo: alice@example.org\nSubject: %s\n\nbody\n' "$s" |
	    "$POSTIE" -c "$CFG" send --queue || tui_fail "send --queue failed"
done
# States only a server can cause, set through SQLite as another process.
python3 - "$XDG_DATA_HOME/postie/postie.db" <<'PY' || tui_fail "cannot set states"
import sqlite3, sys
d = sqlite3.connect(sys.argv[1])
d.execute("UPDATE outbox SET state = 3, error = 'smtp.example.org refused"
          " the message: 550 5.7.1 spam detected' WHERE subject = 'was refused'")
d.execute("UPDATE outbox SET state = 4, error = 'the connection ended after"
          " the message was handed over' WHERE subject = 'lost at the dot'")
d.commit()
PY
states() { "$POSTIE" -c "$CFG" outbox | cut -f3,6 | tr '\t\n' ':,'; }

tui_start -c "$CFG" -a home
tui_expect "home: folders  1 to send, 2 NOT SENT"
tui_expect "home: pop3, INSECURE sending"
tui_screen | grep -qE '^ Outbox  INSECURE: sends in plaintext +1 to send, 2 NOT SENT' ||
    tui_fail "no Outbox row with its counts"
tui_keys '*'
tui_keys Enter
tui_expect "home: outbox  1 to send  2 NOT SENT"
tui_expect "queued"
tui_expect "NOT SENT"
tui_expect "UNKNOWN"
tui_expect "To alice@example.org.  Waits for the server"

# The refused one: its reason, then deleted after a yes.
tui_keys j
tui_expect "550 5.7.1 spam detected"
tui_keys d
tui_expect "Delete this message from the outbox? (y/n)"
tui_keys n
tui_expect "Kept in the outbox."
tui_keys d
tui_expect "Delete this message from the outbox? (y/n)"
tui_keys y
tui_expect "Deleted from the outbox; it will not be sent."
tui_expect "home: outbox  1 to send  1 NOT SENT"
wait_until sh -c "[ \"\$($(printf '%s' "$POSTIE") -c '$CFG' outbox | wc -l)\" -eq 2 ]" ||
    tui_fail "the outbox still lists $(states)"

# The unknown one: r asks first, since it may have been delivered.
tui_keys '*'
tui_expect "does not send it again on its own"
tui_keys r
tui_expect "It may have been delivered already. Send it again anyway? (y/n)"
tui_keys y
# Offline: it is tried at once and waits again, with the reason.
tui_expect "Not sent: cannot connect"
case "$(states)" in
*"queued:lost at the dot"*) ;;
*) tui_fail "the unknown message was not queued again: $(states)" ;;
esac
tui_expect "home: outbox  2 to send"
tui_expect_not "NOT SENT"

# Back in the folder list, the counts follow.
tui_keys q
tui_expect "home: folders  2 to send"
tui_expect_not "NOT SENT"
tui_keys q
tui_expect "postie: accounts"
tui_expect ", 2 to send"
tui_screen | grep -qE '^ home +pop3  INSECURE' ||
    tui_fail "the account list does not say the account is insecure"
tui_pass "the outbox shows, deletes and retries"
