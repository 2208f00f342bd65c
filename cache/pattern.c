/* pattern: a parsed pattern as one SQL query over the index (pattern.h). */
#include "config.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "cache/db_int.h"
#include "cache/pattern.h"
#include "cache/pattern_int.h"
#include "core/buf.h"
#include "core/pattern_parse.h"
#include "core/str.h"
#include "core/xalloc.h"

struct param {
	char *text;   /* NULL: an integer */
	int64_t num;
};

struct pattern {
	struct buf where;
	struct param *params;
	size_t nparams, cap;
	int body;     /* the query reads fts_text */
	const int64_t *tagged; /* sorted, the caller's (pattern_set_tagged) */
	size_t ntagged;
};

/* A bound value, and its `?` in the clause. */
static void
param_add(struct pattern *p, char *text, int64_t num)
{
	if (p->nparams == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->params = xreallocarray(p->params, p->cap,
		    sizeof(*p->params));
	}
	p->params[p->nparams].text = text;
	p->params[p->nparams++].num = num;
	buf_addch(&p->where, '?');
}

static void
param_text(struct pattern *p, const char *s, size_t len)
{
	param_add(p, xstrndup(s, len), 0);
}

static void
param_num(struct pattern *p, int64_t v)
{
	param_add(p, NULL, v);
}

static int
cmp_tag(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* postie_tagged(id): whether id is in the run's tagged set (~T). */
static void
fn_tagged(sqlite3_context *cx, int argc, sqlite3_value **v)
{
	const struct pattern *p = sqlite3_user_data(cx);
	int64_t id = sqlite3_value_int64(v[0]);

	(void)argc;
	sqlite3_result_int(cx, p->ntagged && bsearch(&id, p->tagged,
	    p->ntagged, sizeof(id), cmp_tag) != NULL);
}

void
pattern_set_tagged(struct pattern *p, const int64_t *ids, size_t n)
{
	p->tagged = ids;
	p->ntagged = n;
}

/* --- the query --- */

/* Header lines for ~h (and ~B): those the index keeps. */
#define HEADERS "('From: ' || coalesce(m.from_, '') || char(10) ||" \
	" 'To: ' || coalesce(m.to_, '') || char(10) ||" \
	" 'Cc: ' || coalesce(m.cc, '') || char(10) ||" \
	" 'Subject: ' || coalesce(m.subject, '') || char(10) ||" \
	" 'Message-ID: ' || coalesce(m.message_id, '') || char(10) ||" \
	" 'In-Reply-To: ' || coalesce(m.in_reply_to, '') || char(10) ||" \
	" 'References: ' || coalesce(m.refs, ''))"
#define BODY "postie_body(t.text, m.from_, m.to_, m.cc, m.subject)"

/*
 * A regular expression SQLite's LIKE (case ignored) or GLOB can say
 * as well: literal characters, `.`, `.*`, and on a one-line field `^`
 * and `$`.  Builds it in out (with the % or * around it); 0 or -1.
 */
static int
simple_match(struct buf *out, const char *s, int regex, int like,
    int oneline)
{
	const char *any = like ? "%" : "*";
	size_t n = strlen(s);
	int head = 0, tail = 0;

	buf_reset(out);
	if (regex && n && s[0] == '^') {
		if (!oneline)
			return -1;
		head = 1;
		s++;
		n--;
	}
	if (regex && n && s[n - 1] == '$' && (n < 2 || s[n - 2] != '\\')) {
		if (!oneline)
			return -1;
		tail = 1;
		n--;
	}
	if (!head)
		buf_addstr(out, any);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (regex && c == '.' && i + 1 < n && s[i + 1] == '*') {
			buf_addstr(out, any);
			i++;
			continue;
		}
		if (regex && c == '.') {
			buf_addch(out, like ? '_' : '?');
			continue;
		}
		if (regex && c == '\\') {
			if (i + 1 >= n || strchr(".[]()*+?{}|^$\\", s[i + 1]) ==
			    NULL)
				return -1;
			c = s[++i];
		} else if (regex && strchr("[]()*+?{}|^$", c) != NULL)
			return -1;
		if (like && (c == '%' || c == '_' || c == '\\'))
			buf_addch(out, '\\');
		if (!like && (c == '*' || c == '?' || c == '[')) {
			buf_addch(out, '[');
			buf_addch(out, c);
			buf_addch(out, ']');
			continue;
		}
		buf_addch(out, c);
	}
	if (!tail)
		buf_addstr(out, any);
	buf_cstr(out);
	return 0;
}

