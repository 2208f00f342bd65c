#!/bin/sh
# Nothing a child process prints reaches the screen while the TUI runs:
# password_command's stderr (the README's `pass show ...` without pass
# installed, and a command that writes on stderr and fails) comes back as
# part of the error sentence, cleaned, and the title row stays.
. "$top_srcdir/tests/tui/lib.sh"

# A PATH with a shell and nothing called pass.
BIN="$TUI_DIR/bin"
mkdir -p "$BIN"
for t in sh cat cp printf echo sleep; do
	p=$(command -v "$t") && [ -x "$p" ] && ln -s "$p" "$BIN/$t"
done

CFG="$TUI_DIR/config"
cat >"$CFG" <<CONF
[account work]
protocol = imap
host = 127.0.0.1
port = 1
user = alice
password_command = pass show mail/work

[account other]
protocol = imap
host = 127.0.0.1
port = 1
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
