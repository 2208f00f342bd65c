#!/bin/sh
# postie authorize (code and device flows) and the refresh token against
# the test provider (tests/integration/oauth_flows.py), under
# tests/server/with-oauth.
if [ -z "${POSTIE_TEST_OAUTH_DIR:-}" ]; then
	exec /bin/sh "$top_srcdir/tests/server/with-oauth" "$0"
fi
exec python3 "$top_srcdir/tests/integration/oauth_flows.py"