/* One field against a PAT_STR node. */
static void
str_match(struct pattern *p, const char *field, const struct pat_node *n,
    int oneline)
{
	struct buf like = BUF_INIT;

	if (simple_match(&like, n->str, !n->literal, n->icase, oneline) == 0) {
		buf_printf(&p->where, "%s %s ", field, n->icase ? "LIKE" :
		    "GLOB");
		param_text(p, like.data, like.len);
		if (n->icase)
			buf_addstr(&p->where, " ESCAPE '\\'");
	} else {
		buf_printf(&p->where, "postie_regexp(%s, ", field);
		param_text(p, n->str, strlen(n->str));
		buf_printf(&p->where, ", %d)", n->icase);
	}
	buf_free(&like);
}

/* m.id among the FTS5 hits of query (already built). */
static void
fts_in(struct pattern *p, const struct buf *q)
{
	buf_addstr(&p->where, "m.id IN (SELECT rowid FROM fts WHERE fts MATCH ");
	param_text(p, q->data, q->len);
	buf_addch(&p->where, ')');
}

static void
compile_str(struct pattern *p, const struct pat_node *n)
{
	static const struct {
		char op;
		const char *fields[3];
		int oneline;
	} map[] = {
		{ 'f', { "m.from_" }, 1 },
		{ 't', { "m.to_" }, 1 },
		{ 'c', { "m.cc" }, 1 },
		{ 'C', { "m.to_", "m.cc" }, 1 },
		{ 'L', { "m.from_", "m.to_", "m.cc" }, 1 },
		{ 's', { "m.subject" }, 1 },
		{ 'i', { "m.message_id" }, 1 },
		{ 'x', { "m.in_reply_to", "m.refs" }, 1 },
		{ 'h', { HEADERS }, 0 },
		{ 'b', { BODY }, 0 },
		{ 'B', { HEADERS " || char(10) || coalesce(" BODY ", '')" },
		    0 },
	};
	struct buf q = BUF_INIT;
	size_t i, k;

	for (i = 0; map[i].op != n->op; i++)
		;
	buf_addch(&p->where, '(');
	/* The body is read only for messages whose words are all there. */
	if ((n->op == 'b' || n->op == 'B') && n->literal &&
	    pattern_fts_words(&q, n->str, 0) > 0) {
		fts_in(p, &q);
		buf_addstr(&p->where, " AND ");
	}
	if (n->op == 'b' || n->op == 'B')
		p->body = 1;
	if (n->op == 'b' && n->literal) {
		/* What LIKE or GLOB would say of the body, read in place. */
		buf_addstr(&p->where, "postie_body_has(t.text, m.from_, m.to_,"
		    " m.cc, m.subject, ");
		param_text(p, n->str, strlen(n->str));
		buf_printf(&p->where, ", %d))", n->icase);
		buf_free(&q);
		return;
	}
	for (k = 0; k < 3 && map[i].fields[k]; k++) {
		if (k)
			buf_addstr(&p->where, " OR ");
		str_match(p, map[i].fields[k], n, map[i].oneline);
	}
	buf_addch(&p->where, ')');
	buf_free(&q);
}

static void
compile_flag(struct pattern *p, char op)
{
	const char *sql = "1";

	switch (op) {
	/* Exactly the partial index's condition (messages_unread), so
	 * that unread mail is found through it. */
	case 'U': sql = "m.flags & 1 = 0"; break;
	/* New and old split the unread at the folder's old_mark (what
	 * the reader showed when the user last left the folder); the
	 * first term stays the partial index's condition. */
	case 'N': sql = "(m.flags & 1 = 0 AND m.id > (SELECT f.old_mark"
	    " FROM folders f WHERE f.id = m.folder))"; break;
	case 'O': sql = "(m.flags & 1 = 0 AND m.id <= (SELECT f.old_mark"
	    " FROM folders f WHERE f.id = m.folder))"; break;
	case 'R': sql = "m.flags & 1 <> 0"; break;
	case 'Q': sql = "m.flags & 2 <> 0"; break;
	case 'F': sql = "m.flags & 4 <> 0"; break;
	case 'D': sql = "m.flags & 8 <> 0"; break;
	case 'T': sql = "postie_tagged(m.id)"; break;
	}
	buf_addstr(&p->where, sql);
}

