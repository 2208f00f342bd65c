/*
 * cmd: the one command table of the TUI and its key bindings.
 *
 * Each command has a name (for ':' and -e), default keys, the screens it
 * applies to, a function and a help line; the help screen is generated
 * from this table and the current bindings.  A command's function gets
 * the argument typed after its name, or NULL when run by a key (it may
 * then ask for one in the status line).  It returns 0, or -1 after
 * showing an error.
 *
 * Bindings: a key means at most one command per screen kind.
 * ui_keymap_bind() binds a key to a command on every screen the command
 * applies to, taking the key away from other commands there only (so
 * binding j to next-message leaves j as "down" in the folder list); the
 * command "none" unbinds the key everywhere.
 */
#ifndef POSTIE_UI_CMD_H
#define POSTIE_UI_CMD_H

#include <stddef.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/error.h"

/* Screen kinds (bit set). */
#define UI_CTX_ACCOUNTS 0x01u
#define UI_CTX_FOLDERS 0x02u
#define UI_CTX_INDEX 0x04u
#define UI_CTX_PAGER 0x08u
#define UI_CTX_HELP 0x10u
#define UI_CTX_COMPOSE 0x20u
#define UI_CTX_OUTBOX 0x40u
#define UI_CTX_PARTS 0x80u /* a message's MIME parts (v in the pager) */
#define UI_CTX_ALL 0xffu
#define UI_CTX_LISTS (UI_CTX_ACCOUNTS | UI_CTX_FOLDERS | UI_CTX_INDEX | \
	UI_CTX_HELP | UI_CTX_OUTBOX | UI_CTX_PARTS)
#define UI_CTX_MSG (UI_CTX_INDEX | UI_CTX_PAGER)

struct ui;

/*
 * Commands whose meaning depends on the screen ("open", "search"): the
 * table's function for each (ui_cmd_open, ...) runs the top screen's
 * function for its id, which each screen's ops point at (struct
 * ui_screen_ops in tui_int.h), as tmux's cmd_entry points at its exec
 * function.  No name is looked up twice.
 */
enum ui_cmd_id {
	UI_CMD_NONE,
	UI_CMD_OPEN,
	UI_CMD_NEXT_MESSAGE,
	UI_CMD_PREV_MESSAGE,
	UI_CMD_NEXT_UNREAD,
	UI_CMD_TOGGLE_NEW,
	UI_CMD_FLAG,
	UI_CMD_DELETE,
	UI_CMD_UNDELETE,
	UI_CMD_MOVE,
	UI_CMD_COPY,
	UI_CMD_EXPUNGE,
	UI_CMD_SEARCH,
	UI_CMD_SEARCH_NEXT,
	UI_CMD_LIMIT,
	UI_CMD_CHANGE_FOLDER,
	UI_CMD_SORT,
	UI_CMD_SORT_REVERSE,
	UI_CMD_COLLAPSE,
	UI_CMD_COLLAPSE_ALL,
	UI_CMD_SAVE_ATTACHMENT,
	UI_CMD_OPEN_ATTACHMENT,
	UI_CMD_RETRY,
	UI_CMD_DROP,
	UI_CMD_TOGGLE_HEADERS,
	UI_CMD_RAW,
	UI_CMD_PIPE,
	UI_CMD_OPEN_LINK,
	UI_CMD_TOGGLE_HTML,
	UI_CMD_TAG,
	UI_CMD_TAG_PATTERN,
	UI_CMD_UNTAG_PATTERN,
	UI_CMD_TAG_PREFIX,
	UI_CMD_MARK_ALL_READ,
	UI_CMD_PARTS,
	UI_CMD_CREATE_FOLDER,
	UI_CMD_RENAME_FOLDER,
	UI_CMD_DELETE_FOLDER,
	UI_CMD_SUBSCRIBE,
	UI_CMD_UNSUBSCRIBE,
	UI_CMD_COLLAPSE_FOLDER,
	UI_CMD_COLLAPSE_ALL_FOLDERS,
	UI_CMD_N
};

struct ui_cmd {
	const char *name;
	const char *keys; /* default keys, space-separated ("j <down>") */
	unsigned ctx;     /* UI_CTX_* where it applies */
	int (*fn)(struct ui *ui, const char *arg);
	const char *help;
};

/* The table, ended by an entry with name NULL. */
extern const struct ui_cmd ui_cmds[];

const struct ui_cmd *ui_cmd_find(const char *name);

struct ui_keymap;

/* A keymap with every command's default keys. */
struct ui_keymap *ui_keymap_new(void);
void ui_keymap_free(struct ui_keymap **km);
/* Binds key (ui_key_parse syntax) to command name ("none" unbinds).
 * 0, or -1 with an error. */
int ui_keymap_bind(struct ui_keymap *km, const char *key, const char *name,
    struct error *err);
/* Applies the [keys] section; errors name the config file and line. */
int ui_keymap_config(struct ui_keymap *km, const struct config *cfg,
    struct error *err);
/* The command bound to key on a screen of kind ctx, or NULL. */
const struct ui_cmd *ui_keymap_lookup(const struct ui_keymap *km, int key,
    unsigned ctx);
/* Appends the names of the keys bound to cmd on screens of kind ctx,
 * space-separated. */
void ui_keymap_keys(const struct ui_keymap *km, const struct ui_cmd *cmd,
    unsigned ctx, struct buf *out);
/*
 * Appends the help text for screens of kind ctx: one line per command
 * that applies there, "KEYS\tNAME\tHELP\n" (KEYS may be empty), in table
 * order.
 */
void ui_help_text(const struct ui_keymap *km, unsigned ctx, struct buf *out);

/*
 * Splits a command line "sort subject; last; quit": puts the next
 * command's name and argument (trimmed; empty when none) in the name and
 * arg buffers, advancing *p.  1 found, 0 at the end.
 */
int ui_cmdline_next(const char **p, struct buf *name, struct buf *arg);

#endif
