noinst_LIBRARIES += libcache.a
libcache_a_SOURCES = \
	cache/account.c cache/account.h \
	cache/bodies.c cache/bodies.h \
	cache/cache.c cache/cache_ops.c cache/cache_saved.c cache/cache.h cache/cache_int.h \
	cache/db.c cache/db_count.c cache/db_migrate.c cache/db_msg.c \
	cache/db_queue.c cache/db.h cache/db_int.h \
	cache/db_recover.c cache/recover.h \
	cache/driver.h cache/drivers.c \
	cache/index.c cache/index.h \
	cache/local_imap.c cache/local_maildir.c \
	cache/login.c cache/login.h cache/oauth.c cache/oauth.h \
	cache/authorize.c \
	cache/index_int.h cache/index_order.c \
	cache/maildir.c cache/maildir.h \
	cache/store.c cache/sync_store.c cache/sync_pop3.c \
	cache/thread.c cache/thread.h \
	cache/worker.c cache/worker_int.h cache/hook.c \
	cache/events.c cache/sync_ctx.c
libcache_a_CPPFLAGS = $(AM_CPPFLAGS) $(SQLITE_CFLAGS)
# The IMAP driver: session and folders, queued changes, the bulk fill.
libcache_a_SOURCES += cache/sync_imap.c cache/sync_imap_folder.c \
	cache/sync_imap_list.c \
	cache/sync_imap_ops.c cache/sync_imap_idle.c cache/sync_imap.h
libcache_a_SOURCES += cache/sync_imap_bulk.c cache/sync_imap_fill.c \
	cache/sync_imap_bulk_int.h
libcache_a_SOURCES += cache/pop3_fetch.c cache/pop3_fetch.h

# The outbox (messages waiting to be sent).
libcache_a_SOURCES += cache/outbox.c cache/outbox.h

libcache_a_SOURCES += cache/send.c cache/send.h

# Patterns (limit, search, postie list PATTERN) as queries over the index.
libcache_a_SOURCES += cache/pattern.c cache/pattern.h \
	cache/pattern_fn.c cache/pattern_int.h

# The setup form's login test.
libcache_a_SOURCES += cache/probe.c cache/probe.h

# Address completion: the index's addresses ranked, query_command.
libcache_a_SOURCES += cache/addr.c cache/addrbook.c cache/addrbook.h \
	cache/db_addr.c
libcache_a_SOURCES += cache/folder_ops.c cache/sync_imap_mbox.c
