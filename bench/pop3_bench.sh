#!/bin/sh
# POP3 download benchmark: COUNT generated messages (default
# 5,000, about 60 MB) downloaded over POP3S into the Maildir, fsync
# included, side by side with the protocol floor: the same RETRs pipelined
# through `openssl s_client` to /dev/null.  Target: postie within 2x.
#
#   bench/pop3_bench.sh [-n COUNT] [-r RUNS] [-d DIR] POSTIE_BINARY
#
# -d DIR: postie's data goes under DIR (default: the bench's own temporary
# folder).  Creating files on a journal-less ext4 is slow for a while
# after many files were deleted nearby (the kernel skips
# recently freed inodes one by one), and a shared /tmp is full of such
# deletions: a folder on a quiet file system measures postie, not that.
#
# Starts its own harness Dovecot (tests/server/harness) and stops it at the
# end.  Prints the median of RUNS runs (default 3).  Never part of `make
# check`: timings are printed, not asserted.
set -eu

count=5000
runs=3
homes=""
while getopts n:r:d: opt; do
	case $opt in
	n) count=$OPTARG ;;
	r) runs=$OPTARG ;;
	d) homes=$OPTARG ;;
	*) echo "usage: $0 [-n COUNT] [-r RUNS] [-d DIR] POSTIE" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || { echo "usage: $0 [-n COUNT] [-r RUNS] [-d DIR] POSTIE" >&2; exit 2; }
postie=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$(dirname "$0")/.." && pwd)

dir=$(mktemp -d /tmp/postie-pop3-bench.XXXXXX)
[ -n "$homes" ] || homes=$dir
homes=$(mktemp -d "$homes/postie-pop3-home.XXXXXX")
cleanup() {
	"$src/tests/server/harness" stop "$dir/h" >/dev/null 2>&1 || :
	rm -rf "$dir" "$homes"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
mkdir "$dir/h"
"$src/tests/server/harness" start "$dir/h" </dev/null >/dev/null 2>"$dir/harness.err" ||
	{ cat "$dir/harness.err" >&2; exit 1; }
. "$dir/h/env"

md=$POSTIE_TEST_MAILDIR_carol
echo "generating $count messages..." >&2
python3 "$src/bench/gen-mail" --seed 4 --count "$count" --out "$md" >/dev/null
chown -R --reference="$md" "$md"
bytes=$(cat "$md"/new/* | wc -c)
mkdir "$dir/gen"
cp -p "$md"/new/* "$dir/gen/"
restore() { # puts the generated messages back on the server
	find "$md/new" "$md/cur" -type f -delete
	cp -p "$dir/gen"/* "$md/new/"
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# The floor: log in, every RETR pipelined, QUIT; output thrown away.
{
	printf 'USER carol\r\nPASS pw-carol\r\n'
	i=1
	while [ "$i" -le "$count" ]; do
		printf 'RETR %d\r\n' "$i"
		i=$((i + 1))
	done
	printf 'QUIT\r\n'
} >"$dir/cmds"
# The same with a DELE after each RETR: Dovecot's own cost of deleting.
sed 's/^RETR \(.*\)\r$/RETR \1\r\nDELE \1\r/' "$dir/cmds" >"$dir/cmds-dele"
floor_run() { # [COMMANDS]
	openssl s_client -quiet -connect "127.0.0.1:$POSTIE_TEST_POP3S_PORT" \
	    -servername "$POSTIE_TEST_NAME" -CAfile "$POSTIE_TEST_CA" \
	    <"${1:-$dir/cmds}" >/dev/null 2>&1
}
floor_run # warms Dovecot's own index (new/ -> cur/, uidlist)

postie_run() { # MODE
	# A new folder each run, all removed at the end: removing the last
	# one now would make this run's file creations slow (see -d).
	home=$(mktemp -d "$homes/run.XXXXXX")
	cat >"$home/config" <<EOF
[account bench]
protocol = pop3
host = $POSTIE_TEST_NAME
port = $POSTIE_TEST_POP3S_PORT
user = carol
password_command = echo pw-carol
ca_file = $POSTIE_TEST_CA
keep_on_server = $1
EOF
	chmod 600 "$home/config"
	XDG_DATA_HOME=$home/data XDG_STATE_HOME=$home/state \
	XDG_CACHE_HOME=$home/cache "$postie" -c "$home/config" sync bench \
	    >/dev/null
	got=$(ls "$home/data/postie/mail/bench/INBOX/new" | wc -l)
	[ "$got" -eq "$count" ] || { echo "postie stored $got of $count" >&2; exit 1; }
}

floor=""
keep=""
i=0
while [ "$i" -lt "$runs" ]; do
	t0=$(now); floor_run; t1=$(now)
	floor="$floor $(elapsed "$t0" "$t1")"
	t0=$(now); postie_run yes; t1=$(now)
	keep="$keep $(elapsed "$t0" "$t1")"
	i=$((i + 1))
done
# Delete mode last: it empties the server.
t0=$(now); floor_run "$dir/cmds-dele"; t1=$(now)
dfloor=$(elapsed "$t0" "$t1")
left=$(find "$md/new" "$md/cur" -type f | wc -l)
[ "$left" -eq 0 ] || echo "warning: the DELE floor left $left messages" >&2
restore
floor_run # Dovecot re-indexes the restored messages
t0=$(now); postie_run no; t1=$(now)
delete=$(elapsed "$t0" "$t1")

f=$(echo $floor | median)
k=$(echo $keep | median)
printf '%d messages, %d bytes over POP3S (median of %d runs)\n' "$count" "$bytes" "$runs"
printf '%-46s %8s %8s\n' "work" "seconds" "x floor"
printf '%-46s %8s %8s\n' "openssl s_client, RETRs pipelined (floor)" "$f" "1.00"
printf '%-46s %8s %8s\n' "postie sync, keep mode (Maildir, fsync)" "$k" \
    "$(awk -v a="$k" -v b="$f" 'BEGIN { printf "%.2f", a / b }')"
printf '%-46s %8s %8s\n' "openssl s_client, RETR+DELE pipelined (floor)" \
    "$dfloor" "1.00"
printf '%-46s %8s %8s\n' "postie sync, delete mode (1 run)" "$delete" \
    "$(awk -v a="$delete" -v b="$dfloor" 'BEGIN { printf "%.2f", a / b }')"
printf 'target: postie within 2.00x of the floor\n'
