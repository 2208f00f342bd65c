/* write: the message writer (RFC 5322, MIME, RFC 2047, RFC 2231, RFC 3676);
 * the contract is in mime/compose.h.  Header fields are folded and encoded
 * in write_hdr.c, text bodies made canonical and encoded in write_body.c;
 * this file checks the description, builds the parts and assembles the
 * message. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "mime/compose.h"
#include "mime/mime_int.h"

/* ------------------------------------------------------------------ */
/* Randomness: Message-IDs and boundaries must not repeat. */

static void
random_bytes(unsigned char *p, size_t n)
{
	static unsigned long counter;
	FILE *fp;

	while (n > 0) {
		ssize_t r = getrandom(p, n, 0);

		if (r > 0) {
			p += r;
			n -= (size_t)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		break;
	}
	if (n == 0)
		return;
	/* No getrandom (old kernel, seccomp): urandom, else a mix of
	 * time, pid and a counter, which is still unique enough. */
	if ((fp = fopen("/dev/urandom", "rb")) != NULL) {
		size_t got = fread(p, 1, n, fp);

		fclose(fp);
		p += got;
		n -= got;
	}
	while (n > 0) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		*p++ = (unsigned char)((unsigned long)ts.tv_nsec ^
		    (unsigned long)getpid() ^ (++counter * 2654435761u));
		n--;
	}
}

static void
random_token(char *out, size_t n)
{
	static const char alnum[] =
	    "abcdefghijklmnopqrstuvwxyz0123456789"; /* 36: slight bias ok */
	unsigned char r[64];
	size_t i;

	if (n > sizeof(r))
		n = sizeof(r);
	random_bytes(r, n);
	for (i = 0; i < n; i++)
		out[i] = alnum[r[i] % 36];
	out[n] = '\0';
}

/* ------------------------------------------------------------------ */
/* Checks. */

int
mime_has_control(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 1;
	}
	return 0;
}

static int
check_text(const char *field, const char *s, struct error *err)
{
	if (mime_has_control(s))
		return error_set(err,
		    "%s: contains a line break or control character; "
		    "remove it.", field);
	if (!mime_utf8_valid(s, strlen(s)))
		return error_set(err, "%s: is not valid UTF-8.", field);
	return 0;
}

static int
header_name_ok(const char *name)
{
	size_t i;

	for (i = 0; name[i]; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c <= ' ' || c >= 0x7f || c == ':')
			return 0;
	}
	return i > 0 && i <= 76;
}

/* A message id without <>: what fits between the brackets unharmed. */
static int
msgid_ok(const char *id)
{
	size_t i;

	for (i = 0; id[i]; i++) {
		unsigned char c = (unsigned char)id[i];

		if (c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == '"' ||
		    c == '\\')
			return 0;
	}
	return i > 0 && i <= MIME_RAW_WORD_MAX;
}

int
mime_write_unstructured(const char *name, const char *value, struct buf *out,
    struct error *err)
{
	struct mime_hw h;
	size_t st, en;

