/* probe: the setup form's login test (contract in probe.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "cache/driver.h"
#include "cache/probe.h"
#include "cache/send.h"
#include "core/xalloc.h"

struct cache_probe {
	pthread_mutex_t mu;
	pthread_t th;
	int fds[2];
	int done, abandoned, rc;
	struct config *cfg;
	size_t account;
	unsigned flags;
	struct error err;
};

int
cache_probe_login(const struct config_account *a, unsigned flags,
    struct error *err)
{
	const struct cache_driver *d = cache_driver_find(a->protocol);
	const char *proto = config_protocol_label(a->protocol);

	if (d == NULL || d->probe == NULL)
		return error_set(err, "postie cannot read mail over %s in this "
		    "build", proto);
	if (d->probe(a, err) < 0) {
		error_prefix(err, "reading mail (%s at %s port %u)", proto,
		    a->host, a->port);
		return -1;
	}
	if ((flags & CACHE_PROBE_SEND) && a->from != NULL &&
	    cache_send_probe(a, err) < 0) {
		error_prefix(err, "sending mail (SMTP at %s port %u)",
		    a->smtp_host ? a->smtp_host : a->host, a->smtp_port);
		return -1;
	}
	return 0;
}

static void
probe_free(struct cache_probe *p)
{
	close(p->fds[0]);
	close(p->fds[1]);
	config_free(&p->cfg);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

static void *
run(void *arg)
{
	struct cache_probe *p = arg;
	int abandoned;
	ssize_t n;

	p->rc = cache_probe_login(&p->cfg->accounts[p->account], p->flags,
	    &p->err);
	pthread_mutex_lock(&p->mu);
	p->done = 1;
	abandoned = p->abandoned;
	pthread_mutex_unlock(&p->mu);
	if (abandoned) {
		probe_free(p);
		return NULL;
	}
	do
		n = write(p->fds[1], "", 1);
	while (n < 0 && errno == EINTR);
	return NULL;
}

int
cache_probe_start(struct config **cfg, size_t account, unsigned flags,
    struct cache_probe **p_r, struct error *err)
{
	struct cache_probe *p;
	int e;

	if (account >= (*cfg)->naccounts)
		return error_set(err, "no account %zu to test", account);
	p = xcalloc(1, sizeof(*p));
	if (pipe2(p->fds, O_CLOEXEC) < 0) {
		e = errno;
		free(p);
		return error_errno(err, e, "cannot start the login test");
	}
	pthread_mutex_init(&p->mu, NULL);
	p->cfg = *cfg;
	p->account = account;
	p->flags = flags;
	error_clear(&p->err);
	if ((e = pthread_create(&p->th, NULL, run, p)) != 0) {
		p->cfg = NULL; /* still the caller's */
		probe_free(p);
		return error_errno(err, e, "cannot start the login test");
	}
	*cfg = NULL;
	*p_r = p;
	return 0;
}

int
cache_probe_fd(const struct cache_probe *p)
{
	return p->fds[0];
}

int
cache_probe_finish(struct cache_probe **pp, struct error *err)
{
	struct cache_probe *p = *pp;
	int rc;

	pthread_join(p->th, NULL);
	rc = p->rc;
	if (rc < 0)
		*err = p->err;
	probe_free(p);
	*pp = NULL;
	return rc;
}

void
cache_probe_abandon(struct cache_probe **pp)
{
	struct cache_probe *p = *pp;
	int done;

	if (p == NULL)
		return;
	*pp = NULL;
	pthread_mutex_lock(&p->mu);
	done = p->done;
	p->abandoned = 1;
	pthread_mutex_unlock(&p->mu);
	if (done) {
		pthread_join(p->th, NULL);
		probe_free(p);
	} else {
		pthread_detach(p->th);
	}
}
