/* Helpers shared by the IMAP integration tests (real Dovecot, Cyrus or
 * Courier: tests/server/README.md). */
#ifndef POSTIE_TESTS_CHECK_IMAP_INT_H
#define POSTIE_TESTS_CHECK_IMAP_INT_H

#include <stdint.h>

#include <check.h>

#include "net/imap.h"

#define EV_MAX 64

/* Every event seen, for assertions. */
struct evlog {
	int exists, expunge, vanished, fetch, alert, mailbox;
	char mailbox_name[64];
	uint32_t mailbox_uidnext, mailbox_uidvalidity; /* the last's */
	uint64_t mailbox_modseq;
	uint32_t last_exists;
	char vanished_set[256];
	int vanished_earlier;
	uint32_t fetch_uid[EV_MAX];
	unsigned fetch_flags[EV_MAX];
};

/* Capabilities itest_open/itest_try make the engine ignore. */
extern unsigned itest_ignore_caps;

void evlog_cb(void *ctx, const struct imap_event *ev);
/* Connects as user with security sec; fails the test on error. */
struct imap *itest_open(const char *user, enum imap_security sec);
/* Like itest_open but returns the result (and err) instead. */
int itest_try(const char *user, const char *password,
    enum imap_security sec, struct imap **imap_r, struct error *err);
/* Messages in a folder as the server says (STATUS). */
uint32_t itest_count(struct imap *imap, const char *folder);
/* The UIDs of the selected folder, ascending; returns the count. */
unsigned itest_uids(struct imap *imap, uint32_t *uids, unsigned max);
/* UIDs changed since modseq (UID FETCH 1:* CHANGEDSINCE). */
unsigned itest_changed(struct imap *imap, uint64_t modseq, uint32_t *v,
    unsigned max);
/* Flags of one UID of the selected folder. */
unsigned itest_flags(struct imap *imap, uint32_t uid);
/* A fixture folder ("Work/Projects", Dovecot's spelling) as the harness's
 * server names it (POSTIE_TEST_FOLDER_PREFIX and POSTIE_TEST_SEPARATOR:
 * Cyrus without altnamespace "INBOX/Work/Projects", Courier
 * "INBOX.Work.Projects").  The string lives as long as the process. */
const char *itest_folder(const char *name);
#define F(name) itest_folder(name)
/* Whether the harness runs that server (POSTIE_TEST_SERVER: "dovecot",
 * "cyrus", "cyrus-noalt", "courier"); a prefix matches ("cyrus" both). */
int itest_server_is(const char *server);

Suite *imap_change_suite(void);
Suite *imap_mbox_suite(void);

#endif