	if (!header_name_ok(name))
		return error_set(err,
		    "\"%s\" is not a valid header name (letters, digits and "
		    "dashes, no colon or blank).", name);
	if (check_text(name, value, err) < 0)
		return -1;
	for (st = 0; mime_is_blank(value[st]); st++)
		;
	for (en = strlen(value); en > st && mime_is_blank(value[en - 1]); en--)
		;
	mime_hw_begin(&h, out, name);
	if (en == st)
		buf_addch(out, ' ');
	mime_hw_unstructured(&h, value + st, en - st);
	mime_hw_end(&h);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Addresses: checked here, written in write_hdr.c. */

static int
check_list(const char *field, const struct mime_addrlist *l, int smtputf8,
    struct error *err)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (check_text(field, l->v[i].name, err) < 0 ||
		    mime_addr_check(l->v[i].addr, smtputf8, field, err) < 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Date and Message-ID. */

void
mime_write_date(time_t t, struct buf *out)
{
	static const char *const days[] = {
	    "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	long off;

	if (localtime_r(&t, &tm) == NULL) {
		gmtime_r(&t, &tm);
		tm.tm_gmtoff = 0;
	}
	off = tm.tm_gmtoff / 60;
	buf_printf(out, "%s, %d %s %d %02d:%02d:%02d %c%02ld%02ld",
	    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    off < 0 ? '-' : '+', (off < 0 ? -off : off) / 60,
	    (off < 0 ? -off : off) % 60);
}

char *
mime_message_id_new(const char *from_addr)
{
	struct buf b = BUF_INIT;
	const char *at = from_addr ? strrchr(from_addr, '@') : NULL;
	const char *dom = "localhost";
	char r[33];
	size_t i;

	if (at != NULL && at[1] != '\0' && at[1] != '[') {
		for (i = 1; at[i]; i++) {
			unsigned char c = (unsigned char)at[i];

			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			        (c >= '0' && c <= '9') || c == '.' || c == '-'))
				break;
		}
		if (at[i] == '\0')
			dom = at + 1;
	}
	random_token(r, 32);
	buf_printf(&b, "%s@%s", r, dom);
	return buf_detach(&b, NULL);
}

/* ------------------------------------------------------------------ */
/* mime.types. */

static const struct {
	const char *ext, *type;
} builtin_types[] = {
    {"txt", "text/plain"}, {"text", "text/plain"}, {"log", "text/plain"},
    {"csv", "text/csv"}, {"html", "text/html"}, {"htm", "text/html"},
    {"ics", "text/calendar"}, {"vcf", "text/vcard"},
    {"xml", "application/xml"}, {"json", "application/json"},
    {"pdf", "application/pdf"}, {"zip", "application/zip"},
    {"gz", "application/gzip"}, {"tar", "application/x-tar"},
    {"png", "image/png"}, {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"},
    {"gif", "image/gif"}, {"webp", "image/webp"}, {"svg", "image/svg+xml"},
    {"mp3", "audio/mpeg"}, {"ogg", "audio/ogg"}, {"mp4", "video/mp4"},
    {"eml", "message/rfc822"},
    {"doc", "application/msword"},
    {"odt", "application/vnd.oasis.opendocument.text"},
    {"docx", "application/"
             "vnd.openxmlformats-officedocument.wordprocessingml.document"},
    {"xlsx", "application/"
             "vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
};

const char *
mime_type_for_name(const char *name, const char *path, char **owned_r)
{
	const char *dot = strrchr(name, '.');
	char line[4096];
	FILE *fp;
	size_t i;

	*owned_r = NULL;
	if (dot == NULL || dot[1] == '\0' || strchr(dot, '/') != NULL)
		return NULL;
	dot++;
	fp = fopen(path ? path : "/etc/mime.types", "r");
	if (fp != NULL) {
		while (fgets(line, sizeof(line), fp) != NULL) {
			char *save = NULL, *type, *ext;

			if (line[0] == '#')
				continue;
			type = strtok_r(line, " \t\r\n", &save);
			if (type == NULL || strchr(type, '/') == NULL)
				continue;
			while ((ext = strtok_r(NULL, " \t\r\n", &save)) != NULL)
				if (str_casecmp(ext, dot) == 0) {
					*owned_r = xstrdup(type);
					fclose(fp);
					return *owned_r;
				}
		}
		fclose(fp);
		return NULL;
	}
	for (i = 0; i < sizeof(builtin_types) / sizeof(builtin_types[0]); i++)
		if (str_casecmp(builtin_types[i].ext, dot) == 0)
			return builtin_types[i].type;
	return NULL;
}

/* "type/subtype" made of RFC 2045 token characters. */
static int
type_ok(const char *t)
{
	size_t i, slash = 0;

	for (i = 0; t[i]; i++) {
		unsigned char c = (unsigned char)t[i];

		if (c == '/') {
			if (slash++ || i == 0 || t[i + 1] == '\0')
				return 0;
		} else if (c <= ' ' || c >= 0x7f ||
		    strchr("()<>@,;:\\\"[]?=", c) != NULL)
			return 0;
	}
	return slash == 1 && i < 128;
}

/* Plain text a person could read: UTF-8 without controls but blanks. */
static int
looks_text(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' &&
		        c != '\f') ||
		    c == 0x7f)
			return 0;
	}
	return mime_utf8_valid(s, len);
}

