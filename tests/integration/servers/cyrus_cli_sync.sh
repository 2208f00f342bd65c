#!/bin/sh
# tests/integration/cli_sync.itest against cyrus instead of Dovecot
# (tests/server/README.md, "Other servers"); SKIP when its Debian packages
# cannot be had.
exec /bin/sh "$top_srcdir/tests/server/with-cyrus" \
    "$top_srcdir/tests/integration/cli_sync.itest"
