/* POP3 response parsers: pure, bounded, fed any split of the input. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "net/pop3.h"

enum { ML_BOL, ML_DOT, ML_DOTCR, ML_LINE, ML_CR, ML_DONE };

int
pop3_status_parse(const char *line, size_t len, struct pop3_status *st)
{
	size_t skip, i;

	memset(st, 0, sizeof(*st));
	if (len >= 3 && memcmp(line, "+OK", 3) == 0) {
		st->kind = POP3_OK;
		skip = 3;
	} else if (len >= 4 && memcmp(line, "-ERR", 4) == 0) {
		st->kind = POP3_ERR;
		skip = 4;
	} else if (len >= 1 && line[0] == '+') {
		st->kind = POP3_CONT;
		skip = 1;
	} else
		return -1;
	if (skip < len && line[skip] != ' ')
		return -1;
	if (skip < len)
		skip++;
	st->text = line + skip;
	st->text_len = len - skip;
	/* RFC 2449 response code: "[CODE] text". */
	if (st->kind == POP3_ERR && st->text_len > 2 && st->text[0] == '[') {
		for (i = 1; i < st->text_len && i < sizeof(st->code); i++)
			if (st->text[i] == ']')
				break;
		if (i < st->text_len && i < sizeof(st->code) &&
		    st->text[i] == ']') {
			memcpy(st->code, st->text + 1, i - 1);
			st->code[i - 1] = '\0';
			i++;
			if (i < st->text_len && st->text[i] == ' ')
				i++;
			st->text += i;
			st->text_len -= i;
		}
	}
	return 1;
}

static const struct {
	const char *code;
	const char *sentence;
} pop3_codes[] = {
	{ "IN-USE", "the mailbox is in use by another session (another mail "
	    "program may be reading it); try again later" },
	{ "LOGIN-DELAY", "the server does not allow another login so soon; "
	    "try again later" },
	{ "AUTH", "the server rejected the user name or password" },
	{ "SYS/TEMP", "the server has a temporary problem; try again later" },
	{ "SYS/PERM", "the server has a permanent problem; ask its "
	    "administrator" },
};

int
pop3_status_error(const struct pop3_status *st, const char *what,
    int show_text, struct error *err)
{
	struct buf clean = BUF_INIT;
	const char *sentence = "the server refused";
	size_t i, n;

	for (i = 0; i < sizeof(pop3_codes) / sizeof(pop3_codes[0]); i++)
		if (str_casecmp(st->code, pop3_codes[i].code) == 0)
			sentence = pop3_codes[i].sentence;
	n = st->text_len > 200 ? 200 : st->text_len;
	if (show_text && n > 0)
		str_clean_display(&clean, st->text, n, 0);
	if (clean.len > 0)
		error_set(err, "%s: %s (server said: \"%s\")", what, sentence,
		    clean.data);
	else
		error_set(err, "%s: %s", what, sentence);
	buf_free(&clean);
	return -1;
}

void
pop3_ml_init(struct pop3_ml *ml, enum pop3_ml_mode mode, size_t max_line,
    pop3_sink_fn sink, void *ctx)
{
	ml->state = ML_BOL;
	ml->mode = mode;
	ml->max_line = max_line;
	ml->line_len = 0;
	ml->total = 0;
	ml->sink = sink;
	ml->ctx = ctx;
	ml->olen = 0;
}

static int
ml_flush(struct pop3_ml *ml, struct error *err)
{
	size_t n = ml->olen;

	ml->olen = 0;
	if (n == 0)
		return 0;
	ml->total += n;
	return ml->sink(ml->ctx, ml->out, n, err);
}

static int
ml_emit(struct pop3_ml *ml, const char *p, size_t n, struct error *err)
{
	size_t k;

	while (n > 0) {
		if (ml->olen == sizeof(ml->out) && ml_flush(ml, err) < 0)
			return -1;
		k = sizeof(ml->out) - ml->olen;
		if (k > n)
			k = n;
		memcpy(ml->out + ml->olen, p, k);
		ml->olen += k;
		p += k;
		n -= k;
	}
	return 0;
}

static int
ml_count(struct pop3_ml *ml, size_t n, struct error *err)
{
	if (n > ml->max_line - ml->line_len)
		return error_set(err, "the server sent a line longer than %zu "
		    "bytes", ml->max_line);
	ml->line_len += n;
	return 0;
}

static int
ml_eol(struct pop3_ml *ml, int crlf, struct error *err)
{
	ml->state = ML_BOL;
	ml->line_len = 0;
	if (crlf && ml->mode == POP3_ML_RAW)
		return ml_emit(ml, "\r\n", 2, err);
	return ml_emit(ml, "\n", 1, err);
}

