#!/bin/sh
# tests/integration/sync_imap.itest against courier instead of Dovecot
# (tests/server/README.md, "Other servers"): no UIDNEXT, CONDSTORE or
# QRESYNC there; SKIP when its Debian packages cannot be had.
exec /bin/sh "$top_srcdir/tests/server/with-courier" \
    "$top_srcdir/tests/integration/sync_imap.itest"
