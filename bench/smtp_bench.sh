#!/bin/sh
# Submission benchmark: COUNT messages of about 50 KB (default 200) sent
# from postie's outbox to the harness Postfix over one TLS connection,
# side by side, in the same run, with
#   - the floor: Python's smtplib sending the same files over one SMTPS
#     connection (login, then one transaction per message);
#   - msmtp (Debian's), one process per message, as people use it.
# Target: postie within 1.2x of the floor.
#
#   bench/smtp_bench.sh [-n COUNT] [-r RUNS] POSTIE_BINARY
#
# postie's account here is a POP3 one, so its Sent copies go into a local
# Maildir (fsynced) as they would for such an account; an IMAP account
# would add an APPEND per message, which neither peer does.  The outbox
# is filled with `postie send --queue` (not timed); the timed part is one
# `postie send` of the last message, which sends the whole queue on one
# connection and returns once every message is accepted.
#
# Starts its own harness (Dovecot + Postfix) and stops it at the end.
# Prints the median of RUNS runs (default 3).  Never part of `make check`.
set -eu

count=200
runs=3
while getopts n:r: opt; do
	case $opt in
	n) count=$OPTARG ;;
	r) runs=$OPTARG ;;
	*) echo "usage: $0 [-n COUNT] [-r RUNS] POSTIE" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { echo "usage: $0 [-n COUNT] [-r RUNS] POSTIE" >&2; exit 2; }
postie=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$(dirname "$0")/.." && pwd)

dir=$(mktemp -d /tmp/postie-smtp-bench.XXXXXX)
cleanup() {
	"$src/tests/server/harness" stop "$dir/h" >/dev/null 2>&1 || :
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mkdir "$dir/h"
"$src/tests/server/harness" start "$dir/h" </dev/null >/dev/null 2>"$dir/harness.err" ||
	{ cat "$dir/harness.err" >&2; exit 1; }
. "$dir/h/env"
[ -z "${POSTIE_TEST_NO_SMTP:-}" ] ||
	{ echo "no Postfix: $POSTIE_TEST_NO_SMTP" >&2; exit 1; }

# The messages: about 50 KB of text each.
mkdir "$dir/msgs"
python3 - "$dir/msgs" "$count" <<'PY'
import sys
out, n = sys.argv[1], int(sys.argv[2])
line = "The quick brown fox jumps over the lazy dog, again and again. %d\n"
for i in range(n):
    body = "".join(line % j for j in range(800))
    with open("%s/%04d.eml" % (out, i), "w") as fp:
        fp.write("From: alice@example.org\nTo: bob@example.org\n"
                 "Subject: bench %d\nDate: Mon, 7 Dec 2026 10:00:00 +0000\n"
                 "Message-ID: <bench%d-RUN@example.org>\n\n%s" % (i, i, body))
PY
bytes=$(cat "$dir/msgs"/*.eml | wc -c)

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

floor_run() {
	python3 - "$dir/msgs" <<PY
import os, smtplib, ssl, sys
ctx = ssl.create_default_context(cafile="$POSTIE_TEST_CA")
s = smtplib.SMTP_SSL("$POSTIE_TEST_NAME", $POSTIE_TEST_SMTPS_PORT, context=ctx)
s.login("alice", "pw-alice")
for f in sorted(os.listdir(sys.argv[1])):
    with open(os.path.join(sys.argv[1], f), "rb") as fp:
        s.sendmail("alice@example.org", ["bob@example.org"], fp.read())
s.quit()
PY
}

cat >"$dir/msmtprc" <<EOF
account bench
host $POSTIE_TEST_NAME
port $POSTIE_TEST_SMTPS_PORT
tls on
tls_starttls off
tls_trust_file $POSTIE_TEST_CA
auth plain
user alice
password pw-alice
from alice@example.org
account default : bench
EOF
chmod 600 "$dir/msmtprc"
msmtp_run() {
	for f in "$dir/msgs"/*.eml; do
		msmtp -C "$dir/msmtprc" -t <"$f"
	done
}

postie_run() {
	home=$(mktemp -d "$dir/run.XXXXXX")
	cat >"$home/config" <<EOF
[account bench]
protocol = pop3
host = $POSTIE_TEST_NAME
port = $POSTIE_TEST_POP3S_PORT
user = alice
password_command = echo pw-alice
ca_file = $POSTIE_TEST_CA
from = alice@example.org
smtp_port = $POSTIE_TEST_SMTPS_PORT
EOF
	chmod 600 "$home/config"
	set -- "$dir/msgs"/*.eml
	n=$#
	i=1
	for f in "$@"; do
		[ "$i" -lt "$n" ] || break
		XDG_DATA_HOME=$home/data XDG_STATE_HOME=$home/state \
		XDG_CACHE_HOME=$home/cache "$postie" -c "$home/config" send \
		    --queue "$f"
		i=$((i + 1))
	done
	eval "last=\${$n}"
	t0=$(now)
	XDG_DATA_HOME=$home/data XDG_STATE_HOME=$home/state \
	XDG_CACHE_HOME=$home/cache "$postie" -c "$home/config" send "$last" \
	    >/dev/null
	t1=$(now)
	left=$(XDG_DATA_HOME=$home/data XDG_STATE_HOME=$home/state \
	    XDG_CACHE_HOME=$home/cache "$postie" -c "$home/config" outbox |
	    wc -l)
	[ "$left" -eq 0 ] || { echo "postie left $left in the outbox" >&2; exit 1; }
	elapsed "$t0" "$t1"
}

floor_run # warms Postfix and Dovecot
floor=""
mine=""
peer=""
have_msmtp=$(command -v msmtp >/dev/null 2>&1 && echo 1 || echo 0)
i=0
while [ "$i" -lt "$runs" ]; do
	t0=$(now); floor_run; t1=$(now)
	floor="$floor $(elapsed "$t0" "$t1")"
	mine="$mine $(postie_run)"
	if [ "$have_msmtp" = 1 ]; then
		t0=$(now); msmtp_run; t1=$(now)
		peer="$peer $(elapsed "$t0" "$t1")"
	fi
	i=$((i + 1))
done
f=$(echo $floor | median)
p=$(echo $mine | median)
printf '%d messages, %d bytes, submitted over SMTPS (median of %d runs)\n' \
    "$count" "$bytes" "$runs"
printf '%-52s %8s %8s\n' "work" "seconds" "x floor"
printf '%-52s %8s %8s\n' "Python smtplib, one connection (floor)" "$f" "1.00"
printf '%-52s %8s %8s\n' "postie send, the outbox on one connection" "$p" \
    "$(awk -v a="$p" -v b="$f" 'BEGIN { printf "%.2f", a / b }')"
if [ "$have_msmtp" = 1 ]; then
	m=$(echo $peer | median)
	printf '%-52s %8s %8s\n' "msmtp, one process per message" "$m" \
	    "$(awk -v a="$m" -v b="$f" 'BEGIN { printf "%.2f", a / b }')"
else
	printf 'msmtp: not installed (apt-get install msmtp)\n'
fi
printf 'runs: floor%s; postie%s%s\n' "$floor" "$mine" \
    "$( [ "$have_msmtp" = 1 ] && printf '; msmtp%s' "$peer")"
printf 'target: postie within 1.20x of the floor\n'
