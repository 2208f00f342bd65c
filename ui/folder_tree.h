/*
 * folder_tree: an account's folders as a collapsible tree, for the folder
 * list (ui/scr_folders.c) and any other view of the folders (a sidebar).
 * Pure: no curses, no cache access, no I/O.
 *
 * Input: folders as cache_folders() gives them, in tree order (parents
 * before children, a folder's subfolders right after it, depth from the
 * hierarchy delimiter).  A branch is collapsed by the name of its top
 * folder, so the state survives reloads, renames of other folders and
 * folders appearing or going.
 */
#ifndef POSTIE_UI_FOLDER_TREE_H
#define POSTIE_UI_FOLDER_TREE_H

#include <stddef.h>

#include "cache/cache.h"

struct folder_tree {
	char **collapsed; /* names of the collapsed branches (owned) */
	size_t n;
};

/* One visible row. */
struct folder_tree_row {
	size_t i;         /* index into the folder array */
	size_t children;  /* folders below it (at any depth) */
	int collapsed;    /* 1 when they are hidden */
	/* its own counts, plus those of every folder below it when the
	 * branch is collapsed */
	unsigned total, unread;
};

/* Fills rows (room for n) with the visible rows of f[0..n): a folder
 * below a collapsed one is hidden.  Returns how many. */
size_t folder_tree_rows(const struct folder_tree *t,
    const struct cache_folder *f, size_t n, struct folder_tree_row *rows);
/* 1 when the branch at name is collapsed. */
int folder_tree_is_collapsed(const struct folder_tree *t, const char *name);
/* Collapses (on) or expands the branch at name. */
void folder_tree_set(struct folder_tree *t, const char *name, int on);
/* Forgets every collapsed branch. */
void folder_tree_clear(struct folder_tree *t);

#endif
