/* store: indexing raw messages and keeping a Maildir and the index in
 * step (reconcile, crash recovery). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cache/cache_int.h"
#include "cache/db.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "mime/mime.h"

#define TEXT_MAX (64 * 1024) /* body text kept for search */

static char *
bracket(const char *id)
{
	struct buf b = BUF_INIT;

	if (id == NULL || *id == '\0')
		return NULL;
	buf_printf(&b, "<%s>", id);
	return buf_detach(&b, NULL);
}

static char *
bracket_list(char **ids, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		buf_printf(&b, "%s<%s>", b.len ? " " : "", ids[i]);
	return b.len ? buf_detach(&b, NULL) : (buf_free(&b), NULL);
}

/* A byte of a word: ASCII letters and digits, and every byte of a
 * non-ASCII character.  The search tokenizer (unicode61) treats every
 * other ASCII byte as a separator, so it never sees a token across one. */
static inline int
word_byte(unsigned char c)
{
	return c >= 0x80 || (unsigned)(c - '0') < 10 ||
	    (unsigned)((c | 0x20) - 'a') < 26;
}

/* A word seen: where its folded bytes are in the output. */
struct word_slot {
	uint32_t hash; /* 0: free */
	uint32_t len;
	size_t off;
};

static struct word_slot *
word_rehash(struct word_slot *tab, size_t *capp)
{
	size_t cap = *capp * 2, i, k;
	struct word_slot *nt = xcalloc(cap, sizeof(*nt));

	for (i = 0; i < *capp; i++) {
		if (tab[i].hash == 0)
			continue;
		for (k = tab[i].hash & (cap - 1); nt[k].hash != 0;
		    k = (k + 1) & (cap - 1))
			;
		nt[k] = tab[i];
	}
	free(tab);
	*capp = cap;
	return nt;
}

/*
 * Appends each distinct word of s[0..len) once, ASCII case folded,
 * separated by spaces.  The index records which words a message has, not
 * where (detail = none), and search asks for words only: this finds the
 * same messages for a fraction of the tokenizing and storing, as mail
 * repeats its words.  Words longer than WORD_MAX are kept every time.
 */
#define WORD_MAX 64
static void
add_words(struct buf *out, const char *s, size_t len)
{
	struct word_slot *tab;
	unsigned char cls[256], w[WORD_MAX], c;
	uint64_t x, cur;
	size_t cap = 1024, used = 0, i = 0, j, k, n;
	uint32_t h;

	/* Per byte: 0 for a separator, else the byte folded. */
	for (k = 0; k < 256; k++)
		cls[k] = word_byte((unsigned char)k) ?
		    (unsigned char)str_ascii_lower((int)k) : 0;
	tab = xcalloc(cap, sizeof(*tab));
	for (;;) {
		while (i < len && cls[(unsigned char)s[i]] == 0)
			i++;
		if (i == len)
			break;
		/* The hash takes eight bytes a step, gathered in cur. */
		x = cur = 0;
		for (j = i, n = 0; j < len &&
		    (c = cls[(unsigned char)s[j]]) != 0; j++, n++) {
			if (n < WORD_MAX)
				w[n] = c;
			cur |= (uint64_t)c << (8 * (n & 7));
			if ((n & 7) == 7) {
				x = (x ^ cur) * 0x9e3779b97f4a7c15u;
				cur = 0;
			}
		}
		x = (x ^ cur ^ n) * 0x9e3779b97f4a7c15u;
		h = (uint32_t)(x >> 32) | 1;
		k = h & (cap - 1);
		if (n <= WORD_MAX)
			for (; tab[k].hash != 0; k = (k + 1) & (cap - 1))
				if (tab[k].hash == h && tab[k].len == n &&
				    memcmp(out->data + tab[k].off, w, n) == 0)
					break;
		if (n > WORD_MAX || tab[k].hash == 0) {
			if (out->len > 0)
				buf_addch(out, ' ');
			if (n <= WORD_MAX) {
				tab[k].hash = h;
				tab[k].len = (uint32_t)n;
				tab[k].off = out->len;
				buf_add(out, w, n);
				if (++used * 2 > cap)
					tab = word_rehash(tab, &cap);
			} else
				for (; i < j; i++)
					buf_addch(out, cls[(unsigned char)s[i]]);
		}
		i = j;
	}
	free(tab);
}

