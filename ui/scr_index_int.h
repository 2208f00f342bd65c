/*
 * scr_index_int: what the files of the message index share (not
 * a public header; the screen's API is in tui_int.h).
 *
 *   scr_index.c       the screen: loading and reloading (generations,
 *                     cache.h), rows, drawing, sorting and threads,
 *                     prompts, its command table, creation
 *   scr_index_find.c  limit and search (full text and ~ patterns)
 *   scr_index_act.c   changes: flags, delete, move and copy, expunge
 *                     and its question, leaving for another folder
 *   scr_index_tag.c   tags (this session's, as in Mutt), the tag
 *                     prefix `;` and changes to all tagged at once
 *   scr_index_save.c  messages to files and programs: s/C to an mbox
 *                     path, |, ;f (the tagged forwarded as attachments)
 *
 * Every function here runs on the UI thread with x the top index or the
 * index under the pager.  A function that changes what x shows keeps
 * the cursor on the same message where it still is.
 */
#ifndef POSTIE_UI_SCR_INDEX_INT_H
#define POSTIE_UI_SCR_INDEX_INT_H

#include <stdint.h>
#include <stdlib.h>

#include "ui/tui_int.h"

struct idx {
	struct ui_screen s;
	struct ui_list l;
	size_t account;
	int64_t folder_id; /* 0 until the folder is known to the cache */
	char *folder_name;
	struct index *ix;
	enum index_sort sort;
	int reverse;
	uint32_t *rows;    /* display row -> index position; NULL: identity */
	uint32_t *hidden;  /* per row: messages hidden under it (collapsed) */
	size_t nrows;
	int64_t *limit;    /* sorted ids shown, when limit_q */
	size_t nlimit;
	char *limit_q;
	int64_t *found;    /* sorted ids of the last search */
	size_t nfound;
	char *search_q;
	int64_t *toggled;  /* thread roots collapsed (or expanded) */
	size_t ntoggled;
	int collapse_all;
	uint64_t gen;       /* the folder's generation at the last load */
	int64_t old_mark;   /* unread messages up to this id are old */
	struct cache *cache; /* to mark the folder's mail old when left */
	uint64_t ticket;    /* the folder's first sync, until it is done */
	enum ui_cmd_id asking; /* the command whose prompt is open */
	void (*then)(struct ui *, void *); /* after the expunge question */
	void *then_arg;
	char *pending_folder; /* change-folder waiting for that answer */
	int64_t *asked;       /* the deleted messages the question counted */
	size_t nasked;
	struct ui_fcomp comp; /* Tab in the folder prompts */
	int64_t *tagged;      /* sorted ids tagged (may name gone ones) */
	size_t ntagged;
	int tag_prefix;       /* `;` typed: the next key applies to tags */
	int bulk;             /* the command running applies to tags */
	/* A saved search's virtual folder (folder_id 0, folder_name its
	 * name): its folders, read again at each load. */
	const struct config_search *vsearch;
	struct cache_scope scope;
	int rescope;          /* an account's folder list changed */
	char err[ERROR_MAX];
};


static inline int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static inline int
has_id(const int64_t *set, size_t n, int64_t id)
{
	return n && bsearch(&id, set, n, sizeof(*set), cmp_id) != NULL;
}

static inline const struct index_rec *
rec_at(const struct idx *x, size_t row)
{
	if (x->ix == NULL || row >= x->l.n)
		return NULL;
	return index_get(x->ix, x->rows ? x->rows[row] : row);
}

/* --- scr_index.c --- */
/* The account of message r (in a virtual folder, its folder's). */
size_t idx_account_of(const struct idx *x, const struct index_rec *r);
/* (Re)loads the folder from the cache: 0, or -1 with x->err set. */
int idx_load(struct ui *ui, struct idx *x);
/* Reloads when the folder's generation moved since the last load. */
void idx_fresh(struct ui *ui, struct idx *x);
/* After x's own change through the cache, already applied to x->ix,
 * with before = x->gen taken first: keeps the view when nothing else
 * changed the folder (cache.h, Generations). */
