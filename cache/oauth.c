/* oauth: see cache/oauth.h. */
#include <config.h>

#include "cache/oauth.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/json.h"
#include "core/paths.h"
#include "core/spawn.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "net/http.h"

#define TOKEN_MAX (16 * 1024)

/* Access tokens, in memory only, per account name. */
struct held {
	char *account;
	char *token;
	time_t expires;
	struct held *next;
};
static struct held *held_list;
static pthread_mutex_t held_lock = PTHREAD_MUTEX_INITIALIZER;

static void
wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static char *
held_get(const char *account)
{
	struct held *h;
	char *tok = NULL;

	pthread_mutex_lock(&held_lock);
	for (h = held_list; h; h = h->next)
		if (strcmp(h->account, account) == 0 && h->token &&
		    time(NULL) + 60 < h->expires)
			tok = xstrdup(h->token);
	pthread_mutex_unlock(&held_lock);
	return tok;
}

static void
held_put(const char *account, const char *tok, time_t expires)
{
	struct held *h;

	pthread_mutex_lock(&held_lock);
	for (h = held_list; h; h = h->next)
		if (strcmp(h->account, account) == 0)
			break;
	if (h == NULL) {
		h = xcalloc(1, sizeof(*h));
		h->account = xstrdup(account);
		h->next = held_list;
		held_list = h;
	}
	wipe_free(h->token);
	h->token = tok ? xstrdup(tok) : NULL;
	h->expires = expires;
	pthread_mutex_unlock(&held_lock);
}

static int
expired(const struct config_account *a, struct error *err)
{
	return error_set(err, "the sign-in has expired; run postie "
	    "authorize %s", a->name);
}

/* DATA/oauth2/NAME, where the refresh token is kept without a command. */
static char *
refresh_path(const struct config_account *a, int make, struct error *err)
{
	struct buf p = BUF_INIT;
	char *data = paths_data_dir(err);

	if (data == NULL)
		return NULL;
	buf_printf(&p, "%s/oauth2", data);
	if (make && (paths_mkdir(data, err) < 0 ||
	    paths_mkdir_below(data, buf_cstr(&p), err) < 0)) {
		free(data);
		buf_free(&p);
		return NULL;
	}
	free(data);
	buf_addch(&p, '/');
	paths_encode_component(&p, a->name);
	return buf_detach(&p, NULL);
}

/* Runs command for its first line, as password_command is run. */
static char *
run_for_line(const struct config_account *a, const char *key,
    const char *command, struct error *err)
{
	struct config_account b = *a;
	char *s;

	b.password = NULL;
	b.password_file = NULL;
	b.password_command = (char *)command;
	if ((s = config_password_within(&b, 4 * a->timeout, err)) == NULL &&
	    strncmp(err->msg, "password_command", 16) == 0) {
		char msg[ERROR_MAX];

		snprintf(msg, sizeof(msg), "%s%s", key, err->msg + 16);
		error_set(err, "%s", msg);
	}
	return s;
}

/* The stored refresh token, or NULL: none (*none_r) or an error. */
static char *
refresh_read(const struct config_account *a, int *none_r, struct error *err)
{
	struct buf b = BUF_INIT;
	char *path, tmp[4096], *nl;
	ssize_t n;
	int fd;

	*none_r = 0;
	if (a->oauth2_refresh_command) {
		char *s = run_for_line(a, "oauth2_refresh_command",
		    a->oauth2_refresh_command, err);

		if (s == NULL && strstr(err->msg, "printed no password"))
			*none_r = 1;
		return s;
	}
	if ((path = refresh_path(a, 0, err)) == NULL)
		return NULL;
	fd = paths_open(path, O_RDONLY, 0, err);
	free(path);
	if (fd < 0) {
		*none_r = errno == ENOENT;
		return NULL;
	}
	buf_secret(&b);
	while ((n = read(fd, tmp, sizeof(tmp))) > 0 && b.len < TOKEN_MAX)
		buf_add(&b, tmp, (size_t)n);
	explicit_bzero(tmp, sizeof(tmp));
	close(fd);
	if (b.len > 0 && (nl = memchr(b.data, '\n', b.len)) != NULL)
		buf_truncate(&b, (size_t)(nl - b.data));
	if (b.len == 0) {
		buf_free(&b);
		*none_r = 1;
		return NULL;
	}
	{
		char *s = xstrndup(b.data, b.len);

		buf_free(&b);
		return s;
	}
}

