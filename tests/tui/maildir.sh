#!/bin/sh
# The TUI on local mail only (no server needed): the account list shows
# security and every retention mode in words; a Maildir folder opens, a
# message shows its decoded subject and body; a header with escape
# sequences is drawn harmless; flag, toggle-new (rebound in [keys]) and
# delete (mark, then expunge) reach the Maildir; help, themes, resize, -e scripting.
. "$top_srcdir/tests/tui/lib.sh"

MD="$TUI_DIR/maildir-home"
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp" "$TUI_DIR/maildir-keep"
# One message each in the two keep-mode accounts, to delete there.
for k in keep archive; do
	mkdir -p "$TUI_DIR/maildir-$k/cur" "$TUI_DIR/maildir-$k/new" \
	    "$TUI_DIR/maildir-$k/tmp"
	printf 'From: Kept <kept@example.org>\r\nSubject: kept %s\r\nDate: Mon, 23 Nov 2026 10:00:00 +0100\r\nMessage-ID: <%s@example.org>\r\n\r\nbody\r\n' \
	    "$k" "$k" >"$TUI_DIR/maildir-$k/new/1700000100.M1P1Q1.$k"
done
printf '%s\r\n' \
    'From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.de>' \
    'To: bob@example.org' \
    'Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?=' \
    'Date: Mon, 23 Nov 2026 10:00:00 +0100' \
    'Message-ID: <gruesse@example.de>' \
    'Content-Type: text/plain; charset=utf-8' \
    'Content-Transfer-Encoding: quoted-printable' \
    '' \
    'Hallo Bob,' \
    '> zitierte Zeile' \
    'viele Gr=C3=BC=C3=9Fe aus M=C3=BCnchen!' >"$MD/new/1700000000.M1P1Q1.test"
# Escape sequences in the subject: SGR, an OSC window title, a BEL, a
# cursor move that would overwrite the screen, and a bidi override.
printf 'From: Mallory <m@example.org>\r\nSubject: evil \033[31mRED\033]0;pwned-title\007 \033[2J\033[Htail \342\200\256txet\r\nDate: Tue, 24 Nov 2026 10:00:00 +0100\r\nMessage-ID: <evil@example.org>\r\n\r\nbody of evil\r\n' \
    >"$MD/new/1700000001.M1P1Q2.test"

# A reply to the first message (a thread) with an attachment.
printf '%s\r\n' \
    'From: Bob <bob@example.org>' \
    'Subject: Re: =?UTF-8?B?R3LDvMOfZSBhdXMgTcO8bmNoZW4=?=' \
    'Date: Wed, 25 Nov 2026 09:00:00 +0100' \
    'Message-ID: <reply@example.org>' \
    'In-Reply-To: <gruesse@example.de>' \
    'References: <gruesse@example.de>' \
    'MIME-Version: 1.0' \
    'Content-Type: multipart/mixed; boundary="b1"' \
    '' \
    '--b1' \
    'Content-Type: text/plain; charset=utf-8' \
    '' \
    'Danke, see the notes attached.' \
    '--b1' \
    'Content-Type: text/plain; name="notes.txt"' \
    'Content-Disposition: attachment; filename="notes.txt"' \
    'Content-Transfer-Encoding: base64' \
    '' \
    'YXR0YWNoZWQgbm90ZXMgNDcxMQo=' \
    '--b1--' >"$MD/new/1700000002.M1P1Q3.test"

# Wide characters: CJK and an emoji take two columns each.
printf '%s\r\n' \
    'From: =?UTF-8?B?576O5ZKyIOWxseeUsA==?= <misaki@example.jp>' \
    'Subject: =?UTF-8?B?5pel5pys6Kqe44Gu5Lu25ZCNIPCfk6cg44OG44K544OI?=' \
    'Date: Sun, 22 Nov 2026 10:00:00 +0900' \
    'Message-ID: <wide@example.jp>' \
    '' \
    'wide body' >"$MD/cur/1699999999.M1P1Q0.test:2,S"

# mailcap: "opening" a text attachment copies it where the test looks.
cat >"$TUI_DIR/mailcap" <<MC
# test entry
text/plain; cp %s '$TUI_DIR/opened.txt'
MC
export MAILCAPS="$TUI_DIR/mailcap"

CFG="$TUI_DIR/config"
cat >"$CFG" <<CONF
[general]
theme = default

