/* Helpers shared by the cache unit tests. */
#ifndef POSTIE_CHECK_CACHE_H
#define POSTIE_CHECK_CACHE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache/db.h"
#include "core/config.h"

/* A fresh folder under /tmp, removed by tmp_remove. */
static inline void
tmp_make(char *dir, size_t size, const char *name)
{
	snprintf(dir, size, "/tmp/%s.XXXXXX", name);
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static inline void
tmp_remove(const char *dir)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Config with a POP3 account "pop" (maildir under dir) and an IMAP
 * account "imap". */
static inline struct config *
test_config(const char *dir)
{
	struct config *cfg = NULL;
	struct error err;
	char text[1024];
	int n;

	n = snprintf(text, sizeof(text),
	    "[account pop]\nprotocol = pop3\nhost = pop.example.org\n"
	    "user = bob\npassword_command = true\nkeep_on_server = yes\n"
	    "maildir = %s/Maildir\n\n"
	    "[account imap]\nprotocol = imap\nhost = imap.example.org\n"
	    "user = alice\npassword_command = true\n", dir);
	error_clear(&err);
	if (config_parse("test", text, (size_t)n, &cfg, &err) < 0)
		ck_abort_msg("config: %s", err.msg);
	return cfg;
}

static inline int
run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

/* A message with only a subject in folder; its id. */
static inline int64_t
test_msg_add(struct db *db, int64_t folder, uint32_t uid, unsigned flags)
{
	struct db_msg m;
	struct error err;

	memset(&m, 0, sizeof(m));
	m.folder_id = folder;
	m.uid = uid;
	m.flags = flags;
	m.subject = "s";
	ck_assert_int_eq(db_msg_insert(db, &m, &err), 0);
	return m.id;
}

#endif
