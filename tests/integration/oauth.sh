#!/bin/sh
# OAuth2 sign-in on IMAP, POP3 and SMTP (tests/integration/oauth.py):
# runs itself again under tests/server/with-oauth, which adds Dovecot's
# oauth2 passdb to the harness.
if [ -z "${POSTIE_TEST_OAUTH_DIR:-}" ]; then
	exec /bin/sh "$top_srcdir/tests/server/with-oauth" "$0"
fi
exec python3 "$top_srcdir/tests/integration/oauth.py"
