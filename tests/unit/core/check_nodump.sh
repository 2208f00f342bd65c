#!/bin/sh
# A running postie has core dumps disabled: RLIMIT_CORE 0 (soft and hard)
# and not dumpable.  `postie sync` is held while it asks an IMAP
# account's password_command, which says it runs (its shell's pid in a
# file) and then sleeps; meanwhile the test reads /proc/PID/limits.  The
# password is read once a server greeted (cache/login.c): a greeter on
# loopback (tests/server/greeter.py) stands in for one.  Not
# dumpable shows in the files of /proc/PID being owned by root, not the
# process's user, so postie runs as an ordinary user: the current one, or
# nobody when the test runs as root.
# Needs $POSTIE (set by make check).
set -u
: "${POSTIE:?run through make check, or set POSTIE}"
[ -r /proc/self/limits ] || { echo "skip: no /proc"; exit 77; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/check_nodump.XXXXXX") || exit 1
pid=
gpid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null
[ -n "$gpid" ] && kill "$gpid" 2>/dev/null; rm -rf "$dir"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# Core files allowed in this shell, so a postie that left the limit alone
# shows it.
ulimit -S -c unlimited 2>/dev/null || ulimit -S -c "$(ulimit -H -c)"
before=$(ulimit -S -c)
[ "$before" != 0 ] || echo "note: the hard core limit is already 0 here:" \
    "the limit check below proves nothing"

chmod 755 "$dir"
mkdir "$dir/home"
H=$dir/home
python3 "${top_srcdir:-.}/tests/server/greeter.py" "$dir/port" &
gpid=$!
i=0
while [ ! -s "$dir/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$dir/port" ] || { echo "FAIL: the greeter did not start"; exit 1; }
cat >"$dir/config" <<CONF
[account a]
host = 127.0.0.1
port = $(cat "$dir/port")
tls = none
allow_plaintext = yes
user = u
timeout = 5
password_command = echo \$\$ > $H/ready; exec sleep 60
CONF
chmod 644 "$dir/config"
export HOME="$H" XDG_CONFIG_HOME="$H/config" XDG_DATA_HOME="$H/data" \
    XDG_CACHE_HOME="$H/cache" XDG_STATE_HOME="$H/state"
if [ "$(id -u)" -eq 0 ]; then
	command -v setpriv >/dev/null || { echo "skip: no setpriv"; exit 77; }
	chown 65534:65534 "$H"
	user=65534
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$POSTIE" sync -c "$dir/config" >"$dir/out" 2>&1 </dev/null &
else
	user=$(id -u)
	"$POSTIE" sync -c "$dir/config" >"$dir/out" 2>&1 </dev/null &
fi
pid=$!
# Bound on time only to prove it does not hang.
i=0
while [ ! -s "$H/ready" ] && [ $i -lt 300 ] && kill -0 "$pid" 2>/dev/null
do
	sleep 0.1
	i=$((i + 1))
done
if [ ! -s "$H/ready" ]; then
	fail "postie never ran the password command: $(cat "$dir/out")"
else
	limits=$(grep '^Max core file size' "/proc/$pid/limits")
	set -- $limits
	[ "$5" = 0 ] && [ "$6" = 0 ] &&
	    ok "RLIMIT_CORE 0 0 (this shell: $before)" ||
	    fail "core limit of the running postie: $limits"
	owner=$(stat -c %u "/proc/$pid/status")
	[ "$owner" = 0 ] && ok "not dumpable (/proc/PID/status owned by root)" ||
	    fail "dumpable: /proc/PID/status owned by $owner (postie runs as $user)"
	kill "$(cat "$H/ready")" 2>/dev/null # the sleep: no password
fi
wait "$pid"
pid=
[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
