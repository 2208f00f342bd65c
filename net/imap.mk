# IMAP engine and parser
libnet_a_SOURCES += \
	net/imap_parse.c net/imap_parse.h \
	net/mutf7.c net/mutf7.h
