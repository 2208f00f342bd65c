/* authorize: the first sign-in of an OAuth2 account (cache/oauth.h). */
#include <config.h>

#include "cache/oauth.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/json.h"
#include "core/spawn.h"
#include "core/str.h"
#include "core/xalloc.h"

static void
say(const struct cache_authorize_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
say(const struct cache_authorize_opts *o, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (o->say)
		o->say(o->ctx, buf_cstr(&b));
	buf_free(&b);
}

/* The token answer of a successful grant: keeps the refresh token. */
static int
finish(const struct config_account *a, struct http_response *r,
    struct error *err)
{
	struct buf rt = BUF_INIT;
	char *tok;
	int has_rt;

	has_rt = json_get(r->body.data ? r->body.data : "", r->body.len,
	    "refresh_token", &rt) == 1 && rt.len > 0;
	buf_free(&rt);
	if (!has_rt)
		return error_set(err, "the sign-in service gave no "
		    "refresh token (is offline_access in oauth2_scope?)");
	if ((tok = cache_oauth_take(a, r, err)) == NULL)
		return -1;
	explicit_bzero(tok, strlen(tok));
	free(tok);
	return 0;
}

static int
get_str(const struct http_response *r, const char *key, struct buf *out)
{
	return json_get(r->body.data ? r->body.data : "", r->body.len, key,
	    out) == 1 && out->len > 0;
}

static int
device_flow(const struct config_account *a,
    const struct cache_authorize_opts *o, const char *secret,
    struct error *err)
{
	struct buf form = BUF_INIT, dc = BUF_INIT, uc = BUF_INIT,
	    uri = BUF_INIT, num = BUF_INIT, e = BUF_INIT, clean = BUF_INIT;
	struct http_response r;
	long interval = 5, life = 600;
	time_t end;
	int rc = -1;

	if (a->oauth2_device_url == NULL)
		return error_set(err, "%s has no oauth2_device_url; use "
		    "postie authorize without --device", a->name);
	buf_secret(&form);
	buf_secret(&dc);
	buf_addstr(&form, "scope=");
	http_form_escape(&form, a->oauth2_scope ? a->oauth2_scope : "");
	cache_oauth_form_client(&form, a, secret);
	if (cache_oauth_post(a, a->oauth2_device_url, &form, &r, err) < 0)
		goto out;
	if (r.status != 200) {
		cache_oauth_error(a, "asking for a device code", &r, err);
		http_response_free(&r);
		goto out;
	}
	/* Google says verification_url, RFC 8628 verification_uri. */
	if (!get_str(&r, "device_code", &dc) || !get_str(&r, "user_code",
	    &uc) || (!get_str(&r, "verification_uri", &uri) &&
	    !get_str(&r, "verification_url", &uri))) {
		error_set(err, "the device answer lacks device_code, "
		    "user_code or verification_uri");
		http_response_free(&r);
		goto out;
	}
	if (get_str(&r, "interval", &num))
		interval = strtol(buf_cstr(&num), NULL, 10);
	buf_reset(&num);
	if (get_str(&r, "expires_in", &num))
		life = strtol(buf_cstr(&num), NULL, 10);
	http_response_free(&r);
	if (interval < 1 || interval > 300)
		interval = 5;
	if (life < 1 || life > (long)o->wait_seconds)
		life = (long)o->wait_seconds;
	str_clean_display(&clean, uc.data, uc.len, 0);
	buf_addstr(&clean, "\t");
	str_clean_display(&clean, uri.data, uri.len, 0);
	{
		char *tab = strchr(clean.data, '\t');

		*tab = '\0';
		say(o, "To sign in %s, open %s and enter the code %s",
		    a->name, tab + 1, clean.data);
	}
	end = time(NULL) + life;
	for (;;) {
		sleep((unsigned)interval);
		if (time(NULL) > end) {
			error_set(err, "the code expired before the "
			    "sign-in was approved; run postie authorize %s "
			    "again", a->name);
			goto out;
		}
		buf_reset(&form);
		buf_addstr(&form, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3A"
		    "grant-type%3Adevice_code&device_code=");
		http_form_escape(&form, buf_cstr(&dc));
		cache_oauth_form_client(&form, a, secret);
		if (cache_oauth_post(a, a->oauth2_token_url, &form, &r,
		    err) < 0)
			goto out;
		if (r.status == 200) {
			rc = finish(a, &r, err);
			http_response_free(&r);
			goto out;
		}
		buf_reset(&e);
		get_str(&r, "error", &e);
		if (strcmp(buf_cstr(&e), "authorization_pending") == 0) {
			http_response_free(&r);
			continue;
		}
		if (strcmp(buf_cstr(&e), "slow_down") == 0) {
			/* RFC 8628 3.5: five seconds more, from now on. */
			interval += 5;
			http_response_free(&r);
			continue;
		}
		if (strcmp(buf_cstr(&e), "access_denied") == 0)
			error_set(err, "the sign-in was refused");
		else if (strcmp(buf_cstr(&e), "expired_token") == 0)
			error_set(err, "the code expired before the "
			    "sign-in was approved; run postie authorize %s "
			    "again", a->name);
		else
			cache_oauth_error(a, "waiting for the sign-in", &r,
			    err);
		http_response_free(&r);
		goto out;
	}
out:
	buf_free(&form);
	buf_free(&dc);
	buf_free(&uc);
	buf_free(&uri);
	buf_free(&num);
	buf_free(&e);
	buf_free(&clean);
	return rc;
}

static void
open_url(const struct cache_authorize_opts *o, const char *url)
{
	const char *args[2] = { url, NULL };
	struct spawn_result r;
	struct spawn_opts so;
	struct error err;
	char **argv;

	if (o->open_command == NULL)
		return;
	/* The URL is one argument of its own: no shell ever reads it. */
	if ((argv = spawn_argv(o->open_command, args)) == NULL)
		return;
	memset(&so, 0, sizeof(so));
	so.argv = (const char *const *)argv;
	so.in_fd = -1;
	so.timeout_ms = 10000;
	error_clear(&err);
	if (spawn_run(&so, &r, &err) < 0 || !spawn_ok(&r))
		say(o, "(open_command failed; open the URL yourself)");
	spawn_argv_free(&argv);
}

static int
code_flow(const struct config_account *a,
    const struct cache_authorize_opts *o, const char *secret,
    struct error *err)
{
	struct buf verifier = BUF_INIT, state = BUF_INIT, url = BUF_INIT,
	    redirect = BUF_INIT, q = BUF_INIT, code = BUF_INIT,
	    got_state = BUF_INIT, form = BUF_INIT, e = BUF_INIT;
	struct http_response r;
	unsigned port;
	int fd = -1, rc = -1;

	if (a->oauth2_auth_url == NULL)
		return error_set(err, "%s has no oauth2_auth_url; use "
		    "postie authorize --device", a->name);
	buf_secret(&verifier);
	buf_secret(&q);
	buf_secret(&code);
	buf_secret(&form);
	if (http_random_urlsafe(&verifier, 48, err) < 0 ||
	    http_random_urlsafe(&state, 16, err) < 0 ||
	    http_redirect_listen(&fd, &port, err) < 0)
		goto out;
	buf_printf(&redirect, "http://127.0.0.1:%u/", port);
	buf_addstr(&url, a->oauth2_auth_url);
	buf_addstr(&url, strchr(a->oauth2_auth_url, '?') ? "&" : "?");
	buf_addstr(&url, "response_type=code&client_id=");
	http_form_escape(&url, a->oauth2_client_id);
	buf_addstr(&url, "&redirect_uri=");
	http_form_escape(&url, buf_cstr(&redirect));
	if (a->oauth2_scope) {
		buf_addstr(&url, "&scope=");
		http_form_escape(&url, a->oauth2_scope);
	}
	buf_addstr(&url, "&state=");
	buf_add(&url, state.data, state.len);
	buf_addstr(&url, "&code_challenge_method=S256&code_challenge=");
	http_pkce_challenge(&url, buf_cstr(&verifier));
	/* Google hands out a refresh token only when asked this way. */
	if (a->provider == CONFIG_PROVIDER_GMAIL)
		buf_addstr(&url, "&access_type=offline&prompt=consent");
	say(o, "To sign in %s, open this URL in a browser:", a->name);
	say(o, "%s", buf_cstr(&url));
	open_url(o, buf_cstr(&url));
	if (http_redirect_wait(fd, o->wait_seconds, &q, err) < 0)
		goto out;
	if (!http_query_get(buf_cstr(&q), "state", &got_state) ||
	    strcmp(buf_cstr(&got_state), buf_cstr(&state)) != 0) {
		error_set(err, "the browser came back with a state "
		    "postie did not send; nothing was stored");
		goto out;
	}
	if (!http_query_get(buf_cstr(&q), "code", &code) || code.len == 0) {
		struct buf clean = BUF_INIT;

		http_query_get(buf_cstr(&q), "error", &e);
		str_clean_display(&clean, e.data ? e.data : "", e.len, 0);
		error_set(err, "the sign-in was refused%s%s",
		    clean.len ? ": " : "", buf_cstr(&clean));
		buf_free(&clean);
		goto out;
	}
	buf_addstr(&form, "grant_type=authorization_code&code=");
	http_form_escape(&form, buf_cstr(&code));
	buf_addstr(&form, "&redirect_uri=");
	http_form_escape(&form, buf_cstr(&redirect));
	buf_addstr(&form, "&code_verifier=");
	buf_add(&form, verifier.data, verifier.len);
	cache_oauth_form_client(&form, a, secret);
	if (cache_oauth_post(a, a->oauth2_token_url, &form, &r, err) < 0)
		goto out;
	if (r.status == 200)
		rc = finish(a, &r, err);
	else
		cache_oauth_error(a, "exchanging the code", &r, err);
	http_response_free(&r);
out:
	if (fd >= 0)
		close(fd);
	buf_free(&verifier);
	buf_free(&state);
	buf_free(&url);
	buf_free(&redirect);
	buf_free(&q);
	buf_free(&code);
	buf_free(&got_state);
	buf_free(&form);
	buf_free(&e);
	return rc;
}

int
cache_authorize(const struct config_account *a,
    const struct cache_authorize_opts *o, struct error *err)
{
	char *secret;
	int rc;

	if (a->auth != CONFIG_AUTH_OAUTH2)
		return error_set(err, "%s signs in with a password; "
		    "postie authorize is for auth = oauth2", a->name);
	if (a->oauth2_client_id == NULL || a->oauth2_token_url == NULL)
		return error_set(err, "%s gets its token from "
		    "oauth2_token_command; postie authorize needs "
		    "oauth2_client_id and oauth2_token_url (or a provider)",
		    a->name);
	if ((secret = cache_oauth_client_secret(a, err)) == NULL)
		return -1;
	rc = o->device ? device_flow(a, o, secret, err) :
	    code_flow(a, o, secret, err);
	explicit_bzero(secret, strlen(secret));
	free(secret);
	if (rc == 0)
		say(o, "%s: signed in", a->name);
	return rc;
}

struct cache_authorize_job {
	pthread_mutex_t mu;
	pthread_t th;
	int fds[2];
	int done, abandoned, rc;
	struct buf lines; /* said and not yet taken */
	struct config *cfg;
	size_t account;
	struct cache_authorize_opts o;
	struct error err;
};

static void
job_free(struct cache_authorize_job *j)
{
	close(j->fds[0]);
	close(j->fds[1]);
	config_free(&j->cfg);
	buf_free(&j->lines);
	pthread_mutex_destroy(&j->mu);
	free(j);
}

static void
job_wake(struct cache_authorize_job *j)
{
	ssize_t n;

	/* A full pipe already wakes the reader: EAGAIN is fine. */
	do
		n = write(j->fds[1], "", 1);
	while (n < 0 && errno == EINTR);
}

static void
job_say(void *ctx, const char *line)
{
	struct cache_authorize_job *j = ctx;

	pthread_mutex_lock(&j->mu);
	buf_addstr(&j->lines, line);
	buf_addch(&j->lines, '\n');
	pthread_mutex_unlock(&j->mu);
	job_wake(j);
}

static void *
job_run(void *arg)
{
	struct cache_authorize_job *j = arg;
	int abandoned;

	j->rc = cache_authorize(&j->cfg->accounts[j->account], &j->o,
	    &j->err);
	pthread_mutex_lock(&j->mu);
	j->done = 1;
	abandoned = j->abandoned;
	pthread_mutex_unlock(&j->mu);
	if (abandoned)
		job_free(j);
	else
		job_wake(j);
	return NULL;
}

int
cache_authorize_start(struct config **cfg, size_t account,
    const char *open_command, unsigned wait_seconds,
    struct cache_authorize_job **j_r, struct error *err)
{
	struct cache_authorize_job *j;
	int e;

	if (account >= (*cfg)->naccounts)
		return error_set(err, "no account %zu to sign in", account);
	j = xcalloc(1, sizeof(*j));
	if (pipe2(j->fds, O_CLOEXEC | O_NONBLOCK) < 0) {
		e = errno;
		free(j);
		return error_errno(err, e, "cannot start the sign-in");
	}
	pthread_mutex_init(&j->mu, NULL);
	j->cfg = *cfg;
	j->account = account;
	j->o.open_command = open_command;
	j->o.wait_seconds = wait_seconds;
	j->o.say = job_say;
	j->o.ctx = j;
	error_clear(&j->err);
	if ((e = pthread_create(&j->th, NULL, job_run, j)) != 0) {
		j->cfg = NULL; /* still the caller's */
		job_free(j);
		return error_errno(err, e, "cannot start the sign-in");
	}
	*cfg = NULL;
	*j_r = j;
	return 0;
}

int
cache_authorize_fd(const struct cache_authorize_job *j)
{
	return j->fds[0];
}

int
cache_authorize_poll(struct cache_authorize_job *j, struct buf *out,
    struct error *err)
{
	char drain[64];
	int done;

	while (read(j->fds[0], drain, sizeof(drain)) > 0)
		;
	pthread_mutex_lock(&j->mu);
	buf_add(out, j->lines.data ? j->lines.data : "", j->lines.len);
	buf_reset(&j->lines);
	done = j->done;
	pthread_mutex_unlock(&j->mu);
	if (!done)
		return 1;
	pthread_join(j->th, NULL);
	if (j->rc < 0)
		*err = j->err;
	/* The caller drops the job now (cache_authorize_abandon). */
	j->abandoned = 2;
	return j->rc < 0 ? -1 : 0;
}

void
cache_authorize_abandon(struct cache_authorize_job **jp)
{
	struct cache_authorize_job *j = *jp;
	int done;

	if (j == NULL)
		return;
	*jp = NULL;
	if (j->abandoned == 2) { /* joined by cache_authorize_poll() */
		job_free(j);
		return;
	}
	pthread_mutex_lock(&j->mu);
	done = j->done;
	j->abandoned = 1;
	pthread_mutex_unlock(&j->mu);
	if (done) {
		pthread_join(j->th, NULL);
		job_free(j);
	} else {
		pthread_detach(j->th);
	}
}
