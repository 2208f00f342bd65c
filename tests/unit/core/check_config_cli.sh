#!/bin/sh
# postie check-config: the explanation of each account, the exit status,
# and the refusals (missing file, group-readable password, bad line).
# Needs $POSTIE (set by make check).
set -u
: "${POSTIE:?run through make check, or set POSTIE}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/check_config_cli.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

cat >"$dir/config" <<'CONF'
[general]
theme = default

[account work]
protocol = imap
host = mail.example.org
user = alice
password_command = pass show mail/work
from = Alice Martin <alice@example.org>
smtp_host = smtp.example.org
smtp_port = 587

[account home]
protocol = pop3
host = pop.example.org
tls = starttls
user = bob
password_command = secret-tool lookup mail home
keep_on_server = no
from = bob@example.org
identities = Bob B <bob@example.net>, b@example.com

[account lab]
protocol = pop3
host = 127.0.0.1
port = 1110
tls = none
allow_plaintext = yes
user = test
password = s3cr3t
keep_on_server = yes
keep_days = 7
CONF
chmod 600 "$dir/config"

out=$("$POSTIE" check-config -c "$dir/config" 2>"$dir/err"); rc=$?
[ $rc -eq 0 ] && ok "exit 0" || fail "exit $rc: $(cat "$dir/err")"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 3 ] && ok "three lines" ||
	fail "not one line per account: $out"
expect() {
	printf '%s\n' "$out" | grep -qxF -- "$1" && ok "$1" ||
		fail "missing line: $1 (got: $out)"
}
expect "work: IMAP, implicit TLS to mail.example.org:993 as alice; keeps mail on server; password from command; sends through smtp.example.org:587, starttls, as alice, from Alice Martin <alice@example.org>"
expect "home: POP3, STLS (required) to pop.example.org:110 as bob; downloads and deletes; password from command; sends through pop.example.org:465, tls, as bob, from bob@example.org (or, with F on the compose screen, Bob B <bob@example.net> or b@example.com)"
expect "lab: POP3, PLAINTEXT (insecure: allowed by allow_plaintext) to 127.0.0.1:1110 as test; keeps on server for 7 days; password in the config file; cannot send: no from address"
case $out in *s3cr3t*) fail "password printed";; esac
# -c also works before the command.
"$POSTIE" -c "$dir/config" check-config >/dev/null 2>&1 && ok "-c first" ||
	fail "-c before the command"

# A password in a group-readable file is refused.
chmod 640 "$dir/config"
err=$("$POSTIE" check-config -c "$dir/config" 2>&1 >/dev/null); rc=$?
[ $rc -eq 1 ] && ok "group-readable: exit 1" || fail "group-readable: exit $rc"
case $err in
*"is readable by others; chmod 600 $dir/config or use password_command"*)
	ok "group-readable: message";;
*) fail "group-readable message: $err";;
esac
case $err in *s3cr3t*) fail "password in error";; esac

# A bad line: file, line, key, section.
printf '[account work]\nhost = h\nuser = u\nhots = x\n' >"$dir/bad"
err=$("$POSTIE" check-config -c "$dir/bad" 2>&1 >/dev/null); rc=$?
[ $rc -eq 1 ] && ok "bad key: exit 1" || fail "bad key: exit $rc"
[ "$err" = "postie: $dir/bad:4: unknown key 'hots' in [account work]" ] &&
	ok "bad key: message" || fail "bad key message: $err"

# A missing file says where postie looked and how to start.
err=$(HOME="$dir/home" XDG_CONFIG_HOME= "$POSTIE" check-config 2>&1 >/dev/null)
rc=$?
[ $rc -eq 1 ] && ok "missing: exit 1" || fail "missing: exit $rc"
case $err in
*"$dir/home/.config/postie/config"*"man postie.conf"*) ok "missing: message";;
*) fail "missing message: $err";;
esac

# [keys]: what the reader refuses, check-config refuses too, with the
# same sentence; what check-config accepts, the reader starts with.
keys_case() { # NAME KEYLINE EXPECTED-ERROR-SUBSTRING ("" = accepted)
	printf '[keys]\n%s\n\n[account work]\nprotocol = imap\nhost = h\nuser = u\npassword_command = true\n' \
	    "$2" >"$dir/keys"
	chmod 600 "$dir/keys"
	err=$("$POSTIE" check-config -c "$dir/keys" 2>&1 >/dev/null); rc=$?
	# The reader, without a terminal: it gets as far as the terminal
	# when the config is good ("cannot use the terminal").
	rerr=$(TERM=dumb-nonexistent "$POSTIE" -c "$dir/keys" </dev/null 2>&1 \
	    >/dev/null)
	if [ -n "$3" ]; then
		[ $rc -eq 1 ] && ok "$1: check-config exit 1" ||
			fail "$1: check-config exit $rc ($err)"
		case $err in *"$3"*) ok "$1: check-config says why";;
		*) fail "$1: check-config message: $err";; esac
		case $rerr in *"$3"*) ok "$1: the reader says the same";;
		*) fail "$1: reader message: $rerr";; esac
	else
		[ $rc -eq 0 ] && ok "$1: check-config accepts" ||
			fail "$1: check-config exit $rc ($err)"
		case $rerr in *"cannot use the terminal"*)
			ok "$1: the reader accepts it too";;
		*) fail "$1: the reader refused: $rerr";; esac
	fi
}
keys_case "unknown command" "r = answer" "unknown command 'answer'"
keys_case "bad key" "gg = first" "gg"
keys_case "good binding" "<f5> = sync" ""

# Usage error.
"$POSTIE" check-config -c "$dir/bad" extra >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ok "usage: exit 2" || fail "usage: exit $rc"

# A config others can write is refused (they could set password_command),
# by check-config and by the mail reader, even without a password in it.
printf '[account w]\nhost = h\nuser = u\npassword_command = true\n' \
    >"$dir/shared"
for mode in 620 602 666; do
	chmod $mode "$dir/shared"
	for cmd in check-config ""; do
		# timeout: a reader that accepted the file would wait for
		# keys, without a terminal.
		err=$(timeout 20 "$POSTIE" -c "$dir/shared" $cmd 2>&1 \
		    </dev/null >/dev/null)
		rc=$?
		case $rc:$err in
		"1:postie: refusing to read $dir/shared: others can write to it and so make it run commands as you; run chmod go-w $dir/shared")
			ok "mode $mode refused by postie $cmd";;
		*) fail "mode $mode, postie $cmd: exit $rc: $err";;
		esac
	done
done
chmod 644 "$dir/shared"
"$POSTIE" check-config -c "$dir/shared" >/dev/null 2>&1 &&
	ok "mode 644 without a password: accepted" || fail "mode 644 refused"
# Another user's config (root can make one; others skip this part).
if [ "$(id -u)" -eq 0 ]; then
	chown 65534 "$dir/shared"
	err=$("$POSTIE" check-config -c "$dir/shared" 2>&1 >/dev/null); rc=$?
	case $rc:$err in
	"1:postie: refusing to read $dir/shared: it belongs to another user (uid 65534)"*)
		ok "another user's config refused";;
	*) fail "another user's config: exit $rc: $err";;
	esac
fi

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
