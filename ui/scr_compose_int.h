/*
 * scr_compose_int: what the compose screen's files share (not a public
 * header).
 *
 * scr_compose.c runs the screen: the editor, drawing, sending, the
 * prompts and keys, and starting a compose, reply or forward;
 * scr_compose_tab.c completes the prompts on Tab; scr_compose_from.c
 * picks the From identity.
 */
#ifndef POSTIE_UI_SCR_COMPOSE_INT_H
#define POSTIE_UI_SCR_COMPOSE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "mime/compose.h"
#include "ui/tui_int.h"

struct compose {
	struct ui_screen s;
	struct mime_compose m;
	int64_t reply_to;   /* message marked replied once sent, or 0 */
	int64_t draft;      /* the draft resumed: deleted once sent, or 0 */
	char path[256];     /* the editor's file */
	const char *asking; /* the field a prompt edits */
	/* Tab in a prompt: the candidates shown above it, which one the
	 * text holds (or none), where in the text it starts, and the text
	 * the last Tab left (a Tab on it takes the next candidate). */
	char **menu;
	size_t nmenu, menu_cur, menu_start;
	char *menu_last;
	char note[160]; /* shown above the prompt (the message line is the
			 * prompt's while it is open) */
};

#define MENU_MAX 20
#define MENU_NONE ((size_t)-1)

/* scr_compose.c: a monotonic clock in milliseconds, for debug timings. */
double compose_mono_ms(void);

/* scr_compose_tab.c: the Tab menu is emptied (and the note above the
 * prompt) whenever a prompt opens or closes; the two completers are
 * given to ui_prompt_complete() with the struct compose as arg. */
void compose_menu_clear(struct compose *c);
void compose_address_complete(struct ui *ui, struct buf *text, void *arg);
void compose_path_complete(struct ui *ui, struct buf *text, void *arg);
/* "~/x" as $HOME/x (allocated). */
char *compose_expand_home(const char *p);

/* scr_compose_from.c */
void compose_switch_from(struct ui *ui, struct compose *c);
void compose_reply_identity(
    struct ui *ui, struct compose *c, const char *raw, size_t len);
void compose_my_addresses(struct ui *ui, struct mime_addrlist *me);

#endif