[account work]
protocol = imap
host = 127.0.0.1
port = 1
user = alice
password_command = echo secret

[account home]
protocol = pop3
host = 127.0.0.1
port = 1
tls = starttls
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
maildir = $TUI_DIR/maildir-keep

[account archive]
protocol = pop3
host = 127.0.0.1
port = 1
user = erin
password_command = echo secret
keep_on_server = yes
maildir = $TUI_DIR/maildir-archive

[account legacy]
protocol = imap
host = 127.0.0.1
port = 1
tls = none
allow_plaintext = yes
user = dave
password_command = echo secret

[keys]
x = toggle-new
CONF
chmod 600 "$CFG"

flags_of() { # the Maildir info flags of the message with key $1
	f=$(ls "$MD/cur" "$MD/new" 2>/dev/null | grep -F "$1" | head -n 1)
	[ -n "$f" ] || { echo GONE; return; }
	case "$f" in *:2,*) echo "${f##*:2,}" ;; *) echo "" ;; esac
}

tui_start -c "$CFG"

# --- account list: protocol, security, retention in words ---
tui_expect "keeps mail on server"
tui_expect "downloads and deletes"
tui_expect "keeps on server for 7 days"
tui_expect "INSECURE"
tui_screen | grep -F " legacy " | grep -qF "INSECURE" ||
    tui_fail "the plaintext account is not marked INSECURE"
tui_screen | grep -F " work " | grep -F "imap" | grep -qF "tls" ||
    tui_fail "work does not show imap and tls"
tui_screen | grep -F " home " | grep -qF "3 unread" ||
    tui_fail "home does not show 3 unread"
tui_pass "account list"

# --- folders, index, pager ---
tui_keys j Enter
tui_expect "home: folders"
tui_expect "INBOX"
tui_keys Enter
tui_expect "home/INBOX: 4 messages"
tui_expect "Grüße aus München"
tui_expect "Jürgen Müller"
# The sender column shows display names, not addresses (as Mutt does).
tui_expect_not "Müller <juergen"
tui_pass "index shows decoded headers"

# The hostile subject is drawn as text: no title change, no clearing.
tui_expect "evil RED"
tui_expect "tail"
tui_screen | grep -qF "pwned" && tui_fail "OSC text reached the screen"
title=$(tmx display-message -p -t postie '#{pane_title}')
case "$title" in *pwned*) tui_fail "the window title was changed: $title";; esac
tui_screen -e | grep -q "$(printf '\033')\]" && tui_fail "OSC sequence drawn"
tui_screen | grep -qF "home/INBOX: 4 messages" ||
    tui_fail "the title bar was overwritten"
tui_pass "escape sequences shown harmless"

# Wide characters are measured in columns: the size column starts at the
# same column on the CJK row as on an ASCII row.
tui_expect "日本語の件名"
tui_screen | python3 -c '
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else
               0 if unicodedata.combining(c) else 1 for c in s)
cols = set()
for line in sys.stdin:
    line = line.rstrip("\n")
    if "Jürgen" in line or "日本語" in line:
        head = line.rstrip()
        last = head.split()[-1]
        cols.add(width(head[:len(head) - len(last)]))
        if width(line) > 100:
            sys.exit("row wider than the screen: %r" % line)
sys.exit(0 if len(cols) == 1 else "size columns differ: %r" % cols)
' || tui_fail "wide characters misaligned the index"
tui_pass "wide characters (CJK, emoji) keep the columns aligned"

# --- attachments: save (asking before overwriting) and mailcap ---
# The cursor starts on the newest message, the reply.
tui_screen | grep -F "Re: Grüße" | grep -q " N   A " ||
    tui_fail "the reply does not show N and A (attachment)"
tui_keys Enter
tui_expect "Danke, see the notes attached."
tui_expect "notes.txt"
tui_cmd "save-attachment 1 $TUI_DIR/saved.txt"
wait_until grep -qs "attached notes 4711" "$TUI_DIR/saved.txt" ||
    tui_fail "the attachment was not saved"