/* One byte in the middle of a line (after any dot handling). */
static int
ml_line_byte(struct pop3_ml *ml, char c, struct error *err)
{
	if (c == '\r') {
		ml->state = ML_CR;
		return 0;
	}
	if (c == '\n')
		return ml_eol(ml, 0, err);
	ml->state = ML_LINE;
	if (ml_count(ml, 1, err) < 0)
		return -1;
	return ml_emit(ml, &c, 1, err);
}

int
pop3_ml_feed(struct pop3_ml *ml, const char *data, size_t len,
    size_t *used_r, struct error *err)
{
	const char *nl, *cr;
	size_t i = 0, j;
	char c;

	*used_r = 0;
	if (ml->state == ML_DONE)
		return 1;
	while (i < len) {
		if (ml->state == ML_LINE) {
			/* The common case: a run of ordinary bytes, up to
			 * the first CR or LF (memchr scans fast). */
			nl = memchr(data + i, '\n', len - i);
			j = nl ? (size_t)(nl - data) : len;
			if ((cr = memchr(data + i, '\r', j - i)) != NULL)
				j = (size_t)(cr - data);
			if (ml_count(ml, j - i, err) < 0 ||
			    ml_emit(ml, data + i, j - i, err) < 0)
				return -1;
			i = j;
			if (i == len)
				break;
		}
		c = data[i++];
		switch (ml->state) {
		case ML_BOL:
			if (c == '.') {
				ml->state = ML_DOT;
				break;
			}
			if (ml_line_byte(ml, c, err) < 0)
				return -1;
			break;
		case ML_DOT:
			if (c == '\r') {
				ml->state = ML_DOTCR;
				break;
			}
			if (c == '\n')
				goto done;
			/* A stuffed dot: drop it, keep the rest. */
			if (ml_line_byte(ml, c, err) < 0)
				return -1;
			break;
		case ML_DOTCR:
			if (c == '\n')
				goto done;
			/* ".\r" then more: a lone CR in the line. */
			if (ml_count(ml, 1, err) < 0 ||
			    ml_emit(ml, "\r", 1, err) < 0 ||
			    ml_line_byte(ml, c, err) < 0)
				return -1;
			break;
		case ML_LINE:
			if (ml_line_byte(ml, c, err) < 0)
				return -1;
			break;
		case ML_CR:
			if (c == '\n') {
				if (ml_eol(ml, 1, err) < 0)
					return -1;
				break;
			}
			/* A lone CR stays. */
			if (ml_count(ml, 1, err) < 0 ||
			    ml_emit(ml, "\r", 1, err) < 0 ||
			    ml_line_byte(ml, c, err) < 0)
				return -1;
			break;
		}
	}
	*used_r = i;
	return 0;
done:
	ml->state = ML_DONE;
	*used_r = i;
	if (ml_flush(ml, err) < 0)
		return -1;
	return 1;
}

void
pop3_capa_line(const char *line, size_t len, unsigned *caps)
{
	static const struct {
		const char *name;
		unsigned bit;
	} words[] = {
		{ "TOP", POP3_CAP_TOP },
		{ "USER", POP3_CAP_USER },
		{ "UIDL", POP3_CAP_UIDL },
		{ "PIPELINING", POP3_CAP_PIPELINING },
		{ "STLS", POP3_CAP_STLS },
		{ "RESP-CODES", POP3_CAP_RESP_CODES },
		{ "UTF8", POP3_CAP_UTF8 },
	};
	size_t i, w, n;

	for (w = 0; w < len && line[w] != ' '; w++)
		;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		n = strlen(words[i].name);
		if (w == n && str_ncasecmp(line, words[i].name, n) == 0)
			*caps |= words[i].bit;
	}
	if (w == 4 && str_ncasecmp(line, "SASL", 4) == 0) {
		/* Each mechanism after the word. */
		i = w;
		while (i < len) {
			while (i < len && line[i] == ' ')
				i++;
			for (w = i; w < len && line[w] != ' '; w++)
				;
			if (w - i == 5 && str_ncasecmp(line + i, "PLAIN", 5) == 0)
				*caps |= POP3_CAP_SASL_PLAIN;
			else if (w - i == 11 &&
			    str_ncasecmp(line + i, "OAUTHBEARER", 11) == 0)
				*caps |= POP3_CAP_SASL_OAUTHBEARER;
			else if (w - i == 7 &&
			    str_ncasecmp(line + i, "XOAUTH2", 7) == 0)
				*caps |= POP3_CAP_SASL_XOAUTH2;
			i = w;
		}
	}
}

