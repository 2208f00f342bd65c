/*
 * pattern_bench: Mutt patterns (cache/pattern.h) over a large index,
 * each against a floor measured in the same run: the hand-written SQL a
 * person would write for the same question, run through SQLite on the
 * same connection.  Rows "work<TAB>figure<TAB>target<TAB>verdict" for
 * bench/run.
 *
 *   pattern_bench [COUNT]    default 100,000 messages
 *
 * The index is generated (fixed seed): header records as a sync writes
 * them, a third with body text, dates over the last two years, a quarter
 * unread.  Each query runs once to warm the page cache, then RUNS times;
 * the median is printed.  Nothing is asserted.
 */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/bench.h"
#include "cache/db.h"
#include "cache/db_int.h"
#include "cache/pattern.h"

#define CHUNK 1000
#define RUNS 7

static const char *const words[] = { "report", "meeting", "budget", "draft",
	"lunch", "release", "review", "patch", "invoice", "travel", "agenda",
	"question", "update", "holiday", "server", "backup", "contract",
	"design", "notes", "party", "weekly", "status", "urgent", "photos",
	"the", "and", "for", "with", "about", "please", "thanks", "tomorrow" };
static const char *const names[] = { "Alice", "Bob", "Carol", "Dave", "Eve",
	"Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory", "Oscar" };
#define NW (sizeof(words) / sizeof(words[0]))
#define NN (sizeof(names) / sizeof(names[0]))

static int
fill(struct db *db, long count, int64_t folder, time_t t_now)
{
	struct error err;
	struct db_msg m;
	char from[96], subject[160], to[64], text[1200];
	long i, k;
	size_t n;

	srandom(1);
	for (i = 0; i < count; i++) {
		if (i % CHUNK == 0 && db_begin(db, &err) < 0)
			goto fail;
		memset(&m, 0, sizeof(m));
		snprintf(from, sizeof(from), "%s %s <%s%ld@example.org>",
		    names[random() % NN], names[random() % NN],
		    names[random() % NN], random() % 1000);
		snprintf(to, sizeof(to), "list%ld@example.org", i % 7);
		n = 0;
		for (k = 0; k < 3 + random() % 4; k++)
			n += (size_t)snprintf(subject + n, sizeof(subject) - n,
			    "%s%s", k ? " " : "", words[random() % 24]);
		/* A third with a body as `postie sync --bodies` leaves it. */
		if (random() % 3 == 0) {
			n = 0;
			for (k = 0; k < 40 + random() % 80 &&
			    n < sizeof(text) - 16; k++)
				n += (size_t)snprintf(text + n,
				    sizeof(text) - n, "%s%s", k ? " " : "",
				    words[random() % NW]);
			m.text = text;
		}
		m.folder_id = folder;
		m.uid = (uint32_t)i + 1;
		m.flags = (random() % 4 ? MSG_SEEN : 0) |
		    (random() % 20 == 0 ? MSG_FLAGGED : 0);
		/* Oldest first, over two years up to now. */
		m.internal_date = t_now - (count - i) * (2 * 365 * 86400L / count);
		m.date = m.internal_date - random() % 3600;
		m.size = 1000 + random() % 100000;
		m.from = from;
		m.to = to;
		m.subject = subject;
		if (db_msg_insert(db, &m, &err) < 0)
			goto fail;
		if ((i % CHUNK == CHUNK - 1 || i == count - 1) &&
		    db_commit(db, &err) < 0)
			goto fail;
	}
	return 0;
fail:
	fprintf(stderr, "pattern_bench: %s\n", err.msg);
	return -1;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The floor: sql with ?1 = folder, ?2 = a text or a time. */
static double
floor_once(struct db *db, const char *sql, int64_t folder, const char *text,
    int64_t num, size_t *hits)
{
	sqlite3_stmt *st;
	double t0 = bench_now();

	*hits = 0;
	if (sqlite3_prepare_v2(db->sq, sql, -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "pattern_bench: %s\n", sqlite3_errmsg(db->sq));
		exit(1);
	}
	sqlite3_bind_int64(st, 1, folder);
	if (text)
		sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 2, num);
	while (sqlite3_step(st) == SQLITE_ROW)
		(*hits)++;
	sqlite3_finalize(st);
	return bench_now() - t0;
}