int
cache_oauth_store_refresh(const struct config_account *a, const char *tok,
    struct error *err)
{
	if (a->oauth2_refresh_store_command) {
		struct spawn_opts o;
		struct spawn_result r;
		int fds[2], rc;
		size_t len = strlen(tok);

		/* The token goes on the command's stdin, never in argv. */
		if (len + 1 > 65536)
			return error_set(err, "the refresh token is too long");
		if (pipe(fds) < 0)
			return error_errno(err, errno, "pipe");
		rc = write(fds[1], tok, len) == (ssize_t)len &&
		    write(fds[1], "\n", 1) == 1 ? 0 : -1;
		close(fds[1]);
		if (rc < 0) {
			close(fds[0]);
			return error_set(err, "cannot hand the refresh token "
			    "to oauth2_refresh_store_command");
		}
		memset(&o, 0, sizeof(o));
		o.command = a->oauth2_refresh_store_command;
		o.in_fd = fds[0];
		o.timeout_ms = 4000u * a->timeout;
		rc = spawn_run(&o, &r, err);
		close(fds[0]);
		if (rc < 0)
			return error_prefix(err, "oauth2_refresh_store_command "
			    "of account '%s'", a->name);
		if (!spawn_ok(&r))
			return spawn_error(err, &r, o.timeout_ms,
			    "oauth2_refresh_store_command of account '%s'",
			    a->name);
		return 0;
	} else {
		char *path = refresh_path(a, 1, err);
		struct buf b = BUF_INIT;
		int rc;

		if (path == NULL)
			return -1;
		buf_secret(&b);
		buf_printf(&b, "%s\n", tok);
		rc = paths_write_atomic(path, b.data, b.len, err);
		buf_free(&b);
		free(path);
		return rc;
	}
}

char *
cache_oauth_client_secret(const struct config_account *a, struct error *err)
{
	if (a->oauth2_client_secret)
		return xstrdup(a->oauth2_client_secret);
	if (a->oauth2_client_secret_command)
		return run_for_line(a, "oauth2_client_secret_command",
		    a->oauth2_client_secret_command, err);
	return xstrdup("");
}

void
cache_oauth_form_client(struct buf *form, const struct config_account *a,
    const char *secret)
{
	buf_addstr(form, "&client_id=");
	http_form_escape(form, a->oauth2_client_id);
	if (secret && *secret) {
		buf_addstr(form, "&client_secret=");
		http_form_escape(form, secret);
	}
}

int
cache_oauth_post(const struct config_account *a, const char *url,
    const struct buf *form, struct http_response *r, struct error *err)
{
	struct http_opts ho;

	memset(&ho, 0, sizeof(ho));
	ho.timeout = a->timeout;
	ho.ca_file = a->ca_file;
	ho.allow_plaintext = a->allow_plaintext;
	if (http_post_form(url, form->data, form->len, &ho, r, err) < 0)
		return error_prefix(err, "cannot reach the sign-in service");
	return 0;
}