/* A decimal number of 1..20 digits at line[*pos], at most max. */
static int
parse_num(const char *line, size_t len, size_t *pos, uint64_t max,
    uint64_t *v_r)
{
	uint64_t v = 0;
	size_t i = *pos;

	if (i >= len || line[i] < '0' || line[i] > '9')
		return -1;
	for (; i < len && line[i] >= '0' && line[i] <= '9'; i++) {
		if (v > (max - (uint64_t)(line[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(line[i] - '0');
	}
	*pos = i;
	*v_r = v;
	return 0;
}

int
pop3_list_line(const char *line, size_t len, unsigned *num_r,
    uint64_t *size_r)
{
	uint64_t num, size;
	size_t i = 0;

	if (parse_num(line, len, &i, POP3_MAX_MESSAGES, &num) < 0 || num == 0)
		return -1;
	if (i >= len || line[i] != ' ')
		return -1;
	i++;
	if (parse_num(line, len, &i, (uint64_t)1 << 48, &size) < 0)
		return -1;
	/* RFC 1939 allows more information after the size. */
	if (i < len && line[i] != ' ')
		return -1;
	*num_r = (unsigned)num;
	*size_r = size;
	return 1;
}

int
pop3_uidl_valid(const char *s, size_t len)
{
	size_t i;

	if (len < 1 || len > POP3_UIDL_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

int
pop3_uidl_line(const char *line, size_t len, unsigned *num_r,
    char uidl_r[POP3_UIDL_MAX + 1])
{
	uint64_t num;
	size_t i = 0;

	if (parse_num(line, len, &i, POP3_MAX_MESSAGES, &num) < 0 || num == 0)
		return -1;
	if (i >= len || line[i] != ' ')
		return -1;
	i++;
	/* Trailing blanks are tolerated, nothing else. */
	while (len > i && line[len - 1] == ' ')
		len--;
	if (!pop3_uidl_valid(line + i, len - i))
		return -1;
	memcpy(uidl_r, line + i, len - i);
	uidl_r[len - i] = '\0';
	*num_r = (unsigned)num;
	return 1;
}

int
pop3_apop_stamp(const char *line, size_t len, struct buf *out)
{
	const char *lt, *gt;
	size_t i, n;
	int at = 0;

	if ((lt = memchr(line, '<', len)) == NULL)
		return 0;
	n = len - (size_t)(lt - line);
	if ((gt = memchr(lt, '>', n)) == NULL)
		return 0;
	n = (size_t)(gt - lt) + 1;
	if (n < 4 || n > 255)
		return 0;
	for (i = 1; i + 1 < n; i++) {
		if ((unsigned char)lt[i] < 0x21 || (unsigned char)lt[i] > 0x7e ||
		    lt[i] == '<')
			return 0;
		if (lt[i] == '@')
			at = 1;
	}
	if (!at)
		return 0;
	buf_reset(out);
	buf_add(out, lt, n);
	return 1;
}

int
pop3_apop_digest(const char *stamp, size_t stamp_len, const char *password,
    char out[33])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0, i;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, stamp, stamp_len) == 1 &&
	    EVP_DigestUpdate(ctx, password, strlen(password)) == 1 &&
	    EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 16;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	for (i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	OPENSSL_cleanse(md, sizeof(md));
	return 0;
}

static int
cmp_uidl(const void *a, const void *b)
{
	const struct pop3_msg *const *x = a, *const *y = b;

	return strcmp((*x)->uidl, (*y)->uidl);
}

int
pop3_check_uidls(struct pop3_msg *msgs, size_t n, struct error *err)
{
	struct pop3_msg **v;
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++)
		if (msgs[i].uidl[0] == '\0')
			return error_set(err, "the server listed message %u "
			    "without a UIDL", msgs[i].num);
	v = xcalloc(n ? n : 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = &msgs[i];
	qsort(v, n, sizeof(*v), cmp_uidl);
	for (i = 1; i < n; i++) {
		if (strcmp(v[i - 1]->uidl, v[i]->uidl) == 0) {
			rc = error_set(err, "the server gave messages %u and %u "
			    "the same UIDL; stopping rather than risk "
			    "deleting or skipping the wrong message",
			    v[i - 1]->num < v[i]->num ? v[i - 1]->num :
			    v[i]->num, v[i - 1]->num < v[i]->num ?
			    v[i]->num : v[i - 1]->num);
			break;
		}
	}
	free(v);
	return rc;
}