static double
pattern_once(struct db *db, const char *pattern, int64_t folder,
    time_t t_now, size_t *hits)
{
	struct error err;
	int64_t *ids;
	double t0 = bench_now();

	if (pattern_search(db, folder, pattern, t_now, &ids, hits, &err) < 0) {
		fprintf(stderr, "pattern_bench: %s\n", err.msg);
		exit(1);
	}
	free(ids);
	return bench_now() - t0;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *pattern, *floor_sql, *text;
	} q[] = {
		{ "~f alice", "SELECT id FROM messages WHERE folder = ?1 AND"
		  " from_ LIKE ?2 ORDER BY id", "%alice%" },
		{ "~d <1m ~U", "SELECT id FROM messages WHERE folder = ?1 AND"
		  " date >= ?2 AND flags & 1 = 0 ORDER BY id", NULL },
		/* The floor asks the FTS index only; the pattern also reads
		 * each hit's body, to keep the words found in headers out. */
		{ "~b budget", "SELECT m.id FROM messages m WHERE m.folder = ?1"
		  " AND m.id IN (SELECT rowid FROM fts WHERE fts MATCH ?2)"
		  " ORDER BY m.id", "\"budget\"*" },
		{ "~s report | ~F", "SELECT id FROM messages WHERE folder = ?1"
		  " AND (subject LIKE ?2 OR flags & 4 <> 0) ORDER BY id",
		  "%report%" },
		/* Tag-all (T ~A in the index): what it asks the cache;
		 * the index screen then merges the sorted ids into its
		 * tags. */
		{ "~A", "SELECT id FROM messages WHERE folder = ?1"
		  " ORDER BY id", NULL },
		/* A phrase: the floor finds both words anywhere. */
		{ "\"budget report\"", "SELECT m.id FROM messages m WHERE"
		  " m.folder = ?1 AND m.id IN (SELECT rowid FROM fts WHERE fts"
		  " MATCH ?2) ORDER BY m.id", "\"budget\" \"report\"" },
	};
	long count = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
	char dir[] = "/tmp/pattern_bench.XXXXXX", path[64], work[128];
	char fig[192], target[32];
	time_t t_now = time(NULL);
	struct db *db = NULL;
	struct error err;
	double tp[RUNS], tf[RUNS], cp[RUNS], cf[RUNS], c0;
	size_t i, r, hp = 0, hf = 0;
	int64_t folder;
	int rc = 1;

	if (count <= 0 || mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/postie.db", dir);
	if (db_open(path, &db, &err) < 0 ||
	    db_folder_ensure(db, "bench", "INBOX", FOLDER_ROLE_INBOX, &folder,
	    &err) < 0) {
		fprintf(stderr, "pattern_bench: %s\n", err.msg);
		goto out;
	}
	if (fill(db, count, folder, t_now) < 0)
		goto out;
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		/* ~d <1m: the same bound the pattern computes. */
		struct tm tm;
		int64_t month_ago;

		localtime_r(&t_now, &tm);
		tm.tm_mon -= 1;
		tm.tm_isdst = -1;
		month_ago = (int64_t)mktime(&tm);
		pattern_once(db, q[i].pattern, folder, t_now, &hp);
		floor_once(db, q[i].floor_sql, folder, q[i].text, month_ago,
		    &hf);
		for (r = 0; r < RUNS; r++) {
			c0 = bench_cpu();
			tp[r] = pattern_once(db, q[i].pattern, folder, t_now,
			    &hp);
			cp[r] = bench_cpu() - c0;
			c0 = bench_cpu();
			tf[r] = floor_once(db, q[i].floor_sql, folder,
			    q[i].text, month_ago, &hf);
			cf[r] = bench_cpu() - c0;
		}
		qsort(tp, RUNS, sizeof(double), cmp_double);
		qsort(tf, RUNS, sizeof(double), cmp_double);
		qsort(cp, RUNS, sizeof(double), cmp_double);
		qsort(cf, RUNS, sizeof(double), cmp_double);
		snprintf(work, sizeof(work), "pattern: limit '%s' over %ld",
		    q[i].pattern, count);
		snprintf(fig, sizeof(fig), "%.1f ms (%.1f CPU), %zu hits; "
		    "floor %.1f ms (%.1f CPU), %zu hits; %.2fx",
		    tp[RUNS / 2] * 1000, cp[RUNS / 2] * 1000, hp,
		    tf[RUNS / 2] * 1000, cf[RUNS / 2] * 1000, hf,
		    tp[RUNS / 2] / tf[RUNS / 2]);
		snprintf(target, sizeof(target), "< 100 ms");
		printf("%s\t%s\t%s\t%s\n", work, fig, target,
		    tp[RUNS / 2] < 0.100 ? "ok" : "MISSED");
		fflush(stdout);
	}
	rc = 0;
out:
	db_close(&db);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (getenv("PATTERN_BENCH_KEEP")) /* for profiling */
		fprintf(stderr, "pattern_bench: kept %s/postie.db\n", dir);
	else if (system(path) != 0)
		rc = 1;
	return rc;
}