static void
compile_range(struct pattern *p, const struct pat_node *n)
{
	const char *col = n->op == 'd' ? "m.date" : n->op == 'r' ?
	    "m.internal_date" : "m.size";

	if (n->op == 'X') {
		/* Known: 0 attachments, or 1 and more (counted as 1). */
		int none = n->min <= 0, some = n->max >= 1;

		buf_addstr(&p->where, none && some ? "1" : none ?
		    "m.has_attachment = 0" : some ? "m.has_attachment <> 0" :
		    "0");
		return;
	}
	if (n->min == PAT_MIN && n->max == PAT_MAX) {
		buf_addstr(&p->where, "1");
		return;
	}
	buf_addch(&p->where, '(');
	if (n->min != PAT_MIN) {
		buf_printf(&p->where, "%s >= ", col);
		param_num(p, n->min);
	}
	if (n->max != PAT_MAX) {
		buf_printf(&p->where, "%s%s <= ", n->min != PAT_MIN ?
		    " AND " : "", col);
		param_num(p, n->max);
	}
	buf_addch(&p->where, ')');
}

static void
compile_words(struct pattern *p, const struct pat_node *n)
{
	struct buf q = BUF_INIT;

	if (pattern_fts_words(&q, n->str, n->phrase) == 0) {
		/* No word at all ("--"): nothing has it. */
		buf_addstr(&p->where, "0");
	} else if (!n->phrase) {
		fts_in(p, &q);
	} else {
		buf_addch(&p->where, '(');
		fts_in(p, &q);
		buf_addstr(&p->where, " AND postie_phrase(t.text, m.from_,"
		    " m.to_, m.cc, m.subject, ");
		param_text(p, n->str, strlen(n->str));
		buf_addstr(&p->where, "))");
		p->body = 1;
	}
	buf_free(&q);
}

static void
compile(struct pattern *p, const struct pat_node *n)
{
	switch (n->kind) {
	case PAT_AND:
	case PAT_OR:
		buf_addch(&p->where, '(');
		compile(p, n->a);
		buf_addstr(&p->where, n->kind == PAT_AND ? " AND " : " OR ");
		compile(p, n->b);
		buf_addch(&p->where, ')');
		break;
	case PAT_NOT:
		/* NOT of NULL (a field absent) is still false: coalesce. */
		buf_addstr(&p->where, "NOT coalesce(");
		compile(p, n->a);
		buf_addstr(&p->where, ", 0)");
		break;
	case PAT_STR:
		compile_str(p, n);
		break;
	case PAT_FLAG:
		compile_flag(p, n->op);
		break;
	case PAT_RANGE:
		compile_range(p, n);
		break;
	case PAT_WORDS:
		compile_words(p, n);
		break;
	}
}

int
pattern_compile(const char *text, time_t now, struct pattern **p_r,
    struct error *err)
{
	struct pat_node *tree;
	struct pattern *p;

	*p_r = NULL;
	if (pat_parse(text, now, &tree, err) < 0)
		return -1;
	p = xcalloc(1, sizeof(*p));
	if (tree == NULL)
		buf_addstr(&p->where, "1");
	else
		compile(p, tree);
	buf_cstr(&p->where);
	pat_free(&tree);
	*p_r = p;
	return 0;
}

void
pattern_free(struct pattern **pp)
{
	struct pattern *p = *pp;
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nparams; i++)
		free(p->params[i].text);
	free(p->params);
	buf_free(&p->where);
	free(p);
	*pp = NULL;
}

const char *
pattern_sql(const struct pattern *p)
{
	return buf_cstr(&p->where);
}

