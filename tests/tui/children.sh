#!/bin/sh
# Nothing a child process prints reaches the screen while the TUI runs:
# password_command's stderr (the README's `pass show ...` without pass
# installed, and a command that writes on stderr and fails) comes back as
# part of the error sentence, cleaned, and the title row stays.  Mailcap:
# hostile attachment names and parameters never reach the shell, whatever
# the entry's quoting; a copiousoutput viewer's text is shown in postie,
# its stderr and a test= command's output are never on the screen.
. "$top_srcdir/tests/tui/lib.sh"

# A PATH with a shell and nothing called pass.
BIN="$TUI_DIR/bin"
mkdir -p "$BIN"
for t in sh cat cp printf echo sleep iconv touch; do
	p=$(command -v "$t") && [ -x "$p" ] && ln -s "$p" "$BIN/$t"
done

CFG="$TUI_DIR/config"
# The password is read once a server greeted (cache/login.c): a greeter
# on loopback stands in for one.
python3 "$top_srcdir/tests/server/greeter.py" "$TUI_DIR/port" &
GREETER=$!
trap 'kill $GREETER 2>/dev/null; tui_cleanup' EXIT
wait_until test -s "$TUI_DIR/port" || tui_fail "the greeter did not start"
GPORT=$(cat "$TUI_DIR/port")
cat >"$CFG" <<CONF
[account work]
protocol = imap
host = 127.0.0.1
port = $GPORT
tls = none
allow_plaintext = yes
user = alice
password_command = pass show mail/work

[account other]
protocol = imap
host = 127.0.0.1
port = $GPORT
tls = none
allow_plaintext = yes
user = bob
password_command = sh -c 'printf "oops \\033[2J\\033]0;child-title\\007from the child\\n" >&2; exit 1'
CONF
chmod 600 "$CFG"

TUI_ENV="PATH=$BIN" tui_start -c "$CFG"
tui_expect "postie: accounts"
tui_expect "password_command of account 'work' exited with 127: sh: 1: pass: not found"
tui_expect "password_command of account 'other' exited with 1: oops from the child"
screen=$(tui_screen)
# The first row is still the title bar.
printf '%s\n' "$screen" | head -n 1 | grep -q "postie: accounts" ||
    tui_fail "the title row was overwritten"
# Every line that mentions the children's words is an error sentence.
printf '%s\n' "$screen" | grep -E "not found|from the child" |
    grep -v "password_command of account" &&
    tui_fail "a child's stderr reached the screen outside the error"
title=$(tmx display-message -p -t postie '#{pane_title}')
case "$title" in *child-title*) tui_fail "a child set the title";; esac
tui_pass "password_command's stderr is part of the error sentence"

tui_keys q
tui_expect "postie-exit="
tmx kill-session -t postie

# --- mailcap ---
MD="$TUI_DIR/maildir"
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp"
printf '%s\r\n' \
    'From: Mallory <m@example.org>' \
    'Subject: attachments with hostile names' \
    'Date: Mon, 23 Nov 2026 10:00:00 +0100' \
    'Message-ID: <hostile@example.org>' \
    'MIME-Version: 1.0' \
    'Content-Type: multipart/mixed; boundary="b1"' \
    '' \
    '--b1' \
    'Content-Type: text/plain' \
    '' \
    'the body' \
    '--b1' \
    'Content-Type: text/plain; charset="$(touch PWNED)"' \
    'Content-Disposition: attachment; filename="$(touch PWNED).txt"' \
    '' \
    'hostile payload one' \
    '--b1' \
    "Content-Type: text/x-cs; charset=\"utf-8';touch PWNED;'\"" \
    'Content-Disposition: attachment; filename="x\"; touch PWNED; \".cs"' \
    '' \
    'payload two' \
    '--b1' \
    'Content-Type: application/x-fail' \
    'Content-Disposition: attachment; filename="`touch PWNED`.bin"' \
    '' \
    'payload three' \
    '--b1' \
    'Content-Type: application/x-tty' \
    "Content-Disposition: attachment; filename=\"x'; touch PWNED; '.t\"" \
    '' \
    'payload four' \
    '--b1--' >"$MD/new/1700000000.M1P1Q1.test"
cat >"$TUI_DIR/mailcap" <<MC
text/plain; cat "%s"; copiousoutput; test=echo test-noise >&2\\; echo test-out\\; true
text/x-cs; iconv -f '%{charset}' %s; copiousoutput
application/x-fail; echo fail-noise >&2\\; exit 3; copiousoutput
application/x-tty; cp '%s' '$TUI_DIR/tty-opened'\\; exit 1
MC
cat >"$CFG" <<CONF
[account local]
protocol = pop3
host = 127.0.0.1
port = 1
user = carol
password_command = echo secret
keep_on_server = no
maildir = $MD
CONF
chmod 600 "$CFG"
rm -rf "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
mkdir -p "$TUI_DIR/cwd"
cd "$TUI_DIR/cwd" || exit 99
TUI_ENV="PATH=$BIN MAILCAPS=$TUI_DIR/mailcap HOME=$TUI_DIR/cwd" tui_start -c "$CFG"
tui_expect "postie: accounts"
tui_keys Enter
tui_expect "INBOX"
tui_keys Enter
tui_expect "attachments with hostile names"
tui_keys Enter
tui_expect "the body"

tui_cmd "open-attachment 1"
tui_expect 'viewer output: $(touch PWNED).txt'
tui_expect "hostile payload one"
tui_expect_not "test-noise"
tui_expect_not "test-out"
tui_keys q
tui_expect "the body"
tui_pass "a copiousoutput viewer's text is shown in postie"

tui_cmd "open-attachment 2"
tui_expect "The attachment's charset parameter is not safe to give to the mailcap command; not opened."
tui_pass "an unsafe %{charset} is refused with a sentence"

tui_cmd "open-attachment 3"
tui_expect "The viewer exited with 3: fail-noise."
screen=$(tui_screen)
printf '%s\n' "$screen" | grep "fail-noise" | grep -v "The viewer exited" &&
    tui_fail "a viewer's stderr reached the screen outside the error"
tui_pass "a failing viewer's stderr is part of the sentence"

tui_cmd "open-attachment 4"
wait_until grep -qs "payload four" "$TUI_DIR/tty-opened" ||
    tui_fail "the interactive viewer did not run"
tui_expect "The viewer exited with 1."
tui_screen | head -n 1 | grep -q "message 1 of 1" ||
    tui_fail "the title row was not restored after the viewer"
tui_pass "an interactive viewer runs on the terminal, and its status is in words"

for d in "$TUI_DIR/cwd" "$TUI_DIR" "${TMPDIR:-/tmp}"; do
	[ -e "$d/PWNED" ] && tui_fail "a hostile name ran a command: $d/PWNED"
done
tui_pass "no hostile name or parameter reached a shell"
tui_keys q q q q
tui_expect "postie-exit="