/* ------------------------------------------------------------------ */
/* Bodies. */

/* A part ready to be written. */
struct part {
	struct buf hdr;  /* its header lines, CRLF-ended */
	struct buf body; /* encoded, CRLF-ended (or empty) */
};

static void
text_part(const struct mime_compose *m, int eightbit, struct part *p)
{
	struct buf t = BUF_INIT;
	const char *body = m->body ? m->body : "";
	int cte;

	mime_canonical_text(body, strlen(body), m->flowed, &t);
	cte = mime_encode_text(buf_cstr(&t), t.len, eightbit, &p->body);
	buf_printf(&p->hdr, "Content-Type: text/plain; charset=%s%s\r\n",
	    !mime_has_8bit(buf_cstr(&t), t.len) ? "us-ascii" : "utf-8",
	    m->flowed ? "; format=flowed" : "");
	buf_printf(&p->hdr, "Content-Transfer-Encoding: %s\r\n",
	    mime_cte_name(cte));
	buf_free(&t);
}

/* RFC 2231 attr-char: what a filename* value may hold unencoded. */
static char *
slurp_file(const char *path, size_t *len_r, struct error *err)
{
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;
	FILE *fp = fopen(path, "rb");

	if (fp == NULL) {
		error_errno(err, errno, "Cannot read the attachment %s", path);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(fp)) {
		error_errno(err, errno, "Cannot read the attachment %s", path);
		fclose(fp);
		buf_free(&b);
		return NULL;
	}
	fclose(fp);
	return buf_detach(&b, len_r);
}

static int
attach_part(const struct mime_attach *a, const struct mime_write_opts *o,
    struct part *p, struct error *err)
{
	const char *name = a->name, *type = a->type, *data = a->data;
	char *owned = NULL, *file = NULL;
	size_t len = a->len;
	struct mime_hw h;
	struct buf t = BUF_INIT;
	int rc = -1, text;

	if (name == NULL && a->path != NULL) {
		name = strrchr(a->path, '/');
		name = name ? name + 1 : a->path;
	}
	if (name == NULL)
		name = "";
	if (mime_has_control(name) || !mime_utf8_valid(name, strlen(name))) {
		error_set(err,
		    "The attachment name \"%s\" has a control character or "
		    "is not UTF-8; rename it.", a->path ? a->path : "");
		goto out;
	}
	if (type != NULL && !type_ok(type)) {
		error_set(err, "Attachment %s: \"%s\" is not a MIME type "
		               "(type/subtype).", name, type);
		goto out;
	}
	if (a->path != NULL) {
		if ((file = slurp_file(a->path, &len, err)) == NULL)
			goto out;
		data = file;
	}
	if (data == NULL)
		data = "";
	if (a->message)
		type = "message/rfc822";
	if (type == NULL && *name != '\0')
		type = mime_type_for_name(name, o->mime_types, &owned);
	if (type == NULL)
		type = looks_text(data, len) ? "text/plain"
		                             : "application/octet-stream";
	text = str_has_casefix(type, "text/") && mime_utf8_valid(data, len);

	mime_hw_begin(&h, &p->hdr, "Content-Type");
	buf_printf(&t, "%s%s", type, text || *name ? ";" : "");
	mime_hw_add(&h, " ", 1, t.data, t.len);
	if (text) {
		buf_reset(&t);
		buf_printf(&t, "charset=%s%s",
		    !mime_has_8bit(data, len) ? "us-ascii" : "utf-8",
		    *name ? ";" : "");
		mime_hw_add(&h, " ", 1, t.data, t.len);
	}
	if (*name)
		mime_hw_name_params(&h, "name", name, 0);
	mime_hw_end(&h);
	/* a forwarded message is shown in place, as Mutt sends it */
	mime_hw_begin(&h, &p->hdr, "Content-Disposition");
	buf_reset(&t);
	buf_printf(&t, "%s%s", a->message ? "inline" : "attachment",
	    *name ? ";" : "");
	mime_hw_add(&h, " ", 1, t.data, t.len);
	if (*name)
		mime_hw_name_params(&h, "filename", name, 1);
	mime_hw_end(&h);

