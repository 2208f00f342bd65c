#!/bin/sh
# tests/integration/oauth.py again with a Dovecot that offers XOAUTH2
# alone (Gmail's and Microsoft's older mechanism).
POSTIE_TEST_OAUTH_MECHS=xoauth2
export POSTIE_TEST_OAUTH_MECHS
exec /bin/sh "$top_srcdir/tests/integration/oauth.sh"
