#!/bin/sh
# v in the pager: the tree of MIME parts (type, charset, name, size);
# on a part, Enter views it in the pager (text rendered), s saves it
# (its own name made safe, never over a file without a yes), | pipes its
# decoded bytes to a command.  A hostile file name never leaves the
# folder it is saved in.
. "$top_srcdir/tests/tui/lib.sh"

MD="$TUI_DIR/maildir"
mkdir -p "$MD/cur" "$MD/new" "$MD/tmp"
printf '%s\r\n' \
    'From: Ann <ann@example.org>' \
    'To: bob@example.org' \
    'Subject: with parts' \
    'Date: Mon, 23 Nov 2026 10:00:00 +0100' \
    'Message-ID: <m1@example.org>' \
    'MIME-Version: 1.0' \
    'Content-Type: multipart/mixed; boundary="o"' \
    '' \
    '--o' \
    'Content-Type: text/plain; charset=utf-8' \
    'Content-Transfer-Encoding: quoted-printable' \
    '' \
    'the body caf=C3=A9' \
    '--o' \
    'Content-Type: text/html; charset=iso-8859-1; name="page.html"' \
    'Content-Disposition: attachment; filename="../../page.html"' \
    '' \
    '<p>an <b>html</b> attachment</p>' \
    '--o' \
    'Content-Type: text/csv; name="data.csv"' \
    'Content-Disposition: attachment; filename="data.csv"' \
    'Content-Transfer-Encoding: base64' \
    '' \
    "$(printf 'a,b\n1,2\n3,4\n' | base64)" \
    '--o--' >"$MD/cur/1700000001.M1P1Q1.test:2,S"

tui_offline_pop3_config "$MD"
mkdir -p "$TUI_DIR/cwd" "$TUI_DIR/out"
cd "$TUI_DIR/cwd" || exit 99
tui_start -c "$CFG" -a home -f INBOX
tui_expect "with parts"
tui_keys Enter
tui_expect "the body café"
tui_keys v
tui_expect "Parts of: with parts"
tui_expect "multipart/mixed"
tui_expect "\`-text/plain; charset=utf-8"
tui_expect "\`-text/html; charset=iso-8859-1  \"../../page.html\"  [attachment]"
tui_expect "\`-text/csv  \"data.csv\"  [attachment]"
tui_screen | grep "data.csv" | grep -q "12 B" ||
    tui_fail "the csv part's decoded size (12 B) is not shown"
tui_pass "v lists the parts as a tree with type, charset, name and size"

# --- view: the HTML part rendered ---
tui_keys j
tui_keys Enter
tui_expect "part: ../../page.html"
tui_expect "an html attachment"
tui_expect_not "<b>"
tui_keys q
tui_expect "Parts of: with parts"
tui_pass "Enter views a part in the pager, HTML rendered"

# --- save: the hostile name made safe, no overwrite without a yes ---
tui_keys s
tui_expect "Save part 3 to (a file or folder): page.html"
tui_keys Enter
tui_expect "Saved ./page.html."
grep -q "<b>html</b>" "$TUI_DIR/cwd/page.html" || tui_fail "wrong bytes saved"
[ -e "$TUI_DIR/page.html" ] || [ -e "$(dirname "$TUI_DIR")/page.html" ] &&
    tui_fail "../../page.html left the current folder"
tui_keys s
tui_expect "Save part 3 to"
tui_keys C-u
tmx send-keys -t postie -l "$TUI_DIR/out"
tui_keys Enter
tui_expect "Saved $TUI_DIR/out/page.html."
[ -f "$TUI_DIR/out/page.html" ] || tui_fail "the part was not saved in out"
echo keep >"$TUI_DIR/out/keep.html"
tui_keys s
tui_expect "Save part 3 to"
tui_keys C-u
tmx send-keys -t postie -l "$TUI_DIR/out/keep.html"
tui_keys Enter
tui_expect "File exists. Overwrite it? (y/n)"
tui_keys n
tui_expect "Not saved."
[ "$(cat "$TUI_DIR/out/keep.html")" = keep ] ||
    tui_fail "an existing file was replaced without a yes"
tui_pass "s saves a part: a hostile name stays in its folder, no overwrite without y"

# --- pipe: decoded bytes on stdin ---
tui_keys j
tui_keys '|'
tui_expect "Pipe the part to"
tmx send-keys -t postie -l "wc -l"
tui_keys Enter
tui_expect "output of: wc -l"
tui_screen | grep -qx " *3 *" || tui_fail "wc -l did not see 3 decoded lines"
tui_keys q
tui_expect "Parts of: with parts"
tui_pass "| pipes the part's decoded bytes (3 lines of base64-decoded csv)"

tui_keys q q q q q
tui_expect "postie-exit=0"