	if (a->message) {
		struct buf c = BUF_INIT;
		int cte;

		mime_canonical_text(data, len, 0, &c);
		cte = mime_encode_text(
		    buf_cstr(&c), c.len, o->eightbit, &p->body);
		if (cte >= 2) { /* not as 7bit/8bit: the original bytes */
			buf_reset(&p->body);
			mime_b64_lines(data, len, &p->body);
			cte = 3;
		}
		buf_free(&c);
		buf_printf(&p->hdr, "Content-Transfer-Encoding: %s\r\n",
		    mime_cte_name(cte));
	} else {
		mime_b64_lines(data, len, &p->body);
		buf_addstr(&p->hdr, "Content-Transfer-Encoding: base64\r\n");
	}
	rc = 0;
out:
	free(owned);
	free(file);
	buf_free(&t);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The message. */

static int
check_all(const struct mime_compose *m, const struct mime_write_opts *o,
    struct error *err)
{
	size_t i;

	if (m->from.addr == NULL || m->from.addr[0] == '\0')
		return error_set(err,
		    "From: is empty; set the account's from address.");
	if (check_text("From", m->from.name ? m->from.name : "", err) < 0 ||
	    mime_addr_check(m->from.addr, o->smtputf8, "From", err) < 0 ||
	    check_list("To", &m->to, o->smtputf8, err) < 0 ||
	    check_list("Cc", &m->cc, o->smtputf8, err) < 0 ||
	    check_list("Bcc", &m->bcc, o->smtputf8, err) < 0 ||
	    check_list("Reply-To", &m->reply_to, o->smtputf8, err) < 0 ||
	    check_list("Mail-Followup-To", &m->followup_to, o->smtputf8,
	        err) < 0)
		return -1;
	if (m->subject && check_text("Subject", m->subject, err) < 0)
		return -1;
	if (m->user_agent && check_text("User-Agent", m->user_agent, err) < 0)
		return -1;
	if (m->in_reply_to && !msgid_ok(m->in_reply_to))
		return error_set(err,
		    "In-Reply-To: is not a message id (no blanks, <, > or "
		    "control characters).");
	if (m->message_id && !msgid_ok(m->message_id))
		return error_set(err, "Message-ID: is not a message id.");
	for (i = 0; i < m->nreferences; i++)
		if (!msgid_ok(m->references[i]))
			return error_set(err,
			    "References: holds something that is not a "
			    "message id.");
	for (i = 0; i < m->nextra; i++) {
		const char *n = m->extra[i].name;
		static const char *const owned[] = {"from", "to", "cc", "bcc",
		    "subject", "date", "message-id", "in-reply-to",
		    "references", "reply-to", "mail-followup-to",
		    "mime-version", "user-agent", NULL};
		size_t k;

		if (!header_name_ok(n))
			return error_set(err,
			    "\"%s\" is not a valid header name (letters, "
			    "digits and dashes, no colon or blank).", n);
		for (k = 0; owned[k]; k++)
			if (str_casecmp(n, owned[k]) == 0)
				return error_set(err,
				    "%s: is written by postie itself; set it "
				    "in its own field.", n);
		if (str_has_casefix(n, "content-"))
			return error_set(err,
			    "%s: is written by postie itself.", n);
		if (check_text(n, m->extra[i].value, err) < 0)
			return -1;
	}
	if (m->body && !mime_utf8_valid(m->body, strlen(m->body)))
		return error_set(err,
		    "The message text is not valid UTF-8; save it as UTF-8.");
	return 0;
}

static int
boundary_clash(const char *b, const struct part *parts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (parts[i].body.len > 0 && strstr(parts[i].body.data, b))
			return 1;
	return 0;
}

int
mime_compose_write(struct mime_compose *m, const struct mime_write_opts *opts,
    struct buf *out, struct error *err)
{
	static const struct mime_write_opts defaults = {
	    MIME_WRITE_WIRE, 0, 0, NULL};
	const struct mime_write_opts *o = opts ? opts : &defaults;
	struct part *parts = NULL;
	size_t nparts = 0, i;
	struct buf t = BUF_INIT;
	int rc = -1, multi;
	char bnd[64];