/*
 * once: folder_id is searched as part of its whole account.  If it is
 * the account's \All folder (Gmail's "[Gmail]/All Mail" holds every
 * message once more), a message whose Message-ID another folder of the
 * account holds is left out: it is found there, and counts once.  Mail
 * only in All Mail (archived on Gmail) is still found.  The Message-IDs
 * elsewhere are one uncorrelated subquery, computed once.
 */
static int
run(struct db *db, const struct pattern *p, int64_t folder_id, int once,
    int64_t **ids_r, size_t *n_r, struct error *err)
{
	struct buf sql = BUF_INIT;
	sqlite3_stmt *st;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0, i;
	int rc;

	*ids_r = NULL;
	*n_r = 0;
	pattern_register_functions(db->sq);
	/* This run's tags: the function's data is p, so it is registered
	 * for each run (not deterministic: the set differs between runs). */
	sqlite3_create_function(db->sq, "postie_tagged", 1, SQLITE_UTF8,
	    (void *)p, fn_tagged, NULL, NULL);
	buf_printf(&sql, "SELECT m.id FROM messages m%s WHERE %s AND (%s)",
	    p->body ? " LEFT JOIN fts_text t ON t.id = m.id" : "",
	    folder_id ? "m.folder = ?" : "1", buf_cstr(&p->where));
	if (once && folder_id)
		buf_printf(&sql, " AND (m.message_id IS NULL OR m.message_id = ''"
		    " OR (SELECT role FROM folders WHERE id = ?1) != %d"
		    " OR m.message_id NOT IN (SELECT o.message_id FROM messages o"
		    " JOIN folders fo ON fo.id = o.folder WHERE fo.role != %d AND"
		    " o.message_id IS NOT NULL AND fo.account = (SELECT account"
		    " FROM folders WHERE id = ?1)))", FOLDER_ROLE_ALL,
		    FOLDER_ROLE_ALL);
	buf_addstr(&sql, " ORDER BY m.id");
	rc = sqlite3_prepare_v2(db->sq, sql.data, (int)sql.len, &st, NULL);
	buf_free(&sql);
	if (rc != SQLITE_OK)
		return db_fail(db, err, "pattern");
	rc = 1;
	if (folder_id)
		sqlite3_bind_int64(st, rc++, folder_id);
	for (i = 0; i < p->nparams; i++, rc++)
		if (p->params[i].text)
			sqlite3_bind_text(st, rc, p->params[i].text, -1,
			    SQLITE_STATIC);
		else
			sqlite3_bind_int64(st, rc, p->params[i].num);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			ids = xreallocarray(ids, cap, sizeof(*ids));
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	if (rc != SQLITE_DONE) {
		db_fail(db, err, "pattern");
		sqlite3_finalize(st);
		free(ids);
		return -1;
	}
	sqlite3_finalize(st);
	*ids_r = ids ? ids : xcalloc(1, sizeof(*ids));
	*n_r = n;
	return 0;
}

int
pattern_run(struct db *db, const struct pattern *p, int64_t folder_id,
    int64_t **ids_r, size_t *n_r, struct error *err)
{
	return run(db, p, folder_id, 0, ids_r, n_r, err);
}

int
pattern_run_once(struct db *db, const struct pattern *p, int64_t folder_id,
    int64_t **ids_r, size_t *n_r, struct error *err)
{
	return run(db, p, folder_id, 1, ids_r, n_r, err);
}

int
pattern_search_tagged(struct db *db, int64_t folder_id, const char *text,
    time_t now, const int64_t *tagged, size_t ntagged, int64_t **ids_r,
    size_t *n_r, struct error *err)
{
	struct pattern *p;
	int rc;

	*ids_r = NULL;
	*n_r = 0;
	if (pattern_compile(text, now, &p, err) < 0)
		return -1;
	pattern_set_tagged(p, tagged, ntagged);
	rc = pattern_run(db, p, folder_id, ids_r, n_r, err);
	pattern_free(&p);
	return rc;
}

int
pattern_search(struct db *db, int64_t folder_id, const char *text,
    time_t now, int64_t **ids_r, size_t *n_r, struct error *err)
{
	return pattern_search_tagged(db, folder_id, text, now, NULL, 0, ids_r,
	    n_r, err);
}
