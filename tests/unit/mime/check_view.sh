#!/bin/sh
# postie view: the binary renders every corpus message exactly as the
# checked-in NAME.expected, exits 0 on any readable file, 1 with one line
# on stderr for an unreadable one.
dir="$top_srcdir/tests/data/mime"
fail=0
n=0
out=$(mktemp) || exit 1
err=$(mktemp) || exit 1
trap 'rm -f "$out" "$err"' EXIT
for eml in "$dir"/*.eml; do
	name=$(basename "$eml" .eml)
	case $name in *html-pref*) opt=--html ;; *) opt= ;; esac
	if ! LC_ALL=C "$POSTIE" view $opt "$eml" >"$out" 2>"$err"; then
		echo "FAIL $name: exit status $?"; fail=1; continue
	fi
	if ! cmp -s "$out" "$dir/$name.expected"; then
		echo "FAIL $name: output differs"
		diff -u "$dir/$name.expected" "$out" | head -20
		fail=1
	fi
	n=$((n + 1))
done
"$POSTIE" view /nonexistent/file.eml >"$out" 2>"$err"
rc=$?
if [ $rc -ne 1 ] || [ "$(wc -l <"$err")" -ne 1 ] || [ -s "$out" ]; then
	echo "FAIL unreadable file: status $rc, stderr:"; cat "$err"; fail=1
fi
"$POSTIE" view "$dir" >"$out" 2>"$err"
rc=$?
if [ $rc -ne 1 ]; then
	echo "FAIL a folder: status $rc"; fail=1
fi
"$POSTIE" view >"$out" 2>"$err"
if [ $? -ne 2 ]; then
	echo "FAIL no argument: expected usage status 2"; fail=1
fi
echo "$n messages rendered"
[ $n -ge 30 ] || fail=1
exit $fail
