/*
 * scr_compose_from: the From a message is written as, split from
 * scr_compose.c (the shared state is in ui/scr_compose_int.h): the
 * user's identities (each sending account's from, then its identities),
 * F to cycle through them, the identity a reply is written as, and the
 * user's own addresses for reply-to-all to leave out.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cache/addrbook.h"
#include "cache/cache.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "mime/compose.h"
#include "mime/mime.h"
#include "ui/scr_compose_int.h"

/* The From addresses the user writes as: each account that can send,
 * its from then its identities, in the config's order. */
struct ident {
	size_t account;
	const char *value;
};

static size_t
identities(struct ui *ui, struct ident **v_r)
{
	struct ident *v = NULL;
	size_t i, j, n = 0;

	for (i = 0; i < cache_naccounts(ui->cache); i++) {
		const struct config_account *a = cache_account(ui->cache,
		    i)->cfg;

		if (a->from == NULL)
			continue;
		v = xreallocarray(v, n + 1 + a->nidentities, sizeof(*v));
		v[n].account = i;
		v[n++].value = a->from;
		for (j = 0; j < a->nidentities; j++) {
			v[n].account = i;
			v[n++].value = a->identities[j];
		}
	}
	*v_r = v;
	return n;
}

/* From becomes value (a from or identities entry), sent by account. */
static int
set_from(struct compose *c, size_t account, const char *value,
    struct error *err)
{
	struct mime_addrlist l = { 0 };

	if (mime_addrlist_parse(value, strlen(value), "from", &l, err) < 0 ||
	    l.n == 0) {
		mime_addrlist_free(&l);
		return -1;
	}
	mime_compose_set(&c->m.from.name, l.v[0].name);
	mime_compose_set(&c->m.from.addr, l.v[0].addr);
	mime_addrlist_free(&l);
	c->s.account = account;
	return 0;
}

/* F: the next identity (after the one From holds), and its account. */
void
compose_switch_from(struct ui *ui, struct compose *c)
{
	struct ident *v;
	struct error err;
	size_t n = identities(ui, &v), i, cur = n - 1, alen;
	const char *addr;

	error_clear(&err);
	for (i = 0; i < n; i++) {
		alen = addrbook_addr_of(v[i].value, &addr);
		if (v[i].account == c->s.account && c->m.from.addr &&
		    strlen(c->m.from.addr) == alen &&
		    str_ncasecmp(c->m.from.addr, addr, alen) == 0) {
			cur = i;
			break;
		}
	}
	if (n < 2) {
		ui_message(ui, 1, "No other identity: add 'identities' to an "
		    "[account] (postie.conf(5)).");
	} else if (set_from(c, v[(cur + 1) % n].account,
	    v[(cur + 1) % n].value, &err) < 0) {
		ui_message(ui, 1, "%s", err.msg);
	} else {
		ui_message(ui, 0, "From: %s (sent through %s)",
		    v[(cur + 1) % n].value,
		    cache_account(ui->cache, c->s.account)->name);
	}
	free(v);
}

/* 1 if addr (alen bytes) is a mailbox of list, an address list in the
 * form mime_summary gives ("Name <addr>, addr"). */
static int
addressed_to(const char *list, const char *addr, size_t alen)
{
	const char *p;

	for (p = list; *p; p++)
		if (str_ncasecmp(p, addr, alen) == 0 &&
		    (p == list || strchr(" <,", p[-1])) &&
		    (p[alen] == '\0' || strchr(">,", p[alen])))
			return 1;
	return 0;
}

/*
 * A reply is written as the identity the original was sent to (To, then
 * Cc), looking at the account it came to first: Mutt's reverse_name.
 */
void
compose_reply_identity(
    struct ui *ui, struct compose *c, const char *raw, size_t len)
{
	struct mime_summary *sum = NULL;
	struct ident *v;
	struct error err;
	size_t n, i, pass, alen;
	const char *addr;

	error_clear(&err);
	if (mime_summary_parse(raw, len, &sum, &err) < 0)
		return;
	n = identities(ui, &v);
	for (pass = 0; pass < 4; pass++)
		for (i = 0; i < n; i++) {
			const char *list = pass % 2 ? sum->cc : sum->to;

			if ((v[i].account == c->s.account) != (pass < 2))
				continue;
			alen = addrbook_addr_of(v[i].value, &addr);
			if (alen > 0 && addressed_to(list, addr, alen) &&
			    set_from(c, v[i].account, v[i].value, &err) == 0)
				goto out;
		}
out:
	free(v);
	mime_summary_free(&sum);
}


/* The user's addresses, for reply-to-all to leave out. */
void
compose_my_addresses(struct ui *ui, struct mime_addrlist *me)
{
	struct error err;
	struct ident *v;
	size_t n = identities(ui, &v), i;

	for (i = 0; i < n; i++) {
		error_clear(&err);
		(void)mime_addrlist_parse(v[i].value, strlen(v[i].value),
		    "from", me, &err);
	}
	free(v);
}