/* The body's words, for search: of the body and quote lines of the
 * rendering (add_words). */
char *
store_body_text(const char *raw, size_t len)
{
	struct mime_render_opts o = { MIME_PREFER_PLAIN, NULL, 0 };
	struct mime_view *v = NULL;
	struct buf b = BUF_INIT, words = BUF_INIT;
	size_t i;

	if (mime_render(raw, len, &o, &v, NULL) < 0)
		return NULL;
	for (i = 0; i < v->nlines && b.len < TEXT_MAX; i++)
		if (v->lines[i].kind == MIME_LINE_BODY ||
		    v->lines[i].kind == MIME_LINE_QUOTE) {
			buf_add(&b, v->lines[i].text, v->lines[i].len);
			buf_addch(&b, '\n');
		}
	mime_view_free(&v);
	add_words(&words, b.data ? b.data : "", b.len);
	buf_free(&b);
	return buf_detach(&words, NULL);
}

int
cache_msg_prepare(const char *raw, size_t len, struct cache_msg_prep *p,
    struct error *err)
{
	struct mime_summary *s = NULL;
	const char *hdr_end;

	memset(p, 0, sizeof(*p));
	if (mime_summary_parse(raw, len, &s, err) < 0)
		return -1;
	p->summary = s;
	p->message_id = bracket(s->message_id);
	p->in_reply_to = s->n_in_reply_to ? bracket(s->in_reply_to[0]) : NULL;
	p->references = bracket_list(s->references, s->n_references);
	/* Only a whole message has a body to search. */
	hdr_end = memmem(raw, len, "\n\n", 2);
	if (hdr_end == NULL)
		hdr_end = memmem(raw, len, "\r\n\r\n", 4);
	p->text = hdr_end && (size_t)(hdr_end - raw) + 4 < len ?
	    store_body_text(raw, len) : NULL;
	p->ready = 1;
	return 0;
}

void
cache_msg_prep_clear(struct cache_msg_prep *p)
{
	mime_summary_free(&p->summary);
	free(p->message_id);
	free(p->in_reply_to);
	free(p->references);
	free(p->text);
	memset(p, 0, sizeof(*p));
}

int
store_index_prepared(struct db *db, int64_t folder_id, uint32_t uid,
    const char *key, unsigned flags, int64_t internal_date, int64_t size,
    const struct cache_msg_prep *p, int64_t *id_r, struct error *err)
{
	const struct mime_summary *s = p->summary;
	struct db_msg m;
	int rc;

	memset(&m, 0, sizeof(m));
	m.folder_id = folder_id;
	m.uid = uid;
	m.key = (char *)key;
	m.flags = flags;
	m.internal_date = internal_date;
	m.size = size;
	m.date = s->date_valid ? (int64_t)s->date : 0;
	m.from = s->from;
	m.to = s->to;
	m.cc = s->cc;
	m.subject = s->subject;
	m.message_id = p->message_id;
	m.in_reply_to = p->in_reply_to;
	m.references = p->references;
	m.has_attachment = s->has_attachment;
	m.text = p->text;
	rc = db_msg_insert(db, &m, err);
	if (id_r)
		*id_r = m.id;
	return rc;
}

int
store_index_raw(struct db *db, int64_t folder_id, uint32_t uid,
    const char *key, unsigned flags, int64_t internal_date, int64_t size,
    const char *raw, size_t len, int64_t *id_r, struct error *err)
{
	struct cache_msg_prep p;
	int rc;

	if (cache_msg_prepare(raw, len, &p, err) < 0)
		return -1;
	rc = store_index_prepared(db, folder_id, uid, key, flags,
	    internal_date, size, &p, id_r, err);
	cache_msg_prep_clear(&p);
	return rc;
}

struct rec {
	char *key;
	int64_t id;
	unsigned flags;
	int seen; /* found on the other side */
};

struct side {
	struct rec *v;
	size_t n, cap;
};

static int
cmp_rec(const void *a, const void *b)
{
	return strcmp(((const struct rec *)a)->key,
	    ((const struct rec *)b)->key);
}

static void
side_add(struct side *s, const char *key, int64_t id, unsigned flags)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n].key = xstrdup(key);
	s->v[s->n].id = id;
	s->v[s->n].flags = flags;
	s->v[s->n].seen = 0;
	s->n++;
}

