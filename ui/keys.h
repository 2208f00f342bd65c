/*
 * keys: key codes of the TUI and their names in the [keys] config section.
 *
 * A key is an int: a Unicode code point for a character (control keys
 * are their C0 code: C-l is 12, <enter> is '\n', <tab> '\t', <esc> 27),
 * or UI_KEY_FN(k) for an ncurses function key KEY_k, kept apart from code
 * points.  ui_key_from_curses() maps what wget_wch returned to this space
 * (KEY_ENTER and '\r' become '\n').
 *
 * Names accepted by ui_key_parse():
 *   a single character ("j", "$", "?", "ü");
 *   "C-x" / "^x" for a control key (x a letter or one of @[\]^_ ?);
 *   "M-x" for Alt (Meta) with a printable ASCII character: the terminal
 *   sends <esc> then x, which the TUI reads as one key;
 *   "<name>": up down left right pageup pagedown home end enter return
 *   tab backtab space esc backspace delete insert f1..f12, and
 *   "<C-x>" like "C-x".
 * Names are case-insensitive inside <>.
 */
#ifndef POSTIE_UI_KEYS_H
#define POSTIE_UI_KEYS_H

#include <stddef.h>

#include "core/error.h"

#define UI_KEY_FN_BASE 0x40000000
#define UI_KEY_FN(k) (UI_KEY_FN_BASE + (k))
#define UI_KEY_IS_FN(k) ((k) >= UI_KEY_FN_BASE)
#define UI_KEY_CTRL(c) ((c) & 0x1f)
/* Below UI_KEY_FN_BASE, above every code point. */
#define UI_KEY_META_BASE 0x20000000
#define UI_KEY_META(c) (UI_KEY_META_BASE + (c))
#define UI_KEY_IS_META(k) ((k) >= UI_KEY_META_BASE && (k) < UI_KEY_FN_BASE)

/* Returns 0 and *key_r, or -1 with an error naming the bad key. */
int ui_key_parse(const char *s, int *key_r, struct error *err);
/* Writes the canonical name of key ("j", "C-l", "<pagedown>") into out
 * (outsize >= 16) and returns out. */
const char *ui_key_name(int key, char *out, size_t outsize);
/* Maps the result of wget_wch (rc is OK or KEY_CODE_YES) to a key. */
int ui_key_from_curses(int rc, unsigned wch);

#endif
