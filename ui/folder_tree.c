/* folder_tree: the collapsible folder tree (contract in folder_tree.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "ui/folder_tree.h"

int
folder_tree_is_collapsed(const struct folder_tree *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->collapsed[i], name) == 0)
			return 1;
	return 0;
}

void
folder_tree_set(struct folder_tree *t, const char *name, int on)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->collapsed[i], name) == 0)
			break;
	if (on && i == t->n) {
		t->collapsed = xreallocarray(t->collapsed, t->n + 1,
		    sizeof(*t->collapsed));
		t->collapsed[t->n++] = xstrdup(name);
	} else if (!on && i < t->n) {
		free(t->collapsed[i]);
		t->collapsed[i] = t->collapsed[--t->n];
	}
}

void
folder_tree_clear(struct folder_tree *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->collapsed[i]);
	free(t->collapsed);
	t->collapsed = NULL;
	t->n = 0;
}

size_t
folder_tree_rows(const struct folder_tree *t, const struct cache_folder *f,
    size_t n, struct folder_tree_row *rows)
{
	size_t i, j, k = 0;

	for (i = 0; i < n; i = j) {
		struct folder_tree_row *r = &rows[k++];

		r->i = i;
		r->total = f[i].total;
		r->unread = f[i].unread;
		/* Its branch: the folders after it that are deeper. */
		for (j = i + 1; j < n && f[j].depth > f[i].depth; j++)
			;
		r->children = j - i - 1;
		r->collapsed = r->children > 0 &&
		    folder_tree_is_collapsed(t, f[i].name);
		if (r->collapsed) {
			size_t m;

			for (m = i + 1; m < j; m++) {
				r->total += f[m].total;
				r->unread += f[m].unread;
			}
		} else
			j = i + 1; /* the next row is its first child */
	}
	return k;
}
