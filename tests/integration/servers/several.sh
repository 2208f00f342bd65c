#!/bin/sh
# several.sh NAME...: runs tests/integration/NAME.itest for each NAME, one
# after the other, against the one server the caller started (with-cyrus,
# with-courier): a server start each would cost more than some of the
# tests.  Each test makes its own folders and clients, so what one leaves
# on the server does not disturb the next.  Fails when any failed; SKIP
# (77) only when all skipped.
status=77
for name in "$@"; do
	echo "=== $name.itest against ${POSTIE_TEST_SERVER:-dovecot}"
	/bin/sh "$top_srcdir/tests/integration/$name.itest"
	rc=$?
	echo "=== $name.itest: status $rc"
	if [ $rc -ne 0 ] && [ $rc -ne 77 ]; then
		status=1
	elif [ $rc -eq 0 ] && [ $status -eq 77 ]; then
		status=0
	fi
done
exit $status
