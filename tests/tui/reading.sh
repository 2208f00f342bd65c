#!/bin/sh
# Reading tools in the pager: h shows every header field and back; e
# shows the message as stored and back; | pipes the message to a command
# (wc -l) on stdin, its output in the pager, or with !COMMAND on the
# terminal with the TUI suspended until a key; o opens link N with
# open_command, the URL one argument of its own that no shell reads;
# H shows the other part of multipart/alternative; pager_filter shows
# what it prints, and a failing one the message.
. "$top_srcdir/tests/tui/lib.sh"

MD="$TUI_DIR/maildir"
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp"
printf '%s\r\n' \
    'From: Ann <ann@example.org>' \
    'To: bob@example.org' \
    'Subject: plain one' \
    'Date: Mon, 23 Nov 2026 10:00:00 +0100' \
    'Message-ID: <p1@example.org>' \
    'X-Mailer: hidden-mailer 1.0' \
    'MIME-Version: 1.0' \
    'Content-Type: text/plain; charset=utf-8' \
    'Content-Transfer-Encoding: quoted-printable' \
    '' \
    'caf=C3=A9 au lait' \
    'second line' >"$MD/cur/1700000001.M1P1Q1.test:2,S"
printf '%s\r\n' \
    'From: Bea <bea@example.org>' \
    'Subject: links two' \
    'Date: Mon, 23 Nov 2026 11:00:00 +0100' \
    'Message-ID: <l1@example.org>' \
    'MIME-Version: 1.0' \
    'Content-Type: text/html; charset=utf-8' \
    '' \
    '<p>See <a href="https://example.org/a">the first</a> and' \
    '<a href="https://x.example/;touch PWNED;$(touch PWNED2)">the second</a>.</p>' \
    >"$MD/cur/1700000002.M1P1Q2.test:2,S"
printf '%s\r\n' \
    'From: Cid <cid@example.org>' \
    'Subject: both kinds' \
    'Date: Mon, 23 Nov 2026 12:00:00 +0100' \
    'Message-ID: <a1@example.org>' \
    'MIME-Version: 1.0' \
    'Content-Type: multipart/alternative; boundary="b"' \
    '' \
    '--b' \
    'Content-Type: text/plain; charset=utf-8' \
    '' \
    'the plain side' \
    '--b' \
    'Content-Type: text/html; charset=utf-8' \
    '' \
    '<p>the <b>html</b> side</p>' \
    '--b--' >"$MD/cur/1700000003.M1P1Q3.test:2,S"
# open_plain: starts postie on $CFG and opens the plain message.
open_plain() {
	tui_start -c "$CFG" -a home -f INBOX
	tui_expect "plain one"
	tui_keys Home
	wait_until cursor_on "plain one" ||
	    tui_fail "the cursor is not on the plain message"
	tui_keys Enter
}

NLINES=$(wc -l <"$MD/cur/1700000001.M1P1Q1.test:2,S" | tr -d ' ')

cat >"$TUI_DIR/rec" <<REC
#!/bin/sh
for a; do printf '[%s]\n' "\$a"; done >>"$TUI_DIR/args"
echo "open noise" >&2
REC
chmod +x "$TUI_DIR/rec"

tui_offline_pop3_config "$MD"
cat >>"$CFG" <<CONF

[general]
open_command = $TUI_DIR/rec --new-tab
CONF
mkdir -p "$TUI_DIR/cwd"
cd "$TUI_DIR/cwd" || exit 99
open_plain
tui_expect "café au lait"
tui_expect_not "X-Mailer"

# --- h: all headers ---
tui_keys h
tui_expect "X-Mailer: hidden-mailer 1.0"
tui_expect "Message-ID: <p1@example.org>"
tui_expect "café au lait"
tui_keys h
tui_wait "X-Mailer" 5 && tui_screen | grep -q "X-Mailer: hidden" &&
    tui_fail "h did not go back to the usual headers"
tui_expect "Subject: plain one"
tui_pass "h shows every header field and back"

# --- e: the raw message ---
tui_keys e
tui_expect "caf=C3=A9 au lait"
tui_expect "Content-Transfer-Encoding: quoted-printable"
tui_keys e
tui_expect "café au lait"
tui_expect_not "caf=C3=A9"
tui_pass "e shows the message as stored and back"