static void
side_free(struct side *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i].key);
	free(s->v);
}

static int
add_file(void *arg, const struct maildir_entry *e, struct error *err)
{
	side_add(arg, e->key, e->mtime, e->flags);
	return 0;
}

static int
add_row(void *arg, int64_t id, uint32_t uid, const char *key, unsigned flags,
    struct error *err)
{
	if (key != NULL)
		side_add(arg, key, id, flags);
	return 0;
}

int
store_reconcile(struct db *db, struct maildir *md, int64_t folder_id,
    size_t *changed_r, struct error *err)
{
	struct side files = { 0 }, rows = { 0 };
	struct buf raw = BUF_INIT;
	struct rec *f;
	size_t i, changed = 0, batch = 0;
	int rc = -1;

	if (maildir_scan(md, add_file, &files, err) < 0 ||
	    db_msg_each(db, folder_id, add_row, &rows, err) < 0)
		goto out;
	if (files.n > 0)
		qsort(files.v, files.n, sizeof(*files.v), cmp_rec);
	if (db_begin(db, err) < 0)
		goto out;
	for (i = 0; i < rows.n; i++) {
		struct rec *r = &rows.v[i];

		f = files.n ? bsearch(r, files.v, files.n, sizeof(*files.v),
		    cmp_rec) : NULL;
		if (f == NULL) { /* removed by another program */
			if (db_msg_delete(db, r->id, err) < 0)
				goto fail;
			changed++;
			continue;
		}
		f->seen = 1;
		if (f->flags != r->flags) {
			if (db_msg_set_flags(db, r->id, f->flags, err) < 0)
				goto fail;
			changed++;
		}
	}
	for (i = 0; i < files.n; i++) {
		int got;

		if (files.v[i].seen)
			continue;
		buf_reset(&raw);
		if ((got = maildir_read(md, files.v[i].key, &raw, err)) < 0)
			goto fail;
		if (got == 0)
			continue;
		if (store_index_raw(db, folder_id, 0, files.v[i].key,
		    files.v[i].flags, files.v[i].id, (int64_t)raw.len,
		    buf_cstr(&raw), raw.len, NULL, err) < 0)
			goto fail;
		changed++;
		/* Chunks keep the write lock short for other threads. */
		if (++batch % 500 == 0 && (db_commit(db, err) < 0 ||
		    db_begin(db, err) < 0))
			goto out;
	}
	rc = db_commit(db, err);
	goto out;
fail:
	db_rollback(db);
out:
	if (changed_r)
		*changed_r = changed;
	side_free(&files);
	side_free(&rows);
	buf_free(&raw);
	return rc;
}

int
store_recover(struct db *db, struct maildir *md, const char *account,
    int64_t folder_id, struct error *err)
{
	struct db_uidl *u = NULL;
	struct buf raw = BUF_INIT;
	size_t n = 0, i;
	int64_t id;
	int rc = 0, got;

	if (db_uidl_undelivered(db, account, &u, &n, err) < 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		buf_reset(&raw);
		got = u[i].key ? maildir_read(md, u[i].key, &raw, err) : 0;
		if (got < 0) {
			rc = -1;
			break;
		}
		if (got == 0) { /* never arrived: download again */
			rc = db_uidl_forget(db, account, u[i].uidl, err);
			continue;
		}
		if (db_begin(db, err) < 0) {
			rc = -1;
			break;
		}
		got = db_msg_find_key(db, folder_id, u[i].key, &id, err);
		if (got < 0 || (got == 0 && store_index_raw(db, folder_id, 0,
		    u[i].key, maildir_info_flags(u[i].key), u[i].downloaded_at,
		    (int64_t)raw.len, buf_cstr(&raw), raw.len, NULL, err) < 0) ||
		    db_uidl_set_delivered(db, account, u[i].uidl, err) < 0) {
			db_rollback(db);
			rc = -1;
			break;
		}
		rc = db_commit(db, err);
		log_info("%s: completed the interrupted delivery of %s",
		    account, u[i].key);
	}
	for (i = 0; i < n; i++)
		db_uidl_clear(&u[i]);
	free(u);
	buf_free(&raw);
	return rc;
}
