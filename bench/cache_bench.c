/*
 * cache_bench: the message cache's figures, printed as rows
 * "work<TAB>figure<TAB>target<TAB>verdict" for bench/run.
 *
 *   cache_bench [COUNT]    default 100,000 messages
 *
 * Inserts COUNT header records (chunked transactions), then opens the
 * folder's sorted index in a fresh process (time and that process's peak
 * RSS), threads it, re-sorts it in memory, and runs full-text searches.
 * Nothing is asserted.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cache/db.h"
#include "cache/index.h"

#define CHUNK 1000

static const char *const words[] = { "report", "meeting", "budget", "draft",
	"lunch", "release", "review", "patch", "invoice", "travel", "agenda",
	"question", "update", "holiday", "server", "backup", "contract",
	"design", "notes", "party", "weekly", "status", "urgent", "photos" };
static const char *const names[] = { "Ann", "Bob", "Carol", "Dave", "Eve",
	"Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory", "Oscar" };
#define NW (sizeof(words) / sizeof(words[0]))
#define NN (sizeof(names) / sizeof(names[0]))

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
row(const char *work, const char *figure, const char *target, int ok)
{
	printf("%s\t%s\t%s\t%s\n", work, figure, target, ok ? "ok" : "MISSED");
}

static int
insert(const char *path, long count, int64_t *folder_r)
{
	struct db *db = NULL;
	struct error err;
	struct db_msg m;
	char from[96], subject[160], mid[64], refs[200], to[64];
	double t0;
	clock_t c0;
	long i, k;
	char fig[96];

	if (db_open(path, &db, &err) < 0 ||
	    db_folder_ensure(db, "bench", "INBOX", FOLDER_ROLE_INBOX, folder_r,
	    &err) < 0) {
		fprintf(stderr, "cache_bench: %s\n", err.msg);
		return -1;
	}
	srandom(1);
	c0 = clock();
	t0 = now();
	for (i = 0; i < count; i++) {
		long parent = i > 10 && random() % 3 == 0 ?
		    i - 1 - random() % 10 : -1;
		size_t n;

		if (i % CHUNK == 0 && db_begin(db, &err) < 0)
			goto fail;
		memset(&m, 0, sizeof(m));
		snprintf(from, sizeof(from), "%s %s <%s%ld@example.org>",
		    names[random() % NN], names[random() % NN],
		    names[random() % NN], random() % 1000);
		snprintf(to, sizeof(to), "list%ld@example.org", i % 7);
		n = (size_t)snprintf(subject, sizeof(subject), "%s",
		    parent >= 0 ? "Re: " : "");
		for (k = 0; k < 3 + random() % 5; k++)
			n += (size_t)snprintf(subject + n, sizeof(subject) - n,
			    "%s%s", k ? " " : "", words[random() % NW]);
		snprintf(mid, sizeof(mid), "<%ld.bench@example.org>", i);
		if (parent >= 0)
			snprintf(refs, sizeof(refs), "<%ld.bench@example.org>",
			    parent);
		m.folder_id = *folder_r;
		m.uid = (uint32_t)i + 1;
		m.flags = random() % 4 ? MSG_SEEN : 0;
		m.internal_date = 1600000000 + i * 60;
		m.date = m.internal_date - random() % 3600;
		m.size = 1000 + random() % 100000;
		m.from = from;
		m.to = to;
		m.subject = subject;
		m.message_id = mid;
		m.in_reply_to = parent >= 0 ? refs : NULL;
		m.references = parent >= 0 ? refs : NULL;
		if (db_msg_insert(db, &m, &err) < 0)
			goto fail;
		if ((i % CHUNK == CHUNK - 1 || i == count - 1) &&
		    db_commit(db, &err) < 0)
			goto fail;
	}
	t0 = now() - t0;
	snprintf(fig, sizeof(fig), "%.2f s (%.2f s CPU, %.0f records/s)", t0,
	    (double)(clock() - c0) / CLOCKS_PER_SEC, (double)count / t0);
	{
		char work[96];

		snprintf(work, sizeof(work), "cache: insert %ld header records",
		    count);
		row(work, fig, "< 1.5 s", t0 < 1.5);
	}
	db_close(&db);
	return 0;
fail:
	fprintf(stderr, "cache_bench: %s\n", err.msg);
	db_close(&db);
	return -1;
}

/* In a fresh process: open the index, report time and peak RSS. */
static int
open_child(const char *path, int64_t folder, enum index_sort sort,
    double *secs_r, double *cpu_r, long *rss_kb_r, size_t *bytes_r, size_t *n_r)
{
	int fds[2];
	pid_t pid;
	struct {
		double secs, cpu;
		long rss;
		size_t bytes, n;
		int ok;
	} res;

	if (pipe(fds) < 0)
		return -1;
	fflush(NULL);
	if ((pid = fork()) == 0) {
		struct db *db = NULL;
		struct index *ix = NULL;
		struct rusage ru;
		struct error err;
		double t0;
		clock_t c0;

		memset(&res, 0, sizeof(res));
		close(fds[0]);
		if (db_open(path, &db, &err) == 0) {
			t0 = now();
			c0 = clock();
			if (index_open(db, folder, sort, 0, &ix, &err) == 0) {
				res.secs = now() - t0;
				res.cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
				res.bytes = index_memory(ix);
				res.n = index_count(ix);
				res.ok = 1;
			}
		}
		getrusage(RUSAGE_SELF, &ru);
		res.rss = ru.ru_maxrss;
		if (!res.ok)
			fprintf(stderr, "cache_bench: %s\n", err.msg);
		if (write(fds[1], &res, sizeof(res)) != sizeof(res))
			_exit(1);
		index_free(&ix);
		db_close(&db);
		_exit(0);
	}
	close(fds[1]);
	if (pid < 0 || read(fds[0], &res, sizeof(res)) != sizeof(res)) {
		close(fds[0]);
		return -1;
	}
	close(fds[0]);
	waitpid(pid, NULL, 0);
	*secs_r = res.secs;
	*cpu_r = res.cpu;
	*rss_kb_r = res.rss;
	*bytes_r = res.bytes;
	*n_r = res.n;
	return res.ok ? 0 : -1;
}

