#!/bin/sh
# tests/integration/imap.itest against cyrus-noalt instead of Dovecot
# (tests/server/README.md, "Other servers"); SKIP when its Debian packages
# cannot be had.
exec /bin/sh "$top_srcdir/tests/server/with-cyrus-noalt" \
    "$top_srcdir/tests/integration/imap.itest"
