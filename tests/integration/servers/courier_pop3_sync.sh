#!/bin/sh
# tests/integration/pop3_sync.itest against courier instead of Dovecot
# (tests/server/README.md, "Other servers"); SKIP when its Debian packages
# cannot be had.
exec /bin/sh "$top_srcdir/tests/server/with-courier" \
    "$top_srcdir/tests/integration/pop3_sync.itest"
