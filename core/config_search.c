/* config: the [searches] section, saved searches (contract in
 * config.h; the parser's internals in config_int.h). */
#include <config.h> /* the build's, for _GNU_SOURCE */

#include <string.h>
#include <time.h>

#include "core/config.h"
#include "core/config_int.h"
#include "core/pattern_parse.h"
#include "core/xalloc.h"

/* Bounds that keep the duplicate checks cheap on hostile input. */
#define CONFIG_MAX_SEARCHES 1000

/* Where the scope of a saved search ends (its colon), or NULL when the
 * value is a pattern alone: text before the first colon that holds a
 * pattern character is part of the pattern ("~s re: hello"). */
static const char *
scope_end(const char *v)
{
	const char *colon = strchr(v, ':');

	if (colon == NULL || colon == v)
		return NULL;
	if (strcspn(v, "~=!|()\"'") < (size_t)(colon - v))
		return NULL;
	return colon;
}

int
config_searches_key(struct parser *p, const char *key, const char *v)
{
	struct config *cfg = p->cfg;
	struct config_search *sr;
	struct pat_node *tree = NULL;
	struct error perr_;
	const char *end = scope_end(v), *pat = end ? end + 1 : v, *s;
	size_t i;

	if (!config_valid_name(key))
		return perr(p, p->lineno, "search name '%s' may only contain "
		    "letters, digits, '.', '_' and '-'", key);
	if (cfg->nsearches == CONFIG_MAX_SEARCHES)
		return perr(p, p->lineno, "more than %d saved searches",
		    CONFIG_MAX_SEARCHES);
	for (i = 0; i < cfg->nsearches; i++)
		if (strcmp(cfg->searches[i].name, key) == 0)
			return perr(p, p->lineno, "search '%s' is defined "
			    "twice in [searches] (first on line %d)", key,
			    cfg->searches[i].line);
	pat += strspn(pat, " \t");
	error_clear(&perr_);
	if (pat_parse(pat, time(NULL), &tree, &perr_) < 0)
		return perr(p, p->lineno, "the pattern of search '%s': "
		    "%s", key, perr_.msg);
	pat_free(&tree);
	cfg->searches = xreallocarray(cfg->searches, cfg->nsearches + 1,
	    sizeof(*cfg->searches));
	sr = &cfg->searches[cfg->nsearches++];
	memset(sr, 0, sizeof(*sr));
	sr->name = xstrdup(key);
	sr->pattern = xstrdup(pat);
	sr->line = p->lineno;
	/* The scope: ACCOUNT[/FOLDER] items between commas; accounts are
	 * checked once the whole file is read (config_finish_searches). */
	for (s = v; end && s < end;) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *e = comma ? comma : end, *slash;
		struct config_scope *sc;

		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e == s)
			return perr(p, p->lineno, "empty account in the scope "
			    "of search '%s' (write ACCOUNT[/FOLDER],... : "
			    "PATTERN)", key);
		sr->scope = xreallocarray(sr->scope, sr->nscope + 1,
		    sizeof(*sr->scope));
		sc = &sr->scope[sr->nscope++];
		slash = memchr(s, '/', (size_t)(e - s));
		sc->account = xstrndup(s, (size_t)((slash ? slash : e) - s));
		sc->folder = slash && slash + 1 < e ?
		    xstrndup(slash + 1, (size_t)(e - slash - 1)) : NULL;
		s = comma ? comma + 1 : end;
	}
	return 0;
}

/* Every account a search names exists, and no search has an account's
 * name (`postie list NAME` takes either). */
int
config_finish_searches(struct parser *p)
{
	const struct config *cfg = p->cfg;
	size_t i, k;

	for (i = 0; i < cfg->nsearches; i++) {
		const struct config_search *sr = &cfg->searches[i];

		if (config_account(cfg, sr->name) != NULL)
			return perr(p, sr->line, "search '%s' has the name of "
			    "an account; give it another", sr->name);
		for (k = 0; k < sr->nscope; k++)
			if (config_account(cfg, sr->scope[k].account) == NULL)
				return perr(p, sr->line, "search '%s' names "
				    "no account '%s' (before the ':' come "
				    "accounts: ACCOUNT[/FOLDER],... : PATTERN; "
				    "quote a word with a colon in it)",
				    sr->name, sr->scope[k].account);
	}
	return 0;
}
