# Shared by the tests/tui scripts: drive the real postie in a private tmux
# server at a fixed size and read the screen with capture-pane.
# Needs: POSTIE (the binary), top_srcdir.  Every wait is bounded; nothing
# asserts a timing.
set -u

: "${POSTIE:?POSTIE must name the postie binary}"
: "${top_srcdir:?top_srcdir must be set}"

TUI_DIR=$(mktemp -d "${TMPDIR:-/tmp}/postie-tui.XXXXXX") || exit 99
TUI_SOCK="$TUI_DIR/tmux.sock"
TUI_COLS=100
TUI_ROWS=30

tmx() {
	tmux -S "$TUI_SOCK" "$@"
}

tui_cleanup() {
	tmx kill-server >/dev/null 2>&1
	rm -rf "$TUI_DIR"
}
trap tui_cleanup EXIT
trap 'exit 1' INT TERM

export HOME="$TUI_DIR/home"
export XDG_CONFIG_HOME="$TUI_DIR/xdg-config"
export XDG_DATA_HOME="$TUI_DIR/data"
export XDG_CACHE_HOME="$TUI_DIR/cache"
export XDG_STATE_HOME="$TUI_DIR/state"
export POSTIE_THEMES_DIR="$top_srcdir/themes"
unset NO_COLOR TMUX
mkdir -p "$HOME" "$XDG_CONFIG_HOME"

# A UTF-8 locale for wide characters (C.UTF-8 ships with glibc).
TUI_LOCALE=C.UTF-8

# tui_start ARGS...: runs postie ARGS in the pane; when it exits the pane
# shows "postie-exit=STATUS".  TUI_ENV="VAR=value ..." adds variables.
tui_start() {
	run="$TUI_DIR/run.sh"
	line=""
	for a in "$POSTIE" "$@"; do
		line="$line '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"
	done
	{
		echo "export TERM=xterm-256color LANG=$TUI_LOCALE LC_ALL=$TUI_LOCALE"
		[ -z "${TUI_ENV:-}" ] || echo "export $TUI_ENV"
		echo "$line"
		echo 'echo postie-exit=$?'
		echo 'exec sleep 3600'
	} >"$run"
	tmx new-session -d -s postie -x "$TUI_COLS" -y "$TUI_ROWS" "sh '$run'" ||
	    tui_fail "tmux could not start"
}

tui_screen() {
	tmx capture-pane -p -t postie "$@"
}

tui_fail() {
	echo "FAIL: $*"
	echo "--- screen (capture-pane) ---"
	tui_screen 2>&1
	echo "--- end of screen ---"
	if [ -f "$XDG_STATE_HOME/postie/postie.log" ]; then
		echo "--- postie.log (tail) ---"
		tail -n 20 "$XDG_STATE_HOME/postie/postie.log"
	fi
	exit 1
}

# tui_wait TEXT [TRIES]: until the screen shows TEXT (fixed string);
# polls every 0.2 s, by default up to 150 times.
tui_wait() {
	n=${2:-150}
	while [ "$n" -gt 0 ]; do
		tui_screen 2>/dev/null | grep -qF -- "$1" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}

tui_expect() {
	tui_wait "$1" "${2:-150}" || tui_fail "the screen never showed '$1'"
}

tui_expect_not() {
	if tui_screen | grep -qF -- "$1"; then
		tui_fail "the screen shows '$1'"
	fi
}

tui_keys() {
	tmx send-keys -t postie "$@"
}

# tui_cmd TEXT: runs TEXT on postie's ':' command line.
tui_cmd() {
	tmx send-keys -t postie ':'
	tmx send-keys -t postie -l "$1"
	tmx send-keys -t postie Enter
}

# cursor_on TEXT: the cursor's row (reverse video) shows TEXT.
cursor_on() {
	tui_screen -e | grep -F "$1" | grep -q "$(printf '\033')\[[0-9;]*7m"
}

# wait_until CMD...: until CMD succeeds, bounded like tui_wait.
wait_until() {
	n=150
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}

# tui_offline_pop3_config MAILDIR: writes $CFG, a POP3 account "home"
# (delete mode) over MAILDIR whose server never answers (port 1), and
# sets LOGF to postie's log, for tests of what works offline.
tui_offline_pop3_config() {
	CFG="$TUI_DIR/config"
	cat >"$CFG" <<CONF
[account home]
protocol = pop3
host = 127.0.0.1
port = 1
user = bob
password_command = echo secret
keep_on_server = no
maildir = $1
CONF
	chmod 600 "$CFG"
	LOGF="$XDG_STATE_HOME/postie/postie.log"
}

tui_pass() {
	echo "PASS: $*"
}
