#!/bin/sh
# Saving and piping messages: s with a path appends the message to an
# mbox (a new .eml file gets it as it is); ;s saves the tagged messages
# into one mbox (mboxrd: From_ lines, >From quoting) and marks them
# deleted, ;C copies them there; a file that is not an mbox is refused;
# | and ;| pipe to wc -l (one mbox, or one run each with pipe_split);
# ;f forwards the tagged messages as message/rfc822 attachments.
. "$top_srcdir/tests/tui/lib.sh"

MD="$TUI_DIR/maildir"
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp"
mk() { # mk N SUBJECT BODYLINE
	printf '%s\r\n' \
	    "From: Ann <ann$1@example.org>" \
	    'To: bob@example.org' \
	    "Subject: $2" \
	    "Date: Mon, 23 Nov 2026 1$1:00:00 +0000" \
	    "Message-ID: <m$1@example.org>" \
	    '' \
	    "$3" \
	    'last line' >"$MD/cur/170000000$1.M1P1Q$1.test:2,S"
}
mk 1 "alpha one" "From here, a line that must be quoted"
mk 2 "beta two" ">From there, quoted once already"
mk 3 "gamma three" "plain body"

ED="$TUI_DIR/editor.sh"
printf '#!/bin/sh\ncp "$1" "%s/edited"\n' "$TUI_DIR" >"$ED"
chmod 755 "$ED"
tui_offline_pop3_config "$MD"
cat >>"$CFG" <<CONF
from = Bob <bob@example.org>

[general]
editor = $ED
CONF
mkdir -p "$TUI_DIR/out"
start() {
	tui_start -c "$CFG" -a home -f INBOX
	tui_expect "gamma three"
}
# answer PROMPT TEXT RESULT: the prompt the keys opened gets TEXT, and
# the screen must show RESULT.
answer() {
	tui_expect "$1"
	tmx send-keys -t postie -l "$2"
	tui_keys Enter
	tui_expect "$3"
}
start

# --- s PATH: one message into a new mbox, marked deleted ---
tui_keys Home
wait_until cursor_on "alpha one" || tui_fail "cursor not on alpha"
tui_keys s
answer "Move to folder:" "$TUI_DIR/out/one.mbox" \
    "Saved 1 message to $TUI_DIR/out/one.mbox; marked deleted"
[ "$(grep -c '^From ' "$TUI_DIR/out/one.mbox")" = 1 ] ||
    tui_fail "one.mbox has not one From_ line"
head -n 1 "$TUI_DIR/out/one.mbox" |
    grep -qx 'From ann1@example.org Mon Nov 23 11:00:00 2026' ||
    tui_fail "bad From_ line: $(head -n 1 "$TUI_DIR/out/one.mbox")"
grep -qx '>From here, a line that must be quoted' "$TUI_DIR/out/one.mbox" ||
    tui_fail "a From line in the body was not quoted"
grep -q "$(printf '\r')" "$TUI_DIR/out/one.mbox" &&
    tui_fail "the mbox kept CR line ends"
tui_keys u
tui_pass "s PATH saves the message into a new mbox (From_ line, >From) and marks it deleted"

# --- an existing non-mbox is refused; .eml is the message as it is ---
echo "my notes" >"$TUI_DIR/out/notes.txt"
tui_cmd "copy $TUI_DIR/out/notes.txt"
tui_expect "$TUI_DIR/out/notes.txt exists and is not an mbox; nothing written"
[ "$(cat "$TUI_DIR/out/notes.txt")" = "my notes" ] ||
    tui_fail "a file that is not an mbox was changed"
tui_cmd "copy $TUI_DIR/out/msg.eml"
tui_expect "Saved 1 message to $TUI_DIR/out/msg.eml."
head -c 5 "$TUI_DIR/out/msg.eml" | grep -q "From:" ||
    tui_fail "the .eml file does not start with the message"
cmp -s "$TUI_DIR/out/msg.eml" "$MD/cur/1700000001.M1P1Q1.test:2,S" ||
    tui_fail "the .eml file is not the message as stored"
tui_pass "a file that is not an mbox is refused; a new .eml gets the message as stored"

# --- T, then ;C and ;s into one mbox (appended) ---
tui_keys T
answer "Tag messages matching:" "~s beta|~s gamma" \
    "2 messages match; 2 tagged."
tui_keys '\;' C
answer "Copy tagged to folder:" "$TUI_DIR/out/one.mbox" \
    "Saved 2 messages to $TUI_DIR/out/one.mbox."
[ "$(grep -c '^From ' "$TUI_DIR/out/one.mbox")" = 3 ] ||
    tui_fail "one.mbox has not 3 From_ lines after ;C"
grep -qx '>>From there, quoted once already' "$TUI_DIR/out/one.mbox" ||
    tui_fail ">From was not quoted once more (mboxrd)"
[ "$(grep -c '^$' "$TUI_DIR/out/one.mbox")" = 6 ] ||
    tui_fail "entries are not each followed by an empty line"
tui_pass ";C appends the tagged messages to an existing mbox (mboxrd)"

# --- |: one message to wc -l; ;|: the tagged as one mbox ---
tui_keys Home
tui_keys '|'
answer "Pipe the message to" "wc -l" "output of: wc -l"
tui_screen | grep -qx " *8 *" || tui_fail "| did not pipe the 8 lines"
tui_keys q
tui_keys '\;' '|'
answer "Pipe the tagged messages to" "wc -l" "output of: wc -l"
tui_screen | grep -qx " *20 *" ||
    tui_fail ";| did not pipe 2 mbox entries of 10 lines"
tui_keys q
tui_pass "| pipes the message and ;| the tagged ones, as one mbox, to wc -l"

# --- ;f: forward the tagged as attachments ---
tui_keys '\;' f
tui_expect "compose"
tui_expect "Attachments (2)"
tui_screen | grep -c "message/rfc822" | grep -qx 2 ||
    tui_fail ";f did not attach the 2 tagged messages"
tui_expect "Fwd: beta two"
tui_pass ";f forwards the tagged messages as message/rfc822 attachments"
tui_keys q
tmx kill-session -t postie

# --- pipe_split: one run per message ---
printf 'pipe_split = yes\n' >>"$CFG"
start
tui_keys T
answer "Tag messages matching:" "~A" "3 messages match; 3 tagged."
tui_keys '\;' '|'
answer "Pipe the tagged messages to" "wc -l" "output of: wc -l"
[ "$(tui_screen | grep -cx ' *8 *')" = 3 ] ||
    tui_fail "pipe_split did not run wc -l once per message"
tui_pass "with pipe_split, ;| runs the command once per tagged message"
tui_keys q

# --- ;s: the tagged into one mbox, marked deleted ---
tui_keys '\;' s
answer "Move tagged to folder:" "$TUI_DIR/out/all.mbox" \
    "Saved 3 messages to $TUI_DIR/out/all.mbox; marked deleted"
[ "$(grep -c '^From ' "$TUI_DIR/out/all.mbox")" = 3 ] ||
    tui_fail "all.mbox has not 3 From_ lines"
# leaving asks about the 3 deleted marks
tui_keys q
tui_expect "3 messages will be deleted from disk"
tui_keys n
tui_pass ";s saves the tagged messages into one mbox and marks them deleted"
tui_keys q q q
tui_expect "postie-exit=0"