echo "old content" >"$TUI_DIR/saved.txt"
tui_cmd "save-attachment 1 $TUI_DIR/saved.txt"
tui_expect "Overwrite it? (y/n)"
tui_keys n
tui_expect "Not saved."
grep -q "old content" "$TUI_DIR/saved.txt" || tui_fail "overwritten after no"
tui_cmd "save-attachment 1 $TUI_DIR/saved.txt"
tui_expect "Overwrite it? (y/n)"
tui_keys y
wait_until grep -qs "attached notes 4711" "$TUI_DIR/saved.txt" ||
    tui_fail "not overwritten after yes"
tui_pass "save attachment, asking before overwriting"
tui_keys v
tui_expect '`-text/plain  "notes.txt"  [attachment]'
tui_keys j m
wait_until grep -qs "attached notes 4711" "$TUI_DIR/opened.txt" ||
    tui_fail "mailcap viewer did not run"
tui_keys q
tui_expect "Danke, see the notes attached."
tui_pass "open attachment through mailcap (v, then m on the part)"
tui_keys q
tui_expect "home/INBOX: 4 messages"

# --- threads: the reply sits under its parent, and collapses ---
tui_cmd "sort thread"
tui_expect "sort: thread"
tui_expect "└─>Re: Grüße"
tui_keys z
tui_expect "(+1)"
tui_expect_not "└─>Re: Grüße"
tui_keys z
tui_expect "└─>Re: Grüße"
tui_pass "threads collapse and expand"
tui_cmd "sort date"
tui_expect "sort: date"

# --- full-text search and limit (the cache's index, offline) ---
tui_cmd "limit Danke"
tui_expect "home/INBOX: 1 message "
tui_expect "limit: Danke"
tui_keys l
tui_keys Enter
tui_expect "home/INBOX: 4 messages"
tui_pass "limit"

# The reply is last; go up to Mallory, then up to Jürgen.
tui_keys k k Enter
tui_expect "Subject: Grüße aus München"
tui_expect "viele Grüße aus München!"
tui_expect "> zitierte Zeile"
tui_pass "pager shows decoded subject and body"
wait_until sh -c "[ \"\$(ls '$MD/cur' | grep -c 'Q1.test:2,S')\" = 1 ]" ||
    tui_fail "opening did not mark the message seen in the Maildir"

# Search in the message highlights and finds.
tui_keys /
tui_keys -l "zitierte"
tui_keys Enter
tui_expect "> zitierte Zeile"
tui_keys q
tui_expect "home/INBOX: 4 messages"

# --- flag, toggle-new through a [keys] binding, delete ---
# (the cursor is back on Jürgen's message)
tui_keys F
wait_until sh -c "ls '$MD/cur' | grep -q 'Q1.test:2,FS'" ||
    tui_fail "F did not flag the message in the Maildir ($(flags_of Q1.test))"
tui_keys x
wait_until sh -c "ls '$MD/cur' | grep -q 'Q1.test:2,F\$'" ||
    tui_fail "x (toggle-new) did not clear Seen ($(flags_of Q1.test))"
tui_screen | grep -F "Müller" | grep -q " NF " ||
    tui_fail "the index does not show N and F for the message"
tui_pass "flag and toggle-new reach the Maildir"
tui_keys j d
wait_until sh -c "ls '$MD/cur' | grep -q 'Q2.test:2,T'" ||
    tui_fail "d did not mark the message in the Maildir ($(flags_of Q2.test))"
tui_keys X
tui_expect "1 message will be deleted from disk"
tui_keys y
wait_until sh -c "! ls '$MD/cur' '$MD/new' | grep -q 'Q2.test'" ||
    tui_fail "expunge did not delete the message from the Maildir"
tui_pass "delete reaches the Maildir"

# --- sort by name through the command line ---
tui_cmd "sort subject"
tui_expect "sort: subject"

# --- help is generated from the command table, with rebound keys ---
tui_keys '?'
tui_expect "postie: help"
tui_screen | grep -F "toggle-new" | grep -qF "N x" ||
    tui_fail "help does not show toggle-new on N and x"
tui_expect "page-down"
tui_keys q
tui_expect "home/INBOX"
tui_pass "help"

# --- themes ---
tui_cmd "theme light"
tui_expect "Theme light"
# The light theme's cursor background #d0d0ff is xterm colour 189.
tui_screen -e | grep -q '48;5;189' || tui_fail "light theme colours absent"
tui_cmd "theme high-contrast"
tui_expect "Theme high-contrast"
tui_screen -e | grep -q '48;5;189' && tui_fail "light theme still shown"
tui_cmd "theme no-such-theme"
tui_expect "no theme named 'no-such-theme'"
tui_pass "theme change"