/*
 * In a fresh process: open by date, then change to each order twice
 * (computed, then kept), as the UI does without its precompute helper.
 * Prints one row per order.
 */
static void
resort_child(const char *path, int64_t folder)
{
	static const enum index_sort sorts[] = { INDEX_SORT_SUBJECT,
		INDEX_SORT_FROM, INDEX_SORT_THREAD, INDEX_SORT_SIZE };
	static const char *const labels[] = { "subject", "sender",
		"threads", "size" };
	struct db *db = NULL;
	struct index *ix = NULL;
	struct error err;
	double t0, first[4], again[4];
	char work[96], fig[96];
	size_t i;
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) != 0) {
		if (pid > 0)
			waitpid(pid, NULL, 0);
		return;
	}
	if (db_open(path, &db, &err) < 0 ||
	    index_open(db, folder, INDEX_SORT_DATE, 0, &ix, &err) < 0) {
		fprintf(stderr, "cache_bench: %s\n", err.msg);
		_exit(1);
	}
	for (i = 0; i < 4; i++) {
		t0 = now();
		if (index_sort(ix, db, sorts[i], 0, &err) < 0)
			_exit(1);
		first[i] = now() - t0;
	}
	if (index_sort(ix, db, INDEX_SORT_DATE, 0, &err) < 0)
		_exit(1);
	for (i = 0; i < 4; i++) {
		t0 = now();
		if (index_sort(ix, db, sorts[i], 0, &err) < 0)
			_exit(1);
		again[i] = now() - t0;
	}
	for (i = 0; i < 4; i++) {
		snprintf(work, sizeof(work), "cache: re-sort %zu in memory by "
		    "%s", index_count(ix), labels[i]);
		snprintf(fig, sizeof(fig), "%.1f ms first, %.2f ms again",
		    first[i] * 1000, again[i] * 1000);
		row(work, fig, "< 10 ms again", again[i] < 0.010);
	}
	fflush(NULL);
	index_free(&ix);
	db_close(&db);
	_exit(0);
}

int
main(int argc, char **argv)
{
	long count = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
	char dir[] = "/tmp/cache_bench.XXXXXX", path[64], fig[128], work[96];
	static const char *const queries[] = { "budget", "ann report",
		"urg", "nothingmatches" };
	struct db *db = NULL;
	struct error err;
	int64_t folder, *ids;
	double secs, cpu, t0;
	size_t bytes, n, i, hits;
	long rss;
	int rc = 1;

	if (count <= 0 || mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/postie.db", dir);
	if (getenv("CACHE_BENCH_KEEP")) /* for profiling: keep the db */
		fprintf(stderr, "cache_bench: keeping %s\n", path);
	if (insert(path, count, &folder) < 0)
		goto out;
	if (open_child(path, folder, INDEX_SORT_DATE, &secs, &cpu, &rss,
	    &bytes, &n) < 0)
		goto out;
	snprintf(work, sizeof(work), "cache: open %zu-message index by date",
	    n);
	snprintf(fig, sizeof(fig), "%.0f ms (%.0f ms CPU)", secs * 1000,
	    cpu * 1000);
	row(work, fig, "< 150 ms", secs < 0.150);
	snprintf(fig, sizeof(fig), "%.1f MB peak RSS (index %.1f MB)",
	    (double)rss / 1024, (double)bytes / (1024 * 1024));
	row("cache: process holding that index", fig, "< 40 MB",
	    rss < 40 * 1024);
	if (open_child(path, folder, INDEX_SORT_THREAD, &secs, &cpu, &rss,
	    &bytes, &n) < 0)
		goto out;
	snprintf(fig, sizeof(fig), "%.0f ms (%.0f ms CPU), %.1f MB peak RSS",
	    secs * 1000, cpu * 1000, (double)rss / 1024);
	row("cache: open the same index threaded", fig, "< 150 ms",
	    secs < 0.150);
	resort_child(path, folder);
	if (db_open(path, &db, &err) < 0)
		goto out;
	for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		t0 = now();
		if (db_search(db, 0, queries[i], &ids, &hits, &err) < 0) {
			fprintf(stderr, "cache_bench: %s\n", err.msg);
			goto out;
		}
		secs = now() - t0;
		free(ids);
		snprintf(work, sizeof(work), "cache: FTS search '%s' over %ld",
		    queries[i], count);
		snprintf(fig, sizeof(fig), "%.1f ms, %zu hits", secs * 1000,
		    hits);
		row(work, fig, "< 100 ms", secs < 0.100);
	}
	rc = 0;
out:
	db_close(&db);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (getenv("CACHE_BENCH_KEEP") == NULL && system(path) != 0)
		rc = 1;
	return rc;
}
