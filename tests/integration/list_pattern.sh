#!/bin/sh
# postie list ACCOUNT[/FOLDER] PATTERN (doc/postie.1, Patterns): only the
# messages that match, offline, from a POP3 account's Maildir; nothing
# matching is exit 0 and no output; a bad pattern is exit 2 and the
# sentence with its column.  Needs $POSTIE and
# $top_srcdir (set by make check).
# The offline account and private folders of the TUI tests (no tmux is
# started here).
. "$top_srcdir/tests/tui/lib.sh"
T=$TUI_DIR
export TZ=UTC
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

MD=$T/maildir
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp"
msg() { # KEY-and-flags FROM DATE SUBJECT
	printf 'From: %s\r\nTo: team@example.org\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s@example.org>\r\n\r\nbody of %s\r\n' \
	    "$2" "$4" "$3" "${1%%.*}" "$4" >"$MD/cur/$1"
}
msg "1700000001.M1P1Q1.test:2,S" "Alice <alice@example.org>" \
    "Mon, 23 Nov 2026 10:00:00 +0000" "Person 3 minutes"
msg "1700000002.M1P1Q2.test:2," "Bob <bob@example.org>" \
    "Fri, 10 Jan 2025 10:00:00 +0000" "Person 39 agenda"
msg "1700000003.M1P1Q3.test:2,FS" "Carol <carol@example.org>" \
    "Tue, 24 Nov 2026 10:00:00 +0000" "budget"
tui_offline_pop3_config "$MD"

# subjects PATTERN...: the subjects listed, one line, in list order.
subjects() {
	"$POSTIE" -c "$CFG" list home "$@" >"$T/out" 2>"$T/err"
	echo $? >"$T/rc"
	cut -f5 "$T/out" | paste -sd, -
}
check() { # WANT PATTERN...
	want=$1
	shift
	got=$(subjects "$@")
	if [ "$got" = "$want" ] && [ "$(cat "$T/rc")" = 0 ] &&
	    ! [ -s "$T/err" ]; then
		ok "list home $* -> $want"
	else
		fail "list home $*: got '$got' (exit $(cat "$T/rc"), $(cat "$T/err")), want '$want'"
	fi
}

check "Person 3 minutes,Person 39 agenda,budget"
check "Person 39 agenda" "~U"
check "budget" "~F"
check "Person 3 minutes,budget" "~R"
check "Person 3 minutes,Person 39 agenda" "Person 3"
check "Person 3 minutes" '"Person 3"'
check "Person 3 minutes,budget" "~d 01/01/2026-"
check "Person 39 agenda" "~d -31/12/2025"
check "Person 3 minutes" "~f alice ~R"
check "Person 3 minutes" "~f" "alice"
check "Person 39 agenda,budget" "~s budget | ~U"
check "Person 39 agenda" '!~s "3 minutes" !~F'
check "" "~f nobody"
check "" "~F ~U"

# The flags column still says what each message is.
"$POSTIE" -c "$CFG" list home "~F" | cut -f2 | grep -qx F ||
    fail "the flagged message's flags column is not F"

# A bad pattern: exit 2, the sentence with its column, no output.
"$POSTIE" -c "$CFG" list home "~d <2x" >"$T/out" 2>"$T/err"
rc=$?
if [ $rc = 2 ] && ! [ -s "$T/out" ] &&
    [ "$(cat "$T/err")" = "postie: ~d <2x: unknown unit 'x' at column 5" ]; then
	ok "a bad pattern says where (exit 2)"
else
	fail "bad pattern: exit $rc, stdout '$(cat "$T/out")', stderr '$(cat "$T/err")'"
fi
"$POSTIE" -c "$CFG" list home '~s "open' >"$T/out" 2>"$T/err"
rc=$?
[ $rc = 2 ] && grep -q "the quote is never closed at column 4" "$T/err" ||
    fail "unclosed quote: exit $rc, '$(cat "$T/err")'"

[ $fails = 0 ] || exit 1