void
cache_oauth_error(const struct config_account *a, const char *what,
    const struct http_response *r, struct error *err)
{
	struct buf e = BUF_INIT, d = BUF_INIT, clean = BUF_INIT;

	if (r->body.len)
		json_get(r->body.data, r->body.len, "error", &e);
	if (r->body.len)
		json_get(r->body.data, r->body.len, "error_description", &d);
	if (e.len > 64)
		buf_truncate(&e, 64);
	if (d.len > 200)
		buf_truncate(&d, 200);
	buf_add(&e, d.len ? ": " : "", d.len ? 2 : 0);
	buf_add(&e, d.data ? d.data : "", d.len);
	str_clean_display(&clean, e.data ? e.data : "", e.len, 0);
	(void)a;
	error_set(err, "%s: the sign-in service answered %d%s%s",
	    what, r->status, clean.len ? " " : "", buf_cstr(&clean));
	buf_free(&e);
	buf_free(&d);
	buf_free(&clean);
}

/* Takes access_token (and a new refresh_token) from a 200 answer. */
char *
cache_oauth_take(const struct config_account *a, struct http_response *r,
    struct error *err)
{
	struct buf at = BUF_INIT, rt = BUF_INIT, ex = BUF_INIT;
	char *tok = NULL;
	long secs = 3600;

	buf_secret(&at);
	buf_secret(&rt);
	if (json_get(r->body.data ? r->body.data : "", r->body.len,
	    "access_token", &at) != 1 || at.len == 0 ||
	    memchr(at.data, '\0', at.len)) {
		error_set(err, "the sign-in service sent no access token");
		goto out;
	}
	if (json_get(r->body.data, r->body.len, "expires_in", &ex) == 1)
		secs = strtol(buf_cstr(&ex), NULL, 10);
	if (json_get(r->body.data, r->body.len, "refresh_token", &rt) == 1 &&
	    rt.len > 0 && !memchr(rt.data, '\0', rt.len) &&
	    !memchr(rt.data, '\n', rt.len) &&
	    cache_oauth_store_refresh(a, buf_cstr(&rt), err) < 0)
		goto out;
	tok = xstrndup(at.data, at.len);
	held_put(a->name, tok, time(NULL) + (secs > 0 ? secs : 60));
out:
	buf_free(&at);
	buf_free(&rt);
	buf_free(&ex);
	return tok;
}

/* RFC 6749 6: a new access token from the stored refresh token. */
static char *
refresh(const struct config_account *a, struct error *err)
{
	struct http_response r;
	struct buf form = BUF_INIT;
	char *rt, *secret, *tok = NULL;
	int none;

	if ((rt = refresh_read(a, &none, err)) == NULL) {
		if (none)
			error_set(err, "not signed in yet; run postie "
			    "authorize %s", a->name);
		return NULL;
	}
	if ((secret = cache_oauth_client_secret(a, err)) == NULL) {
		wipe_free(rt);
		return NULL;
	}
	buf_secret(&form);
	buf_addstr(&form, "grant_type=refresh_token&refresh_token=");
	http_form_escape(&form, rt);
	wipe_free(rt);
	cache_oauth_form_client(&form, a, secret);
	wipe_free(secret);
	if (cache_oauth_post(a, a->oauth2_token_url, &form, &r, err) < 0) {
		buf_free(&form);
		return NULL;
	}
	buf_free(&form);
	if (r.status == 200) {
		tok = cache_oauth_take(a, &r, err);
	} else {
		struct buf e = BUF_INIT;

		/* RFC 6749 5.2: revoked or expired refresh token. */
		if (r.status == 400 && json_get(r.body.data ? r.body.data : "",
		    r.body.len, "error", &e) == 1 &&
		    strcmp(buf_cstr(&e), "invalid_grant") == 0)
			expired(a, err);
		else
			cache_oauth_error(a, "refreshing the sign-in", &r,
			    err);
		buf_free(&e);
	}
	http_response_free(&r);
	return tok;
}

char *
cache_oauth_token(const struct config_account *a, int fresh,
    struct error *err)
{
	char *tok;

	if (a->oauth2_token_command)
		return config_oauth2_token(a, err);
	if (!fresh && (tok = held_get(a->name)) != NULL)
		return tok;
	held_put(a->name, NULL, 0);
	return refresh(a, err);
}