# --- |: pipe ---
tui_keys '|'
tui_expect "Pipe the message to"
tmx send-keys -t postie -l "wc -l"
tui_keys Enter
tui_expect "output of: wc -l"
tui_screen | grep -qx " *$NLINES *" ||
    tui_fail "wc -l did not print $NLINES lines"
tui_keys q
tui_expect "café au lait"
tui_pass "| pipes the message to wc -l and shows its output ($NLINES)"

tui_cmd "pipe-message sh -c 'echo pipe-noise >&2 && exit 4'"
tui_expect "The command exited with 4: pipe-noise"
tui_screen | grep "pipe-noise" | grep -qv "The command exited" &&
    tui_fail "a piped command's stderr reached the screen"
tui_expect "café au lait"
tui_pass "a failing piped command's stderr is only in the sentence"

tui_keys '|'
tui_expect "Pipe the message to"
tmx send-keys -t postie -l "!wc -l; echo on-the-terminal"
tui_keys Enter
tui_expect "Press any key to continue"
tui_expect "on-the-terminal"
tui_screen | grep -qx " *$NLINES *" ||
    tui_fail "!wc -l did not print $NLINES on the terminal"
tui_keys x
tui_expect "café au lait"
tui_screen | head -n 1 | grep -q "message" ||
    tui_fail "the title row was not restored after the command"
tui_pass "|!COMMAND runs on the terminal with the TUI suspended, then a key"

# --- o: links ---
tui_keys o
tui_expect "This message has no links."
tui_keys J
tui_expect "the second"
tui_expect "[2] https://x.example/;touch PWNED;\$(touch PWNED2)"
tui_keys o
tui_expect "Open link number (1-2)"
tmx send-keys -t postie -l "2"
tui_keys Enter
tui_expect "Opened link 2."
wait_until test -s "$TUI_DIR/args" || tui_fail "open_command did not run"
expected=$(printf '[--new-tab]\n[https://x.example/;touch PWNED;$(touch PWNED2)]')
[ "$(cat "$TUI_DIR/args")" = "$expected" ] ||
    tui_fail "open_command got: $(cat "$TUI_DIR/args")"
tui_expect_not "open noise"
tui_cmd "open-link 3"
tui_expect "No link 3 (1-2)."
tui_cmd "open-link 1"
tui_expect "Opened link 1."
wait_until grep -qx '\[https://example.org/a\]' "$TUI_DIR/args" ||
    tui_fail "link 1 was not opened"
for d in "$TUI_DIR/cwd" "$TUI_DIR" "$HOME"; do
	[ -e "$d/PWNED" ] || [ -e "$d/PWNED2" ] &&
	    tui_fail "a hostile URL ran a command in $d"
done
tui_pass "o opens link N with open_command, the URL one argument, no shell"

# --- H: the other part of multipart/alternative ---
tui_keys H
tui_expect "This message has no other text part to show."
tui_keys J
tui_expect "the plain side"
tui_keys H
tui_expect "the html side"
tui_expect_not "the plain side"
tui_keys H
tui_expect "the plain side"
tui_expect_not "the html side"
tui_pass "H shows the HTML part of multipart/alternative and back"

tui_keys q q q q
tui_expect "postie-exit="
tmx kill-session -t postie

# --- pager_filter ---
tui_offline_pop3_config "$MD"
printf '\n[general]\npager_filter = tr a-z A-Z\n' >>"$CFG"
open_plain
tui_expect "CAF=C3=A9 AU LAIT"
tui_expect "SUBJECT: PLAIN ONE"
tui_keys e
tui_expect "caf=C3=A9 au lait"
tui_pass "pager_filter gets the message on stdin and the pager shows its output"
tui_keys q q q q
tui_expect "postie-exit="
tmx kill-session -t postie

tui_offline_pop3_config "$MD"
printf '\n[general]\npager_filter = sh -c "echo filter-noise >&2 && exit 3"\n' \
    >>"$CFG"
open_plain
tui_expect "café au lait"
tui_expect "pager_filter exited with 3: filter-noise; showing the message unfiltered."
tui_pass "a failing pager_filter: the message unfiltered, the error in a sentence"
tui_keys q q q q
tui_expect "postie-exit="