# --- resize ---
tmx resize-window -t postie -x 60 -y 15
wait_until sh -c "[ \$(tmux -S '$TUI_SOCK' capture-pane -p -t postie | wc -l) = 15 ]" ||
    tui_fail "the pane did not shrink"
tui_expect "home/INBOX"
line=$(tui_screen | sed -n 14p)
case "$line" in *"downloads and deletes"*) ;;
*) tui_fail "no status line on row 14 of 15 after resize: '$line'" ;; esac
tmx resize-window -t postie -x 100 -y 30
wait_until sh -c "tmux -S '$TUI_SOCK' capture-pane -p -t postie | sed -n 29p | grep -q 'downloads and deletes'" ||
    tui_fail "no status line on row 29 after growing back"
tui_pass "resize"

# --- quit ---
tui_keys Q
tui_expect "postie-exit=0"
tmx kill-server

# --- NO_COLOR: attributes only ---
TUI_ENV="NO_COLOR=1" tui_start -c "$CFG" -a home -f INBOX
tui_expect "home/INBOX"
esc=$(printf '\033')
tui_screen -e | grep -q "$esc\[[0-9;]*\(3[0-7]\|4[0-7]\|38;5\|48;5\)[;m]" &&
    tui_fail "colours drawn although NO_COLOR is set"
tui_screen -e | grep -q "$esc\[[0-9;]*7m" ||
    tui_fail "no reverse video for the bars without colour"
tui_keys Q
tui_expect "postie-exit=0"
tmx kill-server
tui_pass "NO_COLOR"

# --- deleting in keep mode says that the server keeps its copy ---
# Every account's connection fails at start (port 1), and that error
# takes the message line; the next try is a minute later.  So: wait for
# all five errors of this session, then delete.
LOGF="$XDG_STATE_HOME/postie/postie.log"
failed_since() { # accounts whose connection error was logged after line $1
	[ "$(tail -n "+$(($1 + 1))" "$LOGF" |
	    sed -n 's/.* ui: \([a-z]*\): cannot connect.*/\1/p' |
	    sort -u | wc -l)" -ge 5 ]
}
for a in archive:archive keeper:keep; do
	k=${a#*:} # the Maildir is maildir-$k, the message Q1.$k
	n0=$(wc -l <"$LOGF")
	tui_start -c "$CFG" -a "${a%%:*}" -f INBOX
	tui_expect "kept $k"
	wait_until failed_since "$n0" ||
	    tui_fail "not every account reported its connection error"
	tui_keys d X
	tui_expect "The server keeps its copy"
	tui_keys y
	case $k in
	archive) tui_expect "Deleted here only: the server keeps its copy" ;;
	keep) tui_expect "the server keeps its copy until 7 days after" ;;
	esac
	wait_until sh -c "! ls '$TUI_DIR/maildir-$k/new' '$TUI_DIR/maildir-$k/cur' | grep -q 'Q1.$k'" ||
	    tui_fail "d did not delete the local copy in ${a%%:*}"
	tui_keys Q
	tui_expect "postie-exit=0"
	tmx kill-server
done
tui_pass "delete in keep mode says where the mail still is"

# --- -e scripting: commands run once the folder has loaded ---
tui_start -c "$CFG" -a home -f INBOX -e "sort subject; last; quit"
tui_expect "postie-exit=0"
tmx kill-server
tui_start -c "$CFG" -a nobody
tui_expect "postie-exit=1"
tui_expect "no account named"
tmx kill-server
tui_start -c "$CFG" -a home -f INBOX -e "sort nonsense; quit"
tui_expect "postie-exit=1"
tui_expect "unknown sort 'nonsense'"
tmx kill-server
tui_pass "-a -f -e"

# An unusable terminal is a sentence and status 1, not a crash.
out=$(TERM=no-such-terminal-type "$POSTIE" -c "$CFG" 2>&1 </dev/null)
st=$?
[ $st = 1 ] || tui_fail "unknown TERM: status $st"
case "$out" in *"cannot use the terminal"*) ;;
*) tui_fail "unknown TERM: '$out'" ;; esac
tui_pass "unusable terminal"
exit 0
