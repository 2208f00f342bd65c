#!/bin/sh
# tests/integration/cli_sync.itest against cyrus instead of Dovecot
# (tests/server/README.md, "Other servers"); SKIP when its Debian packages
# cannot be had.
# tools/check's sanitizer pass runs only the IMAP runs against the other
# servers (the parsers meet their bytes); the rest would add minutes to it.
if [ "${POSTIE_OTHER_SERVERS:-all}" = imap ]; then
	echo "skipped: POSTIE_OTHER_SERVERS=imap"; exit 77
fi
exec /bin/sh "$top_srcdir/tests/server/with-cyrus" \
    "$top_srcdir/tests/integration/cli_sync.itest"