void idx_own_change(struct ui *ui, struct idx *x, uint64_t before);
/* New rows after a limit or collapse: same order, same message. */
int idx_rebuild(struct ui *ui, struct idx *x);
/* Opens a prompt whose answer runs command id on x (Tab completes
 * folder names for change-folder, move and copy). */
int idx_ask(struct ui *ui, struct idx *x, const char *label,
    enum ui_cmd_id id);
/* The message under the cursor, or NULL (said on the message line). */
const struct index_rec *idx_cursor(struct ui *ui, struct idx *x);

/* scr_index_find.c: the sorted ids of the folder matching q (~T: the
 * tagged ones); 0, or -1 said. */
int idx_search_ids(struct ui *ui, struct idx *x, const char *q,
    int64_t **ids_r, size_t *n_r);
/* scr_index_tag.c */
int idx_is_tagged(const struct idx *x, int64_t id);
/* Tagged messages still in the folder (what the status line counts). */
size_t idx_ntagged(const struct idx *x);
/* The key hook: after `;`, lets d u F N s C through as bulk commands. */
int idx_tag_key(struct ui *ui, struct ui_screen *s, int key);
/* The command x->bulk applies to the tagged messages: 1 done (0 or -1
 * in *rc), 0 not bulk. */
int idx_bulk_flags(struct ui *ui, struct idx *x, enum ui_cmd_id id,
    int *rc);
int idx_bulk_move(struct ui *ui, struct idx *x, int move, const char *dest);
/* The tagged ids still in the folder (sorted), into *ids_r (free()). */
size_t idx_tagged_ids(const struct idx *x, int64_t **ids_r);
/* One change to the n sorted ids, through the cache's bulk path (one
 * transaction per account: a virtual folder shows several); reloads
 * x.  0, or -1 said. */
int idx_bulk_op(struct ui *ui, struct idx *x, const int64_t *ids, size_t n,
    enum cache_bulk_op op, int64_t dest);
/* scr_index_save.c: to files and programs */
/* s or C with a path (/, ~/, ./ or ../ first): the message, or the
 * tagged ones (x->bulk), appended to the mbox at path; s then marks
 * them deleted. */
int idx_save_path(struct ui *ui, struct idx *x, int move, const char *path);
/* 1 if what a folder prompt got names a file, not a folder. */
int idx_is_path(const char *arg);
/* ;f: the tagged messages forwarded as attachments of one message. */
int idx_bulk_forward(struct ui *ui, struct idx *x);

/* --- the index's command functions (ui_screen_fn, tui_int.h) --- */
/* scr_index_find.c */
int idx_limit_cmd(struct ui *, struct ui_screen *, enum ui_cmd_id,
    const char *);
int idx_search_cmd(struct ui *, struct ui_screen *, enum ui_cmd_id,
    const char *);
int idx_search_next_cmd(struct ui *, struct ui_screen *, enum ui_cmd_id,
    const char *);
/* scr_index_act.c */
int idx_flag_cmd(struct ui *, struct ui_screen *, enum ui_cmd_id,
    const char *);
int idx_delete_cmd(struct ui *, struct ui_screen *, enum ui_cmd_id,
    const char *);
int idx_move_cmd(struct ui *, struct ui_screen *, enum ui_cmd_id,
    const char *);
int idx_change_folder_cmd(struct ui *, struct ui_screen *, enum ui_cmd_id,
    const char *);
int idx_expunge_cmd(struct ui *, struct ui_screen *, enum ui_cmd_id,
    const char *);
/* scr_index_save.c */
int idx_pipe_cmd(struct ui *, struct ui_screen *, enum ui_cmd_id,
    const char *);
/* scr_index_tag.c */
int idx_tag_cmd(struct ui *, struct ui_screen *, enum ui_cmd_id,
    const char *);
int idx_tag_pattern_cmd(struct ui *, struct ui_screen *, enum ui_cmd_id,
    const char *);
int idx_tag_prefix_cmd(struct ui *, struct ui_screen *, enum ui_cmd_id,
    const char *);
int idx_mark_all_read_cmd(struct ui *, struct ui_screen *, enum ui_cmd_id,
    const char *);

#endif
