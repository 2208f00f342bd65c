# IMAP engine and parser
libnet_a_SOURCES += \
	net/imap_parse.c net/imap_parse.h \
	net/mutf7.c net/mutf7.h \
	net/imap.h net/imap_int.h \
	net/imap_io.c net/imap_login.c net/imap_folder.c net/imap_fetch.c \
	net/imap_oauth.c \
	net/imap_idle.c net/imap_batch.c net/imap_expunge.c
