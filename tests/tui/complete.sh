#!/bin/sh
# Completion on the compose screen, offline (a POP3 account whose server
# never answers): Tab in To/Cc/Bcc completes addresses seen in the index
# (a list to pick from when several match, best first) and those
# query_command prints; Tab in the attach prompt completes file names;
# F switches From between identities, and a reply is written as the
# identity the original was sent to, and reply to all leaves the
# identities out; the signature comes below "-- ".
. "$top_srcdir/tests/tui/lib.sh"

MD="$TUI_DIR/maildir"
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp"
n=0
msg() { # FROM TO SUBJECT DATE
	n=$((n + 1))
	printf 'From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <m%s@example.org>\r\n\r\nbody %s\r\n' \
	    "$1" "$2" "$3" "$4" "$n" "$n" >"$MD/cur/17000000$n.M1P1Q$n.test:2,S"
}
msg 'Carol Jones <carol@example.org>' 'bob@example.org' 'plans' \
    'Mon, 23 Nov 2026 10:00:00 +0100'
msg 'Anna Lee <anna@example.org>' 'bob@example.org' 'once' \
    'Mon, 23 Nov 2026 11:00:00 +0100'
msg 'Ann Often <ann@example.org>' 'bob@example.org' 'first' \
    'Tue, 24 Nov 2026 10:00:00 +0100'
msg 'Ann Often <ann@example.org>' 'bob@example.org' 'second' \
    'Wed, 25 Nov 2026 10:00:00 +0100'
msg 'Ann Often <ann@example.org>' 'Bob at work <bob@work.example>' \
    'to my work address' 'Thu, 26 Nov 2026 10:00:00 +0100'

tui_offline_pop3_config "$MD"
ED="$TUI_DIR/editor.sh"
printf '#!/bin/sh\nexit 0\n' >"$ED"
QC="$TUI_DIR/query.sh"
cat >"$QC" <<'SH'
#!/bin/sh
echo "searching for $1"
case $1 in
zed*) printf 'zed@book.example\tZed From Book\tfriends\n';;
esac
SH
chmod 755 "$ED" "$QC"
{
	echo '[general]'
	echo "editor = $ED"
	echo "query_command = $QC"
	cat "$CFG"
	echo 'from = Bob <bob@example.org>'
	echo 'identities = Bob at work <bob@work.example>'
	echo 'signature = ~/.signature'
} >"$CFG.new"
mv "$CFG.new" "$CFG"
chmod 600 "$CFG"
mkdir -p "$HOME/docs/sub"
printf 'Bob Builder\nbuilds things\n' >"$HOME/.signature"
echo report >"$HOME/docs/report.txt"
echo resume >"$HOME/docs/resume.txt"

tui_start -c "$CFG" -a home -f INBOX
tui_expect "home/INBOX: 5 messages"

# --- addresses from the index ---
tui_keys m
tui_expect "postie: compose"
tui_screen -N | grep -A2 -- '^-- Text' | grep -q '^-- *$' ||
    tui_fail "no signature separator"
tui_expect "builds things"
tui_pass "the signature below '-- '"
tui_keys t
tui_keys -l car
tui_keys Tab
tui_expect "To: Carol Jones <carol@example.org>"
tui_keys Enter
tui_expect "To:      Carol Jones <carol@example.org>"
tui_pass "Tab completes a unique address seen in the index"

# several: a list, the most frequent and recent first; Tab the next
tui_keys c
tui_keys -l an
tui_keys Tab
tui_expect "Cc: Ann Often <ann@example.org>"
tui_expect "2 addresses"
tui_screen | grep -q "^ Anna Lee <anna@example.org>" ||
    tui_fail "the list does not show Anna"
tui_keys Tab
tui_expect "Cc: Anna Lee <anna@example.org>"
tui_keys Enter
tui_expect "Cc:      Anna Lee <anna@example.org>"
tui_expect_not " Ann Often <ann@example.org>"
tui_pass "several matches: a list, best first, Tab takes the next"

# a second address after a comma; the user's own are never offered
tui_keys t
tui_keys -l ", ann"
tui_keys Tab
tui_expect "To: Carol Jones <carol@example.org>, Ann Often <ann@example.org>"
tui_keys Enter
tui_keys b
tui_keys -l bob
tui_keys Tab
tui_expect "No address matches 'bob'."
tui_keys C-u
# query_command: its entries, the query given as an argument
tui_keys -l zed
tui_keys Tab
tui_expect "Bcc: Zed From Book <zed@book.example>"
tui_keys Enter
tui_expect "Bcc:     Zed From Book <zed@book.example>"
tui_pass "a second address, own addresses left out, query_command"

# --- file names ---
tui_keys a
tui_keys -l "~/do"
tui_keys Tab
tui_expect "Attach: ~/docs/"
tui_keys -l r
tui_keys Tab
tui_expect "Attach: ~/docs/re"
tui_expect "2 files"
tui_screen | grep -q "^ ~/docs/resume.txt" || tui_fail "no list of files"
tui_keys Tab
tui_expect "Attach: ~/docs/report.txt"
tui_keys Tab
tui_expect "Attach: ~/docs/resume.txt"
tui_keys Enter
tui_expect "-- Attachments (1)"
tui_expect "resume.txt"
tui_pass "Tab completes file names to attach"

# --- identities ---
tui_expect "From:    Bob <bob@example.org>"
tui_keys F
tui_expect "From:    Bob at work <bob@work.example>"
tui_keys F
tui_expect "From:    Bob <bob@example.org>"
tui_pass "F switches From between the identities"
# a list left with Esc is gone from the next question
tui_keys a
tui_keys -l "~/docs/re"
tui_keys Tab
tui_expect " ~/docs/report.txt"
tui_keys Escape
tui_keys q
tui_expect "Postpone this message?"
tui_expect_not " ~/docs/report.txt"
tui_keys n
tui_expect "Message discarded."

# a reply is written from the address the message was sent to
tui_keys /
tui_keys -l "work address"
tui_keys Enter
sleep 0.5
tui_keys r
tui_expect "Re: to my work address"
tui_expect "From:    Bob at work <bob@work.example>"
tui_keys q
tui_keys n
# reply to all leaves every identity of the user out
tui_keys g
tui_expect "Re: to my work address"
tui_expect "To:      Ann Often <ann@example.org>"
tui_expect "From:    Bob at work <bob@work.example>"
tui_screen | grep -E '^(To|Cc):' | grep -q 'work.example' &&
    tui_fail "reply to all kept the user's identity"
tui_keys q
tui_keys n
tui_keys /
tui_keys -l "second"
tui_keys Enter
sleep 0.5
tui_keys r
tui_expect "Re: second"
tui_expect "From:    Bob <bob@example.org>"
tui_pass "a reply is written as the identity the original went to"
tui_keys q
tui_keys n
tui_expect "Message discarded."
tui_keys Q
tui_expect "postie-exit=0"
exit 0
