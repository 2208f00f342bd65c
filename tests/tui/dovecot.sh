#!/bin/sh
# Runs tests/tui/dovecot.itest against a private Dovecot.
exec "${SHELL:-/bin/sh}" "$top_srcdir/tests/server/with-dovecot" \
    "$top_srcdir/tests/tui/dovecot.itest"
