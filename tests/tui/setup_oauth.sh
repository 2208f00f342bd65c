#!/bin/sh
# The setup form's OAuth2 path (Gmail, Outlook), with no network: an
# address at outlook.com or gmail.com chooses OAuth2 sign-in, the form
# asks for the user's own client id, and saving shows the authorization
# URL (provider endpoint, client_id, PKCE challenge, loopback redirect)
# while a listener on 127.0.0.1 waits for the browser.  A browser coming
# back with a wrong state fails the sign-in with a sentence; Esc goes back
# to the form; nothing is written without a sign-in.
. "$top_srcdir/tests/tui/lib.sh"

CFGFILE="$XDG_CONFIG_HOME/postie/config"
TUI_COLS=120

# The screen's rows joined: the form wraps the URL at the screen's edge.
joined() {
	tui_screen | sed 's/ *$//' | tr -d '\n'
}

# url_has TEXT: the joined screen holds TEXT.
url_has() {
	joined | grep -qF -- "$1" || tui_fail "the URL lacks '$1'"
}

tui_start
tui_expect "set up an account"
tui_keys -l "Someone@Outlook.com"
tui_expect "(*) Outlook (OAuth2)"     # chosen from the address
tui_expect "Client id"
tui_expect_not "Password command"      # no password with OAuth2
tui_expect_not "SMTP server"           # the provider fills servers in
tui_keys Tab Tab Tab Tab               # name, account, protocol, sign in
tui_keys Tab                           # client id
tui_expect "The client id is your own"
tui_keys Tab Tab Tab                   # secret, user, to the button
tui_expect "[ Test the login and save ]"
tui_keys Enter
tui_expect "give your client id"
tui_pass "Outlook chosen from the address; the client id is asked for"

tui_keys Up Up Up                      # back to the client id
tui_keys -l "my-client-123"
tui_keys Tab Tab Tab Enter
tui_expect "open this URL in a browser"
url_has "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?response_type=code&client_id=my-client-123&redirect_uri=http%3A%2F%2F127.0.0.1%3A"
url_has "&code_challenge_method=S256&code_challenge="
url_has "offline_access"
port=$(joined | sed -n 's/.*redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\([0-9]*\)%2F.*/\1/p')
[ -n "$port" ] || tui_fail "no redirect port in the URL"
[ ! -e "$CFGFILE" ] || tui_fail "a config was written before the sign-in"
tui_pass "saving shows the Outlook URL with client_id, PKCE and 127.0.0.1:$port"

# The listener waits: a browser coming back with a state postie did not
# send ends the sign-in with a sentence; the form comes back.
curl -s -o /dev/null --max-time 10 \
    "http://127.0.0.1:$port/?code=forged&state=forged" ||
    tui_fail "nothing listened on 127.0.0.1:$port"
tui_expect "The sign-in failed"
tui_expect "state postie did not send"
tui_expect "[ Test the login and save ]"
[ ! -e "$CFGFILE" ] || tui_fail "a config was written after a failed sign-in"
tui_pass "the loopback listener waited; a forged answer fails, nothing written"

# Again, then Esc: back to the form, then out, nothing written.
tui_keys Enter
tui_expect "open this URL in a browser"
tui_keys Escape
tui_expect "Sign-in cancelled"
tui_keys Escape
tui_expect "postie-exit=1"
[ ! -e "$CFGFILE" ] || tui_fail "a config was written after Esc"
tui_pass "Esc during the sign-in goes back to the form; nothing written"
tmx kill-server

# Gmail: its endpoint, and Google's offline access for a refresh token.
tui_start
tui_expect "set up an account"
tui_keys -l "someone@gmail.com"
tui_expect "(*) Gmail (OAuth2)"
tui_keys Tab Tab Tab Tab Tab
tui_keys -l "gclient.apps.googleusercontent.com"
tui_keys Tab
tui_keys -l "gsecret"
tui_keys Tab Tab Enter
tui_expect "open this URL in a browser"
url_has "https://accounts.google.com/o/oauth2/v2/auth?response_type=code&client_id=gclient.apps.googleusercontent.com&redirect_uri=http%3A%2F%2F127.0.0.1%3A"
url_has "&access_type=offline&prompt=consent"
tui_pass "Gmail: its endpoint and offline access in the URL"
tui_keys Escape Escape
tui_expect "postie-exit=1"
