/* hook: [general] new_mail_command, run by an account's worker after a
 * sync that found new mail (contract in cache/worker_int.h). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache/cache_int.h"
#include "cache/worker_int.h"
#include "core/log.h"
#include "core/spawn.h"
#include "core/str.h"
#include "core/xalloc.h"

/* A notifier returns at once; one that hangs must not stop the sync. */
#define HOOK_TIMEOUT_MS 30000u
/* Its output only goes to the log: a line or two is plenty. */
#define HOOK_OUTPUT_MAX 4096u

void
worker_arrival(struct worker *w, int64_t folder_id)
{
	size_t i;

	if (w->c->cfg == NULL || w->c->cfg->new_mail_command == NULL)
		return;
	pthread_mutex_lock(&w->arrival_lock);
	for (i = 0; i < w->narrivals; i++)
		if (w->arrivals[i].folder_id == folder_id)
			break;
	if (i == w->narrivals) {
		if (w->narrivals == w->caparrivals) {
			w->caparrivals = w->caparrivals ? w->caparrivals * 2 : 4;
			w->arrivals = xreallocarray(w->arrivals, w->caparrivals,
			    sizeof(*w->arrivals));
		}
		w->arrivals[w->narrivals].folder_id = folder_id;
		w->arrivals[w->narrivals++].n = 0;
	}
	w->arrivals[i].n++;
	pthread_mutex_unlock(&w->arrival_lock);
}

/* Runs the command for one folder; what it prints goes to the log. */
static void
run_hook(struct worker *w, const char *command, struct db_folder *f,
    unsigned n)
{
	struct spawn_opts o;
	struct spawn_result r;
	struct buf out = BUF_INIT, clean = BUF_INIT;
	struct error err;
	char nnew[16], nunread[16];
	const char *args[5];
	char **argv;

	snprintf(nnew, sizeof(nnew), "%u", n);
	snprintf(nunread, sizeof(nunread), "%u", f->unread);
	/* Each one argument of its own: a folder name from the server
	 * never reaches a shell. */
	args[0] = w->ctx.acct->name;
	args[1] = f->name;
	args[2] = nnew;
	args[3] = nunread;
	args[4] = NULL;
	if ((argv = spawn_argv(command, args)) == NULL)
		return;
	memset(&o, 0, sizeof(o));
	o.argv = (const char *const *)argv;
	o.in_fd = -1;
	o.out = &out;
	o.out_max = HOOK_OUTPUT_MAX;
	o.timeout_ms = HOOK_TIMEOUT_MS;
	error_clear(&err);
	if (spawn_run(&o, &r, &err) < 0) {
		log_warn("%s: new_mail_command: %s", w->ctx.acct->name,
		    err.msg);
	} else if (!spawn_ok(&r)) {
		spawn_error(&err, &r, o.timeout_ms, "new_mail_command");
		log_warn("%s: %s", w->ctx.acct->name, err.msg);
	} else {
		str_clean_display(&clean, out.data ? out.data : "", out.len, 0);
		log_info("%s: new_mail_command for %s (%u new)%s%s",
		    w->ctx.acct->name, f->name, n, clean.len ? ": " : "",
		    buf_cstr(&clean));
	}
	buf_free(&out);
	buf_free(&clean);
	spawn_argv_free(&argv);
}

void
worker_new_mail_hook(struct worker *w)
{
	const char *command = w->c->cfg ? w->c->cfg->new_mail_command : NULL;
	struct worker_arrival *a;
	struct db_folder f;
	struct error err;
	size_t n, i;

	pthread_mutex_lock(&w->arrival_lock);
	a = w->arrivals;
	n = w->narrivals;
	w->arrivals = NULL;
	w->narrivals = w->caparrivals = 0;
	pthread_mutex_unlock(&w->arrival_lock);
	for (i = 0; command && i < n; i++) {
		error_clear(&err);
		memset(&f, 0, sizeof(f));
		if (db_folder_get(w->ctx.db, a[i].folder_id, &f, &err) <= 0 ||
		    db_folder_counts(w->ctx.db, &f, 1, &err) < 0) {
			log_warn("%s: new_mail_command: %s", w->ctx.acct->name,
			    err.msg);
			db_folder_clear(&f);
			continue;
		}
		run_hook(w, command, &f, a[i].n);
		db_folder_clear(&f);
	}
	free(a);
}
