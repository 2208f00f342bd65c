/*
 * scr_compose_tab: Tab in the compose screen's prompts, split from
 * scr_compose.c (the shared state is in ui/scr_compose_int.h).  Addresses
 * complete from the index and query_command, file names as a shell
 * completes them; several candidates are listed above the prompt and
 * each further Tab takes the next.
 */
#include "config.h"

#include <curses.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cache/cache.h"
#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "ui/scr_compose_int.h"

void
compose_menu_clear(struct compose *c)
{
	size_t i;

	for (i = 0; i < c->nmenu; i++)
		free(c->menu[i]);
	free(c->menu);
	c->menu = NULL;
	c->nmenu = 0;
	free(c->menu_last);
	c->menu_last = NULL;
	c->note[0] = '\0';
}

/* text from menu_start on becomes candidate i. */
static void
menu_take(struct compose *c, struct buf *text, size_t i)
{
	c->menu_cur = i;
	text->len = c->menu_start;
	buf_addstr(text, c->menu[i]);
	free(c->menu_last);
	c->menu_last = xstrdup(buf_cstr(text));
}

/* A Tab on what the last Tab left: the next candidate.  1 if so. */
static int
menu_next(struct compose *c, struct buf *text)
{
	if (c->nmenu < 2 || c->menu_last == NULL ||
	    strcmp(c->menu_last, buf_cstr(text)) != 0)
		return 0;
	menu_take(c, text, c->menu_cur == MENU_NONE ? 0 :
	    (c->menu_cur + 1) % c->nmenu);
	return 1;
}

/*
 * Tab in To, Cc, Bcc: completes the address being typed (after the last
 * comma) from the addresses seen in the index and query_command
 * (cache_addr_complete).  One match replaces it; several show a list,
 * the best in the prompt, and each further Tab takes the next.
 */
void
compose_address_complete(struct ui *ui, struct buf *text, void *arg)
{
	struct compose *c = arg;
	struct cache_addr *v;
	struct error warn;
	const char *t;
	size_t n, i, start = 0;
	int quoted = 0, rc;
	double t0;

	if (menu_next(c, text))
		return;
	compose_menu_clear(c);
	for (t = buf_cstr(text), i = 0; t[i]; i++)
		if (t[i] == '"')
			quoted = !quoted;
		else if (t[i] == ',' && !quoted)
			start = i + 1;
	start += strspn(t + start, " ");
	t0 = log_debug_enabled() ? compose_mono_ms() : 0;
	rc = cache_addr_complete(ui->cache, t + start, MENU_MAX, &v, &n,
	    &warn);
	if (t0 > 0)
		log_debug("ui: address completion of '%s' took %.2f ms (%zu "
		    "matches)", t + start, compose_mono_ms() - t0, n);
	if (rc < 0) {
		snprintf(c->note, sizeof(c->note), "%s", warn.msg);
		return;
	}
	if (warn.msg[0])
		snprintf(c->note, sizeof(c->note), "%s", warn.msg);
	else if (n == 0)
		snprintf(c->note, sizeof(c->note), "No address matches '%s'.",
		    t + start);
	if (n == 0) {
		beep();
		cache_addr_free(v, n);
		return;
	}
	c->menu = xcalloc(n, sizeof(*c->menu));
	for (i = 0; i < n; i++) {
		struct mime_addrlist one = { 0 };
		struct buf b = BUF_INIT;

		mime_addrlist_add(&one, v[i].name, v[i].addr);
		mime_addrlist_format(&one, &b);
		mime_addrlist_free(&one);
		c->menu[c->nmenu++] = buf_detach(&b, NULL);
	}
	cache_addr_free(v, n);
	if (start > 0 && text->data[start - 1] == ',') {
		/* "a@x,b" -> "a@x, b..." */
		text->len = start;
		buf_addch(text, ' ');
		start++;
	}
	c->menu_start = start;
	menu_take(c, text, 0);
	if (c->nmenu > 1 && !warn.msg[0])
		snprintf(c->note, sizeof(c->note), "%zu addresses: <tab> for "
		    "the next, Enter takes the one in the prompt.", c->nmenu);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "~/x" as $HOME/x (allocated). */
char *
compose_expand_home(const char *p)
{
	struct buf b = BUF_INIT;

	if (p[0] == '~' && (p[1] == '/' || p[1] == '\0') && getenv("HOME")) {
		buf_addstr(&b, getenv("HOME"));
		p++;
	}
	buf_addstr(&b, p);
	return buf_detach(&b, NULL);
}

/*
 * Tab in the attach prompt: completes the file name as a shell does (a
 * folder gets its '/'; "~/" is the home folder): one match in full,
 * several to their common start, shown as a list; a further Tab takes
 * each in turn.  Hidden names only when the typed part starts with '.'.
 */
void
compose_path_complete(struct ui *ui, struct buf *text, void *arg)
{
	struct compose *c = arg;
	const char *t = buf_cstr(text), *slash = strrchr(t, '/');
	size_t dlen = slash ? (size_t)(slash - t) + 1 : 0, blen, i, lcp = 0;
	char *dir, *typed;
	DIR *d;
	struct dirent *e;

	if (menu_next(c, text))
		return;
	compose_menu_clear(c);
	typed = xstrndup(t, dlen);
	dir = compose_expand_home(dlen ? typed : "./");
	free(typed);
	blen = strlen(t + dlen);
	if ((d = opendir(dir)) == NULL) {
		snprintf(c->note, sizeof(c->note), "cannot read %s: %s", dir,
		    strerror(errno));
		free(dir);
		return;
	}
	while ((e = readdir(d)) != NULL && c->nmenu < 1000) {
		struct buf full = BUF_INIT, cand = BUF_INIT;
		struct stat sb;

		if (strncmp(e->d_name, t + dlen, blen) != 0 ||
		    strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0 ||
		    (e->d_name[0] == '.' && t[dlen] != '.'))
			continue;
		buf_printf(&full, "%s%s", dir, e->d_name);
		buf_add(&cand, t, dlen);
		buf_addstr(&cand, e->d_name);
		if (stat(buf_cstr(&full), &sb) == 0 && S_ISDIR(sb.st_mode))
			buf_addch(&cand, '/');
		buf_free(&full);
		c->menu = xreallocarray(c->menu, c->nmenu + 1,
		    sizeof(*c->menu));
		c->menu[c->nmenu++] = buf_detach(&cand, NULL);
	}
	closedir(d);
	free(dir);
	if (c->nmenu == 0) {
		beep();
		snprintf(c->note, sizeof(c->note), "No file matches '%s'.", t);
		return;
	}
	qsort(c->menu, c->nmenu, sizeof(*c->menu), cmp_str);
	c->menu_start = 0;
	if (c->nmenu == 1) {
		menu_take(c, text, 0);
		/* a Tab on a folder lists what is in it */
		compose_menu_clear(c);
		return;
	}
	for (lcp = strlen(c->menu[0]), i = 1; i < c->nmenu; i++) {
		size_t k = 0;

		while (k < lcp && c->menu[i][k] == c->menu[0][k])
			k++;
		lcp = k;
	}
	text->len = 0;
	buf_add(text, c->menu[0], lcp);
	c->menu_cur = MENU_NONE;
	free(c->menu_last);
	c->menu_last = xstrdup(buf_cstr(text));
	snprintf(c->note, sizeof(c->note), "%zu files: <tab> for each in "
	    "turn.", c->nmenu);
}