	if (check_all(m, o, err) < 0)
		return -1;
	multi = m->nattach > 0;
	parts = xcalloc(m->nattach + 1, sizeof(*parts));
	if (!multi || (m->body != NULL && m->body[0] != '\0'))
		text_part(m, o->eightbit, &parts[nparts++]);
	for (i = 0; i < m->nattach; i++)
		if (attach_part(&m->attach[i], o, &parts[nparts++], err) < 0)
			goto out;

	if (m->message_id == NULL)
		m->message_id = mime_message_id_new(m->from.addr);
	if (m->date == 0)
		m->date = time(NULL);

	buf_addstr(out, "Date: ");
	mime_write_date(m->date, out);
	buf_add(out, "\r\n", 2);
	mime_write_addresses(out, "From", &m->from, 1);
	mime_write_addresses(out, "To", m->to.v, m->to.n);
	mime_write_addresses(out, "Cc", m->cc.v, m->cc.n);
	if (o->mode == MIME_WRITE_COPY)
		mime_write_addresses(out, "Bcc", m->bcc.v, m->bcc.n);
	mime_write_addresses(out, "Reply-To", m->reply_to.v, m->reply_to.n);
	mime_write_addresses(
	    out, "Mail-Followup-To", m->followup_to.v, m->followup_to.n);
	if (m->subject != NULL && m->subject[strspn(m->subject, " \t")] &&
	    mime_write_unstructured("Subject", m->subject, out, err) < 0)
		goto out;
	mime_write_ids(out, "Message-ID", &m->message_id, 1);
	if (m->in_reply_to != NULL)
		mime_write_ids(out, "In-Reply-To", &m->in_reply_to, 1);
	mime_write_ids(out, "References", m->references, m->nreferences);
	if (m->user_agent != NULL && m->user_agent[0] != '\0' &&
	    mime_write_unstructured("User-Agent", m->user_agent, out, err) < 0)
		goto out;
	for (i = 0; i < m->nextra; i++)
		if (mime_write_unstructured(
		        m->extra[i].name, m->extra[i].value, out, err) < 0)
			goto out;
	buf_addstr(out, "MIME-Version: 1.0\r\n");
	if (!multi) {
		buf_add(out, parts[0].hdr.data, parts[0].hdr.len);
		buf_add(out, "\r\n", 2);
		buf_add(out, buf_cstr(&parts[0].body), parts[0].body.len);
		rc = 0;
		goto out;
	}
	do {
		memcpy(bnd, "=_postie_", 9);
		random_token(bnd + 9, 24);
	} while (boundary_clash(bnd, parts, nparts));
	buf_printf(out,
	    "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n\r\n", bnd);
	/* The CRLF before a delimiter belongs to the delimiter (RFC 2046
	 * 5.1.1): one more keeps each part's last line end its own. */
	for (i = 0; i < nparts; i++) {
		buf_printf(out, "%s--%s\r\n", i ? "\r\n" : "", bnd);
		buf_add(out, parts[i].hdr.data, parts[i].hdr.len);
		buf_add(out, "\r\n", 2);
		buf_add(out, buf_cstr(&parts[i].body), parts[i].body.len);
	}
	buf_printf(out, "\r\n--%s--\r\n", bnd);
	rc = 0;
out:
	for (i = 0; i <= m->nattach; i++) {
		buf_free(&parts[i].hdr);
		buf_free(&parts[i].body);
	}
	free(parts);
	buf_free(&t);
	return rc;
}

void
mime_compose_recipients(const struct mime_compose *m,
    struct mime_addrlist *out)
{
	mime_addrlist_merge(out, &m->to);
	mime_addrlist_merge(out, &m->cc);
	mime_addrlist_merge(out, &m->bcc);
}

/* ------------------------------------------------------------------ */
/* The description. */

void
mime_compose_init(struct mime_compose *m)
{
	memset(m, 0, sizeof(*m));
	m->from.name = xstrdup("");
	m->from.addr = xstrdup("");
}

void
mime_compose_free(struct mime_compose *m)
{
	size_t i;

	free(m->from.name);
	free(m->from.addr);
	mime_addrlist_free(&m->to);
	mime_addrlist_free(&m->cc);
	mime_addrlist_free(&m->bcc);
	mime_addrlist_free(&m->reply_to);
	mime_addrlist_free(&m->followup_to);
	free(m->subject);
	free(m->in_reply_to);
	for (i = 0; i < m->nreferences; i++)
		free(m->references[i]);
	free(m->references);
	free(m->body);
	for (i = 0; i < m->nattach; i++) {
		free(m->attach[i].path);
		free(m->attach[i].data);
		free(m->attach[i].name);
		free(m->attach[i].type);
	}
	free(m->attach);
	for (i = 0; i < m->nextra; i++) {
		free(m->extra[i].name);
		free(m->extra[i].value);
	}
	free(m->extra);
	free(m->user_agent);
	free(m->message_id);
	memset(m, 0, sizeof(*m));
}

void
mime_compose_set(char **field, const char *value)
{
	free(*field);
	*field = value ? xstrdup(value) : NULL;
}

static struct mime_attach *
new_attach(struct mime_compose *m)
{
	struct mime_attach *a;

	m->attach = xreallocarray(m->attach, m->nattach + 1, sizeof(*a));
	a = &m->attach[m->nattach++];
	memset(a, 0, sizeof(*a));
	return a;
}

void
mime_compose_attach_file(struct mime_compose *m, const char *path,
    const char *name, const char *type)
{
	struct mime_attach *a = new_attach(m);

	a->path = xstrdup(path);
	a->name = name ? xstrdup(name) : NULL;
	a->type = type ? xstrdup(type) : NULL;
}

void
mime_compose_attach_data(struct mime_compose *m, const char *data, size_t len,
    const char *name, const char *type)
{
	struct mime_attach *a = new_attach(m);

	a->data = xmemdup(data, len);
	a->len = len;
	a->name = name ? xstrdup(name) : NULL;
	a->type = type ? xstrdup(type) : NULL;
}

void
mime_compose_attach_message(struct mime_compose *m, const char *raw,
    size_t len)
{
	struct mime_attach *a = new_attach(m);

	a->data = xmemdup(raw, len);
	a->len = len;
	a->message = 1;
}

void
mime_compose_detach(struct mime_compose *m, size_t i)
{
	if (i >= m->nattach)
		return;
	free(m->attach[i].path);
	free(m->attach[i].data);
	free(m->attach[i].name);
	free(m->attach[i].type);
	memmove(&m->attach[i], &m->attach[i + 1],
	    (m->nattach - i - 1) * sizeof(*m->attach));
	m->nattach--;
}

void
mime_compose_add_header(struct mime_compose *m, const char *name,
    const char *value)
{
	m->extra = xreallocarray(m->extra, m->nextra + 1, sizeof(*m->extra));
	m->extra[m->nextra].name = xstrdup(name);
	m->extra[m->nextra].value = xstrdup(value ? value : "");
	m->nextra++;
}

void
mime_compose_add_reference(struct mime_compose *m, const char *id)
{
	m->references = xreallocarray(
	    m->references, m->nreferences + 1, sizeof(*m->references));
	m->references[m->nreferences++] = xstrdup(id);
}
