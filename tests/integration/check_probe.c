/*
 * The setup form's login test (cache/probe.h) against the harness
 * servers; run by probe.itest.
 * Usage: check_probe CONFIG ACCOUNT sync|async|abandon
 *   sync: cache_probe_login() with CACHE_PROBE_SEND;
 *   async: the same through cache_probe_start/fd/finish, waiting in
 *	poll() as the form does;
 *   abandon: starts it and abandons it at once (the thread ends on its
 *	own).
 * Prints "ok" or the sentence; exit 0 when the login worked (abandon:
 * always), 1 when not, 2 on a usage or config error.
 */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "cache/probe.h"
#include "core/config.h"

int
main(int argc, char **argv)
{
	struct config *cfg = NULL;
	struct cache_probe *p = NULL;
	struct error err;
	struct pollfd pfd;
	size_t i;
	int rc;

	error_clear(&err);
	if (argc != 4 || config_load(argv[1], &cfg, &err) < 0) {
		fprintf(stderr, "check_probe: %s\n", err.msg[0] ? err.msg :
		    "usage: check_probe CONFIG ACCOUNT sync|async|abandon");
		return 2;
	}
	for (i = 0; i < cfg->naccounts; i++)
		if (strcmp(cfg->accounts[i].name, argv[2]) == 0)
			break;
	if (i == cfg->naccounts) {
		fprintf(stderr, "check_probe: no account %s\n", argv[2]);
		config_free(&cfg);
		return 2;
	}
	if (strcmp(argv[3], "sync") == 0) {
		rc = cache_probe_login(&cfg->accounts[i], CACHE_PROBE_SEND,
		    &err);
		config_free(&cfg);
	} else {
		if (cache_probe_start(&cfg, i, CACHE_PROBE_SEND, &p,
		    &err) < 0) {
			printf("%s\n", err.msg);
			config_free(&cfg);
			return 1;
		}
		if (cfg != NULL) {
			printf("the probe did not take the config\n");
			return 1;
		}
		if (strcmp(argv[3], "abandon") == 0) {
			cache_probe_abandon(&p);
			printf("abandoned\n");
			return p == NULL ? 0 : 1;
		}
		pfd.fd = cache_probe_fd(p);
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 120000) != 1) {
			printf("no answer within 120 s\n");
			return 1;
		}
		rc = cache_probe_finish(&p, &err);
	}
	printf("%s\n", rc == 0 ? "ok" : err.msg);
	return rc == 0 ? 0 : 1;
}
