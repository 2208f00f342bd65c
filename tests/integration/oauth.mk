# OAuth2 sign-in (net/sasl, cache/oauth) against Dovecot's oauth2 passdb
# and Postfix through Dovecot SASL (tests/server/with-oauth).
TESTS += tests/integration/oauth.sh
EXTRA_DIST += tests/integration/oauth.sh tests/integration/oauth.py
TESTS += tests/integration/oauth_flows.sh
EXTRA_DIST += tests/integration/oauth_flows.sh \
	tests/integration/oauth_flows.py
TESTS += tests/integration/oauth_xoauth2.sh
EXTRA_DIST += tests/integration/oauth_xoauth2.sh
